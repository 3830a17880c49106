import type { Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createPayloadCodec } from '../../common/payload-codec';
import { PRELOADED_WORKFLOW_MODULES, WORKFLOWS_PATH } from '../../worker/workflow-bundle';

/**
 * Every history of the run, closed and open, replayed on the current workflow code with
 * `Worker.runReplayHistories`: a history that does not replay is a dossier a worker could not take
 * up again after an eviction or a crash. While the histories stream by, the WorkflowTaskFailed
 * events they hold are counted too (what the workers ran into during the run).
 */
export interface ErrorGroup {
  /** The message with dossier codes, task ids and event numbers made generic. */
  error: string;
  count: number;
  /** The first message as it was. */
  example: string;
  workflowIds: string[];
  /** How many of them went along each path (filled in by the report). */
  paths?: Record<string, number>;
}

export interface ReplayAccount {
  histories: number;
  replayed: number;
  failed: number;
  byError: ErrorGroup[];
  /** WorkflowTaskFailed events found in the histories, grouped by message. */
  workflowTaskFailures: { events: number; workflows: number; byError: ErrorGroup[] };
}

/**
 * The core's nondeterminism message (`[TMPRL1100] Nondeterminism error: …`) out of the failure it
 * is wrapped in; then dossier codes, task ids, numbers and uuids made generic: the same error in two
 * dossiers reads the same.
 */
export function genericMessage(message: string): string {
  const core = /message: "((?:[^"\\]|\\.)*)"/.exec(message)?.[1];
  const name = /^\w+Error/.exec(message)?.[0];
  return (core ? `${name ? `${name}: ` : ''}${core}` : message)
    .replace(/[A-Z]{3}-\d{6}-[0-9A-Z]{6}(-T\d+)?/g, '{dossierId}')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '{uuid}')
    .replace(/\b\d+\b/g, 'N')
    .slice(0, 600);
}

class ErrorGroups {
  private readonly groups = new Map<string, ErrorGroup>();

  add(message: string, workflowId: string): void {
    const error = genericMessage(message);
    const group = this.groups.get(error) ?? { error, count: 0, example: message.slice(0, 1500), workflowIds: [] };
    group.count += 1;
    if (!group.workflowIds.includes(workflowId)) group.workflowIds.push(workflowId);
    this.groups.set(error, group);
  }

  list(): ErrorGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count);
  }
}

export async function replayEveryHistory(client: Client, bundle?: WorkflowBundleOption): Promise<ReplayAccount> {
  const taskFailures = new ErrorGroups();
  const failingWorkflows = new Set<string>();
  let taskFailureEvents = 0;
  let histories = 0;

  async function* everyHistory(): AsyncIterable<HistoryAndWorkflowId> {
    for await (const item of client.workflow.list().intoHistories({ concurrency: 4 })) {
      histories += 1;
      for (const event of (item.history as History).events ?? []) {
        const message = event.workflowTaskFailedEventAttributes?.failure?.message;
        if (!event.workflowTaskFailedEventAttributes) continue;
        taskFailureEvents += 1;
        failingWorkflows.add(item.workflowId);
        taskFailures.add(message ?? '(no message)', item.workflowId);
      }
      yield item;
    }
  }

  const replayErrors = new ErrorGroups();
  let replayed = 0;
  let failed = 0;
  const options = {
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: PRELOADED_WORKFLOW_MODULES } }),
    dataConverter: { payloadCodecs: [createPayloadCodec({ keys: undefined, devMode: true })] },
    replayName: 'soak-replay',
  };
  for await (const result of Worker.runReplayHistories(options, everyHistory())) {
    if (result.error) {
      failed += 1;
      const cause = result.error.cause instanceof Error ? ` (cause: ${result.error.cause.message})` : '';
      replayErrors.add(`${result.error.name}: ${result.error.message}${cause}`, result.workflowId);
    } else replayed += 1;
  }
  return {
    histories,
    replayed,
    failed,
    byError: replayErrors.list(),
    workflowTaskFailures: { events: taskFailureEvents, workflows: failingWorkflows.size, byError: taskFailures.list() },
  };
}
