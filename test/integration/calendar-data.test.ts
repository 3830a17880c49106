import { ApplicationFailure } from '@temporalio/common';
import { createCalendarActivities } from '../../activities/calendar';
import { loadCalendar, loadDeadlinePolicy, NATIONAL_SCOPE, planDeadlinesFromDb } from '../../common/deadline-store';
import { parseDeadlinePolicy } from '../../common/calendar';
import { VIETNAM_PUBLIC_HOLIDAYS_2025_2027 } from '../../common/holidays-vn';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { applyMigrations } from '../../prisma/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('calendar and deadline data (migrated database)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('loads exactly the national calendar of common/holidays-vn.ts', async () => {
    const rows = await prisma.calendarDay.findMany({ where: { scope: NATIONAL_SCOPE }, orderBy: { date: 'asc' } });
    const stored = rows.map((r) => ({ date: r.date.toISOString().slice(0, 10), working: r.working, name: r.name }));
    const expected = [...VIETNAM_PUBLIC_HOLIDAYS_2025_2027].sort((a, b) => a.date.localeCompare(b.date));
    expect(stored).toEqual(expected);
  });

  it('stores a valid policy for every step', async () => {
    const rows = await prisma.deadlineSetting.findMany({ orderBy: [{ procedure: 'asc' }, { step: 'asc' }] });
    expect(rows.map((r) => `${r.procedure}/${r.step}`)).toEqual([
      // From the procedures shipped as data: their dossier, tasks, waits and a task's own dossier deadline (`<step>/dossier`);
      // a retired procedure's own keys (civil-status-extract/dossier-archive) stay for its runs still open.
      'birth-registration/dossier',
      'birth-registration/review',
      'birth-registration/supplement',
      'business-registration/dossier',
      'business-registration/review',
      'business-registration/supplement',
      'civil-status-extract/archive-search',
      'civil-status-extract/archive-search/dossier',
      'civil-status-extract/dossier',
      'civil-status-extract/dossier-archive',
      'civil-status-extract/verify-and-sign',
      // Version 2 of the extract (its clerk sees the record and the applicant) counts its own.
      'civil-status-extract@2/archive-search',
      'civil-status-extract@2/archive-search/dossier',
      'civil-status-extract@2/dossier',
      'civil-status-extract@2/verify-and-sign',
      'marital-status-certificate/dossier',
      'marital-status-certificate/review',
      'marital-status-certificate/supplement',
      'marital-status-certificate/verify',
      'marital-status-certificate/verify/dossier',
      // Version 2 of the certificate keeps settings of its own.
      'marital-status-certificate@2/dossier',
      'marital-status-certificate@2/review',
      'marital-status-certificate@2/supplement',
      'marital-status-certificate@2/verify',
      'marital-status-certificate@2/verify/dossier',
      'traffic-fine/confirm',
      'traffic-fine/deliver-notice',
      'traffic-fine/dossier',
      'traffic-fine/find-owner',
      'traffic-fine/read-plate',
      'traffic-fine/response',
      'traffic-fine/review-dispute',
      'traffic-fine/settlement',
    ]);
    for (const row of rows) expect(() => parseDeadlinePolicy(row)).not.toThrow();
    // The notice is due 10 calendar days after the detection (migration 20261127400000 corrected the first data's working days).
    await expect(loadDeadlinePolicy(prisma, 'traffic-fine', 'dossier')).resolves.toMatchObject({ mode: 'calendar-days', workingDays: 10 });
    await expect(loadDeadlinePolicy(prisma, 'traffic-fine', 'nothing')).resolves.toBeNull();
  });

  it("seeds each procedure's declared defaults where no row exists, and keeps a row an operator edited", async () => {
    // business-registration/supplement comes from the definition alone (no data migration has it).
    await expect(loadDeadlinePolicy(prisma, 'business-registration', 'supplement')).resolves.toMatchObject({ mode: 'calendar-days', workingDays: 60 });
    await prisma.deadlineSetting.update({ where: { procedure_step: { procedure: 'business-registration', step: 'supplement' } }, data: { workingDays: 30 } });
    await prisma.deadlineSetting.delete({ where: { procedure_step: { procedure: 'business-registration', step: 'review' } } });
    await applyMigrations(db.url);
    await expect(loadDeadlinePolicy(prisma, 'business-registration', 'supplement')).resolves.toMatchObject({ workingDays: 30 });
    await expect(loadDeadlinePolicy(prisma, 'business-registration', 'review')).resolves.toMatchObject({ mode: 'working-days', workingDays: 3 });
  });

  it('plans verify-and-sign received on Friday 16:00 local for Monday 17:00 local', async () => {
    const plan = await planDeadlinesFromDb(prisma, {
      procedure: 'civil-status-extract',
      step: 'verify-and-sign',
      unitCode: 'ANY-WARD',
      from: new Date('2026-03-13T09:00:00Z'),
    });
    expect(plan.dueAt.toISOString()).toBe('2026-03-16T10:00:00.000Z');
    expect(plan.secondEscalateAt.toISOString()).toBe('2026-03-18T10:00:00.000Z');
  });

  it('counts the stored holidays: an archive search started before Tết 2027', async () => {
    const { planDeadlines } = createCalendarActivities({ prisma });
    await expect(
      planDeadlines({ procedure: 'civil-status-extract', step: 'archive-search', unitCode: 'ANY-WARD', from: '2027-02-03T03:00:00.000Z' }),
    ).resolves.toEqual({
      dueAt: '2027-02-16T10:00:00.000Z',
      remindAt: '2027-02-16T02:00:00.000Z',
      escalateAt: '2027-02-16T10:00:00.000Z',
      secondEscalateAt: '2027-02-18T10:00:00.000Z',
    });
  });

  it("applies a unit's override to that unit only", async () => {
    await prisma.calendarDay.create({
      data: { scope: 'WARD-OVERRIDE', date: new Date('2026-03-16T00:00:00Z'), working: false, name: 'Ngày nghỉ riêng của phường' },
    });
    const plan = (unitCode: string) =>
      planDeadlinesFromDb(prisma, { procedure: 'civil-status-extract', step: 'verify-and-sign', unitCode, from: new Date('2026-03-13T09:00:00Z') });
    expect((await plan('WARD-OVERRIDE')).dueAt.toISOString()).toBe('2026-03-17T10:00:00.000Z');
    expect((await plan('WARD-OTHER')).dueAt.toISOString()).toBe('2026-03-16T10:00:00.000Z');

    const calendar = await loadCalendar(prisma, 'WARD-OVERRIDE', new Date('2026-03-13T09:00:00Z'));
    expect(calendar.ruleFor('2026-03-16')).toEqual({ date: '2026-03-16', working: false, name: 'Ngày nghỉ riêng của phường' });
  });

  it('fails the activity without retry when the step has no setting', async () => {
    const { planDeadlines } = createCalendarActivities({ prisma });
    const error: unknown = await planDeadlines({ procedure: 'civil-status-extract', step: 'no-such-step', unitCode: 'X', from: '2026-03-13T09:00:00Z' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({
      message: 'No deadline setting for civil-status-extract/no-such-step',
      type: 'MissingDeadlineSetting',
      nonRetryable: true,
    });
  });

  it('fails the activity without retry on a malformed setting', async () => {
    await prisma.deadlineSetting.create({
      data: {
        procedure: 'test-procedure',
        step: 'broken',
        mode: 'working-days',
        workingDays: 2,
        cutoffTime: '3pm',
        endOfDayTime: '17:00',
        remindBeforeMinutes: 60,
        secondEscalationAfterWorkingDays: 1,
      },
    });
    const { planDeadlines } = createCalendarActivities({ prisma });
    await expect(planDeadlines({ procedure: 'test-procedure', step: 'broken', unitCode: 'X', from: '2026-03-13T09:00:00Z' })).rejects.toMatchObject({
      type: 'InvalidDeadlineSetting',
      nonRetryable: true,
    });
  });
});
