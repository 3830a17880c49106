import { bundleWorkflows } from './global-setup';

/**
 * The `fast` project (test/unit, test/workflows): only the workflow bundle. Workflow tests start
 * time-skipping servers of their own; nothing here talks to the dev server or PostgreSQL.
 */
export default async function globalSetupFast(): Promise<void> {
  await bundleWorkflows();
}
