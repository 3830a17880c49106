import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { SharedActivities } from '../../activities';
import type { AdapterCall, AdapterOutcome, DefinedDocumentRequest } from '../../activities/adapters';
import type { PlanDeadlinesInput, PlannedDeadlines } from '../../activities/calendar';
import type { OpenTaskInput, TaskCompletionRecord } from '../../activities/dossiers';
import type { EmailReceipt, EmailRequest } from '../../activities/notification';
import type { IdentityCheck } from '../../activities/population';
import { parseDeadlinePolicy, planDeadlines, WorkingCalendar, type DeadlinePlan, type DeadlinePolicy } from '../../common/calendar';
import { VIETNAM_PUBLIC_HOLIDAYS_2025_2027 } from '../../common/holidays-vn';
import { PROCEDURES } from '../../procedures';
import type { createActivities as createBusinessRegistrationActivities } from '../../procedures/business-registration/activities';
import type { createActivities as createCivilStatusExtractActivities } from '../../procedures/civil-status-extract/activities';
import type { ArchivedRecordEntry, CivilStatusKind } from '../../procedures/civil-status-extract/definition';
import type { createActivities as createTrafficFineActivities, OwnerLookup } from '../../procedures/traffic-fine/activities';
import { deadlineDefaults } from '../../procedures/define';
import type { DossierEventInput, DossierStart, DossierUpdate } from '../../workflows/shared/types';
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

/** The DeadlineSetting rows the migrations seed: each procedure's declared defaults. */
export const DEADLINE_SETTINGS: Record<string, Record<string, DeadlinePolicy>> = {};
for (const row of PROCEDURES.all.flatMap((p) => deadlineDefaults(p))) {
  (DEADLINE_SETTINGS[row.procedure] ??= {})[row.step] = row;
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
export type BusinessRegistrationActivities = ReturnType<typeof createBusinessRegistrationActivities>;
export type CivilStatusExtractActivities = ReturnType<typeof createCivilStatusExtractActivities>;
export type TrafficFineActivities = ReturnType<typeof createTrafficFineActivities>;
export type ProcedureActivities = BusinessRegistrationActivities & CivilStatusExtractActivities & TrafficFineActivities;
export type Activities = SharedActivities & ProcedureActivities;
export type ActivityName = keyof Activities & string;
type AnyActivity = (...args: never[]) => Promise<unknown>;

/** A record in the fake civil-status registry. */
export interface FakeRecord {
  id: string;
  kind?: CivilStatusKind;
  storage: 'ELECTRONIC' | 'PAPER_ARCHIVE';
  registrationUnitCode: string;
  partyPins: string[];
  entry?: ArchivedRecordEntry;
}

export type FakeLookup = { outcome: 'found'; record: FakeRecord } | { outcome: 'not-found' | 'ambiguous'; holdingUnitCode?: string };

export interface FakeActivityOptions {
  /** What the population data says of the applicant (default: verified). */
  identity?: IdentityCheck;
  /** What the registry look-up finds (default: not found). */
  lookup?: FakeLookup;
  /** The applicant's address on file, used when the request gives none (null: no address). */
  applicantEmail?: string | null;
  /** Business registration: the PINs the population data does not know (default: none). */
  unknownPins?: string[];
  /** Business registration: registered names each check finds in conflict, per round (default: none). */
  nameConflicts?: Array<Array<{ enterpriseCode: string; name: string }>>;
  /** Traffic fines: what each owner look-up of a case finds, in order (default: registered, found, living in the ward of the violation). */
  ownerLookups?: OwnerLookup[];
  /** Traffic fines: the fine of every case, integer VND (default 5,000,000). */
  fineAmount?: number;
  /**
   * Procedures published as data: what each adapter answers (`runAdapter`), by adapter name; an
   * adapter not given fails the call (non-retryable).
   */
  adapters?: Record<string, (call: AdapterCall, attempt: number) => AdapterOutcome>;
  /** Parent of each unit in the unit tree (default: every ward under HCMC). */
  unitParents?: Record<string, string>;
  /** The working calendar deadlines are planned with (default: the national one, NATIONAL_CALENDAR). */
  calendar?: WorkingCalendar;
  /**
   * Fail the first N attempts of an activity with a retryable error, *after* its effect (the hard
   * case for idempotency: the work was done, the worker crashed before reporting it).
   */
  failAfterEffect?: Partial<Record<ActivityName, number>>;
  /** An activity waits for its gate before doing anything (to hold a workflow at a given step). */
  gates?: Partial<Record<ActivityName, Promise<unknown>>>;
}

export interface ActivityCall {
  activity: ActivityName;
  /** Instant the attempt was scheduled, on the test server's clock. */
  at: Date;
  attempt: number;
  input: unknown;
}

export interface FakeDossier {
  id: string;
  procedure: string;
  unitCode: string;
  applicantPin: string | null;
  request: Record<string, unknown> & { contactEmail?: string };
  /** Filing changes applied by supplements, in order. */
  filingChanges: Array<Record<string, unknown>>;
  status: string;
  currentStep: string;
  receivedAt: string;
  dueAt: string;
  decidedAt?: string;
  closedAt?: string;
  result?: Record<string, unknown>;
  escalationLevel: number;
  /** Every change of dueAt, in order (the initial one first). */
  dueAtHistory: string[];
  awaiting?: DossierUpdate['awaiting'];
}

export interface FakeEvent extends DossierEventInput {
  dossierId: string;
  /** When the activity that wrote it was scheduled. */
  writtenAt: Date;
}

export interface FakeTask extends OpenTaskInput {
  status: 'open' | 'done' | 'cancelled';
  openedAt: Date;
  outcome?: string;
  data?: Record<string, unknown>;
  note?: string;
  completedBy?: string;
  completedAt?: string;
  remindedAt?: string;
  escalationLevel: number;
}

export interface SentMail extends EmailRequest {
  /** When the sending activity was scheduled, on the test server's clock. */
  at: Date;
}

/** A notify* call as the workflow made it (the first attempt of each key), with its result. */
export interface NotifyCall {
  activity: 'notifyApplicant' | 'notifyUnitStaff' | 'notifyTaskHolder';
  key: string;
  at: Date;
  input: Record<string, unknown>;
  result: { sent: number; unitCode?: string };
}

export interface StaffMember {
  id: string;
  email: string;
  role: 'clerk' | 'officer' | 'supervisor';
}

/** Staff of any unit: one clerk and one supervisor, ids as in the seed (`clerk.w-ben-thanh`). */
export function staffOf(unitCode: string): StaffMember[] {
  return (['clerk', 'supervisor'] as const).map((role) => {
    const id = `${role}.${unitCode.toLowerCase()}`;
    return { id, email: `${id}@city.example`, role };
  });
}

export const unitMailbox = (unitCode: string) => `${unitCode.toLowerCase()}@city.example`;

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

export interface FakeBusiness {
  enterpriseCode: string;
  dossierId: string;
  name: string;
}

/** What a procedure's fakes (`test/support/fakes/<id>.ts`) build on: the options, the shared state, `wrapAll`. */
export interface FakeWorld {
  options: FakeActivityOptions;
  /** The fakes, each recorded, gated and failed (see FakeActivityOptions) under its own activity name. */
  wrapAll<T extends Partial<Activities>>(fakes: T): T;
  scheduledAt(): Date;
  /** The dossier row, or a non-retryable failure like Prisma's update of a missing row. */
  dossier(id: string): FakeDossier;
  dossiers: Map<string, FakeDossier>;
  tasks: Map<string, FakeTask>;
  records: Map<string, FakeRecord>;
  documents: Map<string, { code: string; issuedAt: string; recordId: string }>;
  businesses: Map<string, FakeBusiness>;
  /** Issues (once per dossier) a document with a test verification code. */
  issueDocument(dossierId: string, recordId: string): { code: string; issuedAt: string };
  /** Sends (once per idempotency key) through the fake mailer. */
  sendMail(request: EmailRequest): EmailReceipt;
}

/** Each procedure's fakes (`test/support/fakes/<id>.ts`), for every procedure of the registry. */
function procedureFakes(world: FakeWorld): ProcedureActivities {
  const byProcedure = {
    'business-registration': createBusinessRegistrationFakes(world),
    'civil-status-extract': createCivilStatusExtractFakes(world),
    'traffic-fine': createTrafficFineFakes(world),
  };
  // A registered procedure without fakes would have its workflow call activities no test worker registers.
  const missing = PROCEDURES.ids.filter((id) => !(id in byProcedure));
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

  const world: FakeWorld = { options, wrapAll, scheduledAt, dossier, dossiers, tasks, records, documents, businesses, issueDocument, sendMail };

  const shared = wrapAll<SharedActivities>({
    recordSystemCheck: async (input: { workflowId: string; note: string }) => ({ checkId: `check-${input.workflowId}` }),

    sendEmail: async (request: EmailRequest) => sendMail(request),

    notifyApplicant: async (input: { dossierId: string; key: string; subject: string; text: string }) => {
      const row = dossiers.get(input.dossierId);
      let result = { sent: 0 };
      const to = row ? (row.request.contactEmail ?? (options.applicantEmail === undefined ? DEFAULT_APPLICANT_EMAIL : options.applicantEmail)) : null;
      if (to) {
        sendMail({ idempotencyKey: `${input.dossierId}/${input.key}`, to, subject: input.subject, text: input.text });
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

    updateDossier: async (update: DossierUpdate) => {
      const { dossierId, event, ...fields } = update;
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
      if (event) {
        const id = `${dossierId}/${String(event.seq).padStart(4, '0')}`;
        if (!events.has(id)) events.set(id, { ...event, dossierId, writtenAt: scheduledAt() });
      }
    },

    openTask: async (input: OpenTaskInput) => {
      dossier(input.dossierId);
      if (tasks.has(input.taskId)) return;
      tasks.set(input.taskId, { ...input, status: 'open', openedAt: scheduledAt(), escalationLevel: 0 });
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

    planDeadlines: async (input: PlanDeadlinesInput): Promise<PlannedDeadlines> => {
      const from = new Date(input.from);
      if (Number.isNaN(from.getTime())) throw ApplicationFailure.nonRetryable(`Not a valid instant: ${JSON.stringify(input.from)}`, 'InvalidDeadlineInput');
      const plan = planStep(input.procedure, input.step, from, calendar);
      return {
        dueAt: plan.dueAt.toISOString(),
        remindAt: plan.remindAt.toISOString(),
        escalateAt: plan.escalateAt.toISOString(),
        secondEscalateAt: plan.secondEscalateAt.toISOString(),
      };
    },

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
