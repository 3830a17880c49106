import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { formatDuration } from '../../common/text';
import { Prisma, type Dossier, type PrismaClient, type Task } from '../../prisma/client';
import { PROCEDURES } from '../../procedures';
import { z, type ApiDefinition } from '../openapi';
import { problems } from '../problem';
import { Procedure, UnitCode } from '../schemas';
import { inScope, unitScope } from '../scope';

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
