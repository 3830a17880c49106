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
   * Workflows kept in memory between their workflow tasks. A dossier waiting for a clerk costs about
   * 0.15 MB of heap, 0.35 MB of the worker's RSS with the SDK core's share: its state and its own
   * instances of the machinery's modules, but not zod, its document's schema nor the other
   * procedures (workflows/index.ts, workflows/interpreted-documents.ts; 1.65 MB of heap before).
   * Dossiers wait days for a clerk, so keeping them all helps nobody: with 10,000 waiting and 250
   * cached a worker held 857 MB, 579 MB after a full GC (2.1 GB before; test/bench/scenarios/memory.ts).
   * One evicted replays its history when it next moves: the clerk's decision takes a workflow task of
   * about 100 ms instead of 20 (p95 170 ms instead of 40), which a dossier that waited hours does not notice.
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
