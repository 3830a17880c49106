import { adapterSystem } from '../../procedures/adapter-specs';
import type { Client } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { SHARED_ACTIVITY_SYSTEMS } from '../../activities/shared';
import { formatDuration } from '../../common/text';
import { WORKER_MODULES } from '../../procedures';
import { formatLocalTime } from '../../common/local-time';

/**
 * "Stuck" as Temporal sees it: a dossier whose workflow has a pending system call that keeps
 * failing (its activity has failed at least STUCK_AFTER_FAILURES times and waits to be retried),
 * read from the workflow's pending activities. With the registry calls' retry policy (2 s, then
 * doubling) that is about 6 s after the outage began, whatever the dossier's age; no timer and no
 * elapsed-time rule. A dossier with no failing call but no progress for STUCK_IDLE_MS (a worker
 * that is gone, a workflow task that keeps failing) is stuck too.
 */
export const STUCK_AFTER_FAILURES = 2;
export const STUCK_IDLE_MS = 10 * 60_000;

/** Which system each activity talks to, in words: the shared machinery's and each procedure's own. */
const SYSTEMS: Record<string, string> = { ...SHARED_ACTIVITY_SYSTEMS, ...Object.fromEntries(WORKER_MODULES.flatMap((m) => Object.entries(m.systems))) };

export function systemOf(activity: string): string {
  return SYSTEMS[activity] ?? `the system behind ${activity}`;
}

/** A pending call of a dossier's workflow that has failed and waits for its next attempt. */
export interface FailingCall {
  activityId: string;
  activity: string;
  system: string;
  /** Attempts that failed so far. */
  failures: number;
  lastError: string;
  lastFailedAt: string | null;
  nextAttemptAt: string | null;
}

/** The workflow's pending calls that have failed at least once (most failures first). */
export async function failingCalls(temporal: Client, dossierId: string): Promise<FailingCall[]> {
  const description = await temporal.workflow.getHandle(dossierId).describe();
  return (description.raw.pendingActivities ?? [])
    .filter((a) => (a.attempt ?? 1) > 1)
    .map((a) => {
      // A procedure published as data calls its adapters through one activity whose id names the adapter.
      const adapter = /^([a-z-]+\.[a-z-]+)#\d+$/.exec(a.activityId ?? '')?.[1];
      const activity = adapter ?? a.activityType?.name ?? 'unknown';
      return {
        activityId: a.activityId ?? '',
        activity,
        system: adapter ? adapterSystem(adapter) : systemOf(activity),
        failures: (a.attempt ?? 1) - 1,
        lastError: a.lastFailure?.message ?? 'unknown error',
        lastFailedAt: optionalTsToDate(a.lastAttemptCompleteTime)?.toISOString() ?? null,
        nextAttemptAt: optionalTsToDate(a.nextAttemptScheduleTime)?.toISOString() ?? null,
      };
    })
    .sort((x, y) => y.failures - x.failures);
}

/** The reason in words, times in the city's local time. */
export function failingCallReason(call: FailingCall, since: Date, step: string): string {
  const next = call.nextAttemptAt ? `; next attempt ${formatLocalTime(call.nextAttemptAt)}` : '';
  return (
    `Waiting on ${call.system} at step ${step}: ${call.activity} has failed ${call.failures} times ` +
    `(no progress since ${formatLocalTime(since)}); last error: ${call.lastError}${next}`
  );
}

export function idleReason(since: Date, now: Date, step: string): string {
  return `No progress for ${formatDuration(now.getTime() - since.getTime())} at step ${step} (since ${formatLocalTime(since)})`;
}

/** Runs `fn` over `items`, at most `width` at a time, keeping the order of the answers. */
export async function mapPool<T, R>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}
