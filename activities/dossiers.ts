import { ApplicationFailure } from '@temporalio/common';
import { Prisma, type PrismaClient } from '../prisma/client';
import type { DossierEventInput, DossierUpdate } from '../workflows/shared/types';

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
  /** What the person deciding should know (a finding, a conflict), shown with the task. */
  context?: Record<string, unknown>;
}

export interface TaskCompletionRecord {
  taskId: string;
  outcome: string;
  data?: Record<string, unknown>;
  note?: string;
  completedBy: string;
  completedAt: string;
}

/** A history note as the table keeps it: Vietnamese (or the one text given) in `note`, English in `noteEn`. */
function storedNote(note: DossierEventInput['note']): { note?: string; noteEn?: string } {
  if (note === undefined || typeof note === 'string') return { note };
  return { note: note.vi, noteEn: note.en };
}

const json = (value: Record<string, unknown> | undefined) => value as Prisma.InputJsonValue | undefined;

export function createDossierActivities({ prisma }: { prisma: PrismaClient }) {
  async function updateDossier(update: DossierUpdate): Promise<void> {
    const { dossierId, event, earlier = [], filingChanges, ...fields } = update;
    const events = [...earlier, ...(event ? [event] : [])];
    const data: Prisma.DossierUpdateInput = {
      ...(fields.status ? { status: fields.status } : {}),
      ...(fields.currentStep ? { currentStep: fields.currentStep } : {}),
      ...(fields.dueAt ? { dueAt: new Date(fields.dueAt) } : {}),
      ...(fields.decidedAt ? { decidedAt: new Date(fields.decidedAt) } : {}),
      ...(fields.closedAt ? { closedAt: new Date(fields.closedAt) } : {}),
      ...(fields.result ? { result: json(fields.result) } : {}),
      ...(fields.escalationLevel !== undefined ? { escalationLevel: fields.escalationLevel } : {}),
      ...(fields.awaiting !== undefined ? { awaiting: fields.awaiting === null ? Prisma.DbNull : fields.awaiting } : {}),
    };
    if (filingChanges) data.data = await amendedFiling(dossierId, filingChanges);
    const writes = [
      prisma.dossier.update({ where: { id: dossierId }, data }),
      ...(events.length > 0
        ? [
            // Insert-if-absent: the history is append-only (a retry must not even try to update).
            prisma.dossierEvent.createMany({
              skipDuplicates: true,
              data: events.map((e) => ({
                id: `${dossierId}/${String(e.seq).padStart(4, '0')}`,
                dossierId,
                at: new Date(e.at),
                step: e.step,
                actor: e.actor,
                outcome: e.outcome,
                ...storedNote(e.note),
                unitCode: e.unitCode,
              })),
            }),
          ]
        : []),
    ];
    try {
      await prisma.$transaction(writes);
    } catch (error) {
      // No row to update: the dossier was never filed (no retry brings it). The API writes the row
      // before it starts the workflow, so the run's first write is also its check that the row is there.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') {
        throw ApplicationFailure.nonRetryable(`Dossier ${dossierId} has no stored row: it was never filed`, 'DossierMissing', { cause: error });
      }
      throw error;
    }
  }

  /** The stored filing with the applicant's changes applied (the same changes give the same filing). */
  async function amendedFiling(dossierId: string, changes: Record<string, unknown>): Promise<Prisma.InputJsonValue> {
    const row = await prisma.dossier.findUnique({ where: { id: dossierId }, select: { data: true } });
    if (!row) throw ApplicationFailure.nonRetryable(`No dossier ${dossierId}`, 'DossierMissing');
    return { ...(row.data as Record<string, unknown>), ...changes } as Prisma.InputJsonValue;
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
        context: json(input.context),
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

  return { updateDossier, openTask, recordTaskCompletion, cancelOpenTasks, markTaskReminded, markTaskEscalated };
}
