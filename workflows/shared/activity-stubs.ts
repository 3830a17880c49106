import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { SharedActivities } from '../../activities';

/**
 * Activity options, one per kind of call, each with its own timeouts and retries. None gives up on
 * an outage: a dossier must never be lost, so a failing system makes the dossier wait (and show as
 * stuck, with the failing call and its error) rather than fail. Business refusals come back as
 * non-retryable failures. Procedures proxy their own activities with these same options.
 *
 * Every call is an ordinary activity, never a local activity: its scheduling and its result are
 * events in the workflow's history, so the workflow's commands depend on that history alone,
 * whichever coroutine (the main path, an Update handler, a deadline watcher) made the call and in
 * whatever order the results arrive. A call made from an Update handler is scheduled in the same
 * workflow task that accepts the Update, so nothing is written before Temporal holds the decision.
 */

/** The engine's own database: fast, and retried until it answers. */
export const STORE_CALLS: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Registries, population data and payments: external systems that can be slow or down for a while.
 * Retried at most a minute apart, so dossiers go on within a minute of a system coming back.
 */
export const REGISTRY_CALLS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Mail: keyed, so retrying is safe; relays can be slow to accept. An attempt may wait up to about
 * 45 s for the database to record a mail already handed over (notification.ts `markSent`), so
 * that a retry does not send it again.
 */
export const MAIL_CALLS: ActivityOptions = {
  startToCloseTimeout: '90 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

/** The shared machinery's calls: the dossier store and deadlines, population data, mail. */
export const store = proxyActivities<SharedActivities>(STORE_CALLS);
export const registries = proxyActivities<SharedActivities>(REGISTRY_CALLS);
export const notifications = proxyActivities<SharedActivities>(MAIL_CALLS);
