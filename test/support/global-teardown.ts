import { rm } from 'node:fs/promises';
import { globalTestState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await globalTestState.__devServer?.teardown();
  globalTestState.__devServer = undefined;
  if (globalTestState.__bundleDir) await rm(globalTestState.__bundleDir, { recursive: true, force: true });
  globalTestState.__bundleDir = undefined;
}
