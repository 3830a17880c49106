// ESLint (flat config). Beyond the recommended sets, two rules matter most here:
// - no floating promises anywhere: an un-awaited activity, timer or query is a silent bug;
// - inside workflows/ (and procedures' definitions and workflows), no Node built-ins and no non-deterministic globals: workflow code is replayed
//   and must compute the same thing every time (Temporal's sandbox makes Date and Math.random
//   deterministic, but I/O, process state and real timers have no place there).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ALLOWED_NODE_BUILTINS = new Set(['assert']);
const WORKFLOW_RESTRICTED_GLOBALS = [
  { name: 'process', message: 'Workflow code must not read process state.' },
  { name: 'setImmediate', message: 'Use sleep() or condition() from @temporalio/workflow.' },
  { name: 'fetch', message: 'Do I/O in an activity.' },
];

const forbiddenBuiltins = builtinModules
  .filter((m) => !ALLOWED_NODE_BUILTINS.has(m))
  .flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'prisma/generated/', 'coverage/', 'console/dist/', 'portal/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'object-shorthand': ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // Everything the workflow bundle contains: the shared machinery, each procedure's definition and workflow, and
    // the documents of procedures published as data with their definitions (the interpreter's).
    files: ['workflows/**/*.ts', 'procedures/define.ts', 'procedures/document.ts', 'procedures/defined.ts', 'procedures/index.ts', 'procedures/*/definition.ts', 'procedures/*/workflow.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: forbiddenBuiltins.map((name) => ({
            name,
            message: 'Workflow code must be deterministic: do I/O in an activity.',
          })),
          patterns: [
            {
              group: ['**/activities', '**/activities/*'],
              allowTypeImports: true,
              message: 'Import activity types only, and call them through proxyActivities.',
            },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@prisma/*', '**/prisma/*', 'pg', 'nodemailer', 'pino'],
              message: 'Not usable inside the workflow sandbox.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...WORKFLOW_RESTRICTED_GLOBALS, { name: 'require', message: 'Use static imports in workflow code.' }],
      'no-restricted-properties': [
        'error',
        { object: 'crypto', property: 'randomUUID', message: 'Use uuid4() from @temporalio/workflow.' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
    },
  },
  {
    // Modules a workflow loads only when it needs them, not with the bundle: each workflow holds its own
    // instance of every module it loads (workflows/index.ts). The bundle's entry loads each procedure's
    // workflow; the interpreter loads zod and a document's schema for a document the worker has not met.
    files: ['workflows/index.ts', 'workflows/interpreted-documents.ts'],
    rules: {
      'no-restricted-globals': ['error', ...WORKFLOW_RESTRICTED_GLOBALS],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The server side (API, activities, each procedure's module and routes, the database scripts) never
    // loads workflow code: of workflows/ only the message and payload definitions. Import cycles and the
    // same rule across files are checked by dependency-cruiser (.dependency-cruiser.cjs).
    files: ['api/**/*.ts', 'activities/**/*.ts', 'prisma/**/*.ts', 'system/**/*.ts', 'procedures/*/{index,routes,violations,activities,balance,names}.ts', 'procedures/module.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)workflows(/(?!shared/(messages|types)$).*)?$|(^|/)procedures/[^/]+/workflow$',
              message: 'Workflow code runs in the worker only: import the messages (workflows/shared/messages) and payload types (workflows/shared/types).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs', '.dependency-cruiser.cjs', 'jest.config.js', 'test/support/*.js', 'console/vite.config.mjs', 'portal/vite.config.mjs', 'web/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The staff console, the citizens' portal and the code they share (web/) run in the browser (their own tsconfig: DOM, JSX).
    files: ['console/src/**/*.{ts,tsx}', 'portal/src/**/*.{ts,tsx}', 'web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Entry points and scripts that print for humans.
    files: ['prisma/seed.ts', 'prisma/migrate.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
