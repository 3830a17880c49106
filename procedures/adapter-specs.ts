import type { AdapterSpec } from './document';
/** The adapters a published definition may name, and what each promises (outcomes, input keys). */
export const ADAPTER_SPECS: Record<string, AdapterSpec> = {
  'population.verify-persons': { outcomes: ['verified', 'unknown-person', 'mismatch'], input: [] },
  'civil-status.find-record': { outcomes: ['found', 'not-found', 'ambiguous'], input: ['kind', 'subjectPin', 'registrationUnitCode', 'bookNumber'] },
  'civil-status.marital-status': { outcomes: ['single', 'married', 'widowed', 'divorced'], input: ['pin'] },
  'civil-status.register-birth': { outcomes: ['registered'], input: [] },
};
