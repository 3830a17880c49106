import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');

/**
 * The staff console's production build (console/dist/), made or found fresh the way npm start and
 * npm test make it (`scripts/bootstrap.mjs console`: a build only when console/ or the lockfile changed).
 */
export function ensureConsoleBuild(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/bootstrap.mjs'), 'console'], { cwd: ROOT, stdio: 'inherit' });
}

/** The citizens' portal's production build (portal/dist/), made or found fresh the same way. */
export function ensurePortalBuild(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/bootstrap.mjs'), 'portal'], { cwd: ROOT, stdio: 'inherit' });
}
