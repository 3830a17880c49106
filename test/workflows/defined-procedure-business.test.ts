import { addCalendarDays, localDateOf } from '../../common/calendar';
import { formatLocalTime } from '../../common/local-time';
import { dossierStateQuery, FailureTypes } from '../../workflows/shared/messages';
import { planStep } from '../support/fake-activities';
import {
  complete,
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
  sleepUntil,
  supplement,
  useEnvironment,
  waitFor,
  waitForTask,
  withDossier,
  world,
  type Answer,
  type Filing,
} from './defined-procedure-helpers';

// The interpreter (workflows/defined-procedure.ts) running business registration published as data
// (procedures/definitions/business-registration.json) on the time-skipping server, every activity an
// in-memory fake, the business registry's adapters (business-registry.check-name,
// business-registry.register) answering what each test says: every path of the document, each
// path's history recorded (RECORD_HISTORIES=1, test/workflows/history-recording.ts). Helpers:
// defined-procedure-helpers.ts. The lapse moves the clock, in an environment of its own.

const BRG = 'business-registration';
const OFFICE = 'HCMC-DOF';
const WARD = 'W-BEN-THANH';
const FILER = '079179006018';
const SECOND_FOUNDER = '079088004127';
const CLERK = 'clerk.hcmc-dof';
const WARD_CLERK = 'clerk.w-ben-thanh';
const ENTERPRISE_CODE = '0318452731';
const CONTACT = 'do.thanh.huong@example.com';

const registration = definitionOf(BRG);

useEnvironment();

/** The document's example: a limited liability company of two founders, filed at the registration office. */
const FILING = registration.example.body.data as Record<string, unknown>;
const PROPOSED_NAME = FILING.proposedName as string;
const NEW_NAME = 'Công ty TNHH Cà phê Sương Sớm Bến Thành';
/** A household business: one founder, reviewed by the ward of its head office. */
const HOUSEHOLD = {
  kind: 'HOUSEHOLD_BUSINESS',
  proposedName: 'Hộ kinh doanh Phở Bà Tư',
  headOffice: { unitCode: WARD, street: '45 Lê Lợi' },
  businessLines: ['5610'],
  charterCapital: 100_000_000,
  founders: [{ pin: FILER, capitalShare: 100_000_000 }],
  legalRepresentativePin: FILER,
};
const CONFLICT = { enterpriseCode: '0301234567', name: 'Công ty TNHH Cà phê Hạt Sương Sài Gòn' };

const filingOf = (data: Record<string, unknown> = FILING): Filing => ({ procedure: registration, data, applicantPin: FILER });

/** The fakes: the founders verified, the name free (or as `answers` say), the business registered under ENTERPRISE_CODE. */
function registryWorld(answers: Partial<Record<string, Answer>> = {}) {
  return world({
    'business-registry.check-name': () => ({ outcome: 'no-conflict', result: { conflicts: [], count: 0 } }),
    'business-registry.register': () => ({ outcome: 'registered', result: { enterpriseCode: ENTERPRISE_CODE, registeredOn: '2026-12-02' } }),
    ...answers,
  });
}

const FIRST_ROUND = ['receive/citizen/received', 'verify-founders/system/verified', 'name-check/system/no-conflict', 'review/system/task-opened'];
const registered = (clerk: string) => [`review/clerk:${clerk}/approve`, 'register/system/registered', 'issue/system/issued'];

describe('definedProcedureWorkflow: business registration', () => {
  it('1. approved: the founders verified, the name free, reviewed at the registration office, the enterprise code and certificate issued', async () => {
    const id = dossierId('BRG', 'approved');
    const { fake, adapterCalls } = registryWorld();
    const data = { ...FILING, contactEmail: CONTACT };
    // Filed by an applicant who reads English: their mails are in English, the history in both languages.
    const input = inputOf(registration, id, await envNow(), data, OFFICE, 'en');

    const result = await withDossier(fake, input, filingOf(data), async (handle) => {
      const task = await waitForTask(handle, fake, `${id}-T1`);
      expect(task).toMatchObject({ step: 'review', unitCode: OFFICE });
      const row = fake.tasks.get(task.taskId)!;
      expect(task.dueAt).toBe(planStep(BRG, 'review', new Date(row.createdAt)).dueAt.toISOString());
      expect(row).toMatchObject({ unitCode: OFFICE, outcomes: ['approve', 'request-supplement', 'refuse'], context: { round: 1, nameConflicts: [] } });
      expect(await handle.query(dossierStateQuery)).toMatchObject({ status: 'in-review', currentStep: 'review', decided: false, awaiting: null });
      await complete(handle, task.taskId, 'approve', CLERK);
      return finished(handle, 'business-registration-approved.json');
    });

    const document = fake.documents.get(id)!;
    expect(result).toEqual({ dossierId: id, status: 'registered', documentCode: document.code });
    expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, ...registered(CLERK)]);
    expect(fake.history(id).find((e) => e.outcome === 'registered')!.noteEn).toBe(`Enterprise code ${ENTERPRISE_CODE}`);
    expect(fake.history(id).find((e) => e.outcome === 'no-conflict')!.noteEn).toBe('No registered business has a conflicting name');
    expect(adapterCalls.map((c) => [c.adapter, c.input])).toEqual([
      ['population.verify-persons', { identify: true }],
      ['business-registry.check-name', { name: PROPOSED_NAME }],
      ['business-registry.register', { registrationUnitCode: OFFICE }],
    ]);
    expect(fake.callsOf('runAdapter')[0]!.input).toMatchObject({ persons: [{ pin: 'founders.pin' }, { pin: 'legalRepresentativePin' }] });
    expect(fake.callsOf('issueDefinedDocument')[0]!.input).toMatchObject({
      template: 'business-registration-certificate',
      results: { register: { outcome: 'registered', enterpriseCode: ENTERPRISE_CODE } },
    });
    // The dossier's result carries the enterprise code beside the certificate.
    const dossier = fake.dossiers.get(id)!;
    expect(dossier).toMatchObject({ status: 'registered', currentStep: 'closed', dueAt: input.dueAt, filingChanges: [] });
    expect(dossier.result).toEqual({
      enterpriseCode: ENTERPRISE_CODE,
      documentCode: document.code,
      issuedAt: document.issuedAt,
      verifyUrl: `${PUBLIC_BASE_URL}/verify/${document.code}`,
      downloadUrl: `${PUBLIC_BASE_URL}/portal/dossiers/${id}`,
    });
    expect(dossier.decidedAt).toBeDefined();
    expect(fake.mails.map((m) => [m.idempotencyKey, m.to])).toEqual([
      [`${id}/mail/receipt`, CONTACT],
      [`${id}/mail/result`, CONTACT],
    ]);
    expect(fake.mails[0]!.text).toContain(`It is due ${formatLocalTime(input.dueAt)}`);
    expect(fake.mails[1]!.text).toContain(`enterprise code ${ENTERPRISE_CODE} (also its tax code)`);
    expect(fake.mails[1]!.text).toContain(`Certificate verification code: ${document.code}`);
    expect(fake.mails[1]!.text).toContain(`Download: ${PUBLIC_BASE_URL}/portal/dossiers/${id}`);
    expect(fake.mails[1]!.text).not.toContain('/document');
    expect(fake.mails.map((m) => m.text).join('\n')).not.toMatch(/Hồ sơ|Mã xác thực/);
  });

  it('2. the name conflicts: the clerk sees it and asks for another, the founders and the new name checked again, then approved', async () => {
    const id = dossierId('BRG', 'supplement');
    const { fake, adapterCalls } = registryWorld({
      'business-registry.check-name': (input) =>
        input.name === PROPOSED_NAME ? { outcome: 'conflict', result: { conflicts: [CONFLICT], count: 1 } } : { outcome: 'no-conflict', result: { conflicts: [], count: 0 } },
    });
    const item = { field: 'proposedName', problem: 'trùng với tên doanh nghiệp đã đăng ký' };

    const result = await withDossier(fake, inputOf(registration, id, await envNow(), FILING, OFFICE), filingOf(), async (handle) => {
      const first = await waitForTask(handle, fake, `${id}-T1`);
      expect(fake.tasks.get(first.taskId)!.context).toMatchObject({ round: 1, nameConflicts: [CONFLICT], results: { 'name-check': { outcome: 'conflict', count: 1 } } });
      const waiting = await requestSupplement(handle, first.taskId, CLERK, [item]);
      expect(waiting.awaiting).toEqual({ kind: 'supplement', items: [item], dueAt: planStep(BRG, 'supplement', plannedFrom(fake, 'supplement')[0]!).dueAt.toISOString(), round: 1 });
      await expectRejected(supplement(handle, { charterCapital: 600_000_000 }, FILER), [FailureTypes.invalidAnswer]);
      await supplement(handle, { proposedName: NEW_NAME }, FILER);

      const second = await waitForTask(handle, fake, `${id}-T2`);
      expect(second).toMatchObject({ step: 'review', unitCode: OFFICE });
      expect(fake.tasks.get(second.taskId)!.context).toMatchObject({ round: 2, nameConflicts: [] });
      await complete(handle, second.taskId, 'approve', CLERK);
      return finished(handle, 'business-registration-supplement.json');
    });

    expect(result.status).toBe('registered');
    expect(outcomes(fake, id)).toEqual([
      'receive/citizen/received',
      'verify-founders/system/verified',
      'name-check/system/conflict',
      'review/system/task-opened',
      `review/clerk:${CLERK}/request-supplement`,
      'supplement/system/supplement-requested',
      'supplement/citizen/supplement-received',
      ...FIRST_ROUND.slice(1),
      ...registered(CLERK),
    ]);
    expect(fake.history(id).find((e) => e.outcome === 'conflict')!.noteEn).toBe(`The proposed name conflicts with: ${CONFLICT.name} (${CONFLICT.enterpriseCode})`);
    expect(fake.history(id).find((e) => e.outcome === 'supplement-received')).toMatchObject({ note: 'Lần 1: đã sửa Tên dự kiến', noteEn: 'Round 1: Proposed name changed' });
    expect(adapterCalls.map((c) => [c.step, c.input])).toEqual([
      ['verify-founders', { identify: true }],
      ['name-check', { name: PROPOSED_NAME }],
      ['verify-founders', { identify: true }],
      ['name-check', { name: NEW_NAME }],
      ['register', { registrationUnitCode: OFFICE }],
    ]);
    const dossier = fake.dossiers.get(id)!;
    expect(dossier).toMatchObject({ request: { proposedName: NEW_NAME }, filingChanges: [{ proposedName: NEW_NAME }], result: { enterpriseCode: ENTERPRISE_CODE } });
    // The office's 3 working days start again from the answer.
    expect(dossier.dueAt).toBe(planStep(BRG, 'dossier', plannedFrom(fake, 'dossier')[0]!).dueAt.toISOString());
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/supplement-1`, `${id}/mail/result`]);
  });

  it('3. a founder unknown to the population data: refused naming the founder by position and the end of the number, no name check, no review', async () => {
    const id = dossierId('BRG', 'unknown-founder');
    const { fake, adapterCalls } = registryWorld({
      'population.verify-persons': () => ({ outcome: 'unknown-person', result: { checked: 2, person: 1, position: 2, pinEnding: SECOND_FOUNDER.slice(-4) } }),
    });

    // An applicant who reads English: the refusal and its mail are in English.
    const result = await withDossier(fake, inputOf(registration, id, await envNow(), FILING, OFFICE, 'en'), filingOf(), (handle) =>
      finished(handle, 'business-registration-unknown-founder.json'),
    );

    const reason = reasonOf(registration, 'refused-unknown-founder', 'en')
      .replaceAll('{{results.verify-founders.position}}', '2')
      .replaceAll('{{results.verify-founders.pinEnding}}', '4127');
    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    expect(result.reason).toContain('founder no. 2 (ID ending 4127)');
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-founders/system/unknown-person', 'verify-founders/system/refused']);
    expect(adapterCalls.map((c) => c.adapter)).toEqual(['population.verify-persons']);
    expect(fake.tasks.size).toBe(0);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'refused', currentStep: 'closed', result: { refused: true, reason } });
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/result`]);
    expect(fake.mailsTo(`${id}/result`)[0]).toMatchObject({ subject: `Dossier ${id}: request refused`, text: `Your dossier ${id} was refused.\nReason: ${reason}` });
    // The history keeps both languages: Vietnamese by default.
    expect(fake.history(id).at(-1)!.note).toContain('người thành lập thứ 2 (số định danh kết thúc bằng 4127)');
    expect(fake.history(id).at(-1)!.noteEn).toBe(reason);
  });

  it('4. approved, but another business took a conflicting name meanwhile: refused at registration, no code, no certificate', async () => {
    const id = dossierId('BRG', 'name-taken');
    const { fake } = registryWorld({ 'business-registry.register': () => ({ outcome: 'name-taken', result: {} }) });

    // An applicant who reads Vietnamese: the refusal and its mail are in Vietnamese.
    const result = await withDossier(fake, inputOf(registration, id, await envNow(), FILING, OFFICE, 'vi'), filingOf(), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      await complete(handle, `${id}-T1`, 'approve', CLERK);
      return finished(handle, 'business-registration-name-taken.json');
    });

    const reason = reasonOf(registration, 'refused-name-taken');
    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, `review/clerk:${CLERK}/approve`, 'register/system/name-taken', 'register/system/refused']);
    const dossier = fake.dossiers.get(id)!;
    expect(dossier).toMatchObject({ status: 'refused', currentStep: 'closed', result: { refused: true, reason } });
    expect(dossier.decidedAt).toBeDefined();
    expect(fake.documents.size).toBe(0);
    expect(fake.mailsTo(`${id}/result`)[0]).toMatchObject({ subject: `Hồ sơ ${id}: từ chối giải quyết`, text: `Hồ sơ ${id} của bạn bị từ chối giải quyết.\nLý do: ${reason}` });
  });

  it("5. a household business: reviewed at its head office's ward, registered by the ward", async () => {
    const id = dossierId('BRG', 'household');
    const { fake, adapterCalls } = registryWorld();

    const result = await withDossier(fake, inputOf(registration, id, await envNow(), HOUSEHOLD, WARD), filingOf(HOUSEHOLD), async (handle) => {
      const task = await waitForTask(handle, fake, `${id}-T1`);
      expect(task).toMatchObject({ step: 'review', unitCode: WARD });
      expect(fake.tasks.get(task.taskId)).toMatchObject({ unitCode: WARD, outcomes: ['approve', 'request-supplement', 'refuse'] });
      await complete(handle, task.taskId, 'approve', WARD_CLERK);
      return finished(handle, 'business-registration-household-ward.json');
    });

    const document = fake.documents.get(id)!;
    expect(result).toEqual({ dossierId: id, status: 'registered', documentCode: document.code });
    expect(outcomes(fake, id)).toEqual([...FIRST_ROUND, ...registered(WARD_CLERK)]);
    expect(adapterCalls.at(-1)).toMatchObject({ adapter: 'business-registry.register', input: { registrationUnitCode: WARD } });
    expect(fake.tasks.get(`${id}-T1`)).toMatchObject({ status: 'done', outcome: 'approve', completedBy: WARD_CLERK });
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'registered', result: { enterpriseCode: ENTERPRISE_CODE, documentCode: document.code } });
  });

  describe('deadlines', () => {
    environmentPerTest();

    it('6. the supplement lapses 60 days after the request, reminded a week before; nothing awaited any more', async () => {
      const id = dossierId('BRG', 'lapse');
      const { fake } = registryWorld();
      const item = { field: 'businessLines', problem: 'ghi mã ngành cấp 4 đúng với hoạt động' };

      const result = await withDossier(fake, inputOf(registration, id, await envNow(), FILING, OFFICE), filingOf(), async (handle) => {
        await waitForTask(handle, fake, `${id}-T1`);
        const { awaiting } = await requestSupplement(handle, `${id}-T1`, CLERK, [item]);
        const requestedOn = localDateOf(plannedFrom(fake, 'supplement')[0]!);
        const dueAt = local(addCalendarDays(requestedOn, 60), '17:00');
        expect(awaiting!.dueAt).toBe(dueAt.toISOString());
        const remindAt = new Date(dueAt.getTime() - 7 * 24 * 60 * 60_000);

        await sleepUntil(plus(remindAt, 1));
        await waitFor(() => fake.history(id).some((e) => e.outcome === 'reminder-sent'), 'the reminder');
        expectNear(fake.mailsTo(`${id}/supplement-1/reminder`)[0]!.at, remindAt);
        await sleepUntil(plus(dueAt, 1));
        const outcome = await finished(handle, 'business-registration-supplement-lapsed.json');
        await expectRejected(supplement(handle, { businessLines: ['5610'] }, FILER), [FailureTypes.dossierClosed], { allowCompleted: true });
        return { outcome, dueAt };
      });

      expect(result.outcome).toMatchObject({ dossierId: id, status: 'lapsed' });
      expect(result.outcome.reason).toBe(`Không nhận được trả lời cho yêu cầu bổ sung hồ sơ (lần 1) trước ${formatLocalTime(result.dueAt)}.`);
      expect(outcomes(fake, id)).toEqual([
        ...FIRST_ROUND,
        `review/clerk:${CLERK}/request-supplement`,
        'supplement/system/supplement-requested',
        'supplement/system/reminder-sent',
        'supplement/system/lapsed',
      ]);
      expect(fake.dossiers.get(id)).toMatchObject({ status: 'lapsed', currentStep: 'closed', awaiting: null, result: { lapsed: true } });
      expect([...fake.tasks.values()].filter((t) => t.status === 'open')).toEqual([]);
      expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/supplement-1`, `${id}/supplement-1/reminder`, `${id}/lapsed`]);
    });
  });
});
