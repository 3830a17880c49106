import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ALL_SEARCH_ATTRIBUTES } from '../../common/temporal';
import { PRELOADED_WORKFLOW_MODULES, WORKFLOWS_PATH } from '../../worker/workflow-bundle';
import { temporalCli } from '../../system/temporal-binaries';

/** What the global setups leave for the global teardown (same process). */
export interface GlobalTestState {
  __bundleDir?: string;
  __devServer?: TestWorkflowEnvironment;
}
export const globalTestState = globalThis as GlobalTestState;

/**
 * Bundles the workflows once per `jest` run (every worker in every test file reuses the bundle), as
 * the worker does (its shared modules too).
 * Both projects' setups call it; a run of both bundles once.
 */
export async function bundleWorkflows(): Promise<void> {
  if (globalTestState.__bundleDir) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'procedures-test-'));
  globalTestState.__bundleDir = dir;
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_WORKFLOW_MODULES, logger: quietLogger });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, code);
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
}

/**
 * The `servers` project (test/integration, test/system, test/browser): the workflow bundle, and one
 * real Temporal dev server that the integration tests share; each test file isolates itself with its
 * own task queue and workflow ids. The `fast` project (global-setup-fast.ts) needs only the bundle.
 */
export default async function globalSetup(): Promise<void> {
  await bundleWorkflows();
  const devServer = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalCli(),
      ip: '127.0.0.1',
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
    },
  });
  process.env.TEST_TEMPORAL_ADDRESS = devServer.address;
  globalTestState.__devServer = devServer;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
