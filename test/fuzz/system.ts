import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { embeddedSystemEnv } from '../support/embedded-system';

const ROOT = path.join(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface RunningSystem {
  /** The API's origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  dataDir: string;
  output: () => string;
  /** Ctrl-C, then the exit code. */
  stop: () => Promise<number | null>;
  child: ChildProcess;
}

/**
 * `npm start` on the embedded defaults (fresh data directory, free ports, dev mode), as the start
 * test runs it, with `env` on top (e.g. rate limits off, so that a fuzzer is not throttled).
 */
export async function startEmbeddedSystem(prefix: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<RunningSystem> {
  const system = await embeddedSystemEnv(prefix);
  const child = spawn(TSX, ['system/start.ts'], { cwd: ROOT, env: { ...system.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running: RunningSystem = {
    origin: `http://127.0.0.1:${system.ports.api}`,
    dataDir: system.dataDir,
    output: () => output,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (!output.includes('system ready')) {
    if (child.exitCode !== null) throw new Error(`system exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`no "system ready" within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return running;
}

/** A token from the dev-mode token endpoint. */
export async function devToken(origin: string, claims: { sub: string; role: string; unit?: string }): Promise<string> {
  const res = await fetch(`${origin}/api/v1/auth/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  if (res.status !== 200) throw new Error(`dev-token for ${claims.sub}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
