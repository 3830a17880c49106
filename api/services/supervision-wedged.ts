import type { Client } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { PrismaClient } from '../../prisma/client';
import { PROCEDURES } from '../../procedures';
import { textIn, type Bilingual, type PeopleText } from '../../common/bilingual';
import { formatLocalTime } from '../../common/local-time';
import { mapPool } from './supervision-stuck';

/**
 * Wedged: a dossier whose workflow task keeps failing (code that no longer replays the history, a
 * bug in the workflow): the engine cannot move it, whatever it waits for, a clerk and the
 * applicant included. Temporal shows it in DescribeWorkflowExecution's pending workflow task
 * (attempt > 1), and nowhere cheaper: visibility does not index task attempts (its
 * TemporalReportedProblems attribute comes after 5 failures, which with the server's backoff is a
 * minute, measured on 1.32).
 *
 * So supervision sweeps every open dossier's workflow with Describe, WIDTH at a time, and keeps the
 * answer for the next lists. A sweep runs when a list is asked for and the last one is FRESH_MS
 * old; a list waits for it only when the last is older than STALE_MS: a supervisor sees a dossier
 * at most STALE_MS plus one sweep after it wedged, and nothing is swept while nobody looks. On the
 * 2-core test machine's dev server, 2,000 open workflows took 2-3 s at 16 wide (14 s at 8 wide
 * the first time, before the server had them in its cache): a city's thousands fit in the minute.
 */
const WIDTH = 16;
const FRESH_MS = 15_000;
const STALE_MS = 30_000;
// Pages of history read from its end for the last failure; each page is one call.
const HISTORY_PAGE = 50;
const HISTORY_PAGES = 4;
const MAX_MESSAGE = 300;
const CALL_DEADLINE_MS = 5_000;

export interface WedgedWorkflow {
  /** The last workflow task failure: the worker's message as it is, or ours in both languages when it gave none. */
  failure: PeopleText;
  /** When the failures began: attempts after the first are not written to the history. */
  since: Date;
  /** Attempts that failed so far. */
  failedAttempts: number;
}

/** The reason in words of each language, times in the city's local time; `step` in words (the procedure's label). */
export function wedgedReason(wedged: WedgedWorkflow, step: Bilingual): Bilingual {
  const since = formatLocalTime(wedged.since);
  return {
    vi:
      `Hệ thống không thể tiếp tục quy trình của hồ sơ này: ${textIn(wedged.failure, 'vi')}, lỗi từ ${since} ` +
      `(bước “${step.vi}”, ${wedged.failedAttempts} lần thử không thành công)`,
    en:
      `The engine cannot continue this dossier's workflow: ${textIn(wedged.failure, 'en')}, failing since ${since} ` +
      `(step “${step.en}”, ${wedged.failedAttempts} failed attempts)`,
  };
}

// What a failure says when the worker's message is missing: ours, in both languages.
const TASK_FAILED: Bilingual = { vi: 'tác vụ quy trình bị lỗi', en: 'the workflow task failed' };
const TASK_TIMED_OUT: Bilingual = { vi: 'không có worker nào hoàn tất tác vụ quy trình kịp thời', en: 'no worker completed its workflow task in time' };
const TASK_KEEPS_FAILING: Bilingual = { vi: 'tác vụ quy trình liên tục bị lỗi', en: 'its workflow task keeps failing' };

const { EventType } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function failureOf(event: HistoryEvent): PeopleText | undefined {
  if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
    return event.workflowTaskFailedEventAttributes?.failure?.message?.slice(0, MAX_MESSAGE) || TASK_FAILED;
  }
  if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) return TASK_TIMED_OUT;
  return undefined;
}

/** The last WorkflowTaskFailed (or TimedOut) event, reading the history from its end. */
async function lastTaskFailure(client: Client, workflowId: string): Promise<{ failure: PeopleText; at: Date | undefined } | undefined> {
  let nextPageToken: Uint8Array | undefined;
  for (let page = 0; page < HISTORY_PAGES; page += 1) {
    const answer = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution: { workflowId },
      maximumPageSize: HISTORY_PAGE,
      nextPageToken,
    });
    for (const event of answer.history?.events ?? []) {
      const failure = failureOf(event);
      if (failure) return { failure, at: optionalTsToDate(event.eventTime) };
    }
    if (!answer.nextPageToken?.length) return undefined;
    nextPageToken = answer.nextPageToken;
  }
  return undefined;
}

/** Whether this dossier's workflow task keeps failing, and how. */
export async function wedgeOf(client: Client, dossierId: string): Promise<WedgedWorkflow | undefined> {
  const execution = { workflowId: dossierId };
  const { pendingWorkflowTask: task } = await client.workflowService.describeWorkflowExecution({ namespace: client.options.namespace, execution });
  const attempt = task?.attempt ?? 0;
  if (attempt < 2) return undefined;
  const last = await lastTaskFailure(client, dossierId);
  const since = last?.at ?? optionalTsToDate(task?.originalScheduledTime) ?? new Date();
  return { failure: last?.failure ?? TASK_KEEPS_FAILING, since, failedAttempts: attempt - 1 };
}

/** Statuses of a dossier still running, whatever procedure (the registry may grow at run time). */
const openStatuses = () => PROCEDURES.statuses.filter((s) => !PROCEDURES.closedStatuses.includes(s));

/** Every open dossier's workflow described; the wedged ones. */
async function sweep(prisma: PrismaClient, client: Client): Promise<Map<string, WedgedWorkflow>> {
  const open = await prisma.dossier.findMany({ where: { status: { in: openStatuses() } }, select: { id: true } });
  // A workflow that cannot be described now (gone, Temporal busy) is left for the next sweep.
  const check = (id: string) => client.withDeadline(Date.now() + CALL_DEADLINE_MS, () => wedgeOf(client, id)).catch(() => undefined);
  const found = await mapPool(open, WIDTH, (d) => check(d.id));
  return new Map(open.flatMap((d, i) => (found[i] ? [[d.id, found[i]] as const] : [])));
}

/** The wedged dossiers of the last sweep, one sweep at a time for every list of this process. */
export class WedgeWatch {
  private last: { at: number; wedged: ReadonlyMap<string, WedgedWorkflow> } | undefined;
  private running: Promise<ReadonlyMap<string, WedgedWorkflow>> | undefined;

  constructor(private readonly deps: { prisma: PrismaClient; temporal: Client }) {}

  /** The last sweep's answer if it is recent enough, else the one under way. */
  wedged(now = Date.now()): Promise<ReadonlyMap<string, WedgedWorkflow>> {
    const age = this.last ? now - this.last.at : Infinity;
    if (this.last && age < FRESH_MS) return Promise.resolve(this.last.wedged);
    const running = this.refresh(now);
    return this.last && age < STALE_MS ? Promise.resolve(this.last.wedged) : running;
  }

  private refresh(startedAt: number): Promise<ReadonlyMap<string, WedgedWorkflow>> {
    this.running ??= sweep(this.deps.prisma, this.deps.temporal)
      .then((wedged) => {
        this.last = { at: startedAt, wedged };
        return wedged;
      })
      .finally(() => {
        this.running = undefined;
      });
    // Nobody may wait for it: its failure is the waiting list's to report, or the next sweep's.
    this.running.catch(() => undefined);
    return this.running;
  }
}
