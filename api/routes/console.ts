import { Router } from 'express';
import { z as plainZod } from 'zod';
import { loadCalendar } from '../../common/deadline-store';
import { OFFICE_HOURS, WORKING_MINUTES_PER_DAY, workingMinutesBetween } from '../../common/working-time';
import type { PrismaClient } from '../../prisma/client';
import { PROCEDURES } from '../../procedures';
import { STAFF_ROLES } from '../auth';
import { z, type ApiDefinition } from '../openapi';
import { DossierId } from '../schemas';
import { isClosed, loadVisibleDossier } from '../services/dossiers';
import { unitScope } from '../scope';

/**
 * What the staff console needs beyond the public endpoints: the procedures' steps with each
 * outcome's data schema as JSON Schema (to build the completion form from the one schema the API
 * validates with), the working time left before a dossier's deadlines, and the staff of the
 * caller's units (to reassign to).
 */

const JsonSchema = z.record(z.string(), z.unknown()).openapi({ description: 'A JSON Schema (draft 7)' });

export const ProcedureCatalog = z
  .array(
    z.object({
      id: z.string(),
      title: z.string(),
      labels: z
        .object({ vi: z.record(z.string(), z.string()), en: z.record(z.string(), z.string()) })
        .openapi({ description: "What people read, per language, by id: the procedure's own id (its name), its steps, statuses, outcomes, history events and fields" }),
      steps: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          role: z.enum(['clerk', 'officer']),
          outcomes: z.array(
            z.object({
              name: z.string(),
              decides: z.boolean().openapi({ description: 'Once accepted, the dossier is decided (the owner can no longer cancel)' }),
              schema: JsonSchema.openapi({ description: "The outcome's `data`, from the procedure's definition (what `POST /tasks/{taskId}/complete` validates with)" }),
            }),
          ),
        }),
      ),
    }),
  )
  .openapi('ProcedureCatalog');

const WorkingTimeLeft = z.object({
  dueAt: z.string(),
  workingMinutesLeft: z.number().int().openapi({ description: 'Working minutes until dueAt; negative: how much working time it is past' }),
});
export const WorkingTime = z
  .object({
    at: z.string().openapi({ description: 'The instant the counts were made' }),
    closed: z.boolean().openapi({ description: 'The dossier is closed: its deadline no longer runs' }),
    dossier: WorkingTimeLeft.extend({
      workingMinutesUsed: z.number().int().openapi({ description: 'Working minutes from receipt until now (a closed dossier: until it closed)' }),
    }),
    tasks: z.array(WorkingTimeLeft.extend({ taskId: z.string(), step: z.string(), unitCode: z.string() })),
    officeHours: z.array(z.object({ from: z.string(), to: z.string() })).openapi({ description: 'Local (Asia/Ho_Chi_Minh) office hours of a working day' }),
    workingMinutesPerDay: z.number().int(),
  })
  .openapi('WorkingTime');

export const StaffMember = z
  .object({ id: z.string(), fullName: z.string(), role: z.enum(STAFF_ROLES), unitCode: z.string() })
  .openapi('StaffMember');

const CONSOLE_ROLES = [...STAFF_ROLES, 'system'] as const;
/** The dossier's owners read its clock too (the citizens' portal): `loadVisibleDossier` decides who sees which. */
const CLOCK_ROLES = [...CONSOLE_ROLES, 'citizen'] as const;

function procedureCatalog(): z.infer<typeof ProcedureCatalog> {
  return PROCEDURES.all.map((p) => ({
    id: p.id,
    title: p.title,
    labels: p.labels,
    steps: Object.values(p.steps).map((s) => ({
      id: s.id,
      title: s.title,
      role: s.role,
      outcomes: Object.entries(s.outcomes).map(([name, schema]) => ({
        name,
        decides: s.decisions.includes(name),
        // What a client may send (`input`), in draft 7, which form libraries (and Ajv's default) take.
        schema: plainZod.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }),
      })),
    })),
  }));
}

const DAY_MS = 86_400_000;

export function consoleRoutes(api: ApiDefinition, deps: { prisma: PrismaClient }) {
  const router = Router();
  const { prisma } = deps;
  const catalog = procedureCatalog();

  api.route(router, {
    method: 'get',
    path: '/procedures',
    summary: "The procedures' human steps and the JSON Schema of each outcome's data",
    description: "Derived from the procedures' definitions, the schemas `POST /tasks/{taskId}/complete` validates with.",
    tags: ['staff'],
    auth: CONSOLE_ROLES,
    dependencies: false,
    responses: { 200: { description: 'One entry per procedure', schema: ProcedureCatalog } },
    handler: ({ res }) => {
      res.json(catalog);
    },
  });

  api.route(router, {
    method: 'get',
    path: '/dossiers/:dossierId/working-time',
    summary: "Working time used since receipt, and left before the dossier's deadline and its open tasks' (the unit's calendar)",
    tags: ['dossiers'],
    auth: CLOCK_ROLES,
    params: z.object({ dossierId: DossierId }),
    responses: { 200: { description: 'The counts', schema: WorkingTime }, 404: { description: 'Unknown, or not visible to the caller' } },
    handler: async ({ params, caller, res }) => {
      const { dossier } = await loadVisibleDossier(prisma, caller, params.dossierId);
      const now = new Date();
      const open = dossier.tasks.filter((t) => t.status === 'open' || t.status === 'claimed');
      const usedUntil = dossier.closedAt && dossier.closedAt < now ? dossier.closedAt : now;
      const instants = [now, dossier.receivedAt, dossier.dueAt, ...open.map((t) => t.dueAt)].map((d) => d.getTime());
      const earliest = new Date(Math.min(...instants));
      const days = Math.min(400, Math.ceil((Math.max(...instants) - earliest.getTime()) / DAY_MS) + 2);
      const calendar = await loadCalendar(prisma, dossier.unitCode, earliest, days);
      const left = (dueAt: Date) => ({ dueAt: dueAt.toISOString(), workingMinutesLeft: workingMinutesBetween(calendar, now, dueAt) });
      res.json({
        at: now.toISOString(),
        closed: isClosed(dossier.status),
        dossier: { ...left(dossier.dueAt), workingMinutesUsed: Math.max(0, workingMinutesBetween(calendar, dossier.receivedAt, usedUntil)) },
        tasks: open.map((t) => ({ taskId: t.id, step: t.step, unitCode: t.unitCode, ...left(t.dueAt) })),
        officeHours: OFFICE_HOURS,
        workingMinutesPerDay: WORKING_MINUTES_PER_DAY,
      });
    },
  });

  api.route(router, {
    method: 'get',
    path: '/staff',
    summary: "Active staff of the caller's units (a supervisor: the whole subtree)",
    description: 'Whom a task can be reassigned to (`GET /units` gives the units).',
    tags: ['identity'],
    auth: CONSOLE_ROLES,
    responses: { 200: { description: 'By unit, then id (the `sub` of their tokens)', schema: z.array(StaffMember) } },
    handler: async ({ caller, res }) => {
      const scope = await unitScope(prisma, caller);
      const staff = await prisma.staff.findMany({
        where: { active: true, ...(scope.kind === 'units' ? { unitCode: { in: scope.codes } } : {}) },
        select: { id: true, fullName: true, role: true, unitCode: true },
        orderBy: [{ unitCode: 'asc' }, { id: 'asc' }],
      });
      res.json(staff);
    },
  });

  return router;
}
