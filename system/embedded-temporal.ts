import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../common/temporal';
import type { Logger } from '../common/logger';
import { temporalCli } from './temporal-binaries';

export interface EmbeddedTemporal {
  address: string;
  uiUrl?: string;
  /** The dev server's current process id (changes on each restart). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
// Backoff between restart attempts: 0.5 s, 1 s, 2 s, 2 s...
const RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 2_000;
const STOP_GRACE_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Temporal CLI dev server: a real Temporal server in one process, persisted in a SQLite file
 * under the data directory so a restart keeps every workflow, with the web UI and the engine's
 * search attributes registered.
 *
 * It is supervised: when the server process ends without `stop()` (killed, crashed), it is started
 * again on the same port with the same SQLite file, so workers and clients reconnect by themselves
 * and every workflow goes on from its history.
 */
export async function startEmbeddedTemporal(options: {
  dataDir: string;
  port: number;
  uiPort?: number;
  namespace: string;
  cliPath?: string;
  /** Defaults to data/temporal.sqlite; tests pass a throw-away file. */
  dbFilename?: string;
  /** The API's codec endpoint, for the web UI to show payloads in clear (see README). */
  codecEndpoint?: string;
  /** SQLite pragmas, e.g. `{ journal_mode: 'WAL', synchronous: 'OFF' }` as Temporal's throughput CI runs it (the bench's reference). */
  sqlitePragmas?: Record<string, string>;
  logger?: Logger;
}): Promise<EmbeddedTemporal> {
  await mkdir(options.dataDir, { recursive: true });
  const address = `127.0.0.1:${options.port}`;
  const dbFilename = options.dbFilename ?? path.join(options.dataDir, 'temporal.sqlite');
  const searchAttributes = ALL_SEARCH_ATTRIBUTES.flatMap(({ name, type }) => ['--search-attribute', `${name}=${TypedSearchAttributes.toMetadataType(type)}`]);
  const codec = options.codecEndpoint && options.uiPort !== undefined ? ['--ui-codec-endpoint', options.codecEndpoint] : [];
  const pragmas = Object.entries(options.sqlitePragmas ?? {}).flatMap(([name, value]) => ['--sqlite-pragma', `${name}=${value}`]);
  // The arguments the SDK's ephemeral server passes, plus ours.
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--db-filename',
    dbFilename,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...(options.uiPort !== undefined ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...searchAttributes,
    ...codec,
    ...pragmas,
  ];
  const cli = temporalCli(options.cliPath);
  const logger = options.logger;
  if (cli.type !== 'existing-path') return startDownloadedServer({ ...options, dbFilename }, [...searchAttributes, ...codec, ...pragmas]);
  const executable = cli.path;

  let child: ChildProcess | undefined;
  let stopping = false;
  let exited: Promise<void> = Promise.resolve();
  let restarts = 0;
  // Only a server that was serving is restarted from its exit; one that fails while starting is
  // retried by the restart loop itself.
  const serving = new WeakSet<ChildProcess>();

  const launch = (): ChildProcess => {
    const started = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + String(chunk)).slice(-4000);
    });
    exited = new Promise((resolve) => {
      started.once('exit', (code, signal) => {
        resolve();
        if (child === started) child = undefined;
        if (stopping || !serving.has(started)) return;
        logger?.error({ pid: started.pid, code, signal, stderr: stderr.slice(-1000) }, 'embedded Temporal dev server exited: restarting it');
        void restart();
      });
    });
    child = started;
    return started;
  };

  const startServing = async (started: ChildProcess): Promise<void> => {
    try {
      await waitUntilServing(address, started);
    } catch (error) {
      started.kill('SIGKILL');
      throw error;
    }
    serving.add(started);
  };

  const restart = async (): Promise<void> => {
    const begun = Date.now();
    for (let attempt = 0; ; attempt += 1) {
      await sleep(Math.min(MAX_RESTART_DELAY_MS, RESTART_DELAY_MS * 2 ** attempt));
      if (stopping) return;
      restarts += 1;
      const started = launch();
      try {
        await startServing(started);
        logger?.warn({ pid: started.pid, temporalAddress: address, restarts, downForMs: Date.now() - begun }, 'embedded Temporal dev server restarted');
        return;
      } catch (error) {
        if (stopping) return;
        logger?.error({ err: error }, 'embedded Temporal dev server did not come back: trying again');
      }
    }
  };

  const first = launch();
  try {
    await startServing(first);
  } catch (error) {
    stopping = true;
    throw error;
  }

  return {
    address,
    uiUrl: options.uiPort !== undefined ? `http://127.0.0.1:${options.uiPort}` : undefined,
    pid: () => child?.pid,
    stop: async () => {
      stopping = true;
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * No CLI binary on this machine: the SDK downloads one and runs it itself. That process is not
 * ours to watch, so it is not restarted (the bootstrap installs the binary; see README).
 */
async function startDownloadedServer(
  options: { port: number; uiPort?: number; namespace: string; dbFilename: string; logger?: Logger },
  extraArgs: string[],
): Promise<EmbeddedTemporal> {
  options.logger?.warn('no temporal binary found: using the SDK download, which is not restarted if it dies');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      dbFilename: options.dbFilename,
      namespace: options.namespace,
      ip: '127.0.0.1',
      port: options.port,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      log: { format: 'json', level: 'warn' },
      extraArgs,
    },
  });
  return { address: env.address, uiUrl: options.uiPort !== undefined ? `http://127.0.0.1:${options.uiPort}` : undefined, pid: () => undefined, stop: () => env.teardown() };
}

/** Resolves once the frontend answers; rejects if the process exits first or after READY_TIMEOUT_MS. */
async function waitUntilServing(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the Temporal dev server exited (${child.exitCode ?? child.signalCode})`);
    if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer at ${address} within ${READY_TIMEOUT_MS} ms`);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.withDeadline(Date.now() + 2000, () => connection!.workflowService.getSystemInfo({}));
      return;
    } catch {
      await sleep(200);
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
}
