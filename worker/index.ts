import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkflowBundleOption } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import { createActivities, type ActivityDeps } from '../activities';
import { TASK_QUEUE } from '../common/temporal';
import type { Logger } from '../common/logger';
import { PRELOADED_WORKFLOW_MODULES, WORKFLOWS_PATH } from './workflow-bundle';

export interface WorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  /** A pre-built bundle (tests build one per run, as worker/workflow-bundle.ts says); otherwise the worker bundles `workflows/`. */
  workflowBundle?: WorkflowBundleOption;
  /** Defaults to the engine's queue; tests sharing one server each use their own. */
  taskQueue?: string;
  /** Encrypts every payload (common/payload-codec.ts); the API's client must use the same keys. */
  payloadCodec: PayloadCodec;
  /**
   * Workflows kept in memory between their workflow tasks. Each costs about 2.4 MB (its own copy of
   * the bundle's modules), and dossiers wait days for a clerk, so keeping them helps nobody: with
   * 10,000 dossiers waiting, a worker held 3.9 GB with 1,000 cached and 2.1 GB with 250
   * (`npm run bench -- memory`); without a bound, past 5 GB. One evicted replays its history when it
   * next moves (a few milliseconds), which a dossier that waited hours does not notice.
   */
  maxCachedWorkflows?: number;
}

/** The one worker of the engine: every procedure's workflows and activities on one task queue. */
export function createProceduresWorker(options: WorkerOptions): Promise<Worker> {
  const { connection, namespace, workflowBundle, taskQueue, payloadCodec, maxCachedWorkflows, ...deps } = options;
  return Worker.create({
    connection,
    namespace,
    taskQueue: taskQueue ?? TASK_QUEUE,
    // On shutdown, activities still running get this long before they are cancelled (and retried
    // by the next worker): Ctrl-C must not hang behind a slow registry.
    shutdownGraceTime: '10 seconds',
    maxCachedWorkflows: maxCachedWorkflows ?? 250,
    activities: createActivities(deps),
    dataConverter: { payloadCodecs: [payloadCodec] },
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: PRELOADED_WORKFLOW_MODULES } }),
  });
}

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the SDK's own log lines into our JSON logger, and leaves signal handling to the process
 * entry point, which shuts the worker down in the right order with the other parts.
 */
export function installTemporalRuntime(logger: Logger): void {
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger('INFO', (entry) => {
      logger[PINO_LEVEL[entry.level]]({ ...entry.meta, sdk: 'temporal' }, entry.message);
    }),
  });
}

export { NativeConnection };
