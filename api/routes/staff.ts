import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Prisma, PrismaClient, Task } from '../../prisma/client';
import { completeTaskUpdate } from '../../workflows/shared/messages';
import type { Caller, Role } from '../auth';
import { z, type ApiDefinition } from '../openapi';
import { say } from '../messages';
import { fieldErrors, HttpProblem, problems } from '../problem';
import { taskStatusWords } from '../status-words';
import { bilingual } from '../translations';
import { PROCEDURES } from '../../procedures';
import { parseOutcome, type StepDefinition } from '../../procedures/define';
import { Procedure, TaskDetail, TaskId, TaskView, UnitCode } from '../schemas';
import { loadVisibleDossier } from '../services/dossiers';
import { evidenceImage } from '../services/evidence-images';
import { shownOf, withFilingShown } from '../services/task-context';
import { inScope, unitScope } from '../scope';
import { stepWorker, tasksOf } from '../step-roles';
import { viaUpdate } from '../temporal-errors';

const STAFF = ['clerk', 'officer', 'supervisor'] as const;

const CompleteBody = z
  .object({
    outcome: z.string().min(1),
    data: z.record(z.string(), z.unknown()).optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .openapi('CompleteTask', {
    description:
      "`outcome` is one of the task's `outcomes`; `data` follows that outcome's schema in the procedure's definition " +
      '(`TaskOutcomeData` lists them per procedure, step and outcome).',
  });
const Completed = z
  .object({
    taskId: z.string(),
    outcome: z.string(),
    dossierStatus: z.string().openapi({ description: 'The status the decision moved the dossier to (e.g. issuing, refused, awaiting-supplement)' }),
  })
  .openapi('CompletedTask');

const ListQuery = z.object({
  status: z.enum(['open', 'claimed', 'done', 'cancelled']).optional(),
  unitCode: UnitCode.optional(),
  procedure: Procedure.optional(),
  assignee: z.literal('me', { message: bilingual({ vi: 'chỉ nhận giá trị "me"', en: 'only "me" is supported' }) }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
const TaskParams = z.object({ taskId: TaskId });
const EvidenceParams = TaskParams.extend({ index: z.coerce.number().int().min(0).max(19) });

/** Tasks as the inbox shows them: with the filing's fields a step of a procedure published as data shows. */
function taskViews(prisma: PrismaClient, tasks: Task[], now = new Date()) {
  return withFilingShown(prisma, tasks.map((t) => taskView(t, now)));
}

async function oneTaskView(prisma: PrismaClient, task: Task) {
  const [view] = await taskViews(prisma, [task]);
  return view!;
}

function taskView(t: Task, now = new Date()) {
  return {
    taskId: t.id,
    dossierId: t.dossierId,
    procedure: t.procedure as z.infer<typeof TaskView>['procedure'],
    step: t.step,
    unitCode: t.unitCode,
    status: t.status as z.infer<typeof TaskView>['status'],
    assignee: t.assignee,
    createdAt: t.createdAt.toISOString(),
    dueAt: t.dueAt.toISOString(),
    overdue: (t.status === 'open' || t.status === 'claimed') && t.dueAt < now,
    outcomes: t.outcomes,
    context: (t.context as Record<string, unknown> | null) ?? null,
  };
}

/**
 * A task the caller may act on. Unknown, or of a dossier the caller may not see: 404, as
 * `GET /dossiers/{id}` answers (nothing about it is told). A task at another unit of a dossier the
 * caller does see (listed in its `openTasks`): 403. A task at the caller's unit is returned whatever
 * its step: the action then asks for the step's role (`ensureStepRole`: 403), since the unit's staff
 * know what their unit holds.
 */
async function loadActionableTask(prisma: PrismaClient, caller: Caller, taskId: string): Promise<Task> {
  const notFound = problems.notFound(say.noTask(taskId));
  const task = await prisma.task.findUnique({ where: { id: taskId } });
  if (!task) throw notFound;
  const scope = await unitScope(prisma, caller);
  if (inScope(scope, task.unitCode)) return task;
  const dossierVisible = await loadVisibleDossier(prisma, caller, task.dossierId).then(
    () => true,
    (error: unknown) => {
      if (error instanceof HttpProblem && error.status === 404) return false;
      throw error;
    },
  );
  if (!dossierVisible) throw notFound;
  throw problems.forbidden(say.taskAtOtherUnit(taskId, task.unitCode));
}

// The completion Update answers once the decision is recorded, with the dossier's status from
// before it took effect; the workflow moves the dossier on right after (issuing, refused, awaiting
// a supplement...). The answer waits this long at most for the dossier's row to show that.
const DECISION_SETTLE_MS = 2000;
const SETTLE_POLL_MS = 50;

async function statusAfterDecision(prisma: PrismaClient, dossierId: string, before: string): Promise<string> {
  const deadline = Date.now() + DECISION_SETTLE_MS;
  for (;;) {
    const row = await prisma.dossier.findUnique({ where: { id: dossierId }, select: { status: true } });
    if (!row || row.status !== before || Date.now() >= deadline) return row?.status ?? before;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

/** An audit entry of a staff action on a task: who, what, when (the row's default), for which unit. */
function staffAction(caller: Caller, action: string, task: Task, note?: string) {
  return { actor: caller.sub, role: caller.role, action, unitCode: task.unitCode, taskId: task.id, dossierId: task.dossierId, note };
}

/** This caller's own decision, already recorded: repeating it is answered as it was, not as a conflict. */
function isTakenAlready(task: Task, caller: Caller, outcome: string): boolean {
  return task.status === 'done' && task.completedBy === caller.sub && task.outcome === outcome;
}

function ensureOpen(task: Task): void {
  if (task.status === 'done' || task.status === 'cancelled') throw problems.conflict(say.taskAlready(task.id, taskStatusWords(task.status), task.status));
}

/** The step a task belongs to, as the newest version of its procedure that has it defines it. */
function stepOf(task: Task): StepDefinition {
  const step = PROCEDURES.findStep(task.procedure, task.step);
  if (!step) throw problems.conflict(say.taskOfUnknownStep(task.id, task.procedure, task.step));
  return step;
}

/**
 * A task is claimed and decided by the role its step's definition names (a supervisor, who hands
 * tasks out, may also release one): anyone else of its unit gets 403.
 */
function ensureStepRole(task: Task, caller: Caller, action: 'claim' | 'complete' | 'release' | 'view'): void {
  const { role } = stepOf(task);
  const allowed: Role[] = action === 'release' || action === 'view' ? [role, 'supervisor'] : [role];
  if (allowed.includes(caller.role)) return;
  throw problems.forbidden(say.taskForRoles(task.id, `${task.procedure}/${task.step}`, allowed, action, caller.role));
}

/** Every task outcome's data schema, per procedure and step, as one document component. */
function taskOutcomeData() {
  return z
  .object(
    Object.fromEntries(
      PROCEDURES.all.map((p) => [
        p.id,
        z.object(Object.fromEntries(Object.values(p.steps).map((s) => [s.id, z.object(s.outcomes)]))),
      ]),
    ),
  )
  .openapi('TaskOutcomeData', { description: "The `data` each outcome of each procedure's steps takes (`POST /tasks/{taskId}/complete`)" });
}

/** The inbox of clerks and officers: list, claim, release and complete the human steps of dossiers. */
export function staffRoutes(api: ApiDefinition, deps: { prisma: PrismaClient; temporal: Client; evidenceOrigins: readonly string[] }) {
  const router = Router();
  const { prisma } = deps;
  api.registry.register('TaskOutcomeData', taskOutcomeData());

  api.route(router, {
    method: 'get',
    path: '/tasks',
    summary: "Tasks of the caller's units (a supervisor: the whole subtree)",
    description: "A clerk's or an officer's: only those of the steps their role works (each step's `role` in `GET /procedures`).",
    tags: ['staff'],
    auth: STAFF,
    query: ListQuery,
    responses: { 200: { description: 'Oldest due first', schema: z.array(TaskView) } },
    handler: async ({ query, caller, res }) => {
      const scope = await unitScope(prisma, caller);
      if (query.unitCode && !inScope(scope, query.unitCode)) throw problems.forbidden(say.unitOutsideUnits(query.unitCode));
      const role = stepWorker(caller);
      const where: Prisma.TaskWhereInput = {
        status: query.status ?? { in: ['open', 'claimed'] },
        unitCode: query.unitCode ?? (scope.kind === 'units' ? { in: scope.codes } : undefined),
        ...(query.procedure ? { procedure: query.procedure } : {}),
        ...(query.assignee === 'me' ? { assignee: caller.sub } : {}),
        ...(role ? tasksOf(role) : {}),
      };
      const tasks = await prisma.task.findMany({ where, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], take: query.limit });
      res.json(await taskViews(prisma, tasks));
    },
  });

  api.route(router, {
    method: 'get',
    path: '/tasks/:taskId',
    summary: 'One task with what the person deciding it sees (`shown`)',
    description:
      "For those who work its step (each step's `role` in `GET /procedures`) and supervisors of its unit: the filing's fields and " +
      'results its step shows, the registry data the decision rests on, labelled in Vietnamese and English.',
    tags: ['staff'],
    auth: STAFF,
    params: TaskParams,
    responses: {
      200: { description: 'The task', schema: TaskDetail },
      403: { description: "The task's step is for another role, or the task is at another unit of a dossier the caller sees" },
      404: { description: 'Unknown, or of a dossier the caller may not see' },
    },
    handler: async ({ params, caller, res }) => {
      const task = await loadActionableTask(prisma, caller, params.taskId);
      ensureStepRole(task, caller, 'view');
      const view = await oneTaskView(prisma, task);
      res.json({ ...view, shown: await shownOf(prisma, view) });
    },
  });

  api.route(router, {
    method: 'get',
    path: '/tasks/:taskId/evidence/:index',
    summary: "An image of the evidence of a traffic violation's task",
    description:
      'Fetched from the image store the evidence names (one of `EVIDENCE_ORIGINS`) and served only when its sha256 is the one posted. ' +
      'For those who may see the task (`GET /tasks/{taskId}`).',
    tags: ['staff'],
    auth: STAFF,
    params: EvidenceParams,
    responses: {
      200: { description: 'The image', schema: z.string().openapi({ format: 'binary' }), contentType: 'image/jpeg' },
      403: { description: "The task's step is for another role, or the task is at another unit of a dossier the caller sees" },
      404: { description: 'Unknown task or image, an image posted without an address, or stored where the API does not read' },
      502: { description: "The image store did not answer, or its image is not the evidence's (another sha256)" },
    },
    handler: async ({ params, caller, res }) => {
      const task = await loadActionableTask(prisma, caller, params.taskId);
      ensureStepRole(task, caller, 'view');
      const image = await evidenceImage(prisma, task.dossierId, params.index, deps.evidenceOrigins);
      // The same address is always the same bytes (checked by their hash): browsers may keep it, privately.
      res.setHeader('Cache-Control', 'private, max-age=3600, immutable');
      res.type(image.contentType).send(image.bytes);
    },
  });

  api.route(router, {
    method: 'post',
    path: '/tasks/:taskId/claim',
    summary: 'Take a task: it becomes yours until completed or released',
    tags: ['staff'],
    auth: STAFF,
    params: TaskParams,
    responses: {
      200: { description: 'Claimed', schema: TaskView },
      403: { description: "The task's step is for another role (each step's `role` in `GET /procedures`), or the task is at another unit of a dossier the caller sees" },
      404: { description: 'Unknown, or of a dossier the caller may not see' },
      409: { description: 'Done, or claimed by someone else' },
    },
    handler: async ({ params, caller, res }) => {
      const task = await loadActionableTask(prisma, caller, params.taskId);
      ensureStepRole(task, caller, 'claim');
      ensureOpen(task);
      if (task.assignee === caller.sub) return void res.json(await oneTaskView(prisma, task));
      const claimed = await prisma.$transaction(async (tx) => {
        const { count } = await tx.task.updateMany({ where: { id: task.id, status: 'open' }, data: { status: 'claimed', assignee: caller.sub } });
        if (count > 0) await tx.staffAction.create({ data: staffAction(caller, 'claim', task) });
        return count > 0;
      });
      if (!claimed) throw problems.conflict(say.taskClaimedMeanwhile(task.id));
      res.json(await oneTaskView(prisma, await prisma.task.findUniqueOrThrow({ where: { id: task.id } })));
    },
  });

  api.route(router, {
    method: 'post',
    path: '/tasks/:taskId/release',
    summary: 'Give a claimed task back to the unit (its holder, or a supervisor)',
    tags: ['staff'],
    auth: STAFF,
    params: TaskParams,
    responses: {
      200: { description: 'Open again', schema: TaskView },
      403: { description: "The task's step is for another role (a supervisor may release any), or the task is at another unit of a dossier the caller sees" },
      404: { description: 'Unknown, or of a dossier the caller may not see' },
      409: { description: 'Done, or not claimed by the caller' },
    },
    handler: async ({ params, caller, res }) => {
      const task = await loadActionableTask(prisma, caller, params.taskId);
      ensureStepRole(task, caller, 'release');
      ensureOpen(task);
      const mayRelease = task.assignee === caller.sub || (caller.role === 'supervisor' && task.assignee !== null);
      if (!mayRelease) throw problems.conflict(task.assignee ? say.taskClaimedBySomeoneElse(task.id) : say.taskNotClaimed(task.id));
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.task.updateMany({ where: { id: task.id, status: 'claimed', assignee: task.assignee }, data: { status: 'open', assignee: null } });
        const note = task.assignee === caller.sub ? undefined : `released from ${task.assignee}`;
        if (count > 0) await tx.staffAction.create({ data: staffAction(caller, 'release', task, note) });
      });
      res.json(await oneTaskView(prisma, await prisma.task.findUniqueOrThrow({ where: { id: task.id } })));
    },
  });

  api.route(router, {
    method: 'post',
    path: '/tasks/:taskId/complete',
    summary: "Decide a task: one of its outcomes, with the outcome's data",
    tags: ['staff'],
    auth: STAFF,
    params: TaskParams,
    body: CompleteBody,
    responses: {
      200: { description: 'Recorded; the dossier moves on', schema: Completed },
      403: { description: "The task's step is for another role (each step's `role` in `GET /procedures`), or the task is at another unit of a dossier the caller sees" },
      404: { description: 'Unknown, or of a dossier the caller may not see' },
      409: { description: 'Already completed, claimed by someone else, or the dossier was cancelled' },
      422: { description: "The procedure's rules refuse this decision" },
    },
    handler: async ({ params, body, caller, res }) => {
      const task = await loadActionableTask(prisma, caller, params.taskId);
      ensureStepRole(task, caller, 'complete');
      if (isTakenAlready(task, caller, body.outcome)) {
        // The same decision sent again after a 503: Temporal had taken it meanwhile.
        const { status } = await prisma.dossier.findUniqueOrThrow({ where: { id: task.dossierId }, select: { status: true } });
        res.json({ taskId: task.id, outcome: body.outcome, dossierStatus: status });
        return;
      }
      ensureOpen(task);
      if (task.assignee && task.assignee !== caller.sub) throw problems.conflict(say.taskClaimedBy(task.id, task.assignee));
      const data = validateOutcome(task, body);
      const completion = { taskId: task.id, outcome: body.outcome, data, note: body.note, completedBy: caller.sub };
      // The same decision retried is the same Update (Temporal answers it once); another one is checked anew.
      const updateId = `complete/${createHash('sha256').update(JSON.stringify(completion)).digest('hex').slice(0, 24)}`;
      const handle = deps.temporal.workflow.getHandle(task.dossierId);
      const result = await viaUpdate(() => handle.executeUpdate(completeTaskUpdate, { args: [completion], updateId }), handle, PROCEDURES.get(task.procedure));
      res.json({ ...result, dossierStatus: await statusAfterDecision(prisma, task.dossierId, result.dossierStatus) });
    },
  });

  return router;
}

/** The outcome's data checked with the schema the procedure's definition gives it (the workflow parses with the same). */
function validateOutcome(task: Task, body: z.infer<typeof CompleteBody>): Record<string, unknown> {
  const step = stepOf(task);
  const parsed = parseOutcome(step, body.outcome, body.data);
  if (parsed.ok) return parsed.data;
  if (parsed.unknownOutcome) {
    throw problems.badRequest(say.unknownOutcome, [{ path: 'outcome', message: say.outcomeOneOf(Object.keys(step.outcomes)) }]);
  }
  const errors = fieldErrors(parsed.issues, 'body').map((e) => ({ ...e, path: e.path === '(body)' ? 'data' : `data.${e.path}` }));
  throw problems.badRequest(say.outcomeDataInvalid(body.outcome), errors);
}
