import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { formatDuration } from '../../common/text';
import { Prisma, type Dossier, type PrismaClient, type Task } from '../../prisma/client';
import { PROCEDURES } from '../../procedures';
import { z, type ApiDefinition } from '../openapi';
import type { Caller } from '../auth';
import { problems } from '../problem';
import { Procedure, UnitCode } from '../schemas';
import { inScope, unitScope } from '../scope';
import { defaultWindow, supervisionStats, windowBound } from '../services/supervision-stats';

const STATES = ['overdue', 'at-risk', 'stuck'] as const;
// A dossier due within this window is at risk; one with no human step open and no progress for
// longer than the stuck window is waiting on a system call that keeps failing.
const AT_RISK_WINDOW_MS = 4 * 3600_000;
const STUCK_AFTER_MS = 10 * 60_000;

const Query = z.object({
  state: z.enum(STATES),
  unitCode: UnitCode.optional(),
  procedure: Procedure.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
const Item = z
  .object({
    dossierId: z.string(),
    procedure: z.string(),
    unitCode: z.string(),
    status: z.string(),
    dueAt: z.string(),
    state: z.enum(STATES),
    reason: z.string(),
  })
  .openapi('SupervisedDossier');

const WINDOW_BOUND = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const Bound = z
  .string()
  .regex(WINDOW_BOUND, 'must be a date YYYY-MM-DD or an ISO-8601 date-time with offset')
  .refine((v) => (v.length === 10 ? localDateRoundTrips(v) : !Number.isNaN(Date.parse(v))), 'must be a real date and time');
const StatsQuery = z.object({
  unitCode: UnitCode.optional().openapi({ description: "Root of the answer (default: the caller's unit); must be in the caller's subtree" }),
  procedure: Procedure.optional(),
  from: Bound.optional().openapi({ description: 'Received from (a local date in Asia/Ho_Chi_Minh, or an instant); default 1 January of the current year' }),
  to: Bound.optional().openapi({ description: 'Received before (a local date counts whole: to its end; or an instant); default now' }),
});
const Figures = z
  .object({
    received: z.number().int().openapi({ description: 'Dossiers received in the window (= completed + withdrawn + open)' }),
    completed: z.number().int().openapi({ description: 'Closed with a result: issued, registered or refused (= onTime + late)' }),
    onTime: z.number().int().openapi({ description: 'Completed by their due date' }),
    late: z.number().int().openapi({ description: 'Completed after their due date' }),
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
const Stats = z
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
    if (!unit) throw problems.badRequest(`No unit ${unitCode}`, [{ path: 'query.unitCode', message: `no unit ${unitCode}` }]);
    if (!inScope(await unitScope(prisma, caller), unitCode)) throw problems.forbidden(`Unit ${unitCode} is outside the caller's subtree`);
    return unitCode;
  }
  if (caller.role !== 'system' && caller.unit) {
    await unitScope(prisma, caller); // the token's unit must exist: 403 otherwise
    return caller.unit;
  }
  const top = await prisma.unit.findFirst({ where: { parentCode: null }, orderBy: { code: 'asc' }, select: { code: true } });
  if (!top) throw problems.conflict('No unit tree is configured');
  return top.code;
}

function localDateRoundTrips(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

function overdueReason(d: Dossier & { tasks: Task[] }, now: Date): string {
  const lateTasks = d.tasks.filter((t) => t.dueAt < now);
  if (lateTasks.length > 0) {
    return lateTasks
      .map(
        (t) =>
          `Task ${t.step} (${t.id}) at ${t.unitCode} is late by ${formatDuration(now.getTime() - t.dueAt.getTime())} ` +
          `(due ${t.dueAt.toISOString()}, ${t.assignee ? `claimed by ${t.assignee}` : 'not claimed'}` +
          `${t.escalationLevel > 0 ? `, escalated to level ${t.escalationLevel}` : ''})`,
      )
      .join('; ');
  }
  return `Dossier is late by ${formatDuration(now.getTime() - d.dueAt.getTime())} (due ${d.dueAt.toISOString()}) at step ${d.currentStep}`;
}

/** Heads of units: what is overdue, about to be, or stuck, with the reason in words. */
export function supervisionRoutes(api: ApiDefinition, deps: { prisma: PrismaClient; temporal: Client }) {
  const router = Router();
  api.route(router, {
    method: 'get',
    path: '/supervision/dossiers',
    summary: "Overdue, at-risk or stuck dossiers of the caller's subtree",
    tags: ['supervision'],
    auth: ['supervisor', 'system'],
    query: Query,
    responses: { 200: { description: 'Most urgent first', schema: z.array(Item) } },
    handler: async ({ query, caller, res }) => {
      const scope = await unitScope(deps.prisma, caller);
      if (query.unitCode && !inScope(scope, query.unitCode)) throw problems.forbidden(`Unit ${query.unitCode} is outside the caller's subtree`);
      const now = new Date();
      const units = query.unitCode ? [query.unitCode] : scope.kind === 'units' ? scope.codes : undefined;
      // Scope and state each have their own OR: combined with AND so neither overrides the other.
      const where: Prisma.DossierWhereInput = {
        status: { notIn: [...PROCEDURES.closedStatuses] },
        ...(query.procedure ? { procedure: query.procedure } : {}),
        AND: [
          units ? { OR: [{ unitCode: { in: units } }, { tasks: { some: { unitCode: { in: units }, status: { in: ['open', 'claimed'] } } } }] } : {},
          stateFilter(query.state, now),
        ],
      };
      const dossiers = await deps.prisma.dossier.findMany({
        where,
        include: { tasks: { where: { status: { in: ['open', 'claimed'] } } } },
        orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
        take: query.limit,
      });
      const items = [];
      for (const d of dossiers) {
        const reason = await reasonFor(query.state, d, now, deps.temporal);
        if (reason) items.push({ dossierId: d.id, procedure: d.procedure, unitCode: d.unitCode, status: d.status, dueAt: d.dueAt.toISOString(), state: query.state, reason });
      }
      res.json(items);
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
      const root = await statsRoot(deps.prisma, caller, query.unitCode);
      const now = new Date();
      const window = defaultWindow(now);
      const from = query.from ? windowBound(query.from, false) : window.from;
      const to = query.to ? windowBound(query.to, true) : window.to;
      if (from.getTime() >= to.getTime()) throw problems.badRequest('The window is empty', [{ path: 'query.to', message: 'must be after from' }]);
      res.json(await supervisionStats(deps.prisma, { root, procedure: query.procedure, from, to, now }));
    },
  });
  return router;
}

function stateFilter(state: (typeof STATES)[number], now: Date): Prisma.DossierWhereInput {
  switch (state) {
    case 'overdue':
      return { OR: [{ dueAt: { lt: now } }, { tasks: { some: { status: { in: ['open', 'claimed'] }, dueAt: { lt: now } } } }] };
    case 'at-risk':
      return { dueAt: { gte: now, lt: new Date(now.getTime() + AT_RISK_WINDOW_MS) } };
    case 'stuck':
      // Waiting for a person (a clerk's task, the applicant's answer) is not being stuck.
      return {
        updatedAt: { lt: new Date(now.getTime() - STUCK_AFTER_MS) },
        tasks: { none: { status: { in: ['open', 'claimed'] } } },
        awaiting: { equals: Prisma.DbNull },
      };
  }
}

async function reasonFor(state: (typeof STATES)[number], d: Dossier & { tasks: Task[] }, now: Date, temporal: Client): Promise<string | undefined> {
  if (state === 'overdue') return overdueReason(d, now);
  if (state === 'at-risk') {
    return `Due in ${formatDuration(d.dueAt.getTime() - now.getTime())} (${d.dueAt.toISOString()}), at step ${d.currentStep}`;
  }
  return stuckReason(d, now, temporal);
}

/** What the workflow is waiting on, from Temporal: the pending system call and its last failure. */
async function stuckReason(d: Dossier, now: Date, temporal: Client): Promise<string | undefined> {
  const idle = `No progress for ${formatDuration(now.getTime() - d.updatedAt.getTime())} at step ${d.currentStep}`;
  try {
    const description = await temporal.workflow.getHandle(d.id).describe();
    const pending = description.raw.pendingActivities ?? [];
    const failing = pending.find((a) => (a.attempt ?? 0) > 1);
    if (!failing) return pending.length > 0 ? `${idle}: waiting on ${pending.map((a) => a.activityType?.name).join(', ')}` : idle;
    return `${idle}: ${failing.activityType?.name} has failed ${(failing.attempt ?? 1) - 1} times, last: ${failing.lastFailure?.message ?? 'unknown error'}`;
  } catch {
    return `${idle} (workflow state unavailable)`;
  }
}
