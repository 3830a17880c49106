import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../common/temporal';
import { temporalCli } from './temporal-binaries';

export interface EmbeddedTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/**
 * The Temporal CLI dev server: a real Temporal server in one process, persisted in a SQLite file
 * under the data directory so a restart keeps every workflow, with the web UI and the engine's
 * search attributes registered.
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
}): Promise<EmbeddedTemporal> {
  await mkdir(options.dataDir, { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalCli(options.cliPath),
      dbFilename: options.dbFilename ?? path.join(options.dataDir, 'temporal.sqlite'),
      namespace: options.namespace,
      ip: '127.0.0.1',
      port: options.port,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'warn' },
      ...(options.codecEndpoint && options.uiPort !== undefined ? { extraArgs: ['--ui-codec-endpoint', options.codecEndpoint] } : {}),
    },
  });
  return {
    address: env.address,
    uiUrl: options.uiPort !== undefined ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}
