import { evaluate } from '../../activities/adapters';
import { addCalendarDays, localDateOf, type LocalDate } from '../../common/calendar';
import { formatLocalTime } from '../../common/local-time';
import { cancelDossierUpdate, dossierStateQuery, FailureTypes, reassignTaskUpdate } from '../../workflows/shared/messages';
import { DEFAULT_APPLICANT_EMAIL, NATIONAL_CALENDAR, planStep } from '../support/fake-activities';
import {
  complete,
  DAY,
  definitionOf,
  dossierId,
  envNow,
  environmentPerTest,
  expectNear,
  expectRejected,
  finished,
  inputOf,
  local,
  mailKeys,
  outcomes,
  plannedFrom,
  plus,
  PUBLIC_BASE_URL,
  reasonOf,
  requestSupplement,
  resultOf,
  sleepUntil,
  supplement,
  useEnvironment,
  waitFor,
  waitForTask,
  withDossier,
  world,
  type Filing,
} from './defined-procedure-helpers';

// The interpreter (workflows/defined-procedure.ts) running the procedures published as data
// (procedures/definitions/*.json) on the time-skipping server, every activity an in-memory fake:
// each step kind (check, task, await-applicant, issue, notify, branch, end) and each path of the
// marital-status certificate and birth registration documents, each path's history recorded
// (RECORD_HISTORIES=1) under test/histories/1.4/ (1.1: before MAIL_ASIDE; 1.2: before LEAN_STEPS;
// 1.3: before TASK_IN_ONE_CALL; test/workflows/history-recording.ts).
// The civil-status extract and business registration documents: defined-procedure-*.test.ts.
//
// The adapters' fakes evaluate the step's input expressions over the fake dossier row as the real
// activity does (activities/adapters.ts `evaluate`), and answer what the test says
// (defined-procedure-helpers.ts).
//
// One environment for the paths, whose clock stays near the real time; each test that moves the
// clock far gets an environment of its own. No test leaves a workflow running.

const MSC = 'marital-status-certificate';
const BRN = 'birth-registration';
const MSC_WARD = 'W-BINH-THANH';
const MSC_APPLICANT = '079092009853';
const MSC_CLERK = 'clerk.w-binh-thanh';
const BRN_WARD = 'W-BEN-THANH';
const FATHER = '079088004127';
const MOTHER = '079190012583';
const BRN_CLERK = 'clerk.w-ben-thanh';
const CITY = 'HCMC';

const marital = definitionOf(MSC);
const birth = definitionOf(BRN);

const MSC_FILING = { purpose: 'OTHER', purposeDetail: 'Vay vốn ngân hàng', contactEmail: 'phan.quoc.bao@example.com' };
const BRN_FILING = birth.example.body.data as Record<string, unknown>;

useEnvironment();

const maritalFiling = (data: Record<string, unknown> = MSC_FILING): Filing => ({ procedure: marital, data, applicantPin: MSC_APPLICANT });
const birthFiling = (data: Record<string, unknown> = BRN_FILING): Filing => ({ procedure: birth, data, applicantPin: FATHER });

const MSC_CHECKED = ['receive/citizen/received', 'verify-applicant/system/verified', 'check-marital/system/single'];
const MSC_REVIEW = [...MSC_CHECKED, 'review/system/task-opened'];
const MSC_ISSUED = ['issue-certificate/system/issued', 'done/system/closed'];
const BRN_REVIEW = ['receive/citizen/received', 'verify-parents/system/verified', 'review/system/task-opened'];
const BRN_REGISTERED = [`review/clerk:${BRN_CLERK}/approve`, 'register/system/registered', 'issue-certificate/system/issued', 'done/system/closed'];

// ---------------------------------------------------------------------------------------------
// Certificate of marital status

describe('definedProcedureWorkflow: certificate of marital status', () => {
  it('1. approved: receipt, the applicant verified, never married, the clerk approves, the certificate issued and mailed', async () => {
    const id = dossierId('MSC', 'approved');
    const { fake, adapterCalls } = world();
    const input = inputOf(marital, id, await envNow(), MSC_FILING, MSC_WARD);

    const result = await withDossier(fake, input, maritalFiling(), async (handle) => {
      const task = await waitForTask(handle, fake, `${id}-T1`);
      expect(task).toMatchObject({ step: 'review', unitCode: MSC_WARD });
      const row = fake.tasks.get(task.taskId)!;
      expect(task.dueAt).toBe(planStep(MSC, 'review', new Date(row.createdAt)).dueAt.toISOString());
      expect(row).toMatchObject({ procedure: MSC, outcomes: ['approve', 'request-supplement', 'extend', 'refuse'] });
      // What the clerk is shown: the filing's fields by name (the API resolves them), the results themselves.
      expect(row.context).toEqual({
        shows: ['filing.purpose', 'filing.purposeDetail', 'filing.intendedSpouseName', 'results.verify-applicant', 'results.check-marital'],
        results: { 'verify-applicant': { outcome: 'verified', checked: 1 }, 'check-marital': { outcome: 'single', marriages: 0 } },
      });
      expect(await handle.query(dossierStateQuery)).toMatchObject({ status: 'in-review', currentStep: 'review', decided: false, awaiting: null });
      await complete(handle, task.taskId, 'approve', MSC_CLERK);
      return finished(handle, 'marital-status-certificate-approved.json');
    });

    const document = fake.documents.get(id)!;
    expect(result).toEqual({ dossierId: id, status: 'issued', documentCode: document.code });
    expect(outcomes(fake, id)).toEqual([...MSC_REVIEW, `review/clerk:${MSC_CLERK}/approve`, ...MSC_ISSUED]);
    // Notes in both languages: Vietnamese, and English for a reader who asks for it.
    expect(fake.history(id)[0]).toMatchObject({ note: `Tiếp nhận tại ${MSC_WARD}`, noteEn: `Filed at ${MSC_WARD}` });
    expect(fake.history(id).find((e) => e.outcome === 'issued')).toMatchObject({
      note: `Giấy xác nhận tình trạng hôn nhân, mã xác thực ${document.code}`,
      noteEn: `Certificate of marital status, verification code ${document.code}`,
    });
    // The adapters: the applicant (the filer) verified, their own marital status looked up.
    expect(adapterCalls.map((c) => [c.adapter, c.step, c.input])).toEqual([
      ['population.verify-persons', 'verify-applicant', { applicant: true }],
      ['civil-status.marital-status', 'check-marital', { pin: MSC_APPLICANT }],
    ]);
    // What goes through the history: ids, outcomes and counts, never the filer's number.
    expect(JSON.stringify(fake.callsOf('runAdapter').map((c) => c.input))).not.toContain(MSC_APPLICANT);
    expect(fake.callsOf('issueDefinedDocument').map((c) => c.input)).toEqual([
      expect.objectContaining({
        dossierId: id,
        procedure: MSC,
        template: 'marital-status-certificate',
        title: { vi: 'Giấy xác nhận tình trạng hôn nhân', en: 'Certificate of marital status' },
        results: { 'verify-applicant': { outcome: 'verified', checked: 1 }, 'check-marital': { outcome: 'single', marriages: 0 } },
      }),
    ]);
    // The document's fields are expressions the issuing activity evaluates over the filing and the results.
    const fields = (fake.callsOf('issueDefinedDocument')[0]!.input as { fields: Record<string, unknown> }).fields;
    const scope = { filing: fake.dossiers.get(id)!.request, results: { 'check-marital': { outcome: 'single' } }, applicant: { pin: MSC_APPLICANT } };
    expect(Object.fromEntries(Object.entries(fields).map(([k, e]) => [k, evaluate(e, scope)]))).toMatchObject({
      holderPin: MSC_APPLICANT,
      maritalStatus: 'single',
      purpose: 'OTHER',
      purposeDetail: 'Vay vốn ngân hàng',
      validForMonths: 6,
    });

    // Receipt, then the result: the run does not know the applicant's language, so the mail goes out in
    // Vietnamese (the recipient's by default), the placeholders filled in, the link to the portal.
    const to = 'phan.quoc.bao@example.com';
    expect(fake.mails.map((m) => [m.idempotencyKey, m.to])).toEqual([
      [`${id}/mail/receipt`, to],
      [`${id}/mail/result`, to],
    ]);
    const [receipt, resultMail] = fake.mails;
    expect(receipt!.subject).toBe(`Hồ sơ ${id} đã được tiếp nhận`);
    expect(receipt!.text).toBe(
      `Chúng tôi đã tiếp nhận yêu cầu cấp Giấy xác nhận tình trạng hôn nhân (hồ sơ ${id}).\nHạn giải quyết: ${formatLocalTime(input.dueAt)}. ` +
        `Theo dõi hồ sơ tại ${PUBLIC_BASE_URL}/portal/dossiers/${id}`,
    );
    expect(resultMail!.text).toContain(`Mã xác thực: ${document.code}`);
    expect(resultMail!.text).not.toContain('Verification code');

    const row = fake.dossiers.get(id)!;
    expect(row).toMatchObject({ status: 'issued', currentStep: 'closed', dueAt: input.dueAt, filingChanges: [] });
    expect(row.result).toEqual({
      documentCode: document.code,
      issuedAt: document.issuedAt,
      verifyUrl: `${PUBLIC_BASE_URL}/verify/${document.code}`,
      downloadUrl: `${PUBLIC_BASE_URL}/portal/dossiers/${id}`,
    });
    expect(row.decidedAt).toBeDefined();
    expect(fake.tasks.get(`${id}-T1`)).toMatchObject({ status: 'done', outcome: 'approve', completedBy: MSC_CLERK });
    expect(fake.notifyCalls.filter((c) => c.activity !== 'notifyApplicant')).toEqual([]);
  });

  it("2. refused by the clerk: refused with the clerk's reason, which is mailed", async () => {
    const id = dossierId('MSC', 'refused');
    const { fake } = world();
    const reason = 'Người yêu cầu không cư trú tại phường Bình Thạnh.';

    const result = await withDossier(fake, inputOf(marital, id, await envNow(), MSC_FILING, MSC_WARD), maritalFiling(), async (handle) => {
      const task = await waitForTask(handle, fake, `${id}-T1`);
      await expectRejected(complete(handle, task.taskId, 'refuse', MSC_CLERK, {}), [FailureTypes.invalidTaskData]);
      await expectRejected(complete(handle, task.taskId, 'dismiss', MSC_CLERK), [FailureTypes.invalidOutcome]);
      await complete(handle, task.taskId, 'refuse', MSC_CLERK, { reason });
      return finished(handle, 'marital-status-certificate-refused.json');
    });

    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    expect(outcomes(fake, id)).toEqual([...MSC_REVIEW, `review/clerk:${MSC_CLERK}/refuse`, `review/clerk:${MSC_CLERK}/refused`]);
    expect(fake.history(id).at(-1)!.note).toBe(reason);
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/result`]);
    expect(fake.mailsTo(`${id}/result`)[0]!.text).toContain(reason);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'refused', currentStep: 'closed', result: { refused: true, reason } });
    expect(fake.documents.size).toBe(0);
  });

  it('3. a supplement round trip: only the fields asked for, each valid; the records checked again; then approved', async () => {
    const id = dossierId('MSC', 'supplement');
    const { fake, adapterCalls } = world();
    const item = { field: 'purposeDetail', problem: 'ghi rõ ngân hàng nào yêu cầu' };
    const detail = 'Vay vốn tại Ngân hàng Vietcombank chi nhánh Bình Thạnh';

    const result = await withDossier(fake, inputOf(marital, id, await envNow(), MSC_FILING, MSC_WARD), maritalFiling(), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      await expectRejected(complete(handle, `${id}-T1`, 'request-supplement', MSC_CLERK, { items: [{ field: 'colour', problem: 'missing' }] }), [FailureTypes.invalidTaskData]);
      const waiting = await requestSupplement(handle, `${id}-T1`, MSC_CLERK, [item]);
      const dueAt = planStep(MSC, 'supplement', plannedFrom(fake, 'supplement')[0]!).dueAt.toISOString();
      expect(waiting).toMatchObject({ status: 'awaiting-supplement', currentStep: 'supplement', openTasks: [], decided: false });
      expect(waiting.awaiting).toEqual({ kind: 'supplement', items: [item], dueAt, round: 1 });
      await waitFor(() => fake.mailsTo(`${id}/supplement-1`).length === 1, 'the supplement request mail');
      // The field by its name, with the clerk's words.
      expect(fake.mailsTo(`${id}/supplement-1`)[0]!.text).toContain(`Bổ sung hồ sơ: Mục đích cụ thể (${item.problem}).`);

      await expectRejected(supplement(handle, { purpose: 'MARRIAGE' }, MSC_APPLICANT), [FailureTypes.invalidAnswer]);
      await expectRejected(supplement(handle, { purposeDetail: 'x' }, MSC_APPLICANT), [FailureTypes.invalidAnswer]);
      await expectRejected(supplement(handle, {}, MSC_APPLICANT), [FailureTypes.invalidAnswer]);
      await supplement(handle, { purposeDetail: detail }, MSC_APPLICANT);

      const task = await waitForTask(handle, fake, `${id}-T2`);
      expect(task.step).toBe('review');
      await complete(handle, task.taskId, 'approve', MSC_CLERK);
      return finished(handle, 'marital-status-certificate-supplement.json');
    });

    expect(result).toMatchObject({ dossierId: id, status: 'issued' });
    expect(outcomes(fake, id)).toEqual([
      ...MSC_REVIEW,
      `review/clerk:${MSC_CLERK}/request-supplement`,
      'supplement/system/supplement-requested',
      'supplement/citizen/supplement-received',
      'check-marital/system/single',
      'review/system/task-opened',
      `review/clerk:${MSC_CLERK}/approve`,
      ...MSC_ISSUED,
    ]);
    expect(fake.history(id).find((e) => e.outcome === 'supplement-received')).toMatchObject({ note: 'Lần 1: đã sửa Mục đích cụ thể', noteEn: 'Round 1: Purpose in detail changed' });
    const row = fake.dossiers.get(id)!;
    expect(row).toMatchObject({ status: 'issued', awaiting: null, request: { purposeDetail: detail }, filingChanges: [{ purposeDetail: detail }] });
    // The office's 3 working days start again from the answer.
    const answeredAt = plannedFrom(fake, 'dossier')[0]!;
    expect(row.dueAt).toBe(planStep(MSC, 'dossier', answeredAt).dueAt.toISOString());
    expect(adapterCalls.map((c) => c.step)).toEqual(['verify-applicant', 'check-marital', 'check-marital']);
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/supplement-1`, `${id}/mail/result`]);
  });

  it('4. cancelled by the owner while the clerk reviews: the task is withdrawn, nothing issued', async () => {
    const id = dossierId('MSC', 'cancelled');
    const { fake } = world();
    const reason = 'Tôi không cần giấy xác nhận nữa';

    const { result, state } = await withDossier(fake, inputOf(marital, id, await envNow(), MSC_FILING, MSC_WARD), maritalFiling(), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      expect(await handle.executeUpdate(cancelDossierUpdate, { args: [{ reason }] })).toEqual({ dossierId: id, status: 'cancelled' });
      await expectRejected(complete(handle, `${id}-T1`, 'approve', MSC_CLERK), [FailureTypes.dossierClosed, FailureTypes.taskNotOpen], { allowCompleted: true });
      return { result: await finished(handle, 'marital-status-certificate-cancelled.json'), state: await handle.query(dossierStateQuery) };
    });

    expect(result).toEqual({ dossierId: id, status: 'cancelled' });
    expect(outcomes(fake, id)).toEqual([...MSC_REVIEW, 'cancel/citizen/cancelled']);
    expect(fake.history(id).at(-1)!.note).toBe(reason);
    expect(fake.tasks.get(`${id}-T1`)!.status).toBe('cancelled');
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/cancelled`]);
    expect(state).toMatchObject({ status: 'cancelled', currentStep: 'closed', openTasks: [], awaiting: null });
    expect(fake.documents.size).toBe(0);
  });

  it('5. married and asking to marry: the branch refuses at once, with the reason the document gives', async () => {
    const id = dossierId('MSC', 'married-refused');
    const { fake } = world({ 'civil-status.marital-status': () => ({ outcome: 'married', result: { marriages: 1, marriageRecordId: 'HT-MARRIAGE-2016-000842' } }) });
    const filing = { purpose: 'MARRIAGE', intendedSpouseName: 'Lý Thị Kim Chi' };

    const result = await withDossier(fake, inputOf(marital, id, await envNow(), filing, MSC_WARD), maritalFiling(filing), (handle) =>
      finished(handle, 'marital-status-certificate-married-refused.json'),
    );

    const reason = reasonOf(marital, 'refused-married');
    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-applicant/system/verified', 'check-marital/system/married', 'check-marital/system/refused']);
    expect(fake.history(id).find((e) => e.outcome === 'married')!.noteEn).toBe('Married; marriages 1; marriageRecordId HT-MARRIAGE-2016-000842');
    expect(fake.tasks.size).toBe(0);
    expect(fake.mailsTo(`${id}/result`)[0]!.text).toContain('Theo sổ hộ tịch, bạn đang có vợ/chồng');
    expect(fake.mailsTo(`${id}/result`)[0]!.text).not.toContain('The civil-status records show you are married');
  });

  it('6. married, for another purpose: the branch goes on to the review, which approves', async () => {
    const id = dossierId('MSC', 'married-other');
    const { fake } = world({ 'civil-status.marital-status': () => ({ outcome: 'married', result: { marriages: 1, marriageRecordId: 'HT-MARRIAGE-2016-000842' } }) });

    const result = await withDossier(fake, inputOf(marital, id, await envNow(), MSC_FILING, MSC_WARD), maritalFiling(), async (handle) => {
      const task = await waitForTask(handle, fake, `${id}-T1`);
      expect(fake.tasks.get(task.taskId)!.context).toMatchObject({ results: { 'check-marital': { outcome: 'married', marriageRecordId: 'HT-MARRIAGE-2016-000842' } } });
      await complete(handle, task.taskId, 'approve', MSC_CLERK);
      return finished(handle, 'marital-status-certificate-married-other-purpose.json');
    });

    expect(result.status).toBe('issued');
    expect(outcomes(fake, id)).toEqual([
      'receive/citizen/received',
      'verify-applicant/system/verified',
      'check-marital/system/married',
      'review/system/task-opened',
      `review/clerk:${MSC_CLERK}/approve`,
      ...MSC_ISSUED,
    ]);
    expect((fake.callsOf('issueDefinedDocument')[0]!.input as { results: Record<string, unknown> }).results['check-marital']).toEqual({
      outcome: 'married',
      marriages: 1,
      marriageRecordId: 'HT-MARRIAGE-2016-000842',
    });
  });

  it('7. the applicant is not in the population data: the check refuses, nothing else is looked up', async () => {
    const id = dossierId('MSC', 'unknown');
    const { fake, adapterCalls } = world({ 'population.verify-persons': () => ({ outcome: 'unknown-person', result: { checked: 1, person: 'applicant' } }) });

    const result = await withDossier(fake, inputOf(marital, id, await envNow(), MSC_FILING, MSC_WARD), maritalFiling(), (handle) =>
      finished(handle, 'marital-status-certificate-unknown-applicant.json'),
    );

    expect(result).toEqual({ dossierId: id, status: 'refused', reason: reasonOf(marital, 'refused-unknown-person') });
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-applicant/system/unknown-person', 'verify-applicant/system/refused']);
    expect(adapterCalls.map((c) => c.adapter)).toEqual(['population.verify-persons']);
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/result`]);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'refused', result: { refused: true } });
  });

  it('8. a name that does not match: refused for the mismatch', async () => {
    const id = dossierId('MSC', 'mismatch');
    const { fake } = world({ 'population.verify-persons': () => ({ outcome: 'mismatch', result: { checked: 1, person: 'applicant', mismatch: 'name' } }) });
    const filing = { ...MSC_FILING, applicant: { fullName: 'Phan Quoc Bao Anh' } };

    const result = await withDossier(fake, inputOf(marital, id, await envNow(), filing, MSC_WARD), maritalFiling(filing), (handle) =>
      finished(handle, 'marital-status-certificate-mismatch.json'),
    );

    expect(result).toEqual({ dossierId: id, status: 'refused', reason: reasonOf(marital, 'refused-mismatch') });
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-applicant/system/mismatch', 'verify-applicant/system/refused']);
  });

  it("9. extended to verify: the unit above's supervisors are told, the dossier gets 20 working days, the verification approves", async () => {
    const id = dossierId('MSC', 'extended');
    const { fake } = world();
    const input = inputOf(marital, id, await envNow(), MSC_FILING, MSC_WARD);

    const result = await withDossier(fake, input, maritalFiling(), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      await expectRejected(complete(handle, `${id}-T1`, 'extend', MSC_CLERK), [FailureTypes.invalidTaskData]);
      await complete(handle, `${id}-T1`, 'extend', MSC_CLERK, { reason: 'Cần xác minh nơi cư trú trước đây tại Đà Nẵng' });
      const task = await waitForTask(handle, fake, `${id}-T2`);
      expect(task).toMatchObject({ step: 'verify', unitCode: MSC_WARD });
      const from = plannedFrom(fake, 'verify/dossier')[0]!;
      const extendedDue = planStep(MSC, 'verify/dossier', from).dueAt.toISOString();
      expect(fake.dossiers.get(id)).toMatchObject({ status: 'verifying', currentStep: 'verify', dueAt: extendedDue });
      expect(extendedDue > input.dueAt).toBe(true);
      expect(task.dueAt).toBe(planStep(MSC, 'verify', new Date(fake.tasks.get(task.taskId)!.createdAt)).dueAt.toISOString());
      await complete(handle, task.taskId, 'approve', MSC_CLERK);
      return finished(handle, 'marital-status-certificate-extended.json');
    });

    expect(result.status).toBe('issued');
    expect(outcomes(fake, id)).toEqual([
      ...MSC_REVIEW,
      `review/clerk:${MSC_CLERK}/extend`,
      'verify/system/task-opened',
      `verify/clerk:${MSC_CLERK}/approve`,
      ...MSC_ISSUED,
    ]);
    // The notify step to the unit above the ward (the unit tree's activity), its supervisors only.
    expect(fake.callsOf('unitAbove').map((c) => c.input)).toEqual([{ unitCode: MSC_WARD }]);
    const notice = fake.notifyCalls.filter((c) => c.activity === 'notifyUnitStaff');
    expect(notice).toEqual([
      expect.objectContaining({ key: `${id}/mail/verification-opened`, input: expect.objectContaining({ unitCode: CITY, roles: ['supervisor'] }), result: { sent: 1, unitCode: CITY } }),
    ]);
    expect(fake.mailsTo(`${id}/mail/verification-opened`).map((m) => m.to)).toEqual(['supervisor.hcmc@city.example']);
    // Staff read Vietnamese.
    expect(fake.mailsTo(`${id}/mail/verification-opened`)[0]!.subject).toBe(`Hồ sơ ${id}: gia hạn để xác minh tình trạng hôn nhân`);
  });

  it('10. extended, then the verification refuses with its reason', async () => {
    const id = dossierId('MSC', 'extended-refused');
    const { fake } = world();
    const reason = 'Kết quả xác minh: người yêu cầu đã đăng ký kết hôn tại Đà Nẵng năm 2015.';

    const result = await withDossier(fake, inputOf(marital, id, await envNow(), MSC_FILING, MSC_WARD), maritalFiling(), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      await complete(handle, `${id}-T1`, 'extend', MSC_CLERK, { reason: 'Cần xác minh' });
      await waitForTask(handle, fake, `${id}-T2`);
      await complete(handle, `${id}-T2`, 'refuse', MSC_CLERK, { reason });
      return finished(handle, 'marital-status-certificate-extended-refused.json');
    });

    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    expect(outcomes(fake, id).slice(-3)).toEqual(['verify/system/task-opened', `verify/clerk:${MSC_CLERK}/refuse`, `verify/clerk:${MSC_CLERK}/refused`]);
  });

  it("11. the shared machinery's supervision works unchanged: a supervisor reassigns the review to another ward", async () => {
    const id = dossierId('MSC', 'reassigned');
    const { fake } = world();

    const result = await withDossier(fake, inputOf(marital, id, await envNow(), MSC_FILING, MSC_WARD), maritalFiling(), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      const moved = await handle.executeUpdate(reassignTaskUpdate, { args: [{ taskId: `${id}-T1`, unitCode: 'W-SAI-GON', assignee: null, by: 'supervisor.hcmc', reason: 'Cùng khu vực' }] });
      expect(moved).toEqual({ taskId: `${id}-T1`, unitCode: 'W-SAI-GON', previousUnitCode: MSC_WARD });
      expect((await handle.query(dossierStateQuery)).openTasks).toEqual([expect.objectContaining({ taskId: `${id}-T1`, unitCode: 'W-SAI-GON' })]);
      await complete(handle, `${id}-T1`, 'approve', 'clerk.w-sai-gon');
      return resultOf(handle);
    });

    expect(result.status).toBe('issued');
    expect(outcomes(fake, id)).toContain('review/supervisor:supervisor.hcmc/reassigned');
  });
});

// ---------------------------------------------------------------------------------------------
// Birth registration

describe('definedProcedureWorkflow: birth registration', () => {
  it('1. registered: the parents verified, the clerk approves the same day, the birth written into the register, the certificate issued', async () => {
    const id = dossierId('BRN', 'registered');
    const { fake, adapterCalls } = world();
    const input = inputOf(birth, id, await envNow(), BRN_FILING, BRN_WARD);

    const result = await withDossier(fake, input, birthFiling(), async (handle) => {
      const task = await waitForTask(handle, fake, `${id}-T1`);
      const opened = new Date(fake.tasks.get(task.taskId)!.createdAt);
      // Same working day, the next one after the 15:00 cut-off.
      expect(task.dueAt).toBe(planStep(BRN, 'review', opened).dueAt.toISOString());
      expect(fake.tasks.get(task.taskId)!.context).toEqual({
        shows: ['filing.child', 'filing.motherPin', 'filing.fatherPin', 'results.verify-parents'],
        results: { 'verify-parents': { outcome: 'verified', checked: 2 } },
      });
      await complete(handle, task.taskId, 'approve', BRN_CLERK);
      return finished(handle, 'birth-registration-registered.json');
    });

    const document = fake.documents.get(id)!;
    expect(result).toEqual({ dossierId: id, status: 'registered', documentCode: document.code });
    expect(outcomes(fake, id)).toEqual([...BRN_REVIEW, ...BRN_REGISTERED]);
    expect(fake.history(id).find((e) => e.outcome === 'registered')!.noteEn).toBe(`Registered; recordId HT-BIRTH-${id}; registrationUnitCode ${BRN_WARD}`);
    // The register's input, evaluated over the filing as the real adapter does.
    expect(adapterCalls.map((c) => [c.adapter, c.input])).toEqual([
      ['population.verify-persons', {}],
      [
        'civil-status.register-birth',
        {
          childName: 'Nguyễn Minh Thư',
          sex: 'FEMALE',
          dateOfBirth: '2026-11-20',
          placeOfBirth: 'Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh',
          motherPin: MOTHER,
          fatherPin: FATHER,
        },
      ],
    ]);
    expect(fake.callsOf('runAdapter')[0]!.input).toMatchObject({ persons: [{ pin: 'motherPin' }, { pin: 'fatherPin' }] });
    expect(fake.callsOf('issueDefinedDocument')[0]!.input).toMatchObject({
      template: 'birth-certificate',
      results: { register: { outcome: 'registered', recordId: `HT-BIRTH-${id}`, registrationUnitCode: BRN_WARD } },
    });
    const row = fake.dossiers.get(id)!;
    expect(row).toMatchObject({ status: 'registered', currentStep: 'closed', result: { documentCode: document.code } });
    expect(row.decidedAt).toBeDefined();
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/mail/result`]);
    expect(fake.mailsTo(`${id}/mail/result`)[0]).toMatchObject({ to: DEFAULT_APPLICANT_EMAIL, subject: `Hồ sơ ${id}: đã đăng ký khai sinh` });
  });

  it('2. refused by the clerk with a reason', async () => {
    const id = dossierId('BRN', 'refused');
    const { fake, adapterCalls } = world();
    const reason = 'Giấy chứng sinh không khớp với ngày sinh đã khai.';

    const result = await withDossier(fake, inputOf(birth, id, await envNow(), BRN_FILING, BRN_WARD), birthFiling(), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      await complete(handle, `${id}-T1`, 'refuse', BRN_CLERK, { reason });
      return finished(handle, 'birth-registration-refused.json');
    });

    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    expect(outcomes(fake, id)).toEqual([...BRN_REVIEW, `review/clerk:${BRN_CLERK}/refuse`, `review/clerk:${BRN_CLERK}/refused`]);
    expect(adapterCalls.map((c) => c.adapter)).toEqual(['population.verify-persons']);
    expect(fake.documents.size).toBe(0);
  });

  it("3. a supplement of the child's details: the parents verified again, then registered with the new details", async () => {
    const id = dossierId('BRN', 'supplement');
    const { fake, adapterCalls } = world();
    const item = { field: 'child', problem: 'nơi sinh phải ghi tên cơ sở y tế' };
    const child = { fullName: 'Nguyễn Minh Thư', sex: 'FEMALE', dateOfBirth: '2026-11-20', placeOfBirth: 'Bệnh viện Hùng Vương, Thành phố Hồ Chí Minh' };

    const result = await withDossier(fake, inputOf(birth, id, await envNow(), BRN_FILING, BRN_WARD), birthFiling(), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      await requestSupplement(handle, `${id}-T1`, BRN_CLERK, [item]);
      await expectRejected(supplement(handle, { child: { ...child, sex: 'OTHER' } }, FATHER), [FailureTypes.invalidAnswer]);
      await expectRejected(supplement(handle, { motherPin: '079190012584' }, FATHER), [FailureTypes.invalidAnswer]);
      await supplement(handle, { child }, FATHER);
      await waitForTask(handle, fake, `${id}-T2`);
      await complete(handle, `${id}-T2`, 'approve', BRN_CLERK);
      return finished(handle, 'birth-registration-supplement.json');
    });

    expect(result.status).toBe('registered');
    expect(outcomes(fake, id)).toEqual([
      ...BRN_REVIEW,
      `review/clerk:${BRN_CLERK}/request-supplement`,
      'supplement/system/supplement-requested',
      'supplement/citizen/supplement-received',
      ...BRN_REVIEW.slice(1),
      ...BRN_REGISTERED,
    ]);
    expect(fake.dossiers.get(id)!.filingChanges).toEqual([{ child }]);
    expect(adapterCalls.map((c) => c.step)).toEqual(['verify-parents', 'verify-parents', 'register']);
    expect(adapterCalls.at(-1)!.input.placeOfBirth).toBe(child.placeOfBirth);
  });

  it('4. cancelled by the owner while the clerk reviews', async () => {
    const id = dossierId('BRN', 'cancelled');
    const { fake } = world();

    const result = await withDossier(fake, inputOf(birth, id, await envNow(), BRN_FILING, BRN_WARD), birthFiling(), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      await handle.executeUpdate(cancelDossierUpdate, { args: [{}] });
      return finished(handle, 'birth-registration-cancelled.json');
    });

    expect(result).toEqual({ dossierId: id, status: 'cancelled' });
    expect(outcomes(fake, id)).toEqual([...BRN_REVIEW, 'cancel/citizen/cancelled']);
    expect(fake.callsOf('runAdapter')).toHaveLength(1);
  });

  it('5. a parent unknown to the population data: the check refuses, no task', async () => {
    const id = dossierId('BRN', 'unknown-parent');
    const { fake } = world({ 'population.verify-persons': () => ({ outcome: 'unknown-person', result: { checked: 2, person: 2 } }) });

    const result = await withDossier(fake, inputOf(birth, id, await envNow(), BRN_FILING, BRN_WARD), birthFiling(), (handle) =>
      finished(handle, 'birth-registration-unknown-parent.json'),
    );

    expect(result).toEqual({ dossierId: id, status: 'refused', reason: reasonOf(birth, 'refused-unknown-parent') });
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-parents/system/unknown-person', 'verify-parents/system/refused']);
    expect(fake.history(id)[1]!.noteEn).toBe('Not in the population data; checked 2; person 2');
    expect(fake.tasks.size).toBe(0);
  });

  // -------------------------------------------------------------------------------------------
  // Deadlines: each test moves the clock of an environment of its own.
  describe('deadlines', () => {
    environmentPerTest();

    /** The coming Monday after which two weeks hold no holiday nor compensatory day. */
    async function comingPlainMonday(): Promise<LocalDate> {
      let day = addCalendarDays(localDateOf(await envNow()), 1);
      const plain = (d: LocalDate) => [...Array(14).keys()].every((i) => !NATIONAL_CALENDAR.ruleFor(addCalendarDays(d, i)));
      while (new Date(`${day}T00:00:00Z`).getUTCDay() !== 1 || !plain(day)) day = addCalendarDays(day, 1);
      return day;
    }

    it('6. filed after the 15:00 cut-off: the review is due the next working day at 17:00, reminded 2 hours before', async () => {
      const monday = await comingPlainMonday();
      const tuesday = addCalendarDays(monday, 1);
      await sleepUntil(local(monday, '15:30'));
      const id = dossierId('BRN', 'cutoff');
      const { fake } = world();
      const input = inputOf(birth, id, await envNow(), BRN_FILING, BRN_WARD);
      expect(input.dueAt).toBe(local(tuesday, '17:00').toISOString());

      const result = await withDossier(fake, input, birthFiling(), async (handle) => {
        const task = await waitForTask(handle, fake, `${id}-T1`);
        expect(task.dueAt).toBe(local(tuesday, '17:00').toISOString());
        await sleepUntil(local(tuesday, '15:01'));
        await waitFor(() => fake.history(id).some((e) => e.outcome === 'reminder-sent'), 'the reminder');
        expectNear(fake.mailsTo(`${task.taskId}/reminder`)[0]!.at, local(tuesday, '15:00'));
        await complete(handle, task.taskId, 'approve', BRN_CLERK);
        return resultOf(handle);
      });

      expect(result.status).toBe('registered');
      expect(outcomes(fake, id)).toEqual([...BRN_REVIEW, 'review/system/reminder-sent', ...BRN_REGISTERED]);
    });

    it.each([
      ['marital-status-certificate', 'marital-status-certificate-supplement-lapsed.json'],
      ['birth-registration', 'birth-registration-supplement-lapsed.json'],
    ])('7. %s: the supplement lapses after 30 days, reminded 3 days before', async (procedureId, file) => {
      const procedure = definitionOf(procedureId);
      const isBirth = procedureId === BRN;
      const id = dossierId(procedure.codePrefix, 'lapse');
      const { fake } = world();
      const filing = isBirth ? birthFiling() : maritalFiling();
      const clerk = isBirth ? BRN_CLERK : MSC_CLERK;
      const item = isBirth ? { field: 'fatherPin', problem: 'thiếu giấy tờ của cha' } : { field: 'purposeDetail', problem: 'ghi rõ mục đích' };

      const result = await withDossier(fake, inputOf(procedure, id, await envNow(), filing.data, isBirth ? BRN_WARD : MSC_WARD), filing, async (handle) => {
        await waitForTask(handle, fake, `${id}-T1`);
        const { awaiting } = await requestSupplement(handle, `${id}-T1`, clerk, [item]);
        const requestedOn = localDateOf(plannedFrom(fake, 'supplement')[0]!);
        const dueAt = local(addCalendarDays(requestedOn, 30), '17:00');
        expect(awaiting!.dueAt).toBe(dueAt.toISOString());
        const remindAt = new Date(dueAt.getTime() - 3 * DAY);

        await sleepUntil(plus(remindAt, 1));
        await waitFor(() => fake.history(id).some((e) => e.outcome === 'reminder-sent'), 'the reminder');
        expectNear(fake.mailsTo(`${id}/supplement-1/reminder`)[0]!.at, remindAt);
        await sleepUntil(plus(dueAt, 1));
        const outcome = await finished(handle, file);
        await expectRejected(supplement(handle, { [item.field]: 'x' }, filing.applicantPin), [FailureTypes.dossierClosed], { allowCompleted: true });
        return { outcome, dueAt };
      });

      expect(result.outcome).toMatchObject({ dossierId: id, status: 'lapsed' });
      expect(result.outcome.reason).toBe(`Không nhận được trả lời cho yêu cầu bổ sung hồ sơ (lần 1) trước ${formatLocalTime(result.dueAt)}.`);
      expect(outcomes(fake, id).slice(-4)).toEqual([
        `review/clerk:${clerk}/request-supplement`,
        'supplement/system/supplement-requested',
        'supplement/system/reminder-sent',
        'supplement/system/lapsed',
      ]);
      expect(fake.dossiers.get(id)).toMatchObject({ status: 'lapsed', currentStep: 'closed', awaiting: null, result: { lapsed: true } });
      expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/supplement-1`, `${id}/supplement-1/reminder`, `${id}/lapsed`]);
    });
  });
});
