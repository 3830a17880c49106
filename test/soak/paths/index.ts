import { BUSINESS_PATHS } from './business';
import { CIVIL_STATUS_PATHS } from './civil-status';
import { BIRTH_REGISTRATION_PATHS, MARITAL_STATUS_PATHS } from './defined';
import type { SoakPath } from './path';
import { TRAFFIC_PATHS } from './traffic';

/**
 * Every path of every procedure, the code ones and those published as data; dossier n goes along
 * PATHS[n % PATHS.length], so any N ≥ PATHS.length (19) covers them all.
 */
export const PATHS: readonly SoakPath[] = [...CIVIL_STATUS_PATHS, ...BUSINESS_PATHS, ...TRAFFIC_PATHS, ...MARITAL_STATUS_PATHS, ...BIRTH_REGISTRATION_PATHS];

export type { SoakPath } from './path';
