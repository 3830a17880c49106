import { ConfigError, loadConfig, type Config } from '../common/config';
import type { Logger } from '../common/logger';

/** Loads the configuration or ends the process with a message naming each bad variable. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/**
 * Parts started in order are stopped in reverse order on SIGINT/SIGTERM (API first, so no new work
 * comes in; the embedded servers last). A second signal exits at once.
 */
export class Lifecycle {
  private readonly stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  private stopping = false;

  constructor(private readonly logger: Logger) {}

  add(name: string, stop: () => Promise<unknown>): void {
    this.stops.push({ name, stop });
  }

  onSignals(): void {
    const handler = (signal: NodeJS.Signals) => {
      if (this.stopping) {
        this.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      this.logger.info({ signal }, 'shutting down');
      // Whatever hangs, the process ends: nothing is lost, Temporal and the database keep the state.
      setTimeout(() => {
        this.logger.error('shutdown took longer than 30 s: exiting');
        process.exit(1);
      }, 30_000).unref();
      void this.shutdown().then((ok) => process.exit(ok ? 0 : 1));
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }

  async shutdown(): Promise<boolean> {
    this.stopping = true;
    let ok = true;
    for (const { name, stop } of this.stops.splice(0).reverse()) {
      try {
        await stop();
        this.logger.info({ part: name }, 'stopped');
      } catch (error) {
        ok = false;
        this.logger.error({ part: name, err: error }, 'failed to stop cleanly');
      }
    }
    return ok;
  }
}

/** Runs `main`; a start-up failure is logged with its cause and ends the process after cleanup. */
export function runMain(logger: Logger, lifecycle: Lifecycle, main: () => Promise<void>): void {
  lifecycle.onSignals();
  main().catch(async (error: unknown) => {
    logger.fatal({ err: error }, 'start-up failed');
    await lifecycle.shutdown();
    process.exit(1);
  });
}
