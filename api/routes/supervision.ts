import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { text } from '../../common/schemas';
import { type Dossier, type PrismaClient, type Task } from '../../prisma/client';
import type { Caller } from '../auth';
import { z, type ApiDefinition } from '../openapi';
import { textIn, type Bilingual, type Language } from '../../common/bilingual';
import { answerLanguage, render } from '../language';
import { say } from '../messages';
import { HttpProblem, problems } from '../problem';
import { bilingual } from '../translations';
import { DossierId, Procedure, TaskId, TaskView, UnitCode } from '../schemas';
import { inScope, unitScope } from '../scope';
import { dependencyProblem } from '../temporal-errors';
import { cancelDossier, escalateDossier, reassignTask, resolveTarget, retryNow, type ReassignTarget, type SupervisionDeps } from '../services/supervision-actions';
import { defaultWindow, supervisionStats, windowBound } from '../services/supervision-stats';
import { supervisedDossiers, wedgedDossiers, type ListingQuery } from '../services/supervision-listing';
import { failingCallReason, failingCalls, idleReason, mapPool, STUCK_AFTER_FAILURES, STUCK_IDLE_MS, type FailingCall } from '../services/supervision-stuck';
import { WedgeWatch, wedgedReason, type WedgedWorkflow } from '../services/supervision-wedged';
import { dossierStep, dueSoonReason, overdueReason, unitNamesOf } from '../services/supervision-reasons';
import { withFilingShown } from '../services/task-context';

const STATES = ['overdue', 'at-risk', 'stuck'] as const;
// Workflows described at once while listing stuck dossiers (one Temporal call each).
const DESCRIBE_WIDTH = 8;
export const MAX_BULK_ITEMS = 500;
// Items of a bulk action worked on at once (each is one or two Temporal calls and a transaction).
const BULK_WIDTH = 8;

const Query = z.object({
  state: z.enum(STATES),
  unitCode: UnitCode.optional(),
  procedure: Procedure.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
const FailingCallView = z
  .object({
    activity: z.string(),
    system: z.string().openapi({ description: "The system it talks to, in words of the request's language" }),
    failures: z.number().int(),
    lastError: z.string(),
    lastFailedAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
  })
  .openapi('FailingCall');
const WorkflowTaskView = z
  .object({
    failure: z.string().openapi({ description: "The last workflow task failure: the worker's message, or ours in the request's language when it gave none" }),
    failingSince: z.string(),
    failedAttempts: z.number().int(),
  })
  .openapi('FailingWorkflowTask');
export const Item = z
  .object({
    dossierId: z.string(),
    procedure: z.string(),
    unitCode: z.string(),
    status: z.string(),
    dueAt: z.string(),
    state: z.enum(STATES),
    reason: z.string().openapi({
      description:
        "What is wrong, in words of the request's language (Vietnamese, or English with `Accept-Language: en`): steps by the procedure's " +
        'labels, units by their names, the system by its name; times in Asia/Ho_Chi_Minh local time (27/11/2026 16:05 (GMT+7)). ' +
        "A failing call's activity and last error are the machines' words, as they are",
    }),
    call: FailingCallView.nullable().optional().openapi({ description: 'Stuck dossiers: the failing system call (null when it is idle with none)' }),
    workflowTask: WorkflowTaskView.optional().openapi({ description: "Stuck dossiers whose workflow task keeps failing: the engine cannot run the dossier's workflow" }),
  })
  .openapi('SupervisedDossier');

const WINDOW_BOUND = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const Bound = z
  .string()
  .regex(
    WINDOW_BOUND,
    bilingual({ vi: 'phải là một ngày YYYY-MM-DD hoặc ngày giờ ISO 8601 có múi giờ', en: 'must be a date YYYY-MM-DD or an ISO-8601 date-time with offset' }),
  )
  .refine(
    (v) => (v.length === 10 ? localDateRoundTrips(v) : !Number.isNaN(Date.parse(v))),
    bilingual({ vi: 'phải là một ngày giờ có thật', en: 'must be a real date and time' }),
  );
const StatsQuery = z.object({
  unitCode: UnitCode.optional().openapi({ description: "Root of the answer (default: the caller's unit); must be in the caller's subtree" }),
  procedure: Procedure.optional(),
  from: Bound.optional().openapi({ description: 'Received from (a local date in Asia/Ho_Chi_Minh, or an instant); default 1 January of the current year' }),
  to: Bound.optional().openapi({ description: 'Received before (a local date counts whole: to its end; or an instant); default now' }),
});
const Figures = z
  .object({
    received: z.number().int().openapi({ description: 'Dossiers received in the window (= completed + withdrawn + open)' }),
    completed: z.number().int().openapi({ description: 'Closed with a result: issued, registered, refused, paid, dismissed… (= onTime + late)' }),
    onTime: z.number().int().openapi({
      description:
        "Completed with every deadline of the office's own met: each task done by its due date, a traffic notice issued within its 10 days, " +
        'and the dossier closed by its due date unless it waited for its applicant (their time is theirs)',
    }),
    late: z.number().int().openapi({ description: "Completed with a deadline of the office's own missed (a task, a notice, the dossier's own)" }),
    open: z.number().int().openapi({ description: 'Not closed yet' }),
    overdue: z.number().int().openapi({ description: 'Open and past their due date at `asOf`' }),
    withdrawn: z.number().int().openapi({ description: 'Cancelled or lapsed: no result owed' }),
    onTimeRate: z.number().nullable().openapi({ description: 'onTime / completed (4 decimals); null when nothing was completed' }),
  })
  .openapi('StatsFigures');
const StatsRow = Figures.extend({
  unitCode: z.string(),
  unitName: z.string(),
  parentCode: z.string().nullable(),
  depth: z.number().int().openapi({ description: '0 for the root of the answer, 1 for its children...' }),
  procedure: z.string(),
  own: Figures.openapi({ description: "The unit's own dossiers, without its subtree" }),
}).openapi('StatsRow');
export const Stats = z
  .object({
    unitCode: z.string().openapi({ description: 'Root of the answer' }),
    procedure: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    asOf: z.string().openapi({ description: 'When `overdue` was counted' }),
    rows: z.array(StatsRow),
    total: Figures.openapi({ description: "The root's rows summed over procedures" }),
  })
  .openapi('SupervisionStats');

const STATS_DESCRIPTION =
  'Every figure counts the dossiers **received** in [from, to) by the unit that received them. A row is one unit of the ' +
  "subtree and one procedure, with the figures of the unit's whole subtree; `own` holds the unit's own dossiers. Rows add " +
  'up: a row = its `own` + the rows of its child units (same procedure), so the root row = the sum of every `own`; `total` ' +
  "sums the root's rows. Units whose subtree received nothing of a procedure have no row (the root always has one). " +
  '`received = completed + withdrawn + open`, `completed = onTime + late`, `overdue <= open`.';

/** The unit the answer is rooted at: the one asked for (in the caller's subtree), else the caller's (the top unit for `system`). */
async function statsRoot(prisma: PrismaClient, caller: Caller, unitCode: string | undefined): Promise<string> {
  if (unitCode) {
    const unit = await prisma.unit.findUnique({ where: { code: unitCode }, select: { code: true } });
    if (!unit) throw problems.badRequest(say.noUnitDetail(unitCode), [{ path: 'query.unitCode', message: say.noUnit(unitCode) }]);
    if (!inScope(await unitScope(prisma, caller), unitCode)) throw problems.forbidden(say.unitOutsideSubtree(unitCode));
    return unitCode;
  }
  if (caller.role !== 'system' && caller.unit) {
    await unitScope(prisma, caller); // the token's unit must exist: 403 otherwise
    return caller.unit;
  }
  const top = await prisma.unit.findFirst({ where: { parentCode: null }, orderBy: { code: 'asc' }, select: { code: true } });
  if (!top) throw problems.conflict(say.noUnitTree);
  return top.code;
}

function localDateRoundTrips(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

// ---------------------------------------------------------------------------------------------
// Actions: bodies and answers

const Reason = text(3, 2000, 'a reason of at least 3 characters is required');
const ReassignBody = z
  .object({
    assignee: z.string().trim().min(1).max(100).optional().openapi({ description: "Staff id (`clerk.w-ben-thanh`): the task is theirs (claimed), at their unit unless `unitCode` says it (then it must be theirs)" }),
    unitCode: UnitCode.optional().openapi({ description: "The unit whose inbox gets the task (unclaimed, without `assignee`)" }),
    reason: Reason.optional(),
  })
  .strict()
  .openapi('ReassignTask', { description: 'At least one of `assignee` and `unitCode`; both in the caller\'s subtree.' });
const Reassigned = TaskView.extend({
  previous: z.object({ unitCode: z.string(), assignee: z.string().nullable() }),
  changed: z.boolean().openapi({ description: 'False when the task was already there (nothing done)' }),
}).openapi('ReassignedTask');

const EscalateBody = z.object({ note: text(3, 2000, 'a note of at least 3 characters is required') }).strict().openapi('EscalateDossier');
const Escalated = z
  .object({
    dossierId: z.string(),
    fromUnitCode: z.string().openapi({ description: 'The unit handling the dossier (its open task\'s, else its own)' }),
    toUnitCode: z.string().openapi({ description: 'The unit above it, whose supervisors and mailbox were mailed' }),
    mailed: z.number().int().openapi({ description: 'Mails sent (supervisors and the unit mailbox)' }),
    escalation: z.number().int().openapi({ description: 'The how-manieth escalation by hand of this dossier' }),
  })
  .openapi('EscalatedDossier');

const BulkItems = z
  .array(z.string().max(64))
  .min(1)
  .max(MAX_BULK_ITEMS, `at most ${MAX_BULK_ITEMS} items`)
  .superRefine((items, ctx) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      if (seen.has(item)) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate of items.${seen.get(item)}` });
      else seen.set(item, i);
    });
  });
const BulkBody = z
  .discriminatedUnion('action', [
    z
      .object({
        action: z.literal('reassign'),
        items: BulkItems.openapi({ description: 'Task ids' }),
        assignee: ReassignBody.shape.assignee,
        unitCode: ReassignBody.shape.unitCode,
        reason: Reason.optional(),
      })
      .strict(),
    z.object({ action: z.literal('cancel'), items: BulkItems.openapi({ description: 'Dossier ids' }), reason: Reason }).strict(),
    z.object({ action: z.literal('retry'), items: BulkItems.openapi({ description: 'Dossier ids' }), reason: Reason.optional() }).strict(),
  ])
  .openapi('BulkAction', {
    description:
      `Up to ${MAX_BULK_ITEMS} distinct items. \`reassign\`: task ids, to \`assignee\` and/or \`unitCode\` (as the single reassign). ` +
      '`cancel`: dossier ids, with a `reason` the applicant is told. `retry`: dossier ids waiting on a failing system call, retried now.',
  });
const BulkResult = z
  .object({
    item: z.string(),
    status: z.number().int().openapi({ description: 'As the single action would answer: 200 done, 202 accepted (a cancellation that completes when the pending call returns), 400, 403, 404, 409, 422, 503' }),
    ok: z.boolean(),
    detail: z.string(),
    dossierId: z.string().optional(),
    taskId: z.string().optional(),
    unitCode: z.string().optional(),
    assignee: z.string().nullable().optional(),
    dossierStatus: z.string().optional(),
    calls: z.array(FailingCallView).optional().openapi({ description: 'retry: the calls retried now' }),
  })
  .openapi('BulkItemResult');
export const BulkAnswer = z
  .object({
    action: z.enum(['reassign', 'cancel', 'retry']),
    total: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    results: z.array(BulkResult).openapi({ description: 'One per item, in the order given' }),
  })
  .openapi('BulkActionResult');

const ActionsQuery = z.object({
  dossierId: DossierId.optional(),
  taskId: TaskId.optional(),
  unitCode: UnitCode.optional(),
  actor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const StaffActionView = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    role: z.string(),
    action: z.string(),
    unitCode: z.string(),
    taskId: z.string().nullable(),
    dossierId: z.string().nullable(),
    note: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('StaffAction');

function taskView(t: Task, now = new Date()) {
  return {
    taskId: t.id,
    dossierId: t.dossierId,
    procedure: Procedure.parse(t.procedure),
    step: t.step,
    unitCode: t.unitCode,
    status: TaskView.shape.status.parse(t.status),
    assignee: t.assignee,
    createdAt: t.createdAt.toISOString(),
    dueAt: t.dueAt.toISOString(),
    overdue: (t.status === 'open' || t.status === 'claimed') && t.dueAt < now,
    outcomes: t.outcomes,
    context: z.record(z.string(), z.unknown()).nullable().parse(t.context ?? null),
  };
}

/** One item's answer: the single action's status and words (in the request's language), without failing the others. */
function failedItem(item: string, error: unknown, language: Language): z.infer<typeof BulkResult> {
  const problem = error instanceof HttpProblem ? error : dependencyProblem(error);
  if (problem) return { item, status: problem.status, ok: false, detail: problem.detailIn(language) };
  return { item, status: 500, ok: false, detail: render(say.itemFailed, language) };
}

/** Heads of units: what is overdue, about to be, or stuck, with the reason in words; and what they do about it. */
export function supervisionRoutes(api: ApiDefinition, deps: SupervisionDeps) {
  const router = Router();
  const { prisma } = deps;
  const watch = new WedgeWatch(deps);

  api.route(router, {
    method: 'get',
    path: '/supervision/dossiers',
    summary: "Overdue, at-risk or stuck dossiers of the caller's subtree",
    description:
      'Stuck: the workflow has a pending system call that failed at least ' +
      `${STUCK_AFTER_FAILURES} times and waits to be retried (read from Temporal), or no progress for ${STUCK_IDLE_MS / 60_000} minutes; ` +
      'the reason names the system, the call and its last error. A dossier whose workflow task keeps failing (the engine cannot ' +
      'run its workflow) is stuck whatever it waits for, a clerk or the applicant included, first in the list, within a minute.',
    tags: ['supervision'],
    auth: ['supervisor', 'system'],
    query: Query,
    responses: { 200: { description: 'Most urgent first', schema: z.array(Item) } },
    handler: async ({ query, caller, req, res }) => {
      const scope = await unitScope(prisma, caller);
      if (query.unitCode && !inScope(scope, query.unitCode)) throw problems.forbidden(say.unitOutsideSubtree(query.unitCode));
      const language = answerLanguage(req, res);
      const now = new Date();
      const units = query.unitCode ? [query.unitCode] : scope.kind === 'units' ? scope.codes : undefined;
      const listing: ListingQuery = { state: query.state, now, units, procedure: query.procedure, limit: query.limit };
      if (query.state === 'stuck') return void res.json(await stuckItems(deps, watch, listing, language));
      const dossiers = await supervisedDossiers(prisma, listing);
      const unitNames = query.state === 'overdue' ? await unitNamesOf(prisma, dossiers) : new Map<string, string>();
      const reason = (d: Dossier & { tasks: Task[] }): Bilingual => (query.state === 'overdue' ? overdueReason(d, now, unitNames) : dueSoonReason(d, now));
      res.json(dossiers.map((d) => ({ ...itemBase(d, query.state), reason: reason(d)[language] })));
    },
  });

  api.route(router, {
    method: 'get',
    path: '/supervision/stats',
    summary: "On-time figures per unit and procedure of the caller's subtree",
    description: STATS_DESCRIPTION,
    tags: ['supervision'],
    auth: ['supervisor', 'system'],
    query: StatsQuery,
    responses: {
      200: { description: 'Rows in tree order (a unit, then its subtree), procedures in registry order', schema: Stats },
      403: { description: "The unit asked for is outside the caller's subtree" },
      409: { description: 'No unit tree is configured' },
    },
    handler: async ({ query, caller, res }) => {
      const root = await statsRoot(prisma, caller, query.unitCode);
      const now = new Date();
      const window = defaultWindow(now);
      const from = query.from ? windowBound(query.from, false) : window.from;
      const to = query.to ? windowBound(query.to, true) : window.to;
      if (from.getTime() >= to.getTime()) throw problems.badRequest(say.windowEmpty, [{ path: 'query.to', message: say.mustBeAfterFrom }]);
      res.json(await supervisionStats(prisma, { root, procedure: query.procedure, from, to, now }));
    },
  });

  api.route(router, {
    method: 'post',
    path: '/supervision/tasks/:taskId/reassign',
    summary: 'Move an open task to another unit and/or person of the caller\'s subtree',
    description:
      'The workflow is told first (later reminders and escalations go to the new unit; a history line), then the inbox row; ' +
      'an audit entry records who, when, from where to where, and why. With `assignee` the task is claimed by them; without, ' +
      'it waits unclaimed in the unit\'s inbox. An `Idempotency-Key` makes a retried request the same reassignment.',
    tags: ['supervision'],
    auth: ['supervisor'],
    params: z.object({ taskId: TaskId }),
    body: ReassignBody,
    responses: {
      200: { description: 'Reassigned (or already there: `changed` false)', schema: Reassigned },
      403: { description: "The task's unit or the target is outside the caller's subtree (of a dossier the caller sees)" },
      404: { description: 'Unknown task, or of a dossier the caller may not see' },
      409: { description: 'The task is done, cancelled or being decided; or the dossier is closed' },
    },
    handler: async ({ params, body, caller, req, res }) => {
      const target = await resolveTarget(prisma, caller, body);
      const result = await reassignTask(deps, caller, params.taskId, target, { reason: body.reason, key: req.get('Idempotency-Key') });
      const [view] = await withFilingShown(prisma, [taskView(result.task)]);
      res.json({ ...view!, previous: result.previous, changed: result.changed });
    },
  });

  api.route(router, {
    method: 'post',
    path: '/supervision/dossiers/:dossierId/escalate',
    summary: 'Escalate a dossier by hand to the unit above the one handling it',
    description:
      "The workflow mails the upper unit's supervisors and its mailbox (the notification activity, one idempotency key per " +
      'escalation) and writes the escalation with the note to the dossier\'s history; an audit entry records it. ' +
      'Send an `Idempotency-Key`: a repeat with the same key is the same escalation (one mail each).',
    tags: ['supervision'],
    auth: ['supervisor'],
    params: z.object({ dossierId: DossierId }),
    body: EscalateBody,
    responses: {
      200: { description: 'Escalated and mailed', schema: Escalated },
      404: { description: 'Unknown dossier, or not visible to the caller' },
      409: { description: 'The dossier is closed' },
      422: { description: 'The unit handling the dossier has no unit above it' },
    },
    handler: async ({ params, body, caller, req, res }) => {
      res.json(await escalateDossier(deps, caller, params.dossierId, body.note, req.get('Idempotency-Key')));
    },
  });

  api.route(router, {
    method: 'post',
    path: '/supervision/bulk',
    summary: `Reassign, cancel or retry up to ${MAX_BULK_ITEMS} items at once, with a result per item`,
    description:
      'The request is checked whole first (400 naming each bad field, e.g. more than 500 items or a duplicate; 403 for a ' +
      'reassignment target outside the subtree): then nothing is done. Each item is then acted on as the single action would, ' +
      'and answers for itself (`results[].status`); one item failing does not stop the others. `retry` resets the dossier\'s ' +
      "failing activities in Temporal (ResetActivity): attempts start again and the call is made at once. `cancel` closes the " +
      'dossier for the office and tells the applicant the reason; a dossier waiting on a system call is cancelled when that ' +
      'call returns (202). Every action taken is an audit entry.',
    tags: ['supervision'],
    auth: ['supervisor'],
    body: BulkBody,
    responses: {
      200: { description: 'Per-item results', schema: BulkAnswer },
      403: { description: "The reassignment target is outside the caller's subtree" },
    },
    handler: async ({ body, caller, req, res }) => {
      const language = answerLanguage(req, res);
      const words = (vi: string, en: string) => render({ vi, en }, language);
      const target: ReassignTarget | undefined = body.action === 'reassign' ? await resolveTarget(prisma, caller, body) : undefined;
      const act = async (item: string): Promise<z.infer<typeof BulkResult>> => {
        try {
          if (body.action === 'reassign') {
            if (!TaskId.safeParse(item).success) return { item, status: 400, ok: false, detail: words('không phải mã công việc (CSE-261123-7K3M9Q-T1)', 'not a task id (CSE-261123-7K3M9Q-T1)') };
            const r = await reassignTask(deps, caller, item, target!, { reason: body.reason });
            const where = r.task.assignee ? `${r.task.unitCode} (${r.task.assignee})` : r.task.unitCode;
            return { item, status: 200, ok: true, detail: r.changed ? words(`Đã chuyển đến ${where}`, `Reassigned to ${where}`) : words(`Đã ở ${where}`, `Already at ${where}`), taskId: r.task.id, dossierId: r.task.dossierId, unitCode: r.task.unitCode, assignee: r.task.assignee };
          }
          if (!DossierId.safeParse(item).success) return { item, status: 400, ok: false, detail: words('không phải mã hồ sơ (CSE-261123-7K3M9Q)', 'not a dossier id (CSE-261123-7K3M9Q)') };
          if (body.action === 'cancel') {
            const c = await cancelDossier(deps, caller, item, body.reason);
            return c.closed
              ? { item, status: 200, ok: true, detail: words('Đã hủy; người nộp được báo lý do', 'Cancelled; the applicant is told the reason'), dossierId: item, dossierStatus: c.dossierStatus }
              : { item, status: 202, ok: true, detail: words('Đã nhận yêu cầu hủy: hồ sơ sẽ đóng khi lệnh gọi hệ thống đang chờ trả về', 'Cancellation accepted: the dossier closes when its pending system call returns'), dossierId: item, dossierStatus: c.dossierStatus };
          }
          const r = await retryNow(deps, caller, item, body.reason);
          const retried = (l: Language) => r.calls.map((c) => `${c.activity} (${c.system[l]})`).join(', ');
          return { item, status: 200, ok: true, detail: words(`Đã thử lại ngay: ${retried('vi')}`, `Retried now: ${retried('en')}`), dossierId: item, calls: r.calls.map((c) => callView(c, language)) };
        } catch (error) {
          return failedItem(item, error, language);
        }
      };
      const results = await mapPool(body.items, BULK_WIDTH, act);
      const succeeded = results.filter((r) => r.ok).length;
      res.json({ action: body.action, total: results.length, succeeded, failed: results.length - succeeded, results });
    },
  });

  api.route(router, {
    method: 'get',
    path: '/supervision/actions',
    summary: "Audit trail: staff actions in the caller's subtree (claims, releases, reassignments, escalations, cancellations, retries)",
    tags: ['supervision'],
    auth: ['supervisor', 'system'],
    query: ActionsQuery,
    responses: {
      200: { description: 'Newest first', schema: z.array(StaffActionView) },
      403: { description: "The unit asked for is outside the caller's subtree" },
    },
    handler: async ({ query, caller, res }) => {
      const scope = await unitScope(prisma, caller);
      if (query.unitCode && !inScope(scope, query.unitCode)) throw problems.forbidden(say.unitOutsideSubtree(query.unitCode));
      const units = query.unitCode ? [query.unitCode] : scope.kind === 'units' ? scope.codes : undefined;
      const rows = await prisma.staffAction.findMany({
        where: {
          ...(units ? { unitCode: { in: units } } : {}),
          ...(query.dossierId ? { dossierId: query.dossierId } : {}),
          ...(query.taskId ? { taskId: query.taskId } : {}),
          ...(query.actor ? { actor: query.actor } : {}),
        },
        orderBy: [{ at: 'desc' }, { id: 'asc' }],
        take: query.limit,
      });
      res.json(
        rows.map((a) => ({
          id: a.id,
          at: a.at.toISOString(),
          actor: a.actor,
          role: a.role,
          action: a.action,
          unitCode: a.unitCode,
          taskId: a.taskId,
          dossierId: a.dossierId,
          note: a.note,
          details: z.record(z.string(), z.unknown()).nullable().parse(a.details ?? null),
        })),
      );
    },
  });

  return router;
}

function itemBase(d: Dossier, state: (typeof STATES)[number]) {
  return { dossierId: d.id, procedure: d.procedure, unitCode: d.unitCode, status: d.status, dueAt: d.dueAt.toISOString(), state };
}

function workflowTaskView(w: WedgedWorkflow, language: Language): z.infer<typeof WorkflowTaskView> {
  return { failure: textIn(w.failure, language), failingSince: w.since.toISOString(), failedAttempts: w.failedAttempts };
}

/**
 * Stuck: first the dossiers whose workflow task keeps failing (any of the caller's, whatever they
 * wait for), then the candidates (supervision-listing.ts) that Temporal shows failing or idle.
 */
async function stuckItems(deps: SupervisionDeps, watch: WedgeWatch, q: ListingQuery, language: Language): Promise<Array<z.infer<typeof Item>>> {
  const wedged = await watch.wedged();
  const [wedgedRows, candidates] = await Promise.all([wedgedDossiers(deps.prisma, [...wedged.keys()], q), supervisedDossiers(deps.prisma, q)]);
  const wedgedItems = wedgedRows.flatMap((d) => {
    const w = wedged.get(d.id);
    if (!w) return [];
    return [{ ...itemBase(d, 'stuck'), reason: wedgedReason(w, dossierStep(d))[language], call: null, workflowTask: workflowTaskView(w, language) }];
  });
  const rest = candidates.filter((d) => !wedged.has(d.id));
  const verdicts = await mapPool(rest, DESCRIBE_WIDTH, (d) => stuckVerdict(d, q.now, deps.temporal));
  const others = rest.flatMap((d, i) => {
    const verdict = verdicts[i];
    return verdict ? [{ ...itemBase(d, 'stuck'), reason: verdict.reason[language], call: verdict.call && callView(verdict.call, language) }] : [];
  });
  return [...wedgedItems, ...others].slice(0, q.limit);
}

function callView(c: FailingCall, language: Language): z.infer<typeof FailingCallView> {
  return { activity: c.activity, system: c.system[language], failures: c.failures, lastError: c.lastError, lastFailedAt: c.lastFailedAt, nextAttemptAt: c.nextAttemptAt };
}

/** Stuck or not, from Temporal: a call failing STUCK_AFTER_FAILURES times, or no progress for STUCK_IDLE_MS. */
async function stuckVerdict(d: Dossier, now: Date, temporal: Client): Promise<{ reason: Bilingual; call: FailingCall | null } | undefined> {
  const idleLong = now.getTime() - d.updatedAt.getTime() >= STUCK_IDLE_MS;
  const step = dossierStep(d);
  try {
    const failing = (await failingCalls(temporal, d.id)).find((c) => c.failures >= STUCK_AFTER_FAILURES);
    if (failing) return { reason: failingCallReason(failing, d.updatedAt, step), call: failing };
    return idleLong ? { reason: idleReason(d.updatedAt, now, step), call: null } : undefined;
  } catch {
    return idleLong ? { reason: idleReason(d.updatedAt, now, step, true), call: null } : undefined;
  }
}
