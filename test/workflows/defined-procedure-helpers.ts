import { randomUUID } from 'node:crypto';
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { evaluate, type AdapterCall, type AdapterOutcome } from '../../activities/adapters';
import type { PlanDeadlinesInput } from '../../activities/calendar';
import type { OpenPlannedTaskInput } from '../../activities/dossiers';
import type { LocalDate } from '../../common/calendar';
import { deadlineDefaults, type ProcedureDefinition } from '../../procedures/define';
import { valueAt, type DefinedRequest } from '../../procedures/defined';
import { DEFINED_PROCEDURES } from '../../procedures/definitions';
import { definedProcedureWorkflow, type DefinedProcedureInput } from '../../workflows/defined-procedure';
import { completeTaskUpdate, dossierStateQuery, supplementUpdate } from '../../workflows/shared/messages';
import type { DossierOutcome, DossierState } from '../../workflows/shared/types';
import { createFakeActivities, DEADLINE_SETTINGS, NATIONAL_CALENDAR, planStep, type FakeActivities } from '../support/fake-activities';
import { startTimeSkipping, workflowBundle } from '../support/temporal';
import { recordHistory } from './history-recording';

// What the interpreter's workflow test files (defined-procedure*.test.ts) share: the time-skipping
// environment, the fakes whose adapters evaluate their input as the real activity does and answer
// what the test says, running one dossier of a published document, driving its tasks and
// supplements, and recording each path's history (history-recording.ts).

export type Handle = WorkflowHandle<typeof definedProcedureWorkflow>;

export const PUBLIC_BASE_URL = 'https://dichvucong.example';
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
/** The oldest published version of a procedure's document, as the registry has it. */
export const definitionOf = (id: string): ProcedureDefinition => DEFINED_PROCEDURES.find((p) => p.id === id)!;

// The deadline settings the migration seeds from each definition (the fakes plan with them).
for (const row of DEFINED_PROCEDURES.flatMap((p) => deadlineDefaults(p))) (DEADLINE_SETTINGS[row.procedure] ??= {})[row.step] = row;

// ---------------------------------------------------------------------------------------------
// The time-skipping environment

let current: TestWorkflowEnvironment | undefined;

/** The environment of the running test. */
export function env(): TestWorkflowEnvironment {
  if (!current) throw new Error('No time-skipping environment: call useEnvironment() in the test file');
  return current;
}

/** One time-skipping server for the calling test file, started before its tests and torn down after them. */
export function useEnvironment(): void {
  beforeAll(async () => (current = await startTimeSkipping()));
  afterAll(() => current?.teardown());
}

/** In the calling describe block: each test gets an environment of its own, whose clock it may move far. */
export function environmentPerTest(): void {
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

export const realSleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const envNow = async () => new Date(await env().currentTimeMs());
export const local = (date: LocalDate, hhmm: string) => NATIONAL_CALENDAR.at(date, hhmm);
export const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MINUTE);

export async function sleepUntil(target: Date): Promise<void> {
  const delay = target.getTime() - (await env().currentTimeMs());
  if (delay <= 0) throw new Error(`The test clock is already past ${target.toISOString()}`);
  await env().sleep(delay);
  await realSleep(200);
}

export const dossierId = (prefix: string, label: string) => `${prefix}-TEST-${label}-${randomUUID().slice(0, 8)}`;

// ---------------------------------------------------------------------------------------------
// The fakes

/** What an adapter's fake answers, given the step's input evaluated over the fake dossier row. */
export type Answer = (input: Record<string, unknown>, call: AdapterCall) => AdapterOutcome;

export interface World {
  fake: FakeActivities;
  /** Every adapter call, with its input evaluated. */
  adapterCalls: Array<{ adapter: string; step: string; input: Record<string, unknown>; results: AdapterCall['results'] }>;
}

/**
 * The fakes, with adapters that evaluate their input as the real activity does and answer as the
 * test says (by default: every person verified, never married, the birth registered).
 */
export function world(answers: Partial<Record<string, Answer>> = {}): World {
  const adapterCalls: World['adapterCalls'] = [];
  // The answers read the fake dossier rows, of the fakes made below (they are called only once it exists).
  const filingOf = (call: AdapterCall) => fake.dossiers.get(call.dossierId)!.request;
  const defaults: Record<string, Answer> = {
    'population.verify-persons': (input, call) => {
      const persons = call.persons.filter((p) => valueAt(filingOf(call), p.pin) !== undefined).length;
      return { outcome: 'verified', result: { checked: persons + (input.applicant ? 1 : 0) } };
    },
    'civil-status.marital-status': () => ({ outcome: 'single', result: { marriages: 0 } }),
    'civil-status.register-birth': (_input, call) => ({
      outcome: 'registered',
      result: { recordId: `HT-BIRTH-${call.dossierId}`, registrationUnitCode: fake.dossiers.get(call.dossierId)!.unitCode },
    }),
  };
  const all = { ...defaults, ...answers } as Record<string, Answer>;
  const adapters = Object.fromEntries(
    Object.entries(all).map(([name, answer]) => [
      name,
      (call: AdapterCall, attempt: number) => {
        const row = fake.dossiers.get(call.dossierId)!;
        const scope = { filing: row.request, results: call.results, applicant: { pin: row.applicantPin } };
        const input = Object.fromEntries(Object.entries(call.input).map(([key, expression]) => [key, evaluate(expression, scope)]));
        if (attempt === 1) adapterCalls.push({ adapter: name, step: call.step, input, results: call.results });
        return answer(input, call);
      },
    ]),
  );
  const fake: FakeActivities = createFakeActivities({ adapters });
  return { fake, adapterCalls };
}

/** The workflow's input as the API gives it: the dossier's id, and the definition's facts of the filing (the document, pinned). */
/** A run's input as the API starts it; `language` as the filing's Accept-Language gave it (none: filed before the run knew it). */
export function inputOf(
  procedure: ProcedureDefinition,
  id: string,
  receivedAt: Date,
  filing: Record<string, unknown>,
  unitCode: string,
  language?: 'vi' | 'en',
): DefinedProcedureInput {
  const parsed = procedure.filing.parse(filing) as Record<string, unknown>;
  const dueAt = planStep(procedure.id, 'dossier', receivedAt).dueAt.toISOString();
  const request = procedure.facts(parsed) as DefinedRequest;
  return { dossierId: id, unitCode, receivedAt: receivedAt.toISOString(), dueAt, request, publicBaseUrl: PUBLIC_BASE_URL, ...(language ? { language } : {}) };
}

export interface Filing {
  procedure: ProcedureDefinition;
  data: Record<string, unknown>;
  applicantPin: string;
}

// ---------------------------------------------------------------------------------------------
// Running and driving a dossier

/** Runs one dossier on a worker of its own task queue with the fakes; it does not outlive the test. */
export async function withDossier<T>(fake: FakeActivities, input: DefinedProcedureInput, filing: Filing, body: (handle: Handle) => Promise<T>): Promise<T> {
  const taskQueue = `test-defined-${randomUUID()}`;
  const worker = await Worker.create({ connection: env().nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities: fake.activities });
  let handle: Handle | undefined;
  try {
    return await worker.runUntil(async () => {
      // The API writes the dossier's row (the filing) before it starts the workflow (the facts).
      fake.file({ ...input, request: filing.procedure.filing.parse(filing.data) as Record<string, unknown>, procedure: filing.procedure.id, applicantPin: filing.applicantPin });
      handle = await env().client.workflow.start(definedProcedureWorkflow, { taskQueue, workflowId: input.dossierId, args: [input] });
      return await body(handle);
    });
  } finally {
    if (handle && (await handle.describe()).status.name === 'RUNNING') await handle.terminate('test over');
  }
}

export async function waitForState(handle: Handle, predicate: (s: DossierState) => boolean, what: string, timeoutMs = 20_000): Promise<DossierState> {
  const deadline = Date.now() + timeoutMs;
  let last: DossierState | undefined;
  while (Date.now() < deadline) {
    last = await handle.query(dossierStateQuery).catch(() => last);
    if (last && predicate(last)) return last;
    await realSleep(50);
  }
  throw new Error(`Timed out waiting for ${what}; last state ${JSON.stringify(last)}`);
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await realSleep(25);
  }
}

/** Waits until the task is open in the workflow and in the (fake) inbox. */
export async function waitForTask(handle: Handle, fake: FakeActivities, taskId: string) {
  const state = await waitForState(handle, (s) => s.openTasks.some((t) => t.taskId === taskId), `task ${taskId}`);
  await waitFor(() => fake.tasks.has(taskId), `${taskId} in the inbox`);
  return state.openTasks.find((t) => t.taskId === taskId)!;
}

export const complete = (handle: Handle, taskId: string, outcome: string, completedBy: string, data?: Record<string, unknown>) =>
  handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data, completedBy }] });

export const supplement = (handle: Handle, data: Record<string, unknown>, answeredBy: string) => handle.executeUpdate(supplementUpdate, { args: [{ data, answeredBy }] });

export async function requestSupplement(handle: Handle, taskId: string, completedBy: string, items: Array<{ field: string; problem: string }>) {
  await complete(handle, taskId, 'request-supplement', completedBy, { items });
  return waitForState(handle, (s) => s.status === 'awaiting-supplement' && s.awaiting !== null, 'the supplement request');
}

/** The workflow's result without skipping time (the test client's `result()` unlocks time skipping). */
export function resultOf(handle: Handle) {
  const client = new Client({ connection: env().connection, namespace: env().namespace ?? 'default' });
  return client.workflow.getHandle<typeof definedProcedureWorkflow>(handle.workflowId).result();
}

/** The workflow's result, once its history is recorded (RECORD_HISTORIES=1: history-recording.ts). */
export async function finished(handle: Handle, file: string): Promise<DossierOutcome> {
  const result = await resultOf(handle);
  await recordHistory(handle, file);
  return result;
}

export async function expectRejected(promise: Promise<unknown>, types: string[], { allowCompleted = false } = {}): Promise<void> {
  const error = await promise.then(
    (value) => new Error(`expected a rejection, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  if (allowCompleted && (error instanceof WorkflowNotFoundError || /already completed|not found/i.test(String(error)))) return;
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(types).toContain((cause as ApplicationFailure).type);
}

export function expectNear(actual: Date | string | undefined, expected: Date): void {
  const ms = new Date(actual ?? NaN).getTime();
  if (!(Math.abs(ms - expected.getTime()) <= MINUTE)) throw new Error(`expected ${String(actual)} within a minute of ${expected.toISOString()}`);
}

// ---------------------------------------------------------------------------------------------
// What a user notices

/** The dossier's history lines, `step/actor/outcome` in order. */
export const outcomes = (fake: FakeActivities, id: string) => fake.history(id).map((e) => `${e.step}/${e.actor}/${e.outcome}`);
export const mailKeys = (fake: FakeActivities, id: string) => fake.mails.map((m) => m.idempotencyKey).filter((k) => k.startsWith(`${id}/`));
/** The instants each plan of a step's deadline counted from: planned alone, or by the call that opened a task (its own deadline and the dossier's). */
export const plannedFrom = (fake: FakeActivities, step: string) =>
  [
    ...fake.callsOf('planDeadlines').map((c) => c.input as PlanDeadlinesInput),
    ...fake.callsOf('openPlannedTask').flatMap((c) => {
      const { deadline, dossierDeadline } = c.input as OpenPlannedTaskInput;
      return dossierDeadline ? [deadline, dossierDeadline] : [deadline];
    }),
  ]
    .filter((i) => i.step === step)
    .map((i) => new Date(i.from));
/** A refusal's reason as the run's outcome gives it (`{{reason}}` left as written): Vietnamese unless the run knows the applicant reads English. */
export const reasonOf = (procedure: ProcedureDefinition, endStep: string, language: 'vi' | 'en' = 'vi') => {
  const step = (procedure.facts({}) as DefinedRequest).definition.document.steps[endStep];
  if (step?.kind !== 'end' || !step.reason) throw new Error(`${endStep} is no refusing end step`);
  return step.reason[language];
};
