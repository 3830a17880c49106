import { ApplicationFailure } from '@temporalio/common';
import type { Bilingual } from '../common/bilingual';
import { taskOpenedNote } from '../common/task-notes';
import { Prisma, type PrismaClient } from '../prisma/client';
import type { DossierEventInput, DossierUpdate } from '../workflows/shared/types';
import { planStoredDeadlines, type PlanDeadlinesInput, type PlannedDeadlines } from './calendar';

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

/**
 * A human task opened in one call (`openPlannedTask`): its deadline planned, its row, the dossier's
 * row fields and its history lines up to the `task-opened` line, in one transaction.
 */
export interface OpenPlannedTaskInput {
  /** The task's row; its due instant is planned here. */
  task: Omit<OpenTaskInput, 'dueAt'>;
  /** The task's deadline, planned as `planDeadlines` plans it (the procedure's deadline key, the step, its unit, from its creation). */
  deadline: PlanDeadlinesInput;
  /** The dossier's own due instant from here on (a step that gives the office more time): planned here too and written to its row. */
  dossierDeadline?: PlanDeadlinesInput;
  /** The dossier's row fields written with the task: the status and step it enters with it, and whatever else changed. */
  fields?: Omit<DossierUpdate, 'dossierId' | 'event' | 'earlier' | 'filingChanges'>;
  /** History lines written before the task's own: those the run held for its next write, the line its new status carries. */
  earlier?: DossierEventInput[];
  /** The `task-opened` line as the workflow numbered it; its note (the step's title, the unit, the due instant) is written here. */
  opened: { seq: number; at: string; title: Bilingual };
}

export interface OpenedTask extends PlannedDeadlines {
  /** The dossier's due instant, when `dossierDeadline` was planned. */
  dossierDueAt?: string;
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

/** The changed fields of a dossier's row, as Prisma writes them. */
function rowData(fields: Omit<DossierUpdate, 'dossierId' | 'event' | 'earlier' | 'filingChanges'>): Prisma.DossierUpdateInput {
  return {
    ...(fields.status ? { status: fields.status } : {}),
    ...(fields.currentStep ? { currentStep: fields.currentStep } : {}),
    ...(fields.dueAt ? { dueAt: new Date(fields.dueAt) } : {}),
    ...(fields.decidedAt ? { decidedAt: new Date(fields.decidedAt) } : {}),
    ...(fields.closedAt ? { closedAt: new Date(fields.closedAt) } : {}),
    ...(fields.result ? { result: json(fields.result) } : {}),
    ...(fields.escalationLevel !== undefined ? { escalationLevel: fields.escalationLevel } : {}),
    ...(fields.awaiting !== undefined ? { awaiting: fields.awaiting === null ? Prisma.DbNull : fields.awaiting } : {}),
  };
}

/** History lines as rows, each keyed by the dossier and the number the workflow gave it. */
function eventRows(dossierId: string, events: DossierEventInput[]): Prisma.DossierEventCreateManyInput[] {
  return events.map((e) => ({
    id: `${dossierId}/${String(e.seq).padStart(4, '0')}`,
    dossierId,
    at: new Date(e.at),
    step: e.step,
    actor: e.actor,
    outcome: e.outcome,
    ...storedNote(e.note),
    unitCode: e.unitCode,
  }));
}

function taskRow(input: OpenTaskInput): Prisma.TaskCreateManyInput {
  return {
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
  };
}

const dossierMissing = (dossierId: string, cause: unknown) =>
  ApplicationFailure.nonRetryable(`Dossier ${dossierId} has no stored row: it was never filed`, 'DossierMissing', { cause: cause instanceof Error ? cause : undefined });

export function createDossierActivities({ prisma }: { prisma: PrismaClient }) {
  async function updateDossier(update: DossierUpdate): Promise<void> {
    const { dossierId, event, earlier = [], filingChanges, ...fields } = update;
    const events = [...earlier, ...(event ? [event] : [])];
    const data = rowData(fields);
    if (filingChanges) data.data = await amendedFiling(dossierId, filingChanges);
    const writes = [
      prisma.dossier.update({ where: { id: dossierId }, data }),
      // Insert-if-absent: the history is append-only (a retry must not even try to update).
      ...(events.length > 0 ? [prisma.dossierEvent.createMany({ skipDuplicates: true, data: eventRows(dossierId, events) })] : []),
    ];
    try {
      await prisma.$transaction(writes);
    } catch (error) {
      // No row to update: the dossier was never filed (no retry brings it). The API writes the row
      // before it starts the workflow, so the run's first write is also its check that the row is there.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') throw dossierMissing(dossierId, error);
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
    await prisma.task.upsert({ where: { id: input.taskId }, create: taskRow(input), update: {} });
  }

  /**
   * Opens a human task in one call, in one transaction: plans its deadline (as `planDeadlines`), and
   * the dossier's own when a step moves it; writes the task's row, the dossier's row fields (the
   * status it enters with the task) and its history lines, the `task-opened` line last with the due
   * instant in its note. Keyed by the task's id: the task's row is inserted first, and when it is
   * there already an earlier attempt committed all of it, so a retry writes nothing again. Returns
   * the plan the reminders and escalations follow.
   */
  async function openPlannedTask(input: OpenPlannedTaskInput): Promise<OpenedTask> {
    const { task, fields = {}, earlier = [], opened } = input;
    const { dossierId } = task;
    try {
      return await prisma.$transaction(async (tx) => {
        const plan = await planStoredDeadlines(tx, input.deadline);
        const dossierDueAt = input.dossierDeadline ? (await planStoredDeadlines(tx, input.dossierDeadline)).dueAt : undefined;
        const planned: OpenedTask = { ...plan, ...(dossierDueAt ? { dossierDueAt } : {}) };
        const { count } = await tx.task.createMany({ skipDuplicates: true, data: [taskRow({ ...task, dueAt: plan.dueAt })] });
        if (count === 0) return planned;
        const data = rowData({ ...fields, ...(dossierDueAt ? { dueAt: dossierDueAt } : {}) });
        if (Object.keys(data).length > 0) await tx.dossier.update({ where: { id: dossierId }, data });
        const line: DossierEventInput = {
          seq: opened.seq,
          at: opened.at,
          step: task.step,
          actor: 'system',
          outcome: 'task-opened',
          note: taskOpenedNote(opened.title, task.unitCode, plan.dueAt),
          unitCode: task.unitCode,
        };
        await tx.dossierEvent.createMany({ skipDuplicates: true, data: eventRows(dossierId, [...earlier, line]) });
        return planned;
      });
    } catch (error) {
      // The task's row refers to the dossier's: without it the dossier was never filed, and no retry brings it.
      if (error instanceof Prisma.PrismaClientKnownRequestError && ['P2003', 'P2025'].includes(error.code)) {
        if (!(await prisma.dossier.findUnique({ where: { id: dossierId }, select: { id: true } }))) throw dossierMissing(dossierId, error);
      }
      throw error;
    }
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

  return { updateDossier, openTask, openPlannedTask, recordTaskCompletion, cancelOpenTasks, markTaskReminded, markTaskEscalated };
}
