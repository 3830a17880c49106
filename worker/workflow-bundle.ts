/**
 * How the worker bundles its workflows, and tests bundle them alike: the bundle's entry, and the
 * modules evaluated once per worker and shared by all its workflows (workflows/preloaded.ts)
 * instead of once per workflow.
 */
export const WORKFLOWS_PATH = require.resolve('../workflows');
export const PRELOADED_WORKFLOW_MODULES = [require.resolve('../workflows/preloaded')];
