import { getActivator } from '@temporalio/workflow/lib/global-attributes';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * Answers the query `ownModules` (a workflow bundled with this interceptor module): the modules of
 * the bundle the workflow evaluated for itself, as the SDK keeps them (each workflow has its own
 * instance of every module but the preloaded ones, in its activator's module cache). What a waiting
 * dossier holds: test/workflows/workflow-memory.test.ts.
 */
export const OWN_MODULES_QUERY = 'ownModules';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      handleQuery: (input, next) => (input.queryName === OWN_MODULES_QUERY ? Promise.resolve([...getActivator().moduleCache.keys()]) : next(input)),
    },
  ],
});
