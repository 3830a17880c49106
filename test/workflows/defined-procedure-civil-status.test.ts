import type { AdapterOutcome } from '../../activities/adapters';
import { evaluate } from '../../activities/adapters';
import { cancelDossierUpdate, dossierStateQuery, FailureTypes } from '../../workflows/shared/messages';
import { formatLocalTime } from '../../common/local-time';
import { deadlineKeyOf } from '../../procedures/define';
import { DEFINED_PROCEDURES } from '../../procedures/definitions';
import { DEFAULT_APPLICANT_EMAIL, planStep } from '../support/fake-activities';
import {
  complete,
  definitionOf,
  dossierId,
  envNow,
  expectRejected,
  finished,
  inputOf,
  mailKeys,
  outcomes,
  PUBLIC_BASE_URL,
  reasonOf,
  useEnvironment,
  waitForState,
  waitForTask,
  withDossier,
  world,
  type Answer,
  type Filing,
} from './defined-procedure-helpers';

// The interpreter (workflows/defined-procedure.ts) running the civil-status extract published as data
// (procedures/definitions/civil-status-extract.json) on the time-skipping server, every activity an
// in-memory fake, the registry's adapters (civil-status.locate-record, civil-status.digitise-record)
// answering what each test says: every path of the document, each path's history recorded
// (RECORD_HISTORIES=1, test/workflows/history-recording.ts). Helpers: defined-procedure-helpers.ts.

const CSE = 'civil-status-extract';
const WARD = 'W-BEN-THANH';
const HOLDING_WARD = 'W-SAI-GON';
const APPLICANT = '079088004127';
const CLERK = 'clerk.w-ben-thanh';
const ARCHIVE_CLERK = 'clerk.w-sai-gon';
const RECORD_ID = 'HT-BIRTH-2019-000123';
const PAPER_RECORD_ID = 'HT-BIRTH-1998-000457';

const extract = definitionOf(CSE);
/** Version 2: verify-and-sign shows the registry's views of the applicant and the record (the API reads them), and the results naming the record. */
const extractV2 = DEFINED_PROCEDURES.find((p) => p.id === CSE && p.published?.version === 2)!;

useEnvironment();

/** A record in the electronic registry, by its reference. */
const ELECTRONIC_FILING = { kind: 'BIRTH', recordRef: RECORD_ID };
/** An old birth only in the paper book of the ward where it was registered. */
const PAPER_FILING = { kind: 'BIRTH', subjectPin: APPLICANT, registrationUnitCode: HOLDING_WARD, bookNumber: '02/1998', pageNumber: 41 };

const filingOf = (data: Record<string, unknown>): Filing => ({ procedure: extract, data, applicantPin: APPLICANT });

/** The registry's look-up answers `outcome` with `result`. */
const locate =
  (outcome: string, result: Record<string, unknown>): Answer =>
  (): AdapterOutcome => ({ outcome, result });

const ELECTRONIC_ENTITLED = locate('found', { entitled: true, recordId: RECORD_ID, registrationUnitCode: HOLDING_WARD });
const PAPER_ENTITLED = locate('paper-archive-only', { entitled: true, recordId: PAPER_RECORD_ID, holdingUnitCode: HOLDING_WARD });

/** The fakes: the applicant verified, and the record where the test puts it (the archive clerk's reading digitised as it is given). */
function extractWorld(lookup: Answer, answers: Partial<Record<string, Answer>> = {}) {
  return world({
    'civil-status.locate-record': lookup,
    'civil-status.digitise-record': (input) => ({ outcome: 'digitised', result: { recordId: String(input.existingRecordId ?? `HT-BIRTH-ARCHIVE-${HOLDING_WARD}`), entitled: true } }),
    ...answers,
  });
}

/** What the archive clerk reads from the paper book. */
const ARCHIVE_READING = {
  record: {
    registeredOn: '1998-03-20',
    bookNumber: '02/1998',
    pageNumber: 41,
    subjectPin: APPLICANT,
    partyPins: [APPLICANT],
    details: { childName: 'Trần Văn Hùng', dateOfBirth: '1998-03-14', placeOfBirth: 'Bệnh viện Từ Dũ' },
  },
};

const RECEIVED = ['receive/citizen/received', 'verify-applicant/system/verified'];
const SIGNED = ['verify-and-sign/system/task-opened', `verify-and-sign/clerk:${CLERK}/approve`, 'issue/system/issued'];

describe('definedProcedureWorkflow: copy of a civil-status extract', () => {
  it('1. the record in the electronic registry, the applicant named in it: signed at the ward, the extract issued and mailed', async () => {
    const id = dossierId('CSE', 'approved');
    const { fake, adapterCalls } = extractWorld(ELECTRONIC_ENTITLED);
    const input = inputOf(extract, id, await envNow(), ELECTRONIC_FILING, WARD);

    const result = await withDossier(fake, input, filingOf(ELECTRONIC_FILING), async (handle) => {
      const task = await waitForTask(handle, fake, `${id}-T1`);
      expect(task).toMatchObject({ step: 'verify-and-sign', unitCode: WARD });
      const row = fake.tasks.get(task.taskId)!;
      expect(row).toMatchObject({ procedure: CSE, unitCode: WARD, outcomes: ['approve', 'refuse'] });
      expect(task.dueAt).toBe(planStep(CSE, 'verify-and-sign', new Date(row.createdAt)).dueAt.toISOString());
      expect(await handle.query(dossierStateQuery)).toMatchObject({ status: 'awaiting-signature', currentStep: 'verify-and-sign', decided: false });
      await expectRejected(complete(handle, task.taskId, 'found', CLERK), [FailureTypes.invalidOutcome]);
      await complete(handle, task.taskId, 'approve', CLERK);
      return finished(handle, 'civil-status-extract-approved.json');
    });

    const document = fake.documents.get(id)!;
    expect(result).toEqual({ dossierId: id, status: 'issued', documentCode: document.code });
    expect(outcomes(fake, id)).toEqual([...RECEIVED, 'registry-lookup/system/found', ...SIGNED]);
    expect(fake.history(id).map((e) => e.noteEn)).toEqual([
      `Filed at ${WARD}`,
      'The applicant is in the population data',
      `Record registered at ${HOLDING_WARD}`,
      expect.anything(),
      undefined,
      `Electronic extract, verification code ${document.code}`,
    ]);
    // The look-up's input, evaluated over the filing as the real adapter does (what the filing leaves out is null); the applicant verified first.
    expect(adapterCalls.map((c) => [c.adapter, c.input])).toEqual([
      ['population.verify-persons', { applicant: true }],
      ['civil-status.locate-record', { kind: 'BIRTH', recordRef: RECORD_ID, subjectPin: null, registrationUnitCode: null, bookNumber: null, pageNumber: null }],
    ]);
    // The extract is of the record the look-up found.
    const issued = fake.callsOf('issueDefinedDocument')[0]!.input as { template: string; fields: Record<string, unknown>; results: Record<string, Record<string, unknown>> };
    expect(issued.template).toBe(CSE);
    expect(evaluate(issued.fields.recordId, { results: issued.results })).toBe(RECORD_ID);
    const dossier = fake.dossiers.get(id)!;
    expect(dossier).toMatchObject({ status: 'issued', currentStep: 'closed', dueAt: input.dueAt, result: { documentCode: document.code } });
    expect(dossier.decidedAt).toBeDefined();
    expect(fake.tasks.get(`${id}-T1`)).toMatchObject({ status: 'done', outcome: 'approve', completedBy: CLERK });
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/mail/result`]);
    const mail = fake.mailsTo(`${id}/mail/result`)[0]!;
    // The run does not know the applicant's language: Vietnamese, with the portal's link to download.
    expect(mail).toMatchObject({ to: DEFAULT_APPLICANT_EMAIL, subject: `Hồ sơ ${id}: đã cấp trích lục` });
    expect(mail.text).toContain(`Mã xác thực: ${document.code}`);
    expect(mail.text).toContain(`Tải về: ${PUBLIC_BASE_URL}/portal/dossiers/${id}\n`);
  });

  it("2. only in the paper archive: the holding ward's clerk finds it in the book, it is digitised, signed at the filing ward and issued", async () => {
    const id = dossierId('CSE', 'archive-found');
    const { fake, adapterCalls } = extractWorld(PAPER_ENTITLED);
    const input = inputOf(extract, id, await envNow(), PAPER_FILING, WARD);

    const result = await withDossier(fake, input, filingOf(PAPER_FILING), async (handle) => {
      const search = await waitForTask(handle, fake, `${id}-T1`);
      // The search is at the ward holding the book; the dossier is given the archive's 5 working days from receipt.
      expect(search).toMatchObject({ step: 'archive-search', unitCode: HOLDING_WARD });
      expect(fake.tasks.get(search.taskId)).toMatchObject({ unitCode: HOLDING_WARD, outcomes: ['found', 'not-found'] });
      expect(fake.dossiers.get(id)).toMatchObject({
        status: 'archive-search',
        currentStep: 'archive-search',
        dueAt: planStep(CSE, 'archive-search/dossier', new Date(input.receivedAt)).dueAt.toISOString(),
      });
      await expectRejected(complete(handle, search.taskId, 'found', ARCHIVE_CLERK, { record: { registeredOn: '1998-03-20' } }), [FailureTypes.invalidTaskData]);
      await complete(handle, search.taskId, 'found', ARCHIVE_CLERK, ARCHIVE_READING);

      const sign = await waitForTask(handle, fake, `${id}-T2`);
      expect(sign).toMatchObject({ step: 'verify-and-sign', unitCode: WARD });
      await complete(handle, sign.taskId, 'approve', CLERK);
      return finished(handle, 'civil-status-extract-archive-found.json');
    });

    const document = fake.documents.get(id)!;
    expect(result).toEqual({ dossierId: id, status: 'issued', documentCode: document.code });
    expect(outcomes(fake, id)).toEqual([
      ...RECEIVED,
      'registry-lookup/system/paper-archive-only',
      'archive-search/system/task-opened',
      `archive-search/clerk:${ARCHIVE_CLERK}/found`,
      'archive-search/system/digitised',
      ...SIGNED,
    ]);
    expect(fake.history(id).find((e) => e.outcome === 'paper-archive-only')!.noteEn).toBe(`Archive search at ${HOLDING_WARD}`);
    expect(fake.history(id).find((e) => e.outcome === 'digitised')!.noteEn).toBe(`Record ${PAPER_RECORD_ID} added to the electronic registry`);
    // The clerk's reading is on the task's row, where the digitising adapter reads it.
    expect(fake.tasks.get(`${id}-T1`)).toMatchObject({ status: 'done', outcome: 'found', completedBy: ARCHIVE_CLERK, data: ARCHIVE_READING });
    expect(adapterCalls.map((c) => [c.adapter, c.input])).toEqual([
      ['population.verify-persons', { applicant: true }],
      ['civil-status.locate-record', { kind: 'BIRTH', recordRef: null, subjectPin: APPLICANT, registrationUnitCode: HOLDING_WARD, bookNumber: '02/1998', pageNumber: 41 }],
      ['civil-status.digitise-record', { kind: 'BIRTH', step: 'archive-search', holdingUnitCode: HOLDING_WARD, existingRecordId: PAPER_RECORD_ID }],
    ]);
    const issued = fake.callsOf('issueDefinedDocument')[0]!.input as { fields: Record<string, unknown>; results: Record<string, Record<string, unknown>> };
    expect(evaluate(issued.fields.recordId, { results: issued.results })).toBe(PAPER_RECORD_ID);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'issued', currentStep: 'closed', result: { documentCode: document.code } });
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/mail/result`]);
  });

  it("3. the archive search finds nothing: refused with the clerk's reason, then how to have the birth registered again", async () => {
    const id = dossierId('CSE', 'archive-not-found');
    const { fake, adapterCalls } = extractWorld(locate('not-found', { archiveSearchable: true, holdingUnitCode: HOLDING_WARD }));
    const clerkReason = 'Sổ đăng ký khai sinh năm 1998 quyển 02 không có trang 41 ghi tên người này.';

    const result = await withDossier(fake, inputOf(extract, id, await envNow(), PAPER_FILING, WARD), filingOf(PAPER_FILING), async (handle) => {
      const task = await waitForTask(handle, fake, `${id}-T1`);
      expect(task).toMatchObject({ step: 'archive-search', unitCode: HOLDING_WARD });
      await expectRejected(complete(handle, task.taskId, 'not-found', ARCHIVE_CLERK, {}), [FailureTypes.invalidTaskData]);
      await complete(handle, task.taskId, 'not-found', ARCHIVE_CLERK, { reason: clerkReason });
      return finished(handle, 'civil-status-extract-archive-not-found.json');
    });

    // The document's reason with the clerk's filled in, opening with the clerk's words: Vietnamese, the run not knowing the applicant's language.
    const reason = reasonOf(extract, 'refused-not-in-archive').replaceAll('{{reason}}', clerkReason);
    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    const [vi, viRest] = result.reason!.split('\n');
    expect(vi).toBe(clerkReason);
    expect(viRest).toContain('đăng ký lại');
    expect(fake.history(id).at(-1)!.noteEn).toContain('Please apply for re-registration');
    expect(outcomes(fake, id)).toEqual([
      ...RECEIVED,
      'registry-lookup/system/not-found',
      'archive-search/system/task-opened',
      `archive-search/clerk:${ARCHIVE_CLERK}/not-found`,
      `archive-search/clerk:${ARCHIVE_CLERK}/refused`,
    ]);
    expect(fake.history(id).find((e) => e.outcome === 'not-found' && e.actor === 'system')!.noteEn).toBe(`Archive search at ${HOLDING_WARD}`);
    expect(adapterCalls.map((c) => c.adapter)).toEqual(['population.verify-persons', 'civil-status.locate-record']);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'refused', currentStep: 'closed', result: { refused: true, reason } });
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/result`]);
    expect(fake.mailsTo(`${id}/result`)[0]!.text).toContain(clerkReason);
    expect(fake.documents.size).toBe(0);
  });

  it('4. the applicant is not named in the record: refused at the look-up, nothing of the record told, no task', async () => {
    const id = dossierId('CSE', 'not-entitled');
    const { fake } = extractWorld(locate('found', { entitled: false, recordId: RECORD_ID, registrationUnitCode: HOLDING_WARD }));

    const result = await withDossier(fake, inputOf(extract, id, await envNow(), ELECTRONIC_FILING, WARD), filingOf(ELECTRONIC_FILING), (handle) =>
      finished(handle, 'civil-status-extract-not-entitled.json'),
    );

    expect(result).toEqual({ dossierId: id, status: 'refused', reason: reasonOf(extract, 'refused-not-entitled') });
    expect(outcomes(fake, id)).toEqual([...RECEIVED, 'registry-lookup/system/found', 'registry-lookup/system/refused']);
    // The outcome's note names where the record is only when the applicant may know it.
    expect(fake.history(id).find((e) => e.outcome === 'found')!.note).toBeUndefined();
    expect(JSON.stringify(fake.history(id))).not.toContain(HOLDING_WARD);
    expect(fake.tasks.size).toBe(0);
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/result`]);
    expect(fake.mailsTo(`${id}/result`)[0]!.text).toContain(reasonOf(extract, 'refused-not-entitled'));
  });

  it('5. not in the electronic registry, and too little given to search the archive: refused at once, no clerk is given a search', async () => {
    const id = dossierId('CSE', 'too-little');
    const { fake, adapterCalls } = extractWorld(locate('not-found', { archiveSearchable: false, holdingUnitCode: WARD }));
    const filing = { kind: 'BIRTH' };

    const result = await withDossier(fake, inputOf(extract, id, await envNow(), filing, WARD), filingOf(filing), (handle) =>
      finished(handle, 'civil-status-extract-too-little.json'),
    );

    expect(result).toEqual({ dossierId: id, status: 'refused', reason: reasonOf(extract, 'refused-too-little') });
    expect(result.reason).toContain('registrationUnitCode');
    expect(outcomes(fake, id)).toEqual([...RECEIVED, 'registry-lookup/system/not-found', 'registry-lookup/system/refused']);
    expect(fake.history(id).find((e) => e.outcome === 'not-found')!.note).toBeUndefined();
    expect(adapterCalls.at(-1)).toMatchObject({ adapter: 'civil-status.locate-record', input: { kind: 'BIRTH' } });
    expect(fake.tasks.size).toBe(0);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'refused', currentStep: 'closed', result: { refused: true } });
  });

  it('6. the name given does not match the population data: refused at verify-applicant, the registry never asked', async () => {
    const id = dossierId('CSE', 'identity-refused');
    const { fake, adapterCalls } = extractWorld(ELECTRONIC_ENTITLED, {
      'population.verify-persons': () => ({ outcome: 'mismatch', result: { checked: 1, person: 'applicant', mismatch: 'name' } }),
    });
    const filing = { ...ELECTRONIC_FILING, applicant: { fullName: 'Trần Văn Hùng Anh' } };

    const result = await withDossier(fake, inputOf(extract, id, await envNow(), filing, WARD), filingOf(filing), (handle) =>
      finished(handle, 'civil-status-extract-identity-refused.json'),
    );

    expect(result).toEqual({ dossierId: id, status: 'refused', reason: reasonOf(extract, 'refused-name-mismatch') });
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-applicant/system/mismatch', 'verify-applicant/system/refused']);
    expect(fake.history(id)[1]!.noteEn).toBe('Does not match the population data; checked 1; person applicant; mismatch name');
    expect(adapterCalls.map((c) => c.adapter)).toEqual(['population.verify-persons']);
    expect(fake.tasks.size).toBe(0);
    expect(fake.documents.size).toBe(0);
  });

  it('7. cancelled by the applicant while the extract awaits the signature: the task is withdrawn, nothing issued', async () => {
    const id = dossierId('CSE', 'cancelled');
    const { fake } = extractWorld(ELECTRONIC_ENTITLED);
    const reason = 'Tôi đã tìm được bản chính';

    const { result, state } = await withDossier(fake, inputOf(extract, id, await envNow(), ELECTRONIC_FILING, WARD), filingOf(ELECTRONIC_FILING), async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      await waitForState(handle, (s) => s.status === 'awaiting-signature', 'awaiting the signature');
      expect(await handle.executeUpdate(cancelDossierUpdate, { args: [{ reason }] })).toEqual({ dossierId: id, status: 'cancelled' });
      await expectRejected(complete(handle, `${id}-T1`, 'approve', CLERK), [FailureTypes.dossierClosed, FailureTypes.taskNotOpen], { allowCompleted: true });
      return { result: await finished(handle, 'civil-status-extract-cancelled.json'), state: await handle.query(dossierStateQuery) };
    });

    expect(result).toEqual({ dossierId: id, status: 'cancelled' });
    expect(outcomes(fake, id)).toEqual([...RECEIVED, 'registry-lookup/system/found', 'verify-and-sign/system/task-opened', 'cancel/citizen/cancelled']);
    expect(fake.history(id).at(-1)!.note).toBe(reason);
    expect(fake.tasks.get(`${id}-T1`)!.status).toBe('cancelled');
    expect(state).toMatchObject({ status: 'cancelled', currentStep: 'closed', openTasks: [], awaiting: null });
    expect(mailKeys(fake, id)).toEqual([`${id}/mail/receipt`, `${id}/cancelled`]);
    expect(fake.documents.size).toBe(0);
  });

  it('8. version 2, from the paper archive: the task to sign carries the views it shows and the results that name the record (the look-up, then the digitisation)', async () => {
    const id = dossierId('CSE', 'v2-archive-found');
    const { fake } = extractWorld(PAPER_ENTITLED);
    const input = inputOf(extractV2, id, await envNow(), PAPER_FILING, WARD);

    const result = await withDossier(fake, input, { ...filingOf(PAPER_FILING), procedure: extractV2 }, async (handle) => {
      const search = await waitForTask(handle, fake, `${id}-T1`);
      // The archive search shows the filing's fields (the API reads them from the dossier's row), no view.
      expect(fake.tasks.get(search.taskId)!.context).toEqual({ shows: expect.arrayContaining(['filing.kind', 'filing.recordRef']), results: {} });
      await complete(handle, search.taskId, 'found', ARCHIVE_CLERK, ARCHIVE_READING);
      const sign = await waitForTask(handle, fake, `${id}-T2`);
      expect(fake.tasks.get(sign.taskId)!.context).toEqual({
        shows: ['view:population.applicant', 'view:civil-status.record', 'results.registry-lookup', 'results.digitise'],
        results: {
          'registry-lookup': { outcome: 'paper-archive-only', entitled: true, recordId: PAPER_RECORD_ID, holdingUnitCode: HOLDING_WARD },
          digitise: { outcome: 'digitised', entitled: true, recordId: PAPER_RECORD_ID },
        },
      });
      await complete(handle, sign.taskId, 'approve', CLERK);
      return finished(handle, 'civil-status-extract-v2-archive-found.json');
    });

    expect(result).toEqual({ dossierId: id, status: 'issued', documentCode: fake.documents.get(id)!.code });
  });

  it('9. version 2, the record in the electronic registry: after the two checks the task to sign opens in one call (its deadline, its row, the status and the lines together)', async () => {
    const id = dossierId('CSE', 'v2-approved');
    const { fake } = extractWorld(ELECTRONIC_ENTITLED);
    const input = inputOf(extractV2, id, await envNow(), ELECTRONIC_FILING, WARD);

    const result = await withDossier(fake, input, { ...filingOf(ELECTRONIC_FILING), procedure: extractV2 }, async (handle) => {
      const task = await waitForTask(handle, fake, `${id}-T1`);
      const row = fake.tasks.get(task.taskId)!;
      expect(row).toMatchObject({ step: 'verify-and-sign', unitCode: WARD, outcomes: ['approve', 'refuse'] });
      expect(task.dueAt).toBe(planStep(deadlineKeyOf(extractV2), 'verify-and-sign', new Date(row.createdAt)).dueAt.toISOString());
      expect(row.dueAt).toBe(task.dueAt);
      // What the dossier shows once its task is listed: the status the task's step enters, the look-up's line, then the task's, due when the task is.
      expect(fake.dossiers.get(id)).toMatchObject({ status: 'awaiting-signature', currentStep: 'verify-and-sign', dueAt: input.dueAt });
      expect(outcomes(fake, id)).toEqual([...RECEIVED, 'registry-lookup/system/found', 'verify-and-sign/system/task-opened']);
      expect(fake.history(id).at(-1)!.noteEn).toBe(`Verify and sign the extract at ${WARD}, due ${formatLocalTime(task.dueAt)}`);
      await complete(handle, task.taskId, 'approve', CLERK);
      return finished(handle, 'civil-status-extract-v2-approved.json');
    });

    expect(result).toEqual({ dossierId: id, status: 'issued', documentCode: fake.documents.get(id)!.code });
    expect(outcomes(fake, id)).toEqual([...RECEIVED, 'registry-lookup/system/found', ...SIGNED]);
    // Up to the task: the applicant's check beside the received line, the look-up, then the one call that opens the task.
    const opening = fake.calls.findIndex((c) => c.activity === 'openPlannedTask');
    const upToTask = fake.calls.slice(0, opening + 1).map((c) => c.activity).filter((a) => a !== 'notifyApplicant');
    expect(upToTask.sort()).toEqual(['openPlannedTask', 'runAdapter', 'runAdapter', 'updateDossier']);
    expect(fake.callsOf('planDeadlines')).toEqual([]);
    expect(fake.callsOf('openTask')).toEqual([]);
  });
});
