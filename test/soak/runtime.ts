import { DefaultLogger, Runtime } from '@temporalio/worker';

/**
 * The soak's own Temporal runtime (the replay worker's): errors only, the native core's lines
 * included (by default it prints its warnings, such as the nondeterminism the replay is looking for,
 * straight to the console). In a jest process another test file may have installed one first.
 */
export function quietTemporalRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      shutdownSignals: [],
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // Already installed in this process.
  }
}
