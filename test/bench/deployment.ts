/**
 * What the bench deploys on each Temporal target: the Temporal server (the CLI dev server, the same
 * with WAL pragmas, or the real server on PostgreSQL), then the README's cluster recipe on it: API
 * and worker processes on a PostgreSQL database and a loopback SMTP server.
 */
import { type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { adminDatabaseUrl, apiClient, postgresProcesses, sleep, spawnPart, stopChild, waitReady, type ProcessGroup, type SystemUnderTest } from './harness';

/** A Temporal server the bench measures on: the CLI dev server (as `npm start` runs it), the same with the SQLite pragmas of Temporal's throughput CI, or the real server on PostgreSQL. */
export type TemporalTargetName = 'dev' | 'dev-wal' | 'cluster';

export const TEMPORAL_TARGETS: Record<TemporalTargetName, string> = {
  dev: 'Temporal CLI dev server (SQLite file, one shard), as npm start runs it',
  'dev-wal': 'the dev server with journal_mode=WAL, synchronous=OFF (reference)',
  cluster: 'the real Temporal server on PostgreSQL, 8 history shards (npm run temporal:cluster)',
};

export interface TemporalServer {
  target: TemporalTargetName;
  address: string;
  /** The server's process(es). */
  pids(): number[];
  /** Its persistence's processes, when not the server itself (PostgreSQL backends of its databases). */
  persistencePids(): number[];
  stop(): Promise<void>;
}

export async function startTemporalTarget(target: TemporalTargetName, log: (m: string) => void = () => undefined): Promise<TemporalServer> {
  if (target === 'cluster') {
    const { startTemporalCluster } = await import('../../scripts/temporal-cluster');
    const prefix = `bench_temporal_${Date.now().toString(36)}`;
    const cluster = await startTemporalCluster({ postgresUrl: adminDatabaseUrl()!, databasePrefix: prefix, shards: Number(process.env.BENCH_TEMPORAL_SHARDS ?? 8), log });
    return {
      target,
      address: cluster.address,
      pids: () => [cluster.pid()].filter((p): p is number => p !== undefined),
      persistencePids: () => postgresProcesses((name) => name.startsWith(prefix)),
      stop: () => cluster.stop({ dropDatabases: true }),
    };
  }
  const { mkdtemp } = await import('node:fs/promises');
  const os = await import('node:os');
  const { freePort } = await import('../../system/ports');
  const { startEmbeddedTemporal } = await import('../../system/embedded-temporal');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'procedures-bench-temporal-'));
  const temporal = await startEmbeddedTemporal({
    dataDir,
    port: await freePort(),
    namespace: 'default',
    ...(target === 'dev-wal' ? { sqlitePragmas: { journal_mode: 'WAL', synchronous: 'OFF' } } : {}),
  });
  return {
    target,
    address: temporal.address,
    pids: () => [temporal.pid()].filter((p): p is number => p !== undefined),
    persistencePids: () => [],
    async stop() {
      await temporal.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SeparateSystem extends SystemUnderTest {
  temporal: TemporalServer;
  apiPids(): number[];
  workerPids(): number[];
  /** Starts one more worker process (with node flags, e.g. a profiler's); resolves with its pid. */
  addWorker(nodeArgs?: string[]): Promise<number>;
  /** Stops the worker process of that pid (SIGINT: it shuts down as on Ctrl-C). */
  stopWorker(pid: number): Promise<void>;
  addApi(): Promise<void>;
  /** The same system driven through its `index`-th API process. */
  throughApi(index: number): Promise<SystemUnderTest>;
}

/**
 * The README's cluster recipe on one machine: a Temporal server (a target above; a dev server of its
 * own when none is given), `apis` × `npm run api` and `workers` × `npm run worker`, on a real
 * PostgreSQL database (migrated and seeded with the demo data here) and a loopback SMTP server.
 */
export async function startSeparateSystem(options: { databaseUrl: string; workers: number; apis?: number; temporal?: TemporalServer; workerNodeArgs?: string[]; apiNodeArgs?: string[]; workerEnv?: Record<string, string> }): Promise<SeparateSystem> {
  const { mkdtemp } = await import('node:fs/promises');
  const os = await import('node:os');
  const { freePort } = await import('../../system/ports');
  const { startEmbeddedSmtp } = await import('../../system/embedded-smtp');
  const { applyMigrations } = await import('../../prisma/migrate');
  const { createPrismaClient } = await import('../../prisma/client');
  const { seedDemoData } = await import('../../prisma/seed');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'procedures-bench-parts-'));
  const ownTemporal = options.temporal === undefined;
  const temporal = options.temporal ?? (await startTemporalTarget('dev'));
  const smtp = await startEmbeddedSmtp({ port: await freePort(), onMail: () => undefined });
  await applyMigrations(options.databaseUrl);
  const prisma = createPrismaClient(options.databaseUrl, { maxConnections: 2 });
  await seedDemoData(prisma);
  await prisma.$disconnect();
  const env = {
    NODE_ENV: 'development',
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: options.databaseUrl,
    SMTP_URL: smtp.url,
    HOST: '127.0.0.1',
    RATE_LIMIT_FILINGS: '0',
    DATA_DIR: dataDir,
  };
  const apis: Array<{ child: ChildProcess; url: string }> = [];
  const workers: ChildProcess[] = [];
  const addApi = async () => {
    const port = await freePort();
    const child = spawnPart('api/main.ts', { ...env, PORT: String(port) }, options.apiNodeArgs);
    apis.push({ child, url: `http://127.0.0.1:${port}/api/v1` });
    await waitReady(`http://127.0.0.1:${port}/readyz`);
  };
  const addWorker = async (nodeArgs = options.workerNodeArgs) => {
    const child = spawnPart('worker/main.ts', { ...env, ...options.workerEnv }, nodeArgs);
    workers.push(child);
    // A worker is polling once it has bundled its workflows; give it the time to.
    await sleep(Number(process.env.BENCH_WORKER_START_MS ?? 12_000));
    return child.pid!;
  };
  const stopWorker = async (pid: number) => {
    const index = workers.findIndex((w) => w.pid === pid);
    if (index < 0) return;
    const [child] = workers.splice(index, 1);
    await stopChild(child!);
  };
  const stopAll = async () => {
    await Promise.all([...workers, ...apis.map((a) => a.child)].map((c) => stopChild(c)));
    await smtp.stop();
    if (ownTemporal) await temporal.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < (options.apis ?? 1); i += 1) await addApi();
    for (let i = 0; i < options.workers; i += 1) await addWorker();
  } catch (error) {
    await stopAll();
    throw error;
  }
  const databaseName = new URL(options.databaseUrl).pathname.slice(1);
  const processes: ProcessGroup[] = [
    { name: 'API process(es)', pids: () => apis.map((a) => a.child.pid!) },
    { name: 'worker process(es)', pids: () => workers.map((w) => w.pid!) },
    { name: 'Temporal server', pids: () => temporal.pids() },
    { name: "PostgreSQL: the engine's database", pids: () => postgresProcesses((name) => name === databaseName) },
    ...(temporal.target === 'cluster' ? [{ name: "PostgreSQL: Temporal's databases", pids: () => temporal.persistencePids() }] : []),
  ];
  const system: SeparateSystem = {
    kind: `API and workers as separate processes on PostgreSQL, ${TEMPORAL_TARGETS[temporal.target]}`,
    api: apis[0]!.url,
    temporalAddress: temporal.address,
    databaseUrl: options.databaseUrl,
    processes,
    ...(await apiClient(apis[0]!.url)),
    temporal,
    apiPids: () => apis.map((a) => a.child.pid!),
    workerPids: () => workers.map((w) => w.pid!),
    addWorker,
    stopWorker,
    addApi,
    throughApi: async (index) => ({ ...system, api: apis[index]!.url, ...(await apiClient(apis[index]!.url)) }),
    stop: stopAll,
  };
  return system;
}
