import { BUSINESS_PATHS } from './business';
import { CIVIL_STATUS_PATHS } from './civil-status';
import type { SoakPath } from './path';
import { TRAFFIC_PATHS } from './traffic';

/** Every path of every procedure; dossier n goes along PATHS[n % PATHS.length], so any N ≥ 13 covers them all. */
export const PATHS: readonly SoakPath[] = [...CIVIL_STATUS_PATHS, ...BUSINESS_PATHS, ...TRAFFIC_PATHS];

export type { SoakPath } from './path';
