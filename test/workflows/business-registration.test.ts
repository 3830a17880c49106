import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { PlanDeadlinesInput } from '../../activities/calendar';
import { addCalendarDays, localDateOf, type LocalDate } from '../../common/calendar';
import { formatLocalTime as formatLocal } from '../../common/local-time';
import { businessRegistration, type BusinessRegistrationFiling } from '../../procedures/business-registration/definition';
import { businessRegistrationWorkflow, type BusinessRegistrationInput } from '../../procedures/business-registration/workflow';
import { cancelDossierUpdate, completeTaskUpdate, dossierStateQuery, FailureTypes, supplementUpdate } from '../../workflows/shared/messages';
import { createFakeActivities, DEFAULT_APPLICANT_EMAIL, NATIONAL_CALENDAR, planStep, unitMailbox, type FakeActivities } from '../support/fake-activities';
import { expectNear, expectRejected, local, MINUTE, recordHistory, useTimeSkipping, waitFor, waitForState, waitForTask } from './helpers';

// The business-registration workflow (procedures/business-registration/README.md) on the time-skipping server, every activity
// replaced by an in-memory fake: founders verified, the name checked, a clerk's review (approve,
// supplement, refuse), the applicant's supplement or its lapse, and the 3-working-day clock.
//
// One environment for the paths, whose clock stays near the real time; each test that moves the
// clock far gets an environment of its own. No test leaves a workflow running.

type Handle = WorkflowHandle<typeof businessRegistrationWorkflow>;

const PROCEDURE = 'business-registration';
const OFFICE = 'HCMC-DOF';
const WARD = 'W-BEN-THANH';
const CITY = 'HCMC';
const FILER_PIN = '079179006018';
const SECOND_FOUNDER_PIN = '079088004127';
const CLERK = 'clerk.hcmc-dof';
const WARD_CLERK = 'clerk.w-ben-thanh';
const PUBLIC_BASE_URL = 'https://dichvucong.example';
const DAY = 24 * 60 * MINUTE;

/** The demo's filing, as the API hands it to the workflow (parsed with the procedure's schema). */
const FILING: BusinessRegistrationFiling = businessRegistration.filing.parse(businessRegistration.example.body.data);

/** A household business: one founder, reviewed by the ward of its head office. */
const HOUSEHOLD: BusinessRegistrationFiling = {
  kind: 'HOUSEHOLD_BUSINESS',
  proposedName: 'Hộ kinh doanh Phở Bà Tư',
  headOffice: { unitCode: WARD, street: '45 Lê Lợi' },
  businessLines: ['5610'],
  charterCapital: 100_000_000,
  founders: [{ pin: FILER_PIN, capitalShare: 100_000_000 }],
  legalRepresentativePin: FILER_PIN,
};

// One time-skipping server for the file (see the deadline tests for the exceptions).
const { environmentPerTest, envNow, sleepUntil, resultOf, finished, withWorkflow: runWorkflow } = useTimeSkipping();

// ---------------------------------------------------------------------------------------------
// Helpers
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MINUTE);

const dossierId = (label: string) => `BRG-TEST-${label}-${randomUUID().slice(0, 8)}`;

function registrationInput(id: string, receivedAt: Date, request = FILING, unitCode = OFFICE): BusinessRegistrationInput {
  const dueAt = planStep(PROCEDURE, 'dossier', receivedAt).dueAt.toISOString();
  // Filed by an applicant who reads English (Accept-Language): their mails and reasons are in English.
  return { dossierId: id, unitCode, receivedAt: receivedAt.toISOString(), dueAt, request, publicBaseUrl: PUBLIC_BASE_URL, language: 'en' };
}

/** Waits until the review task is open in the workflow and in the (fake) inbox, as a clerk finds it. */
const waitForReview = (handle: Handle, fake: FakeActivities, taskId: string) => waitForTask(handle, fake, { taskId });

function complete(handle: Handle, taskId: string, outcome: string, data?: Record<string, unknown>, completedBy = CLERK) {
  return handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data, completedBy }] });
}

function supplement(handle: Handle, data: Record<string, unknown>, answeredBy = FILER_PIN) {
  return handle.executeUpdate(supplementUpdate, { args: [{ data, answeredBy }] });
}

/** The clerk asks for a supplement; resolves once the dossier waits for the applicant. */
async function requestSupplement(handle: Handle, taskId: string, items: Array<{ field: string; problem: string }>) {
  await complete(handle, taskId, 'request-supplement', { items });
  return waitForState(handle, (s) => s.status === 'awaiting-supplement' && s.awaiting !== null, 'the supplement request');
}

const outcomes = (fake: FakeActivities, id: string) => fake.history(id).map((e) => `${e.step}/${e.actor}/${e.outcome}`);
const mailKeys = (fake: FakeActivities, id: string) => fake.mails.map((m) => m.idempotencyKey).filter((k) => k.startsWith(`${id}/`));
const staffNotices = (fake: FakeActivities) => fake.notifyCalls.filter((c) => c.activity !== 'notifyApplicant');
/** The instant the wait for a supplement was planned from (the clerk's request, workflow time). */
const supplementPlannedFrom = (fake: FakeActivities) =>
  new Date(fake.callsOf('planDeadlines').map((c) => c.input as PlanDeadlinesInput).find((i) => i.step === 'supplement')!.from);
/** 60 calendar days after the request's date, at the end of the day. */
const supplementDueAfter = (requestedAt: Date) => local(addCalendarDays(localDateOf(requestedAt), 60), '17:00');

/** Runs one registration workflow, filed by FILER_PIN, on a worker of its own (see useTimeSkipping().withWorkflow). */
function withWorkflow<T>(fake: FakeActivities, input: BusinessRegistrationInput, body: (handle: Handle) => Promise<T>): Promise<T> {
  return runWorkflow(fake, { workflow: businessRegistrationWorkflow, procedure: PROCEDURE, input, applicantPin: FILER_PIN }, body);
}

const NEW_NAME = 'Công ty TNHH Cà phê Sương Sớm Bến Thành';
const NAME_ITEM = { field: 'proposedName', problem: 'too close to a registered name' };
const FIRST_ROUND = ['receive/citizen/received', 'verify-founders/system/verified', 'name-check/system/no-conflict', 'review/system/task-opened'];
const ROUND = FIRST_ROUND.slice(1);
const supplementRound = [`review/clerk:${CLERK}/request-supplement`, 'supplement/system/supplement-requested', 'supplement/citizen/supplement-received'];
const REGISTERED = [`review/clerk:${CLERK}/approve`, 'register/system/registered', 'issue/system/issued'];

// ---------------------------------------------------------------------------------------------
// Paths

describe('businessRegistrationWorkflow', () => {
  it('1. approved at once: founders verified, no name conflict, reviewed at HCMC-DOF, registered, certificate issued', async () => {
    const id = dossierId('approved');
    const fake = createFakeActivities();
    const input = registrationInput(id, await envNow(), { ...FILING, contactEmail: 'do.thanh.huong@example.com' });

    const result = await withWorkflow(fake, input, async (handle) => {
      const task = await waitForReview(handle, fake, `${id}-T1`);
      expect(task).toMatchObject({ step: 'review', unitCode: OFFICE });
      const row = fake.tasks.get(task.taskId)!;
      expect(task.dueAt).toBe(planStep(PROCEDURE, 'review', new Date(row.createdAt)).dueAt.toISOString());
      expect(row).toMatchObject({ status: 'open', unitCode: OFFICE, outcomes: ['approve', 'request-supplement', 'refuse'], context: { round: 1, nameConflicts: [] } });
      expect(await handle.query(dossierStateQuery)).toMatchObject({ status: 'in-review', currentStep: 'review', decided: false, awaiting: null });

      expect(await complete(handle, task.taskId, 'approve')).toEqual({ taskId: task.taskId, outcome: 'approve', dossierStatus: 'in-review' });
      const outcome = await resultOf(handle);
      await recordHistory(handle, 'business-registration-approved.json');
      return outcome;
    });

    const business = fake.businesses.get(id)!;
    expect(business).toMatchObject({ name: FILING.proposedName, enterpriseCode: expect.stringMatching(/^\d{10}$/) });
    const document = fake.documents.get(id)!;
    expect(document.recordId).toBe(business.enterpriseCode);
    expect(result).toEqual({ dossierId: id, status: 'registered', enterpriseCode: business.enterpriseCode, documentCode: document.code });
    expect(fake.callsOf('verifyFounders').map((c) => c.input)).toEqual([{ dossierId: id }]);
    expect(fake.callsOf('registerBusiness').map((c) => c.input)).toEqual([{ dossierId: id, registrationUnitCode: OFFICE }]);

    expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, ...REGISTERED]);
    expect(fake.history(id)[0]).toMatchObject({ note: `Tiếp nhận tại ${OFFICE}`, noteEn: `Filed at ${OFFICE}` });
    expect(fake.history(id).find((e) => e.outcome === 'registered')!.noteEn).toBe(`Enterprise code ${business.enterpriseCode}`);
    expect(fake.history(id).at(-1)!.noteEn).toContain(document.code);

    // Receipt, then the result, to the contact address the filing gave.
    const to = 'do.thanh.huong@example.com';
    expect(fake.mails.map((m) => [m.idempotencyKey, m.to])).toEqual([[`${id}/receipt`, to], [`${id}/result`, to]]);
    // Mail the workflow writes names no person and no business name (they stay in the database).
    expect(fake.mails[0]!.text).toContain(`business registration application (dossier ${id})`);
    expect(fake.mails.map((m) => m.text).join('\n')).not.toContain(FILING.proposedName);
    expect(fake.mails[0]!.text).toContain(`It is due ${formatLocal(input.dueAt)}`);
    expect(fake.mails[1]).toMatchObject({ subject: expect.stringContaining('is registered'), text: expect.stringContaining(`enterprise code ${business.enterpriseCode}`) });
    expect(fake.mails[1]!.text).toContain(`${PUBLIC_BASE_URL}/verify/${document.code}`);

    const row = fake.dossiers.get(id)!;
    expect(row).toMatchObject({ status: 'registered', currentStep: 'closed', dueAt: input.dueAt, filingChanges: [] });
    expect(row.result).toMatchObject({ enterpriseCode: business.enterpriseCode, documentCode: document.code });
    expect(row.decidedAt).toBeDefined();
    expect(fake.tasks.get(`${id}-T1`)).toMatchObject({ status: 'done', outcome: 'approve', completedBy: CLERK });
    expect(staffNotices(fake)).toEqual([]);
  });

  it('2. one supplement of the name, then approved: the office waits 60 days at most, the filing gets the new name', async () => {
    const id = dossierId('supplement');
    const fake = createFakeActivities();
    const input = registrationInput(id, await envNow());

    const result = await withWorkflow(fake, input, async (handle) => {
      await waitForReview(handle, fake, `${id}-T1`);
      const waiting = await requestSupplement(handle, `${id}-T1`, [NAME_ITEM]);
      const dueAt = supplementDueAfter(supplementPlannedFrom(fake)).toISOString();
      expect(waiting).toMatchObject({ status: 'awaiting-supplement', currentStep: 'supplement', openTasks: [], decided: false });
      expect(waiting.awaiting).toEqual({ kind: 'supplement', items: [NAME_ITEM], dueAt, round: 1 });
      expect(fake.dossiers.get(id)).toMatchObject({ status: 'awaiting-supplement', dueAt, awaiting: waiting.awaiting });
      await waitFor(() => fake.mailsTo(`${id}/supplement-1`).length === 1, 'the supplement request mail');
      expect(fake.mailsTo(`${id}/supplement-1`)[0]!.text).toContain(`Proposed name (${NAME_ITEM.problem})`);
      expect(fake.mailsTo(`${id}/supplement-1`)[0]!.text).toContain(`Please answer by ${formatLocal(dueAt)}`);

      expect(await supplement(handle, { proposedName: `  ${NEW_NAME} ` })).toEqual({ dossierId: id, status: 'awaiting-supplement' });
      const task = await waitForReview(handle, fake, `${id}-T2`);
      expect(task.unitCode).toBe(OFFICE);
      expect(fake.tasks.get(task.taskId)!.context).toEqual({ round: 2, nameConflicts: [] });
      expect((await handle.query(dossierStateQuery)).awaiting).toBeNull();
      await complete(handle, task.taskId, 'approve');
      const outcome = await resultOf(handle);
      await recordHistory(handle, 'business-registration-supplement.json');
      return outcome;
    });

    expect(result).toMatchObject({ dossierId: id, status: 'registered', enterpriseCode: fake.businesses.get(id)!.enterpriseCode });
    expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, ...supplementRound, ...ROUND, ...REGISTERED]);
    expect(fake.history(id).find((e) => e.outcome === 'supplement-requested')!.noteEn).toContain('Proposed name');
    expect(fake.history(id).find((e) => e.outcome === 'supplement-received')).toMatchObject({ note: 'Lần 1: đã sửa Tên dự kiến', noteEn: 'Round 1: Proposed name changed' });
    // The answer, trimmed, is now the filing; the founders were verified and the name checked again.
    const row = fake.dossiers.get(id)!;
    expect(row).toMatchObject({ status: 'registered', awaiting: null, request: { proposedName: NEW_NAME }, filingChanges: [{ proposedName: NEW_NAME }] });
    expect(fake.callsOf('checkBusinessName')).toHaveLength(2);
    expect(fake.businesses.get(id)!.name).toBe(NEW_NAME);
    expect(mailKeys(fake, id)).toEqual([`${id}/receipt`, `${id}/supplement-1`, `${id}/result`]);
    expect(fake.mailsTo(`${id}/result`)[0]!.text).toContain(fake.businesses.get(id)!.enterpriseCode);
    expect(fake.tasks.get(`${id}-T1`)).toMatchObject({ status: 'done', outcome: 'request-supplement', data: { items: [NAME_ITEM] } });
  });

  it('3. two rounds of supplements: each round requested and answered in the history, a new review each time', async () => {
    const id = dossierId('two-rounds');
    const fake = createFakeActivities();
    const capitalItems = [
      { field: 'charterCapital', problem: 'the bank confirmation shows 800,000,000 VND' },
      { field: 'founders', problem: "the founders' shares must match the capital" },
    ];
    const founders = [
      { pin: FILER_PIN, capitalShare: 500_000_000 },
      { pin: SECOND_FOUNDER_PIN, capitalShare: 300_000_000 },
    ];

    const result = await withWorkflow(fake, registrationInput(id, await envNow()), async (handle) => {
      await waitForReview(handle, fake, `${id}-T1`);
      await requestSupplement(handle, `${id}-T1`, [NAME_ITEM]);
      await supplement(handle, { proposedName: NEW_NAME });
      await waitForReview(handle, fake, `${id}-T2`);
      const second = await requestSupplement(handle, `${id}-T2`, capitalItems);
      expect(second.awaiting).toMatchObject({ round: 2, items: capitalItems });
      // Each field is checked on its own here (the workflow holds no founders' IDs); the API checks the whole filing.
      await expectRejected(supplement(handle, { charterCapital: -5 }), [FailureTypes.invalidAnswer]);
      await supplement(handle, { charterCapital: 800_000_000, founders });
      await waitForReview(handle, fake, `${id}-T3`);
      expect(fake.tasks.get(`${id}-T3`)!.context).toEqual({ round: 3, nameConflicts: [] });
      await complete(handle, `${id}-T3`, 'approve');
      return resultOf(handle);
    });

    expect(result.status).toBe('registered');
    expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, ...supplementRound, ...ROUND, ...supplementRound, ...ROUND, ...REGISTERED]);
    expect(fake.history(id).filter((e) => e.outcome === 'supplement-received').map((e) => e.noteEn)).toEqual([
      'Round 1: Proposed name changed',
      'Round 2: Charter capital, Founders changed',
    ]);
    expect(fake.history(id).filter((e) => e.outcome === 'supplement-requested')[1]!.noteEn).toContain('Charter capital (the bank confirmation');
    expect(fake.dossiers.get(id)!.filingChanges).toEqual([{ proposedName: NEW_NAME }, { charterCapital: 800_000_000, founders }]);
    expect(fake.dossiers.get(id)!.request).toMatchObject({ proposedName: NEW_NAME, charterCapital: 800_000_000, founders });
    expect(mailKeys(fake, id)).toEqual([`${id}/receipt`, `${id}/supplement-1`, `${id}/supplement-2`, `${id}/result`]);
  });

  it('5. refused with a reason: a household business, reviewed by its ward; the reason is mailed', async () => {
    const id = dossierId('refused');
    const fake = createFakeActivities();
    const reason = 'The head office at 45 Lê Lợi is a residential apartment where food service is not permitted.';

    const result = await withWorkflow(fake, registrationInput(id, await envNow(), HOUSEHOLD, WARD), async (handle) => {
      const task = await waitForReview(handle, fake, `${id}-T1`);
      expect(task.unitCode).toBe(WARD);
      await expectRejected(complete(handle, task.taskId, 'refuse', {}, WARD_CLERK), [FailureTypes.invalidTaskData]);
      await complete(handle, task.taskId, 'refuse', { reason }, WARD_CLERK);
      return finished(handle, 'business-registration-refused.json');
    });

    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, `review/clerk:${WARD_CLERK}/refuse`, `review/clerk:${WARD_CLERK}/refused`]);
    expect(fake.history(id).at(-1)!.note).toBe(reason);
    expect(mailKeys(fake, id)).toEqual([`${id}/receipt`, `${id}/result`]);
    expect(fake.mailsTo(`${id}/result`)[0]).toMatchObject({ to: DEFAULT_APPLICANT_EMAIL, text: expect.stringContaining(reason) });
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'refused', currentStep: 'closed', result: { refused: true, reason } });
    expect(fake.businesses.size).toBe(0);
    expect(fake.documents.size).toBe(0);
  });

  it('6. a founder unknown to the population data: refused naming "founder no. 2", no name-check finding, no review task', async () => {
    const id = dossierId('unknown-founder');
    const fake = createFakeActivities({ unknownPins: [SECOND_FOUNDER_PIN] });

    const result = await withWorkflow(fake, registrationInput(id, await envNow()), resultOf);

    expect(result).toMatchObject({ dossierId: id, status: 'refused' });
    expect(result.reason).toContain('founder no. 2 (ID ending 4127)');
    expect(result.reason).not.toContain('legal representative');
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-founders/system/refused']);
    expect(fake.tasks.size).toBe(0);
    // The name was checked beside the founders (side-by-side runs); its finding is neither kept nor told.
    expect(JSON.stringify(fake.history(id))).not.toContain('name-check');
    expect(mailKeys(fake, id).sort()).toEqual([`${id}/receipt`, `${id}/result`]);
    expect(fake.mailsTo(`${id}/result`)[0]!.text).toContain('founder no. 2');
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'refused', result: { refused: true } });
  });

  it('7. a name conflict is shown to the clerk (task context and history), who decides', async () => {
    const id = dossierId('name-conflict');
    const conflict = { enterpriseCode: '0316987452', name: 'Công ty cổ phần Cà phê Hạt Sương' };
    const fake = createFakeActivities({ nameConflicts: [[conflict]] });
    const reason = `The name differs from ${conflict.name} (${conflict.enterpriseCode}) only by the kind word.`;

    const result = await withWorkflow(fake, registrationInput(id, await envNow()), async (handle) => {
      // The check refuses nothing by itself: the review task opens, with the finding.
      await waitForReview(handle, fake, `${id}-T1`);
      expect(fake.tasks.get(`${id}-T1`)!.context).toEqual({ round: 1, nameConflicts: [conflict] });
      await complete(handle, `${id}-T1`, 'refuse', { reason });
      return resultOf(handle);
    });

    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    const check = fake.history(id).find((e) => e.step === 'name-check')!;
    expect(check).toMatchObject({ actor: 'system', outcome: 'conflict' });
    expect(check.noteEn).toBe(`The proposed name conflicts with: ${conflict.name} (${conflict.enterpriseCode})`);
    expect(outcomes(fake, id).slice(0, 4)).toEqual(['receive/citizen/received', 'verify-founders/system/verified', 'name-check/system/conflict', 'review/system/task-opened']);
  });

  it('8. cancelled while waiting for a supplement: cancelled, nothing awaited any more, cancel mail', async () => {
    const id = dossierId('cancel-supplement');
    const fake = createFakeActivities();
    const reason = 'We will register as a household business instead';

    const { result, state } = await withWorkflow(fake, registrationInput(id, await envNow()), async (handle) => {
      await waitForReview(handle, fake, `${id}-T1`);
      await requestSupplement(handle, `${id}-T1`, [NAME_ITEM]);
      expect(await handle.executeUpdate(cancelDossierUpdate, { args: [{ reason }] })).toEqual({ dossierId: id, status: 'cancelled' });
      await expectRejected(supplement(handle, { proposedName: NEW_NAME }), [FailureTypes.dossierClosed], { allowCompleted: true });
      return { result: await finished(handle, 'business-registration-cancelled.json'), state: await handle.query(dossierStateQuery) };
    });

    expect(result).toEqual({ dossierId: id, status: 'cancelled' });
    expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, ...supplementRound.slice(0, 2), 'cancel/citizen/cancelled']);
    expect(fake.history(id).at(-1)!.note).toBe(reason);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'cancelled', currentStep: 'closed', awaiting: null, filingChanges: [] });
    expect(mailKeys(fake, id)).toEqual([`${id}/receipt`, `${id}/supplement-1`, `${id}/cancelled`]);
    expect(fake.cancelOpenTasksCalls).toEqual([expect.objectContaining({ dossierId: id, cancelled: 0 })]);
    // What the workflow itself reports once closed: nothing awaited any more.
    expect(state).toMatchObject({ status: 'cancelled', currentStep: 'closed', openTasks: [], awaiting: null });
  });

  it('9. update validation: supplement outside what was asked, empty request, supplement not asked for', async () => {
    const id = dossierId('validation');
    const fake = createFakeActivities();

    const result = await withWorkflow(fake, registrationInput(id, await envNow()), async (handle) => {
      const task = await waitForReview(handle, fake, `${id}-T1`);
      // Nothing asked yet.
      await expectRejected(supplement(handle, { proposedName: NEW_NAME }), [FailureTypes.notAwaiting]);
      // A request must name at least one field of the filing.
      await expectRejected(complete(handle, task.taskId, 'request-supplement', { items: [] }), [FailureTypes.invalidTaskData]);
      await expectRejected(complete(handle, task.taskId, 'request-supplement', { items: [{ field: 'website', problem: 'missing' }] }), [FailureTypes.invalidTaskData]);
      expect(fake.tasks.get(task.taskId)!.status).toBe('open');

      await requestSupplement(handle, task.taskId, [NAME_ITEM]);
      // Only the fields asked for, each valid as at filing.
      await expectRejected(supplement(handle, { proposedName: NEW_NAME, charterCapital: 900_000_000 }), [FailureTypes.invalidAnswer]);
      await expectRejected(supplement(handle, { legalRepresentativePin: SECOND_FOUNDER_PIN }), [FailureTypes.invalidAnswer]);
      await expectRejected(supplement(handle, { proposedName: '12' }), [FailureTypes.invalidAnswer]);
      await expectRejected(supplement(handle, {}), [FailureTypes.invalidAnswer]);
      expect(fake.dossiers.get(id)!.filingChanges).toEqual([]);
      expect((await handle.query(dossierStateQuery)).awaiting).toMatchObject({ round: 1 });

      await supplement(handle, { proposedName: NEW_NAME });
      await waitForReview(handle, fake, `${id}-T2`);
      await expectRejected(supplement(handle, { proposedName: 'Công ty TNHH Cà phê Khác' }), [FailureTypes.notAwaiting]);
      await complete(handle, `${id}-T2`, 'approve');
      return resultOf(handle);
    });

    expect(result.status).toBe('registered');
    expect(fake.dossiers.get(id)!.filingChanges).toEqual([{ proposedName: NEW_NAME }]);
    expect(fake.history(id).filter((e) => e.outcome === 'supplement-received')).toHaveLength(1);
  });

  // -------------------------------------------------------------------------------------------
  // Deadlines: each test moves the clock of an environment of its own (a clock only moves forward).
  describe('deadlines', () => {
    environmentPerTest();

    /** The coming Monday after which two weeks hold no holiday nor compensatory day. */
    async function comingPlainMonday(): Promise<LocalDate> {
      let day = addCalendarDays(localDateOf(await envNow()), 1);
      const plain = (d: LocalDate) => [...Array(14).keys()].every((i) => !NATIONAL_CALENDAR.ruleFor(addCalendarDays(d, i)));
      while (new Date(`${day}T00:00:00Z`).getUTCDay() !== 1 || !plain(day)) day = addCalendarDays(day, 1);
      return day;
    }

    it('4. the supplement lapses: reminder a week before, lapsed at the due instant, lapse mail, no task left open', async () => {
      const id = dossierId('lapse');
      const fake = createFakeActivities();
      const happened = (outcome: string) => fake.history(id).some((e) => e.outcome === outcome);

      const result = await withWorkflow(fake, registrationInput(id, await envNow()), async (handle) => {
        await waitForReview(handle, fake, `${id}-T1`);
        const { awaiting } = await requestSupplement(handle, `${id}-T1`, [NAME_ITEM]);
        const dueAt = supplementDueAfter(supplementPlannedFrom(fake));
        expect(awaiting!.dueAt).toBe(dueAt.toISOString());
        const remindAt = new Date(dueAt.getTime() - 7 * DAY);

        await sleepUntil(plus(remindAt, -1));
        expect(fake.mailsTo(`${id}/supplement-1/reminder`)).toEqual([]);
        await sleepUntil(plus(remindAt, 1));
        await waitFor(() => happened('reminder-sent'), 'the reminder in the history');
        const reminder = fake.mailsTo(`${id}/supplement-1/reminder`);
        expect(reminder).toHaveLength(1);
        expectNear(reminder[0]!.at, remindAt);
        expect(reminder[0]!.text).toContain(`lapses if no answer arrives by ${formatLocal(dueAt)}`);

        await sleepUntil(plus(dueAt, -1));
        expect((await handle.query(dossierStateQuery)).status).toBe('awaiting-supplement');
        await sleepUntil(plus(dueAt, 1));
        const outcome = await finished(handle, 'business-registration-supplement-lapsed.json');
        await expectRejected(supplement(handle, { proposedName: NEW_NAME }), [FailureTypes.dossierClosed], { allowCompleted: true });
        return { outcome, dueAt, state: await handle.query(dossierStateQuery) };
      });

      expect(result.outcome).toMatchObject({ dossierId: id, status: 'lapsed' });
      expect(result.outcome.reason).toContain(`No answer to the supplement request (round 1) by ${formatLocal(result.dueAt)}`);
      expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, ...supplementRound.slice(0, 2), 'supplement/system/reminder-sent', 'supplement/system/lapsed']);
      expectNear(fake.history(id).at(-1)!.at, result.dueAt);
      expect(mailKeys(fake, id)).toEqual([`${id}/receipt`, `${id}/supplement-1`, `${id}/supplement-1/reminder`, `${id}/lapsed`]);
      expectNear(fake.mailsTo(`${id}/lapsed`)[0]!.at, result.dueAt);
      expect(fake.dossiers.get(id)).toMatchObject({ status: 'lapsed', currentStep: 'closed', awaiting: null, result: { lapsed: true } });
      expect([...fake.tasks.values()].filter((t) => t.status === 'open')).toEqual([]);
      expect(staffNotices(fake)).toEqual([]);
      // What the workflow itself reports once closed: nothing awaited any more.
      expect(result.state).toMatchObject({ status: 'lapsed', openTasks: [], awaiting: null });
    });

    it('10a. nobody reviews: reminder 8 h before the 3rd working day ends, escalation then, level 2 two working days later', async () => {
      const monday = await comingPlainMonday();
      const [thursday, nextMonday] = [addCalendarDays(monday, 3), addCalendarDays(monday, 7)];
      const expected = { dueAt: local(thursday, '17:00'), remindAt: local(thursday, '09:00'), secondEscalateAt: local(nextMonday, '17:00') };
      const filedAt = local(monday, '09:00');
      expect(planStep(PROCEDURE, 'review', filedAt)).toEqual({ ...expected, escalateAt: expected.dueAt });

      await sleepUntil(filedAt);
      const id = dossierId('nobody-acts');
      const fake = createFakeActivities();
      const input = registrationInput(id, await envNow());
      expect(input.dueAt).toBe(expected.dueAt.toISOString());
      const sent = (suffix: string) => fake.notifyCalls.filter((c) => c.key.endsWith(suffix));
      const happened = (outcome: string) => fake.history(id).some((e) => e.outcome === outcome);

      const result = await withWorkflow(fake, input, async (handle) => {
        const task = await waitForReview(handle, fake, `${id}-T1`);
        expect(task.dueAt).toBe(expected.dueAt.toISOString());

        await sleepUntil(plus(expected.remindAt, -1));
        expect(staffNotices(fake)).toEqual([]);
        await sleepUntil(plus(expected.remindAt, 1));
        await waitFor(() => happened('reminder-sent'), 'the reminder');
        expect(sent('/reminder')).toEqual([expect.objectContaining({ activity: 'notifyTaskHolder', key: `${task.taskId}/reminder`, result: { sent: 1 } })]);
        expectNear(sent('/reminder')[0]!.at, expected.remindAt);
        expect(fake.mailsTo(`${task.taskId}/reminder`).map((m) => m.to)).toEqual(['clerk.hcmc-dof@city.example']);

        await sleepUntil(plus(expected.dueAt, -1));
        expect(sent('/escalation-1')).toEqual([]);
        await sleepUntil(plus(expected.dueAt, 1));
        await waitFor(() => happened('escalated-level-1'), 'escalation 1');
        const first = sent('/escalation-1');
        expect(first).toHaveLength(1);
        expect(first[0]!.input).toMatchObject({ unitCode: OFFICE, roles: ['supervisor'], levelsUp: 0, copyUnitMailbox: true });
        expect(first[0]!.result).toEqual({ sent: 2, unitCode: OFFICE });
        expectNear(first[0]!.at, expected.dueAt);
        expect(fake.mailsTo(`${task.taskId}/escalation-1`).map((m) => m.to).sort()).toEqual(['supervisor.hcmc-dof@city.example', unitMailbox(OFFICE)].sort());
        expect(fake.dossiers.get(id)!.escalationLevel).toBe(1);

        // Friday and the weekend pass; level 2 at the end of the second working day after the due day.
        await sleepUntil(plus(expected.secondEscalateAt, -1));
        expect(sent('/escalation-2')).toEqual([]);
        await sleepUntil(plus(expected.secondEscalateAt, 1));
        await waitFor(() => happened('escalated-level-2'), 'escalation 2');
        const second = sent('/escalation-2');
        expect(second).toHaveLength(1);
        expect(second[0]!.input).toMatchObject({ unitCode: OFFICE, levelsUp: 1 });
        expect(second[0]!.result).toEqual({ sent: 2, unitCode: CITY });
        expectNear(second[0]!.at, expected.secondEscalateAt);
        expect(fake.tasks.get(task.taskId)!.escalationLevel).toBe(2);

        expect(fake.history(id).find((e) => e.outcome === 'escalated-level-2')!.noteEn).toContain(`supervisors of ${CITY}`);

        await complete(handle, task.taskId, 'approve'); // late, the clerk still can act
        return resultOf(handle);
      });

      expect(result.status).toBe('registered');
      const late = ['reminder-sent', 'escalated-level-1', 'escalated-level-2'].map((o) => `review/system/${o}`);
      expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, ...late, ...REGISTERED]);
    });

    it('10b. a supplement restarts the clock: answered on Wednesday, the new review is due Monday 17:00', async () => {
      const monday = await comingPlainMonday();
      const wednesday = addCalendarDays(monday, 2);
      const nextMonday = addCalendarDays(monday, 7);
      await sleepUntil(local(monday, '09:00'));
      const id = dossierId('restart');
      const fake = createFakeActivities();
      const input = registrationInput(id, await envNow());
      expect(input.dueAt).toBe(local(addCalendarDays(monday, 3), '17:00').toISOString());

      const result = await withWorkflow(fake, input, async (handle) => {
        await waitForReview(handle, fake, `${id}-T1`);
        const { awaiting } = await requestSupplement(handle, `${id}-T1`, [NAME_ITEM]);
        const supplementDue = local(addCalendarDays(monday, 60), '17:00').toISOString();
        expect(awaiting!.dueAt).toBe(supplementDue);

        // Answered on Wednesday morning: three working days from then are Thursday, Friday, Monday.
        await sleepUntil(local(wednesday, '10:00'));
        await supplement(handle, { proposedName: NEW_NAME });
        const task = await waitForReview(handle, fake, `${id}-T2`);
        const dueAt = local(nextMonday, '17:00');
        expect(task.dueAt).toBe(dueAt.toISOString());
        expect(planStep(PROCEDURE, 'dossier', local(wednesday, '10:00')).dueAt).toEqual(dueAt);
        expect(fake.dossiers.get(id)!.dueAtHistory).toEqual([input.dueAt, supplementDue, dueAt.toISOString()]);
        expect(fake.dossiers.get(id)!.dueAt).toBe(dueAt.toISOString());
        expect(fake.history(id).find((e) => e.outcome === 'supplement-received')!.at.slice(0, 10)).toBe(wednesday);

        // The first task's deadlines are gone; the new one's reminder is on Monday 09:00, not before.
        await sleepUntil(local(nextMonday, '08:59'));
        expect(staffNotices(fake)).toEqual([]);
        await sleepUntil(local(nextMonday, '09:01'));
        await waitFor(() => staffNotices(fake).length === 1, 'the reminder of the new task');
        expect(staffNotices(fake)[0]).toMatchObject({ key: `${task.taskId}/reminder` });
        expectNear(staffNotices(fake)[0]!.at, local(nextMonday, '09:00'));

        await complete(handle, task.taskId, 'approve');
        return resultOf(handle);
      });

      expect(result.status).toBe('registered');
      expect(fake.dossiers.get(id)!.dueAt).toBe(local(nextMonday, '17:00').toISOString());
      expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, ...supplementRound, ...ROUND, 'review/system/reminder-sent', ...REGISTERED]);
    });
  });
});
