import type { AdapterSpec } from './document';

/**
 * The civil-status registry's adapters for the civil-status extract published as data
 * (procedures/definitions/civil-status-extract.json), implemented in activities/adapters-civil-status.ts.
 * Pure: no activity code.
 */
export const CIVIL_STATUS_ADAPTER_SPECS = {
  'civil-status.locate-record': {
    outcomes: ['found', 'paper-archive-only', 'not-found', 'ambiguous'],
    input: ['kind', 'recordRef', 'subjectPin', 'registrationUnitCode', 'bookNumber', 'pageNumber'],
  },
  'civil-status.digitise-record': {
    outcomes: ['digitised'],
    input: ['kind', 'step', 'holdingUnitCode', 'existingRecordId'],
  },
} as const satisfies Record<string, AdapterSpec>;
