import { adapterSystem } from '../../procedures/adapter-specs';
import type { Client } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { SHARED_ACTIVITY_SYSTEMS } from '../../activities/shared';
import type { Bilingual } from '../../common/bilingual';
import { formatLocalTime } from '../../common/local-time';
import { systemBehind } from '../../common/system-names';
import { formatDuration } from '../../common/text';
import { WORKER_MODULES } from '../../procedures';

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
const SYSTEMS: Record<string, Bilingual> = { ...SHARED_ACTIVITY_SYSTEMS, ...Object.fromEntries(WORKER_MODULES.flatMap((m) => Object.entries(m.systems))) };

export function systemOf(activity: string): Bilingual {
  return SYSTEMS[activity] ?? systemBehind(activity);
}

/** A pending call of a dossier's workflow that has failed and waits for its next attempt. */
export interface FailingCall {
  activityId: string;
  activity: string;
  /** The system it talks to, in words of each language. */
  system: Bilingual;
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

/**
 * The reason in words of each language, times in the city's local time; `step` in words (the
 * procedure's label). The activity's name and its last error are the machines' and stay as they are.
 */
export function failingCallReason(call: FailingCall, since: Date, step: Bilingual): Bilingual {
  const at = formatLocalTime(since);
  const next = call.nextAttemptAt && formatLocalTime(call.nextAttemptAt);
  return {
    vi:
      `Đang chờ ${call.system.vi} tại bước “${step.vi}”: ${call.activity} đã lỗi ${call.failures} lần ` +
      `(không tiến triển từ ${at}); lỗi gần nhất: ${call.lastError}${next ? `; lần thử tiếp theo ${next}` : ''}`,
    en:
      `Waiting on ${call.system.en} at step “${step.en}”: ${call.activity} has failed ${call.failures} times ` +
      `(no progress since ${at}); last error: ${call.lastError}${next ? `; next attempt ${next}` : ''}`,
  };
}

/** No failing call, but no progress either; `unknown` when Temporal could not be asked what it waits for. */
export function idleReason(since: Date, now: Date, step: Bilingual, unknown = false): Bilingual {
  const idle = now.getTime() - since.getTime();
  const at = formatLocalTime(since);
  return {
    vi: `Không tiến triển trong ${formatDuration(idle, 'vi')} tại bước “${step.vi}” (từ ${at})${unknown ? ' (không đọc được trạng thái quy trình)' : ''}`,
    en: `No progress for ${formatDuration(idle, 'en')} at step “${step.en}” (since ${at})${unknown ? ' (workflow state unavailable)' : ''}`,
  };
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
