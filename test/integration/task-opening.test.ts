import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Express } from 'express';
import { createCalendarActivities } from '../../activities/calendar';
import { createDossierActivities, type OpenPlannedTaskInput } from '../../activities/dossiers';
import { receivedDossierRow } from '../../common/dossier-rows';
import { formatLocalTime } from '../../common/local-time';
import { TASK_IN_ONE_CALL } from '../../workflows/shared/human-tasks';
import { dossierClient } from '../support/dossier-client';
import { tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { activitiesOf, patchesOf, type RecordedHistory } from '../workflows/history-recording';

// A human task opened in one call (`openPlannedTask`, since TASK_IN_ONE_CALL) on the real database:
// its deadline planned as `planDeadlines` plans it, its row, the dossier's new status and its lines
// written in one transaction, keyed by the task's id so that a retried call writes nothing twice; and
// a civil-status extract filed over HTTP whose clerk's task opens that way, listed in GET /tasks due
// when the deadline setting says.

const WARD = 'W-BEN-THANH';
const APPLICANT = '079088004127'; // Nguyễn Văn An, father of HT-BIRTH-2019-000123 (registered at W-BEN-THANH)

/** A dossier code of its own (the API's shape), for a row this file writes. */
const dossierCode = () => `CSE-000000-${randomUUID().replaceAll('-', '').slice(0, 6).toUpperCase()}`;

describe('a task opened in one call', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'an' | 'clerk', string>;
  const { fileOk, listTasks, waitForTask, getDossier } = dossierClient(() => app, { waitMs: 60_000, openTasksOnly: true, language: 'en' });

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, {
      an: { sub: APPLICANT, role: 'citizen' },
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: WARD },
    });
  }, 120_000);
  afterAll(() => env?.stop(), 60_000);

  /** A dossier's row as the API writes it at filing, with no workflow behind it: the activity alone writes to it. */
  async function storedDossier(): Promise<string> {
    const dossierId = dossierCode();
    const receivedAt = new Date();
    await env.prisma.dossier.createMany({
      data: [
        receivedDossierRow({
          dossierId,
          procedure: 'civil-status-extract',
          unitCode: WARD,
          applicantPin: APPLICANT,
          ownerPins: [APPLICANT],
          request: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' },
          receivedAt,
          dueAt: new Date(receivedAt.getTime() + 86_400_000),
        }),
      ],
    });
    return dossierId;
  }

  /** The call the workflow makes for its first task: the status it enters, the look-up's held line and the received line before the task's. */
  function opening(dossierId: string, createdAt: string): OpenPlannedTaskInput {
    return {
      task: { taskId: `${dossierId}-T1`, dossierId, procedure: 'civil-status-extract', step: 'verify-and-sign', unitCode: WARD, outcomes: ['approve', 'refuse'], createdAt },
      deadline: { procedure: 'civil-status-extract', step: 'verify-and-sign', unitCode: WARD, from: createdAt },
      fields: { status: 'awaiting-signature', currentStep: 'verify-and-sign' },
      earlier: [
        { seq: 1, at: createdAt, step: 'receive', actor: 'citizen', outcome: 'received', note: { vi: `Tiếp nhận tại ${WARD}`, en: `Filed at ${WARD}` }, unitCode: WARD },
        { seq: 2, at: createdAt, step: 'registry-lookup', actor: 'system', outcome: 'found', unitCode: WARD },
      ],
      opened: { seq: 3, at: createdAt, title: { vi: 'Kiểm tra và ký trích lục', en: 'Verify and sign the extract' } },
    };
  }

  it('run twice at once and once more after, writes one task row and each line once; GET /tasks lists it due as planDeadlines plans it', async () => {
    const { openPlannedTask } = createDossierActivities({ prisma: env.prisma });
    const { planDeadlines } = createCalendarActivities({ prisma: env.prisma });
    const dossierId = await storedDossier();
    const createdAt = new Date().toISOString();
    const input = opening(dossierId, createdAt);

    // Two attempts at once (one timed out while still running, the next started), then a retry after a lost answer.
    const overlapping = await Promise.all([openPlannedTask(input), openPlannedTask(input)]);
    const again = await openPlannedTask(input);

    // The plan the two-round path got from planDeadlines, every time.
    const planned = await planDeadlines(input.deadline);
    expect(overlapping).toEqual([planned, planned]);
    expect(again).toEqual(planned);

    const tasks = await env.prisma.task.findMany({ where: { dossierId } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ id: `${dossierId}-T1`, status: 'open', step: 'verify-and-sign', unitCode: WARD, outcomes: ['approve', 'refuse'] });
    expect(tasks[0]!.dueAt.toISOString()).toBe(planned.dueAt);

    const lines = await env.prisma.dossierEvent.findMany({ where: { dossierId }, orderBy: { id: 'asc' } });
    expect(lines.map((l) => `${l.step}:${l.outcome}`)).toEqual(['receive:received', 'registry-lookup:found', 'verify-and-sign:task-opened']);
    expect(lines.filter((l) => l.outcome === 'task-opened')).toHaveLength(1);
    // The note the workflow wrote itself before: the step's title, the unit, the due instant.
    expect(lines[2]).toMatchObject({
      note: `Kiểm tra và ký trích lục tại ${WARD}, hạn ${formatLocalTime(planned.dueAt)}`,
      noteEn: `Verify and sign the extract at ${WARD}, due ${formatLocalTime(planned.dueAt)}`,
      unitCode: WARD,
      actor: 'system',
    });
    expect(await env.prisma.dossier.findUnique({ where: { id: dossierId } })).toMatchObject({ status: 'awaiting-signature', currentStep: 'verify-and-sign' });

    const listed = (await listTasks(t.clerk)).filter((task) => task.dossierId === dossierId);
    expect(listed).toEqual([expect.objectContaining({ taskId: `${dossierId}-T1`, step: 'verify-and-sign', status: 'open', dueAt: planned.dueAt, overdue: false })]);
  });

  it("plans the dossier's own due instant with the task when its step moves it, and writes it to the row", async () => {
    const { openPlannedTask } = createDossierActivities({ prisma: env.prisma });
    const { planDeadlines } = createCalendarActivities({ prisma: env.prisma });
    const dossierId = await storedDossier();
    const createdAt = new Date().toISOString();
    const dossierDeadline = { procedure: 'civil-status-extract', step: 'archive-search/dossier', unitCode: WARD, from: createdAt };

    const opened = await openPlannedTask({ ...opening(dossierId, createdAt), dossierDeadline });

    const dossierDue = (await planDeadlines(dossierDeadline)).dueAt;
    expect(opened.dossierDueAt).toBe(dossierDue);
    expect((await env.prisma.dossier.findUnique({ where: { id: dossierId } }))!.dueAt.toISOString()).toBe(dossierDue);
    expect((await getDossier(t.clerk, dossierId)).dueAt).toBe(dossierDue);
  });

  it('refuses a dossier that was never filed (DossierMissing, not retried) and writes nothing', async () => {
    const { openPlannedTask } = createDossierActivities({ prisma: env.prisma });
    const dossierId = dossierCode();

    const failure = await openPlannedTask(opening(dossierId, new Date().toISOString())).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'DossierMissing', nonRetryable: true });
    expect(await env.prisma.task.count({ where: { dossierId } })).toBe(0);
    expect(await env.prisma.dossierEvent.count({ where: { dossierId } })).toBe(0);
  });

  it("a civil-status extract filed over HTTP: the clerk's task opens in one call, listed in GET /tasks due when its setting says, the dossier's lines as before", async () => {
    const { planDeadlines } = createCalendarActivities({ prisma: env.prisma });
    const dossierId = await fileOk(t.an, { procedure: 'civil-status-extract', unitCode: WARD, data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' } });

    const task = await waitForTask(t.clerk, dossierId, 'verify-and-sign');
    // Version 2 of the extract keeps its deadline settings under its own key.
    const planned = await planDeadlines({ procedure: 'civil-status-extract@2', step: 'verify-and-sign', unitCode: WARD, from: task.createdAt });
    expect(task).toMatchObject({ taskId: `${dossierId}-T1`, unitCode: WARD, status: 'open', dueAt: planned.dueAt, outcomes: ['approve', 'refuse'] });

    const dossier = await getDossier(t.clerk, dossierId);
    expect(dossier).toMatchObject({ status: 'awaiting-signature', currentStep: 'verify-and-sign' });
    expect(dossier.history.map((h) => `${h.step}:${h.outcome}`)).toEqual(['receive:received', 'verify-applicant:verified', 'registry-lookup:found', 'verify-and-sign:task-opened']);
    expect(dossier.openTasks).toEqual([expect.objectContaining({ taskId: task.taskId, dueAt: planned.dueAt })]);

    const history = JSON.parse(historyToJSON(await env.temporal.client.workflow.getHandle(dossierId).fetchHistory())) as RecordedHistory;
    expect(patchesOf(history)).toContain(TASK_IN_ONE_CALL);
    const activities = activitiesOf(history);
    expect(activities).toContain('openPlannedTask');
    expect(activities).not.toContain('openTask');
    expect(activities).not.toContain('planDeadlines');
  });
});
