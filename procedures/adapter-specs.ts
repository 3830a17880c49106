import type { Bilingual } from '../common/bilingual';
import { SYSTEM_NAMES, systemBehind } from '../common/system-names';
import { CIVIL_STATUS_ADAPTER_SPECS } from './adapter-specs-civil-status';
import type { AdapterSpec } from './document';

/**
 * The adapters a published definition may name, and what each promises: the outcomes its check step
 * must lead on from, and the input keys it takes. The interpreter's adapters (activities/adapters.ts,
 * where each is described) implement exactly these; the API and the migration runner check documents
 * with them. Pure: no activity code.
 */
export const ADAPTER_SPECS = {
  'population.verify-persons': { outcomes: ['verified', 'unknown-person', 'mismatch'], input: ['applicant', 'identify'] },
  'civil-status.find-record': {
    outcomes: ['found', 'not-found', 'ambiguous'],
    input: ['kind', 'recordRef', 'subjectPin', 'registrationUnitCode', 'bookNumber', 'pageNumber'],
  },
  'civil-status.marital-status': { outcomes: ['single', 'married', 'widowed', 'divorced'], input: ['pin'] },
  'civil-status.register-birth': {
    outcomes: ['registered'],
    input: ['childName', 'dateOfBirth', 'placeOfBirth', 'sex', 'fatherPin', 'motherPin', 'childPin'],
  },
  'business-registry.check-name': { outcomes: ['conflict', 'no-conflict'], input: ['name'] },
  'business-registry.register': { outcomes: ['registered', 'name-taken'], input: ['registrationUnitCode'] },
  ...CIVIL_STATUS_ADAPTER_SPECS,
} as const satisfies Record<string, AdapterSpec>;

export type AdapterName = keyof typeof ADAPTER_SPECS;

/** The system behind each family of adapters (the name's part before the dot), as supervision names it. */
const ADAPTER_SYSTEMS: Readonly<Record<string, Bilingual>> = {
  population: SYSTEM_NAMES.population,
  'civil-status': SYSTEM_NAMES.civilStatus,
  'business-registry': SYSTEM_NAMES.businessRegistry,
};

/** The system an adapter talks to, from its name (`population.verify-persons`: the population data). */
export function adapterSystem(adapter: string): Bilingual {
  return ADAPTER_SYSTEMS[adapter.split('.')[0] ?? ''] ?? systemBehind(adapter);
}
