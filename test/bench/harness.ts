/**
 * What the bench's scenarios share: starting the system measured (as `npm start` runs it, or its
 * parts as separate processes), the Temporal baseline (a bare worker on the same server), HTTP
 * helpers, percentiles, CPU and memory of processes read from /proc, and result rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { createPayloadCodec } from '../../common/payload-codec';
import { embeddedSystemEnv } from '../support/embedded-system';
import type { BareShape } from './bare-workflows';

export const ROOT = path.join(__dirname, '../..');

/** One figure of the results: `baseline` and `ratio` are null where no Temporal baseline applies. */
export interface Row {
  scenario: string;
  figure: string;
  value: number | string | null;
  unit: string;
  baseline: number | null;
  ratio: number | null;
}

export const row = (scenario: string, figure: string, value: number | string | null, unit: string, baseline: number | null = null): Row => ({
  scenario,
  figure,
  value: typeof value === 'number' ? round(value) : value,
  unit,
  baseline: baseline === null ? null : round(baseline),
  ratio: baseline !== null && typeof value === 'number' && baseline > 0 ? Number((value / baseline).toFixed(2)) : null,
});

export const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Number(n.toFixed(n >= 10 ? 1 : 2)));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

// ---------------------------------------------------------------- processes: CPU and memory

const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU ticks (user + system) of a process. */
export function cpuTicks(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) : 0;
}

/** Resident set size in MB. */
export function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Every process whose parent chain leads to `root`. */
export function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f) parents.set(Number(entry), Number(f[1]));
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** Processes of a given command name (e.g. every PostgreSQL backend of the machine's server). */
export function processesNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => commOf(pid) === name);
}

export type ProcessGroup = { name: string; pids: () => number[] };

/**
 * CPU use of named process groups over a window: a function that, called at the window's end,
 * gives each group's CPU in % of one core (this machine has os.cpus().length of them) and in
 * milliseconds. Counted per process, so one born during the window counts from its birth.
 */
export function cpuSampler(groups: ProcessGroup[]) {
  const snapshot = () => new Map(groups.map((g) => [g.name, new Map(g.pids().map((pid) => [pid, cpuTicks(pid)]))]));
  const start = snapshot();
  const startedAt = performance.now();
  const selfStart = process.cpuUsage();
  return (): CpuUse => {
    const seconds = (performance.now() - startedAt) / 1000;
    const end = snapshot();
    const ms: Record<string, number> = {};
    for (const g of groups) {
      let ticks = 0;
      for (const [pid, t] of end.get(g.name)!) ticks += t - (start.get(g.name)!.get(pid) ?? 0);
      ms[g.name] = (1000 * ticks) / TICKS_PER_SECOND;
    }
    const self = process.cpuUsage(selfStart);
    ms[BENCH_CLIENTS] = (self.user + self.system) / 1000;
    const percent = Object.fromEntries(Object.entries(ms).map(([name, m]) => [name, m / 10 / seconds]));
    return { seconds, ms, percent };
  };
}

/** The bench's own process: the clients, in place of citizens' and clerks' browsers. */
export const BENCH_CLIENTS = 'bench (clients)';

export interface CpuUse {
  seconds: number;
  /** CPU milliseconds per group over the window. */
  ms: Record<string, number>;
  /** The same in % of one core. */
  percent: Record<string, number>;
}

/** PostgreSQL's processes of the machine's server; `database` keeps the backends of databases whose name starts with it. */
export function postgresProcesses(database?: (name: string) => boolean): number[] {
  return processesNamed('postgres').filter((pid) => {
    if (!database) return true;
    // A backend's title: "postgres: 15/main: <user> <database> 127.0.0.1(port) <state>".
    const title = cmdlineOf(pid).split(': ').slice(2).join(': ');
    const name = title.split(' ')[1];
    return name !== undefined && database(name);
  });
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

export function cpuRows(scenario: string, usage: CpuUse): Row[] {
  return Object.entries(usage.percent).map(([name, pct]) => row(scenario, `CPU: ${name}`, pct, '% of a core'));
}

// ---------------------------------------------------------------- HTTP

export async function devToken(api: string, claims: Record<string, string>): Promise<string> {
  const res = await fetch(`${api}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims) });
  if (res.status !== 200) throw new Error(`dev-token ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function waitReady(url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

/** A demo example as GET /dev/demo gives it: the body to post to `path` (`/dossiers` when absent), and as whom. */
export interface Example {
  as: { sub: string; role: string };
  path?: string;
  body: Record<string, unknown>;
}

/** What a scenario drives: the API of a running system, its processes, and the Temporal server it uses. */
export interface SystemUnderTest {
  kind: string;
  api: string;
  temporalAddress: string;
  /** The system's database, when it runs on PostgreSQL. */
  databaseUrl?: string;
  /** Process groups to sample for CPU: the system's node process(es), Temporal, the database. */
  processes: ProcessGroup[];
  examples: Record<string, Example>;
  token(claims: Record<string, string>): Promise<string>;
  file(example: Example, idempotencyKey?: string): Promise<Response>;
  stop(): Promise<void>;
}

async function apiClient(api: string) {
  const tokens = new Map<string, Promise<string>>();
  const token = (claims: Record<string, string>) => {
    const key = JSON.stringify(claims);
    if (!tokens.has(key)) tokens.set(key, devToken(api, claims));
    return tokens.get(key)!;
  };
  const demo = (await (await fetch(`${api}/dev/demo`)).json()) as { examples: Record<string, Example> };
  const file = async (example: Example, idempotencyKey?: string) =>
    fetch(`${api}${example.path ?? '/dossiers'}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token(example.as)}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: JSON.stringify(example.body),
    });
  return { token, examples: demo.examples, file };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT', graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * `npm start` (system/start.ts) in a temporary data directory on free ports: embedded Temporal,
 * SMTP and, without `databaseUrl`, PGlite. The temporal dev server is the node process's child.
 */
export async function startEmbeddedSystem(options: { databaseUrl?: string } = {}): Promise<SystemUnderTest> {
  const { dataDir, ports, env } = await embeddedSystemEnv('procedures-bench-');
  const child = spawn(process.execPath, ['--import', 'tsx', 'system/start.ts'], {
    cwd: ROOT,
    env: { ...env, LOG_LEVEL: 'warn', RATE_LIMIT_FILINGS: '0', ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const api = `http://127.0.0.1:${ports.api}/api/v1`;
  try {
    await waitReady(`http://127.0.0.1:${ports.api}/readyz`);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  const client = await apiClient(api);
  const nodePid = child.pid!;
  const temporalPids = () => descendants(nodePid).filter((pid) => commOf(pid) === 'temporal');
  return {
    kind: options.databaseUrl ? 'embedded system on PostgreSQL' : 'embedded system (PGlite)',
    api,
    temporalAddress: `127.0.0.1:${ports.temporal}`,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    processes: [
      { name: options.databaseUrl ? 'system node process (API, worker)' : 'system node process (API, worker, PGlite)', pids: () => [nodePid] },
      { name: 'Temporal dev server', pids: temporalPids },
      ...(options.databaseUrl ? [{ name: 'PostgreSQL (all backends of the server)', pids: () => processesNamed('postgres') }] : []),
    ],
    ...client,
    async stop() {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Separate processes: `npm run api` and `npm run worker` (any number), on external Temporal, PostgreSQL and SMTP. */
export function spawnPart(script: 'api/main.ts' | 'worker/main.ts' | 'prisma/seed.ts', env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}
export { stopChild, apiClient };

// ---------------------------------------------------------------- PostgreSQL

/** The server to create bench databases on: BENCH_DATABASE_URL's, or TEST_DATABASE_URL's. */
export function adminDatabaseUrl(): string | undefined {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
}

/** A fresh, empty database on the server of BENCH_DATABASE_URL / TEST_DATABASE_URL, dropped by `drop()`. */
export async function freshDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = adminDatabaseUrl()!;
  const dbName = `bench_${name}_${Date.now().toString(36)}`;
  const pg = new PgClient({ connectionString: admin });
  await pg.connect();
  await pg.query(`CREATE DATABASE ${dbName}`);
  await pg.end();
  const url = new URL(admin);
  url.pathname = `/${dbName}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new PgClient({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    },
  };
}

// ---------------------------------------------------------------- the Temporal baseline

export const BARE_TASK_QUEUE = 'bench-bare';

export interface Bare {
  client: Client;
  /** Starts a bare workflow; resolves once `start` returned (the handle). */
  start(shape: BareShape, id?: string): ReturnType<Client['workflow']['start']>;
  /** The bare worker's process: its CPU is the baseline's worker share. */
  pids(): number[];
  close(): Promise<void>;
}

let bareSeq = 0;

/**
 * The bench's own worker (no-op activities, `bench-bare` task queue), a process of its own
 * (bare-worker.ts), and a client in the bench, on the server of the system measured; with the
 * system's dev-mode payload key, so the bench can read its workflows' results.
 */
export async function startBare(temporalAddress: string): Promise<Bare> {
  const payloadCodec = createPayloadCodec({ keys: undefined, devMode: true });
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bare-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, BENCH_TEMPORAL_ADDRESS: temporalAddress, BENCH_BARE_TASK_QUEUE: BARE_TASK_QUEUE },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare worker did not start within 120 s')), 120_000);
    worker.stdout!.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('polling')) {
        clearTimeout(timer);
        resolve();
      }
    });
    worker.once('exit', (code) => reject(new Error(`the bare worker exited (${code})`)));
  });
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, dataConverter: { payloadCodecs: [payloadCodec] } });
  const newId = () => `bare-${process.pid}-${Date.now()}-${(bareSeq += 1)}`;
  return {
    client,
    start: (shape, id) => client.workflow.start('bareWorkflow', { taskQueue: BARE_TASK_QUEUE, workflowId: id ?? newId(), args: [shape] }),
    pids: () => (worker.pid ? [worker.pid] : []),
    async close() {
      await stopChild(worker);
      await connection.close();
    },
  };
}

/** Runs `loop` on `clients` concurrent clients until `seconds` pass or `maxIterations` are done in all. */
export async function concurrently(clients: number, seconds: number, maxIterations: number, loop: (client: number) => Promise<void>): Promise<{ iterations: number; elapsedS: number }> {
  let iterations = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < deadline && iterations < maxIterations) {
        iterations += 1;
        await loop(c);
      }
    }),
  );
  return { iterations, elapsedS: (performance.now() - start) / 1000 };
}

// ---------------------------------------------------------------- separate processes

/** EXPLAIN ANALYZE texts (and other long notes) a scenario hands to the results file. */
export const explains: Record<string, string> = {};
