import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

/**
 * Activity stubs, one set per kind of call, each with its own timeouts and retries. None gives up
 * on an outage: a dossier must never be lost, so a failing system makes the dossier wait (and show
 * as stuck) rather than fail. Business refusals come back as non-retryable failures.
 */

/** The engine's own database: fast, and retried until it answers. */
export const store = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Registries and population data: external systems that can be slow or down for a while. */
export const registries = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Mail: keyed, so retrying is safe; relays can be slow to accept. */
export const notifications = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
