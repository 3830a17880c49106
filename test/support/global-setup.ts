import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ALL_SEARCH_ATTRIBUTES } from '../../common/temporal';
import { temporalCli } from '../../system/temporal-binaries';

/**
 * Once per `jest` run: bundle the workflows (every worker in every test file reuses the bundle) and
 * start one real Temporal dev server that the integration tests share; each test file isolates itself
 * with its own task queue and workflow ids.
 */
export default async function globalSetup(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'procedures-test-'));
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, code);
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;

  const devServer = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalCli(),
      ip: '127.0.0.1',
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
    },
  });
  process.env.TEST_TEMPORAL_ADDRESS = devServer.address;
  (globalThis as { __devServer?: TestWorkflowEnvironment }).__devServer = devServer;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
