import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  proxyActivities,
  proxyLocalActivities,
  type ActivityInterfaceFor,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
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
 * The engine's own database as local activities: run by the worker that runs the workflow, inside
 * its workflow task, with no round trip to the Temporal server per write (a projection costs a
 * database statement instead of two workflow tasks). Every store write is idempotent, so a worker
 * that dies half-way and runs one again on replay writes the same thing. A few quick attempts only:
 * a call still failing after them goes on as an activity (`store` below).
 */
export const LOCAL_STORE_CALLS: LocalActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
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

/**
 * A registry's or the population data's checks (reads) as local activities, in runs started under
 * the second lean version: a few quick attempts inside the workflow task, then the same call as an
 * activity with REGISTRY_CALLS (`localFirst`), so a registry that is down shows as stuck as before,
 * about 3 s later.
 */
export const LOCAL_REGISTRY_CALLS: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
};

/** Mail: keyed, so retrying is safe; relays can be slow to accept. */
export const MAIL_CALLS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

const remoteStore = proxyActivities<SharedActivities>(STORE_CALLS);
const localStore = proxyLocalActivities<SharedActivities>(LOCAL_STORE_CALLS);

/**
 * Which kind `store` calls are: activities for runs started before the lean path (their histories
 * hold activity events, and replay must find the same commands), local activities after it.
 * Module state is per workflow execution in Temporal's sandbox; DossierRun sets it from its version
 * marker before the first call.
 */
let storeCallsAreLocal = false;

/** Called by DossierRun for a run started under the lean-path version: `store` calls become local activities. */
export function useLocalStoreCalls(): void {
  storeCallsAreLocal = true;
}

/**
 * Calls made as local activities first and, when one still fails after its local attempts, made
 * again as an activity, retried until the other side answers: Temporal then lists it as pending with
 * its last failure, so supervision shows the dossier as stuck with the reason and "retry now"
 * applies to it (a local activity's failures are not visible outside its worker). Every call made
 * this way is idempotent, so a local attempt that wrote before failing is harmless. `isLocal` says
 * whether this run makes its calls this way at all (older runs replay the activities they recorded).
 */
export function localFirst<A extends object>(remote: ActivityInterfaceFor<A>, local: ActivityInterfaceFor<A>, isLocal: () => boolean = () => true): ActivityInterfaceFor<A> {
  return new Proxy(remote, {
    get: (target, name, receiver) => {
      const activity: unknown = Reflect.get(target, name, receiver);
      const localActivity: unknown = Reflect.get(local, name, receiver);
      if (!isLocal() || typeof activity !== 'function' || typeof localActivity !== 'function') return activity;
      return async (...args: unknown[]): Promise<unknown> => {
        try {
          return await localActivity(...args);
        } catch (error) {
          if (!failedForNow(error)) throw error;
          return activity(...args);
        }
      };
    },
  });
}

/**
 * The shared machinery's calls: the dossier store (see above), deadlines, population data and mail.
 * In lean runs the store is called local first (`localFirst`: about 3 s of local attempts). Old
 * histories hold no failed local store call (they retried without end), so this changes nothing
 * they replay.
 */
export const store = localFirst<SharedActivities>(remoteStore, localStore, () => storeCallsAreLocal);

/** A procedure's registry checks (reads) in second-lean runs: local first, then as activities (REGISTRY_CALLS). */
export function registryChecks<A extends object>(): ActivityInterfaceFor<A> {
  return localFirst<A>(proxyActivities<A>(REGISTRY_CALLS), proxyLocalActivities<A>(LOCAL_REGISTRY_CALLS));
}

/**
 * A failure that a later attempt may not meet: the call's error (a local activity's failure reaches
 * the workflow as the error itself or as an ActivityFailure around it) unless it is non-retryable
 * (a missing dossier, a malformed setting: no retry fixes those), or a timeout.
 */
function failedForNow(error: unknown): boolean {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return cause.nonRetryable !== true;
  return cause instanceof TimeoutFailure;
}

export const registries = proxyActivities<SharedActivities>(REGISTRY_CALLS);
/** The population data's checks in second-lean runs (see `registryChecks`). */
export const populationChecks = registryChecks<SharedActivities>();
export const notifications = proxyActivities<SharedActivities>(MAIL_CALLS);
