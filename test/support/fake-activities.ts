import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { SharedActivities } from '../../activities';
import type { AdapterCall, AdapterOutcome, DefinedDocumentRequest } from '../../activities/adapters';
import type { PlanDeadlinesInput, PlannedDeadlines } from '../../activities/calendar';
import type { OpenedTask, OpenPlannedTaskInput, OpenTaskInput, TaskCompletionRecord } from '../../activities/dossiers';
import type { EmailReceipt, EmailRequest } from '../../activities/notification';
import type { IdentityCheck } from '../../activities/population';
import { parseDeadlinePolicy, planDeadlines, WorkingCalendar, type DeadlinePlan, type DeadlinePolicy } from '../../common/calendar';
import { VIETNAM_PUBLIC_HOLIDAYS_2025_2027 } from '../../common/holidays-vn';
import { PROCEDURES, RETIRED_MODULES, WORKER_MODULES } from '../../procedures';
import { deadlineDefaults } from '../../procedures/define';
import { DEFAULT_LANGUAGE, textIn } from '../../common/bilingual';
import { taskOpenedNote } from '../../common/task-notes';
import { CitizenMail, type DossierStart, type DossierUpdate } from '../../workflows/shared/types';
export * from './fake-world';
import { staffOf, unitMailbox } from './fake-world';
import type {
  Activities,
  ActivityCall,
  ActivityName,
  AnyActivity,
  FakeActivityOptions,
  FakeBusiness,
  FakeDossier,
  FakeEvent,
  FakeRecord,
  FakeTask,
  FakeWorld,
  NotifyCall,
  ProcedureActivities,
  SentMail,
} from './fake-world';
import { createBusinessRegistrationFakes } from './fakes/business-registration';
import { createCivilStatusExtractFakes } from './fakes/civil-status-extract';
import { createTrafficFineFakes } from './fakes/traffic-fine';

/** A dossier's row as the API writes it before it starts the workflow: the start, the procedure and the filer. */
type FiledDossier = DossierStart<Record<string, unknown>> & { procedure: string; applicantPin?: string | null };

/**
 * In-memory stand-ins for every system behind the activities (database, population data, registry,
 * mail, document issuing), for workflow tests on the time-skipping server. They behave like the real
 * activities where the workflow relies on it: writes keyed by ids the workflow chose are idempotent,
 * mail is sent at most once per idempotency key, deadlines come from the real pure calendar with the
 * settings of the migration. Every call is recorded with the instant it was scheduled, which follows
 * the test server's (skipped) clock.
 */

/** The DeadlineSetting rows the migrations seed: each procedure's declared defaults, then a retired module's own (the first to name a row gives it). */
export const DEADLINE_SETTINGS: Record<string, Record<string, DeadlinePolicy>> = {};
for (const row of [...PROCEDURES.all, ...RETIRED_MODULES.map((m) => m.definition)].flatMap((p) => deadlineDefaults(p))) {
  (DEADLINE_SETTINGS[row.procedure] ??= {})[row.step] ??= row;
}

export const NATIONAL_CALENDAR = new WorkingCalendar(VIETNAM_PUBLIC_HOLIDAYS_2025_2027);

/**
 * The plan the real activity computes for a step, with the migration's settings and the national
 * calendar (or the calendar given: a test's own days off, see FakeActivityOptions.calendar).
 */
export function planStep(procedure: string, step: string, from: Date, calendar: WorkingCalendar = NATIONAL_CALENDAR): DeadlinePlan {
  const setting = DEADLINE_SETTINGS[procedure]?.[step];
  if (!setting) throw ApplicationFailure.nonRetryable(`No deadline setting for ${procedure}/${step}`, 'MissingDeadlineSetting');
  return planDeadlines(calendar, parseDeadlinePolicy(setting), from);
}

// Every activity a worker registers, typed from the real factories (activities/*.ts and
// procedures/<id>/activities.ts): a fake, a gate or an injected failure under a name no real
// activity has does not compile.
export interface FakeActivities {
  activities: Activities;
  calls: ActivityCall[];
  dossiers: Map<string, FakeDossier>;
  tasks: Map<string, FakeTask>;
  records: Map<string, FakeRecord>;
  documents: Map<string, { code: string; issuedAt: string; recordId: string }>;
  businesses: Map<string, FakeBusiness>;
  /** Mail actually sent, in order: at most one per idempotency key. */
  mails: SentMail[];
  /** How many times each idempotency key was asked for (retries included). */
  mailRequestsByKey: Map<string, number>;
  notifyCalls: NotifyCall[];
  cancelOpenTasksCalls: Array<{ dossierId: string; at: string; cancelled: number }>;
  /** The dossier's history, ordered by sequence number (one row per number, like the real table). */
  history(dossierId: string): FakeEvent[];
  callsOf(activity: ActivityName): ActivityCall[];
  mailsTo(key: string): SentMail[];
  /** Writes the dossier's row as the API does before it starts the workflow. */
  file(input: FiledDossier): void;
}

export const DEFAULT_APPLICANT_EMAIL = 'citizen@example.vn';

/** Each procedure's fakes (`test/support/fakes/<id>.ts`), for every procedure of the registry. */
function procedureFakes(world: FakeWorld): ProcedureActivities {
  const byProcedure = {
    'business-registration': createBusinessRegistrationFakes(world),
    'civil-status-extract': createCivilStatusExtractFakes(world),
    'traffic-fine': createTrafficFineFakes(world),
  };
  // A procedure written as code without fakes would have its workflow call activities no test worker
  // registers. Those published as data call the shared adapters only.
  const missing = WORKER_MODULES.map((m) => m.definition.id).filter((id) => !(id in byProcedure));
  if (missing.length > 0) throw new Error(`No fakes for procedure ${missing.join(', ')}: add test/support/fakes/<id>.ts and list it here`);
  return { ...byProcedure['business-registration'], ...byProcedure['civil-status-extract'], ...byProcedure['traffic-fine'] };
}

export function createFakeActivities(options: FakeActivityOptions = {}): FakeActivities {
  const calls: ActivityCall[] = [];
  const dossiers = new Map<string, FakeDossier>();
  const events = new Map<string, FakeEvent>();
  const tasks = new Map<string, FakeTask>();
  const records = new Map<string, FakeRecord>();
  const documents = new Map<string, { code: string; issuedAt: string; recordId: string }>();
  const mails: SentMail[] = [];
  const mailRequestsByKey = new Map<string, number>();
  const notifyCalls: NotifyCall[] = [];
  const cancelOpenTasksCalls: Array<{ dossierId: string; at: string; cancelled: number }> = [];
  const failuresLeft = new Map<string, number>(Object.entries(options.failAfterEffect ?? {}));
  const calendar = options.calendar ?? NATIONAL_CALENDAR;
  const unitParents = options.unitParents ?? {};
  const businesses = new Map<string, FakeBusiness>();
  let documentSeq = 0;

  function scheduledAt(): Date {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  }

  /** Records the call, waits for its gate, runs it, then fails it if told to (after its effect). */
  function wrap(name: ActivityName, fn: AnyActivity): AnyActivity {
    return async (...args) => {
      calls.push({ activity: name, at: scheduledAt(), attempt: Context.current().info.attempt, input: args[0] });
      const gate = options.gates?.[name];
      if (gate) await gate;
      const result = await fn(...args);
      const left = failuresLeft.get(name) ?? 0;
      if (left > 0) {
        failuresLeft.set(name, left - 1);
        throw new Error(`${name}: connection lost after the effect (injected)`);
      }
      return result;
    };
  }

  /** Every fake wrapped under its own name: the name recorded, gated and failed is the key it is registered by. */
  function wrapAll<T extends Partial<Activities>>(fakes: T): T {
    return Object.fromEntries(Object.entries(fakes).map(([name, fn]) => [name, wrap(name as ActivityName, fn as AnyActivity)])) as T;
  }

  /** The dossier's row as the API writes it before the workflow starts (insert-if-absent). */
  function fileRow(input: FiledDossier): void {
    if (dossiers.has(input.dossierId)) return;
    dossiers.set(input.dossierId, {
      id: input.dossierId,
      procedure: input.procedure,
      unitCode: input.unitCode,
      applicantPin: input.applicantPin ?? null,
      request: input.request,
      status: 'received',
      currentStep: 'received',
      receivedAt: input.receivedAt,
      dueAt: input.dueAt,
      escalationLevel: 0,
      dueAtHistory: [input.dueAt],
      filingChanges: [],
    });
  }

  function dossier(id: string): FakeDossier {
    const row = dossiers.get(id);
    // Like Prisma's update on a missing row: a bug in the workflow (it writes before registering).
    if (!row) throw ApplicationFailure.nonRetryable(`No dossier ${id}`, 'FakeMissingRow');
    return row;
  }

  function task(id: string): FakeTask {
    const row = tasks.get(id);
    if (!row) throw ApplicationFailure.nonRetryable(`No task ${id}`, 'FakeMissingRow');
    return row;
  }


  function ancestor(unitCode: string, levels: number): string {
    let code = unitCode;
    for (let i = 0; i < levels; i += 1) {
      const parent = unitParents[code] ?? (code === 'HCMC' ? undefined : 'HCMC');
      if (!parent) break;
      code = parent;
    }
    return code;
  }

  function sendMail(request: EmailRequest): EmailReceipt {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(request.to)) {
      throw ApplicationFailure.nonRetryable('Recipient address is not a valid e-mail address', 'InvalidRecipient');
    }
    const count = (mailRequestsByKey.get(request.idempotencyKey) ?? 0) + 1;
    mailRequestsByKey.set(request.idempotencyKey, count);
    const notificationId = `n-${request.idempotencyKey}`;
    const messageId = `<${notificationId}@procedures.test>`;
    if (count > 1) return { notificationId, messageId, sentNow: false };
    mails.push({ ...request, at: scheduledAt() });
    return { notificationId, messageId, sentNow: true };
  }

  function notifyStaff(input: {
    unitCode: string;
    roles: Array<'clerk' | 'officer' | 'supervisor'>;
    key: string;
    subject: string;
    text: string;
    copyUnitMailbox?: boolean;
    levelsUp?: number;
  }): { sent: number; unitCode: string } {
    const unitCode = ancestor(input.unitCode, input.levelsUp ?? 0);
    const recipients = staffOf(unitCode)
      .filter((s) => input.roles.includes(s.role))
      .map((s) => ({ id: s.id, email: s.email }));
    if (input.copyUnitMailbox) recipients.push({ id: `unit-${unitCode}`, email: unitMailbox(unitCode) });
    for (const r of recipients) sendMail({ idempotencyKey: `${input.key}/${r.id}`, to: r.email, subject: input.subject, text: input.text });
    return { sent: recipients.length, unitCode };
  }

  function noteNotify(call: Omit<NotifyCall, 'at'>): void {
    // Retries of the same key are one call as far as the workflow's intent goes.
    if (!notifyCalls.some((c) => c.key === call.key && c.activity === call.activity)) notifyCalls.push({ ...call, at: scheduledAt() });
  }

  /** A document code like the real ones' shape, unique in this set of fakes. */
  function issueDocument(dossierId: string, recordId: string): { code: string; issuedAt: string } {
    const existing = documents.get(dossierId);
    if (existing) return { code: existing.code, issuedAt: existing.issuedAt };
    documentSeq += 1;
    const code = `TEST-${String(documentSeq).padStart(4, '0')}-${dossierId.slice(-4).toUpperCase().padStart(4, 'X')}`;
    const issued = { code, issuedAt: scheduledAt().toISOString(), recordId };
    documents.set(dossierId, issued);
    return { code, issuedAt: issued.issuedAt };
  }

  function citizenMail(mail: CitizenMail): { subject: string; text: string } {
    const parsed = CitizenMail.parse(mail);
    const language = options.recipientLanguage ?? DEFAULT_LANGUAGE;
    return { subject: textIn(parsed.subject, language), text: textIn(parsed.text, language) };
  }

  /** The dossier's row and history as `updateDossier` writes them: set fields, lines inserted if absent. */
  function applyUpdate(update: DossierUpdate): void {
    const { dossierId, event, earlier = [], ...fields } = update;
    const row = dossier(dossierId);
    if (fields.status) row.status = fields.status;
    if (fields.currentStep) row.currentStep = fields.currentStep;
    if (fields.dueAt && fields.dueAt !== row.dueAt) {
      row.dueAt = fields.dueAt;
      row.dueAtHistory.push(fields.dueAt);
    }
    if (fields.decidedAt) row.decidedAt = fields.decidedAt;
    if (fields.closedAt) row.closedAt = fields.closedAt;
    if (fields.result) row.result = fields.result;
    if (fields.escalationLevel !== undefined) row.escalationLevel = fields.escalationLevel;
    if (fields.awaiting !== undefined) row.awaiting = fields.awaiting;
    if (update.filingChanges) {
      row.request = { ...row.request, ...update.filingChanges };
      row.filingChanges.push(update.filingChanges);
    }
    for (const line of [...earlier, ...(event ? [event] : [])]) {
      const id = `${dossierId}/${String(line.seq).padStart(4, '0')}`;
      const note = line.note === undefined || typeof line.note === 'string' ? { note: line.note } : { note: line.note.vi, noteEn: line.note.en };
      if (!events.has(id)) events.set(id, { ...line, ...note, dossierId, writtenAt: scheduledAt() });
    }
  }

  /** The task's row, inserted if absent (keyed by its id). */
  function insertTask(input: OpenTaskInput): void {
    if (tasks.has(input.taskId)) return;
    tasks.set(input.taskId, { ...input, status: 'open', openedAt: scheduledAt(), escalationLevel: 0 });
  }

  /** The plan the real activity computes, with the migration's settings and the test's calendar. */
  function plannedDeadlines(input: PlanDeadlinesInput): PlannedDeadlines {
    const from = new Date(input.from);
    if (Number.isNaN(from.getTime())) throw ApplicationFailure.nonRetryable(`Not a valid instant: ${JSON.stringify(input.from)}`, 'InvalidDeadlineInput');
    const plan = planStep(input.procedure, input.step, from, calendar);
    return {
      dueAt: plan.dueAt.toISOString(),
      remindAt: plan.remindAt.toISOString(),
      escalateAt: plan.escalateAt.toISOString(),
      secondEscalateAt: plan.secondEscalateAt.toISOString(),
    };
  }

  const world: FakeWorld = { options, wrapAll, scheduledAt, dossier, dossiers, tasks, records, documents, businesses, issueDocument, sendMail, citizenMail };

  const shared = wrapAll<SharedActivities>({
    recordSystemCheck: async (input: { workflowId: string; note: string }) => ({ checkId: `check-${input.workflowId}` }),

    sendEmail: async (request: EmailRequest) => sendMail(request),

    notifyApplicant: async (input: CitizenMail) => {
      const row = dossiers.get(input.dossierId);
      let result = { sent: 0 };
      const to = row ? (row.request.contactEmail ?? (options.applicantEmail === undefined ? DEFAULT_APPLICANT_EMAIL : options.applicantEmail)) : null;
      if (to) {
        sendMail({ idempotencyKey: `${input.dossierId}/${input.key}`, to, ...citizenMail(input) });
        result = { sent: 1 };
      }
      noteNotify({ activity: 'notifyApplicant', key: `${input.dossierId}/${input.key}`, input, result });
      return result;
    },

    notifyUnitStaff: async (input: Parameters<Activities['notifyUnitStaff']>[0]) => {
      const result = notifyStaff(input);
      noteNotify({ activity: 'notifyUnitStaff', key: input.key, input, result });
      return result;
    },

    notifyTaskHolder: async (input: { taskId: string; key: string; subject: string; text: string }) => {
      const row = tasks.get(input.taskId);
      let result = { sent: 0 };
      if (row) {
        const assignee = row.completedBy ? staffOf(row.unitCode).find((s) => s.id === row.completedBy) : undefined;
        if (assignee) {
          sendMail({ idempotencyKey: `${input.key}/${assignee.id}`, to: assignee.email, subject: input.subject, text: input.text });
          result = { sent: 1 };
        } else {
          result = { sent: notifyStaff({ unitCode: row.unitCode, roles: ['clerk'], key: input.key, subject: input.subject, text: input.text }).sent };
        }
      }
      noteNotify({ activity: 'notifyTaskHolder', key: input.key, input, result });
      return result;
    },

    updateDossier: async (update: DossierUpdate) => applyUpdate(update),

    openTask: async (input: OpenTaskInput) => {
      dossier(input.dossierId);
      insertTask(input);
    },

    // One transaction in the real activity: nothing of it is written unless all of it is, keyed by the task's id.
    openPlannedTask: async (input: OpenPlannedTaskInput): Promise<OpenedTask> => {
      const { task: opening, opened } = input;
      const plan = plannedDeadlines(input.deadline);
      const dossierDueAt = input.dossierDeadline ? plannedDeadlines(input.dossierDeadline).dueAt : undefined;
      const planned: OpenedTask = { ...plan, ...(dossierDueAt ? { dossierDueAt } : {}) };
      dossier(opening.dossierId);
      if (tasks.has(opening.taskId)) return planned;
      insertTask({ ...opening, dueAt: plan.dueAt });
      applyUpdate({
        dossierId: opening.dossierId,
        ...input.fields,
        ...(dossierDueAt ? { dueAt: dossierDueAt } : {}),
        earlier: input.earlier ?? [],
        event: {
          seq: opened.seq,
          at: opened.at,
          step: opening.step,
          actor: 'system',
          outcome: 'task-opened',
          note: taskOpenedNote(opened.title, opening.unitCode, plan.dueAt),
          unitCode: opening.unitCode,
        },
      });
      return planned;
    },

    recordTaskCompletion: async (input: TaskCompletionRecord) => {
      const row = task(input.taskId);
      Object.assign(row, {
        status: 'done',
        outcome: input.outcome,
        data: input.data,
        note: input.note,
        completedBy: input.completedBy,
        completedAt: input.completedAt,
      });
    },

    cancelOpenTasks: async (input: { dossierId: string; at: string }) => {
      let cancelled = 0;
      for (const row of tasks.values()) {
        if (row.dossierId === input.dossierId && row.status === 'open') {
          row.status = 'cancelled';
          row.completedAt = input.at;
          cancelled += 1;
        }
      }
      cancelOpenTasksCalls.push({ ...input, cancelled });
      return cancelled;
    },

    markTaskReminded: async (input: { taskId: string; at: string }) => {
      task(input.taskId).remindedAt = input.at;
    },

    markTaskEscalated: async (input: { taskId: string; level: number }) => {
      task(input.taskId).escalationLevel = input.level;
    },

    planDeadlines: async (input: PlanDeadlinesInput): Promise<PlannedDeadlines> => plannedDeadlines(input),

    verifyApplicant: async (_input: Parameters<SharedActivities['verifyApplicant']>[0]): Promise<IdentityCheck> => {
      return options.identity ?? { verified: true };
    },

    // Procedures published as data: the adapters answer what the test says; documents and units as above.
    runAdapter: async (call: AdapterCall): Promise<AdapterOutcome> => {
      dossier(call.dossierId);
      const answer = options.adapters?.[call.adapter];
      if (!answer) throw ApplicationFailure.nonRetryable(`No fake for adapter ${call.adapter}`, 'FakeNoAdapter');
      return answer(call, Context.current().info.attempt);
    },

    issueDefinedDocument: async (request: DefinedDocumentRequest) => {
      dossier(request.dossierId);
      return issueDocument(request.dossierId, request.template);
    },

    unitAbove: async (input: { unitCode: string }) => ({ unitCode: ancestor(input.unitCode, 1) }),
  });

  const activities: Activities = { ...shared, ...procedureFakes(world) };

  return {
    activities,
    calls,
    businesses,
    dossiers,
    tasks,
    records,
    documents,
    mails,
    mailRequestsByKey,
    notifyCalls,
    cancelOpenTasksCalls,
    history: (dossierId) => [...events.values()].filter((e) => e.dossierId === dossierId).sort((a, b) => a.seq - b.seq),
    callsOf: (activity) => calls.filter((c) => c.activity === activity),
    mailsTo: (key) => mails.filter((m) => m.idempotencyKey === key || m.idempotencyKey.startsWith(`${key}/`)),
    file: fileRow,
  };
}
