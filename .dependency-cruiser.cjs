/**
 * Module layering, checked by `npm run lint` (dependency-cruiser). Type-only imports count: a cycle
 * of types still ties layers together.
 */
const WORKFLOW_CODE = '^(workflows/|procedures/[^/]+/workflow\\.ts$)';
const MESSAGES_AND_TYPES = '^workflows/shared/(messages|types)\\.ts$';

module.exports = {
  forbidden: [
    { name: 'no-cycle', severity: 'error', comment: 'Import cycles make load order matter and blur the layers.', from: {}, to: { circular: true } },
    {
      name: 'server-loads-no-workflow-code',
      severity: 'error',
      comment: 'The API, the activities and the database scripts never load workflow code, not even through another module: only its messages and payload types.',
      from: { path: '^(api|activities|prisma|system)/|^procedures/([^/]+/(index|routes|violations|activities|balance|names)|index|module)\\.ts$' },
      to: { path: WORKFLOW_CODE, pathNot: MESSAGES_AND_TYPES, reachable: true },
    },
    {
      name: 'workflows-use-no-server-code',
      severity: 'error',
      comment: 'Workflow code runs in the sandbox: activities are called through proxies (types only), never imported.',
      from: { path: WORKFLOW_CODE },
      to: { path: '^(api|activities|prisma|system|worker)/|^procedures/([^/]+/(index|routes|violations|activities|balance)|index|module)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'fakes-live-under-test',
      severity: 'error',
      comment: 'Only tests import test support.',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|console/dist|portal/dist|prisma/generated|data)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
