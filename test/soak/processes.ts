import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * The engine's processes as the README deploys them: `tsx api/main.ts` and `tsx worker/main.ts`,
 * each its own Node process (tsx as a loader, so a SIGKILL leaves nothing behind), with their log
 * lines in a file of the run directory and watched for what the soak needs to know: the worker is
 * polling, a workflow task failed on nondeterminism.
 */
const ROOT = path.join(__dirname, '../..');

const NONDETERMINISM = /nondetermin|TMPRL1100/i;

/** A log line at error level or above (pino's 50, 60): what the process logged, for which request. */
export interface LoggedError {
  msg: string;
  method?: string;
  route?: string;
  /** The error's message (its first line), without Prisma's call-site excerpt. */
  error?: string;
}

export const loggedError = (line: string): LoggedError | undefined => {
  if (!line.startsWith('{') || !/"level":(5|6)0/.test(line)) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: string; method?: string; route?: string; err?: { message?: string } };
    const error = entry.err?.message
      ?.split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^Invalid `|^\d+ |^→|^\/\S+:\d+:\d+$/.test(l))
      .join(' ')
      .slice(0, 400);
    return { msg: entry.msg ?? '', ...(entry.method ? { method: entry.method } : {}), ...(entry.route ? { route: entry.route } : {}), ...(error ? { error } : {}) };
  } catch {
    return undefined;
  }
};

export class EngineProcess {
  private child?: ChildProcess;
  private exited: Promise<void> = Promise.resolve();
  private recent = '';
  private readonly log: WriteStream;
  /** Log lines of every start of this process that mention nondeterminism. */
  nondeterminismLines = 0;
  starts = 0;
  readonly errors: LoggedError[] = [];

  constructor(
    readonly name: string,
    private readonly script: 'api/main.ts' | 'worker/main.ts',
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  pid(): number | undefined {
    return this.child?.pid;
  }

  running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process; resolves once a log line matches `ready` (or `ready()` resolves true). */
  async start(ready: RegExp | (() => Promise<boolean>), timeoutMs = 180_000): Promise<void> {
    this.starts += 1;
    this.recent = '';
    const child = spawn(process.execPath, ['--import', 'tsx', this.script], { cwd: ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.log.write(`\n--- ${new Date().toISOString()} start #${this.starts} of ${this.name} (pid ${child.pid})\n`);
    let pending = '';
    const onData = (chunk: Buffer) => {
      const text = String(chunk);
      this.log.write(text);
      this.recent = (this.recent + text).slice(-20_000);
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      this.nondeterminismLines += lines.filter((l) => NONDETERMINISM.test(l)).length;
      for (const line of lines) {
        const logged = loggedError(line);
        if (logged) this.errors.push(logged);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    const isReady = typeof ready === 'function' ? ready : async () => ready.test(this.recent);
    while (!(await isReady())) {
      if (!this.running()) throw new Error(`${this.name} exited while starting:\n${this.recent.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: not ready within ${timeoutMs / 1000} s:\n${this.recent.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** SIGKILL: no chance to clean up. */
  async kill(): Promise<void> {
    if (!this.running()) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGINT (the process shuts down in order), SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.running()) {
      const child = this.child!;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGINT');
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}

export const WORKER_READY = /"msg":"worker polling"/;

/** The API answers `GET /readyz` with 200: database, Temporal and SMTP reachable. */
export function apiReady(baseUrl: string): () => Promise<boolean> {
  return async () => {
    try {
      return (await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(3000) })).status === 200;
    } catch {
      return false;
    }
  };
}
