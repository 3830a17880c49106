import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * A worker built with this interceptor cannot run any workflow: each one fails its workflow task on
 * every attempt, as a deploy whose code no longer replays the histories would (the error is not an
 * ApplicationFailure, so the SDK fails the task, not the workflow, and Temporal retries it). A new
 * worker has nothing cached: each attempt replays the history from its start, and throws again.
 */
export const WEDGE_MESSAGE = 'replay of this workflow broke (test: wedging interceptor)';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      execute: () => Promise.reject(new Error(WEDGE_MESSAGE)),
    },
  ],
});
