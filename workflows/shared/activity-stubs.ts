import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { SharedActivities } from '../../activities';

/**
 * Activity options, one per kind of call, each with its own timeouts and retries. None gives up on
 * an outage: a dossier must never be lost, so a failing system makes the dossier wait (and show as
 * stuck) rather than fail. Business refusals come back as non-retryable failures. Procedures proxy
 * their own activities with these same options.
 */

/** The engine's own database: fast, and retried until it answers. */
export const STORE_CALLS: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Registries and population data: external systems that can be slow or down for a while. Retried
 * at most a minute apart, so dossiers go on within a minute of a registry coming back (retry
 * options are not part of the workflow's history: changing them does not affect replay).
 */
export const REGISTRY_CALLS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Mail: keyed, so retrying is safe; relays can be slow to accept. */
export const MAIL_CALLS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

/** The shared machinery's calls: the dossier store, deadlines, population data and mail. */
export const store = proxyActivities<SharedActivities>(STORE_CALLS);
export const registries = proxyActivities<SharedActivities>(REGISTRY_CALLS);
export const notifications = proxyActivities<SharedActivities>(MAIL_CALLS);
