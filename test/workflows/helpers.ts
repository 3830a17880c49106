import { randomUUID } from 'node:crypto';
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError, type Workflow } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { LocalDate } from '../../common/calendar';
import { dossierStateQuery } from '../../workflows/shared/messages';
import type { DossierOutcome, DossierStart, DossierState, OpenTaskView } from '../../workflows/shared/types';
import { NATIONAL_CALENDAR, type FakeActivities } from '../support/fake-activities';
import { startTimeSkipping, workflowBundle } from '../support/temporal';
import { CODE_PREFIX, recordHistory as recordAnyHistory } from './history-recording';

// What the procedures' workflow test files (time-skipping server, fake activities) share: moving the
// test server's clock, waiting for a workflow's state or a fake's records, running a workflow on a
// worker of its own, recording its history, and the assertions on rejections and instants.

export const MINUTE = 60_000;

/** Real time, for polling: waiting on a query or a fake does not skip time on the test server. */
export const realSleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Local (Asia/Ho_Chi_Minh) wall-clock time on a local date. */
export const local = (date: LocalDate, hhmm: string) => NATIONAL_CALENDAR.at(date, hhmm);

/** A dossier's workflow: one input (DossierStart), one outcome. */
type DossierWorkflow<Facts> = (input: DossierStart<Facts>) => Promise<DossierOutcome>;

/**
 * A time-skipping test server for the calling file or describe block (started before its tests, torn
 * down after them), and the helpers that use it. `env()` is the environment of the running test.
 */
export function useTimeSkipping({ settleMs = 200 }: { settleMs?: number } = {}) {
  let current: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    current = await startTimeSkipping();
  });
  afterAll(() => current?.teardown());

  function env(): TestWorkflowEnvironment {
    if (!current) throw new Error('No time-skipping environment: useTimeSkipping() starts it in beforeAll');
    return current;
  }

  /**
   * In the calling describe block: each test gets an environment of its own, whose clock it may move
   * anywhere (a clock only moves forward, and later tests must not find it years ahead).
   */
  function environmentPerTest(): void {
    let shared: TestWorkflowEnvironment | undefined;
    beforeEach(async () => {
      shared = current;
      current = await startTimeSkipping();
    });
    afterEach(async () => {
      await current?.teardown();
      current = shared;
    });
  }

  /** The test server's clock. */
  async function envNow(): Promise<Date> {
    return new Date(await env().currentTimeMs());
  }

  /** Moves the test server's clock to `target`, firing every timer due on the way. */
  async function sleepUntil(target: Date): Promise<void> {
    const delay = target.getTime() - (await env().currentTimeMs());
    if (delay <= 0) throw new Error(`The test clock is already past ${target.toISOString()}`);
    await env().sleep(delay);
    // Anything the timers started must have run: the server does not advance while work is pending,
    // but give the worker a moment to report the last activity of a chain.
    await realSleep(settleMs);
  }

  /**
   * The workflow's result without skipping time. The test client's `handle.result()` unlocks time
   * skipping while it waits, and once the workflow is done the server may jump to its next deadline
   * (seen: 10 years ahead), leaving later tests in 2036. Every move of the clock is a sleepUntil.
   */
  function resultOf<W extends Workflow>(handle: WorkflowHandle<W>) {
    const client = new Client({ connection: env().connection, namespace: env().namespace ?? 'default' });
    return client.workflow.getHandle<W>(handle.workflowId).result();
  }

  /** The workflow's result, once its history is recorded (RECORD_HISTORIES=1, see recordHistory). */
  async function finished<W extends Workflow>(handle: WorkflowHandle<W>, file: string) {
    const result = await resultOf(handle);
    await recordHistory(handle, file);
    return result;
  }

  /**
   * Runs one workflow on a worker of its own task queue with the fake's activities; `body` drives it.
   * The dossier's row is written first, as the API does before it starts the workflow. Whatever
   * happens, the workflow does not outlive the test.
   */
  async function withWorkflow<Facts, T>(
    fake: FakeActivities,
    start: { workflow: DossierWorkflow<Facts>; procedure: string; input: DossierStart<Facts>; applicantPin?: string },
    body: (handle: WorkflowHandle<DossierWorkflow<Facts>>, taskQueue: string) => Promise<T>,
  ): Promise<T> {
    const { workflow, procedure, input, applicantPin } = start;
    const taskQueue = `test-${procedure}-${randomUUID()}`;
    const worker = await Worker.create({ connection: env().nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities: fake.activities });
    let handle: WorkflowHandle<DossierWorkflow<Facts>> | undefined;
    try {
      return await worker.runUntil(async () => {
        fake.file({ ...input, request: input.request as Record<string, unknown>, procedure, applicantPin });
        handle = await env().client.workflow.start(workflow, { taskQueue, workflowId: input.dossierId, args: [input] });
        return body(handle, taskQueue);
      });
    } finally {
      if (handle && (await handle.describe()).status.name === 'RUNNING') await handle.terminate('test over');
    }
  }

  return { env, environmentPerTest, envNow, sleepUntil, resultOf, finished, withWorkflow };
}

/** Waits (real time) for a condition on the fake's records, e.g. the last write of a chain of activities. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await realSleep(25);
  }
}

/** Why a workflow does not progress: the last workflow task failure, if any. */
async function lastWorkflowTaskFailure(handle: WorkflowHandle): Promise<string | undefined> {
  try {
    const history = await handle.fetchHistory();
    const failed = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).pop();
    return failed?.workflowTaskFailedEventAttributes?.failure?.message ?? undefined;
  } catch {
    return undefined;
  }
}

/** Polls the state query (real time: waiting on a query does not skip time) until `predicate` holds. */
export async function waitForState(handle: WorkflowHandle, predicate: (s: DossierState) => boolean, what: string, timeoutMs = 20_000): Promise<DossierState> {
  const deadline = Date.now() + timeoutMs;
  let last: DossierState | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await handle.query(dossierStateQuery);
      if (predicate(last)) return last;
    } catch (error) {
      lastError = error; // no workflow task has completed yet
    }
    await realSleep(50);
  }
  const failure = await lastWorkflowTaskFailure(handle);
  throw new Error(
    `Timed out waiting for ${what}; last state ${JSON.stringify(last)}` +
      (lastError && !last ? `; query error: ${String(lastError)}` : '') +
      (failure ? `; workflow task failure: ${failure}` : ''),
  );
}

/**
 * Waits until a task (the open one of a step, or the one with that id) is open in the workflow and
 * its row is in the (fake) inbox, as a clerk finds it.
 */
export async function waitForTask(handle: WorkflowHandle, fake: Pick<FakeActivities, 'tasks'>, which: string | { taskId: string }): Promise<OpenTaskView> {
  const matches = (t: OpenTaskView) => (typeof which === 'string' ? t.step === which : t.taskId === which.taskId);
  const what = typeof which === 'string' ? `an open ${which} task` : `task ${which.taskId}`;
  const state = await waitForState(handle, (s) => s.openTasks.some(matches), what);
  const task = state.openTasks.find(matches)!;
  await waitFor(() => fake.tasks.has(task.taskId), `${task.taskId} in the inbox`);
  return task;
}

/**
 * The update was rejected by the workflow with one of `types`, or (if allowed) the workflow had
 * already completed: the time-skipping server then answers WorkflowNotFoundError ("update … not found").
 */
export async function expectRejected(promise: Promise<unknown>, types: string | string[], { allowCompleted = false } = {}): Promise<void> {
  const error = await promise.then(
    (value) => new Error(`expected a rejection, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  if (allowCompleted && isWorkflowCompletedError(error)) return;
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(typeof types === 'string' ? [types] : types).toContain((cause as ApplicationFailure).type);
}

function isWorkflowCompletedError(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /already completed|not found/i.test(message);
}

/** `actual` is `expected`, to the minute (or the tolerance given). */
export function expectNear(actual: Date | string | undefined, expected: Date, toleranceMs = MINUTE): void {
  const ms = new Date(actual ?? NaN).getTime();
  if (!(Math.abs(ms - expected.getTime()) <= toleranceMs)) {
    throw new Error(`expected ${String(actual)} within ${toleranceMs / 1000}s of ${expected.toISOString()}`);
  }
}

/**
 * With RECORD_HISTORIES=1, records the history of this path of a workflow written as code
 * (history-recording.ts: under the latest version, named `code-<path>.json`).
 */
export function recordHistory(handle: WorkflowHandle, file: string): Promise<void> {
  return recordAnyHistory(handle, `${CODE_PREFIX}${file}`);
}
