import type { Prisma, PrismaClient } from '../prisma/client';
import type { DossierUpdate, CivilStatusExtractInput } from '../workflows/shared/types';

/**
 * The engine's own records of dossiers and tasks: the projection that inboxes, dossier pages and
 * supervision read. The workflow is the source of truth and writes here through these activities;
 * each write is idempotent (set values, rows keyed by ids the workflow chose), so a retry after a
 * crash writes the same thing again and nothing twice.
 */
export interface OpenTaskInput {
  taskId: string;
  dossierId: string;
  procedure: string;
  step: string;
  unitCode: string;
  outcomes: string[];
  createdAt: string;
  dueAt: string;
}

export interface TaskCompletionRecord {
  taskId: string;
  outcome: string;
  data?: Record<string, unknown>;
  note?: string;
  completedBy: string;
  completedAt: string;
}

const json = (value: Record<string, unknown> | undefined) => value as Prisma.InputJsonValue | undefined;

/** The row of a dossier just received: written by the API on filing and by the workflow's first step. */
export function receivedDossierRow(input: {
  dossierId: string;
  procedure: string;
  unitCode: string;
  applicantPin: string;
  request: object;
  receivedAt: Date;
  dueAt: Date;
}): Prisma.DossierCreateManyInput {
  return {
    id: input.dossierId,
    procedure: input.procedure,
    status: 'received',
    unitCode: input.unitCode,
    applicantPin: input.applicantPin,
    data: input.request as Prisma.InputJsonValue,
    currentStep: 'receive',
    receivedAt: input.receivedAt,
    dueAt: input.dueAt,
  };
}

export function createDossierActivities({ prisma }: { prisma: PrismaClient }) {
  /** The API writes the row when it accepts the filing; this covers an API that died just after. */
  async function registerDossier(input: CivilStatusExtractInput & { procedure: string }): Promise<void> {
    // Insert-if-absent: the API has usually written it already.
    await prisma.dossier.createMany({
      skipDuplicates: true,
      data: receivedDossierRow({ ...input, receivedAt: new Date(input.receivedAt), dueAt: new Date(input.dueAt) }),
    });
  }

  async function updateDossier(update: DossierUpdate): Promise<void> {
    const { dossierId, event, ...fields } = update;
    const eventId = event ? `${dossierId}/${String(event.seq).padStart(4, '0')}` : undefined;
    const data: Prisma.DossierUpdateInput = {
      ...(fields.status ? { status: fields.status } : {}),
      ...(fields.currentStep ? { currentStep: fields.currentStep } : {}),
      ...(fields.dueAt ? { dueAt: new Date(fields.dueAt) } : {}),
      ...(fields.decidedAt ? { decidedAt: new Date(fields.decidedAt) } : {}),
      ...(fields.closedAt ? { closedAt: new Date(fields.closedAt) } : {}),
      ...(fields.result ? { result: json(fields.result) } : {}),
      ...(fields.escalationLevel !== undefined ? { escalationLevel: fields.escalationLevel } : {}),
    };
    await prisma.$transaction([
      prisma.dossier.update({ where: { id: dossierId }, data }),
      ...(event
        ? [
            prisma.dossierEvent.upsert({
              where: { id: eventId },
              create: {
                id: eventId!,
                dossierId,
                at: new Date(event.at),
                step: event.step,
                actor: event.actor,
                outcome: event.outcome,
                note: event.note,
              },
              update: {},
            }),
          ]
        : []),
    ]);
  }

  async function openTask(input: OpenTaskInput): Promise<void> {
    await prisma.task.upsert({
      where: { id: input.taskId },
      create: {
        id: input.taskId,
        dossierId: input.dossierId,
        procedure: input.procedure,
        step: input.step,
        unitCode: input.unitCode,
        status: 'open',
        outcomes: input.outcomes,
        createdAt: new Date(input.createdAt),
        dueAt: new Date(input.dueAt),
      },
      update: {},
    });
  }

  async function recordTaskCompletion(input: TaskCompletionRecord): Promise<void> {
    await prisma.task.update({
      where: { id: input.taskId },
      data: {
        status: 'done',
        outcome: input.outcome,
        data: json(input.data),
        note: input.note,
        completedBy: input.completedBy,
        completedAt: new Date(input.completedAt),
        assignee: input.completedBy,
      },
    });
  }

  /** Cancelling a dossier closes every task still open, claimed or not. */
  async function cancelOpenTasks(input: { dossierId: string; at: string }): Promise<number> {
    const { count } = await prisma.task.updateMany({
      where: { dossierId: input.dossierId, status: { in: ['open', 'claimed'] } },
      data: { status: 'cancelled', completedAt: new Date(input.at) },
    });
    return count;
  }

  async function markTaskReminded(input: { taskId: string; at: string }): Promise<void> {
    await prisma.task.update({ where: { id: input.taskId }, data: { remindedAt: new Date(input.at) } });
  }

  async function markTaskEscalated(input: { taskId: string; level: number }): Promise<void> {
    await prisma.task.update({ where: { id: input.taskId }, data: { escalationLevel: input.level } });
  }

  return { registerDossier, updateDossier, openTask, recordTaskCompletion, cancelOpenTasks, markTaskReminded, markTaskEscalated };
}
