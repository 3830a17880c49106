import { randomUUID } from 'node:crypto';
import { WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { addCalendarDays, localDateOf, WorkingCalendar, type LocalDate } from '../../common/calendar';
import { VIETNAM_PUBLIC_HOLIDAYS_2025_2027 } from '../../common/holidays-vn';
import type { CivilStatusExtractFiling } from '../../procedures/civil-status-extract/definition';
import { civilStatusExtractWorkflow, type CivilStatusExtractInput } from '../../procedures/civil-status-extract/workflow';
import { cancelDossierUpdate, completeTaskUpdate, dossierStateQuery, FailureTypes } from '../../workflows/shared/messages';
import {
  createFakeActivities,
  DEFAULT_APPLICANT_EMAIL,
  NATIONAL_CALENDAR,
  planStep,
  unitMailbox,
  type FakeActivities,
  type FakeActivityOptions,
} from '../support/fake-activities';
import { eventually } from '../support/http';
import { expectNear, expectRejected, local, MINUTE, recordHistory, useTimeSkipping, waitFor, waitForState, waitForTask } from './helpers';

// The civil-status extract workflow (procedures/civil-status-extract/README.md) on the time-skipping server, every activity
// replaced by an in-memory fake: this tests the workflow's logic (paths, messages, deadlines counted
// in working days), not the systems behind the activities.
//
// One environment for the paths, whose clock stays near the real time; each deadline test moves the
// clock to a chosen instant, so it gets an environment of its own. No test leaves a workflow running.

type Handle = WorkflowHandle<typeof civilStatusExtractWorkflow>;

const PROCEDURE = 'civil-status-extract';
const WARD = 'W-BEN-THANH';
const HOLDING_WARD = 'W-SAI-GON';
const CITY = 'HCMC';
const APPLICANT_PIN = '079085001234';
const OTHER_PIN = '079060004321';
const CLERK = 'clerk.w-ben-thanh';
const ARCHIVE_CLERK = 'clerk.w-sai-gon';
const PUBLIC_BASE_URL = 'https://dichvucong.example';
const DAY = 24 * 60 * MINUTE;

// One time-skipping server for the file (see the deadline tests for the exceptions).
const { environmentPerTest, envNow, sleepUntil, finished, withWorkflow: runWorkflow } = useTimeSkipping();

// ---------------------------------------------------------------------------------------------
// Helpers

function dossierId(label: string): string {
  return `CSE-TEST-${label}-${randomUUID().slice(0, 8)}`;
}

function extractInput(id: string, receivedAt: Date, request: Partial<CivilStatusExtractFiling> = {}, calendar = NATIONAL_CALENDAR): CivilStatusExtractInput {
  // The whole filing, as the API stores it: the fakes read it as the dossier's row (the workflow only uses `kind`).
  const filing: CivilStatusExtractFiling = { kind: 'BIRTH', applicant: { fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-14' }, ...request };
  return {
    dossierId: id,
    unitCode: WARD,
    receivedAt: receivedAt.toISOString(),
    dueAt: planStep(PROCEDURE, 'dossier', receivedAt, calendar).dueAt.toISOString(),
    request: filing,
    publicBaseUrl: PUBLIC_BASE_URL,
    // Filed by an applicant who reads English (Accept-Language): their mails and reasons are in English.
    language: 'en',
  };
}

const electronicRecord = (partyPins = [APPLICANT_PIN, OTHER_PIN]): FakeActivityOptions['lookup'] => ({
  outcome: 'found',
  record: { id: 'HT-BIRTH-2019-000123', kind: 'BIRTH', storage: 'ELECTRONIC', registrationUnitCode: HOLDING_WARD, partyPins },
});

function complete(handle: Handle, taskId: string, outcome: string, data?: Record<string, unknown>, completedBy = CLERK, note?: string) {
  return handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data, note, completedBy }] });
}

/** A promise and the function that resolves it: holds an activity (see the fake's gates) until released. */
function gate(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

const outcomes = (fake: FakeActivities, id: string) => fake.history(id).map((e) => `${e.step}/${e.actor}/${e.outcome}`);

/** Runs one extract workflow, filed by the applicant, on a worker of its own (see useTimeSkipping().withWorkflow). */
function withWorkflow<T>(fake: FakeActivities, input: CivilStatusExtractInput, body: (handle: Handle) => Promise<T>): Promise<T> {
  return runWorkflow(fake, { workflow: civilStatusExtractWorkflow, procedure: PROCEDURE, input, applicantPin: APPLICANT_PIN }, body);
}

/** The pending activity of that type as Temporal describes it (attempt, last failure), once it has failed at least once. */
function eventuallyPending(handle: Handle, activityType: string) {
  return eventually(async () => {
    const { raw } = await handle.describe();
    return (raw.pendingActivities ?? []).find((a) => a.activityType?.name === activityType && (a.attempt ?? 0) >= 2);
  }, 30_000, 100);
}

/** A dossier that ended before its applicant was verified says nothing of the record: not in its history, row or mails. */
function expectNothingOfTheRecord(fake: ReturnType<typeof createFakeActivities>, id: string): void {
  const told = JSON.stringify([fake.history(id), fake.dossiers.get(id), fake.mails.filter((m) => m.idempotencyKey.startsWith(id))]);
  expect(told).not.toContain('registry-lookup');
  expect(told).not.toContain('HT-BIRTH-2019-000123');
  expect(told).not.toContain(HOLDING_WARD);
}

// ---------------------------------------------------------------------------------------------
// Paths

describe('civilStatusExtractWorkflow', () => {
  it('1. record found in the electronic registry, approved: extract issued, receipt then result mail', async () => {
    const id = dossierId('approved');
    const fake = createFakeActivities({ lookup: electronicRecord() });
    const input = extractInput(id, await envNow());

    const result = await withWorkflow(fake, input, async (handle) => {
      const task = await waitForTask(handle, fake, 'verify-and-sign');
      expect(task).toMatchObject({ taskId: `${id}-T1`, unitCode: WARD });
      expect(task.dueAt).toBe(planStep(PROCEDURE, 'verify-and-sign', new Date(fake.tasks.get(task.taskId)!.createdAt)).dueAt.toISOString());
      expect(await handle.query(dossierStateQuery)).toMatchObject({ status: 'awaiting-signature', currentStep: 'verify-and-sign', decided: false });
      expect(fake.tasks.get(task.taskId)).toMatchObject({ status: 'open', dossierId: id, step: 'verify-and-sign', outcomes: ['approve', 'refuse'] });

      const answer = await complete(handle, task.taskId, 'approve', undefined, CLERK, 'Checked against the record');
      expect(answer).toEqual({ taskId: task.taskId, outcome: 'approve', dossierStatus: 'awaiting-signature' });
      const outcome = await handle.result();
      await recordHistory(handle, 'civil-status-extract-approved.json');
      return outcome;
    });

    const document = fake.documents.get(id);
    expect(document).toMatchObject({ recordId: 'HT-BIRTH-2019-000123' });
    expect(fake.documents.size).toBe(1);
    expect(result).toEqual({ dossierId: id, status: 'issued', documentCode: document!.code });

    expect(outcomes(fake, id)).toEqual([
      'receive/citizen/received',
      'verify-applicant/system/verified',
      'registry-lookup/system/found',
      'verify-and-sign/system/task-opened',
      `verify-and-sign/clerk:${CLERK}/approve`,
      'issue/system/issued',
    ]);
    expect(fake.history(id).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fake.history(id).at(-1)).toMatchObject({ note: `Trích lục điện tử, mã xác thực ${document!.code}`, noteEn: `Electronic extract, verification code ${document!.code}` });

    expect(fake.mails.map((m) => m.idempotencyKey)).toEqual([`${id}/receipt`, `${id}/result`]);
    expect(fake.mails.every((m) => m.to === DEFAULT_APPLICANT_EMAIL)).toBe(true);
    expect(fake.mails[1]!.text).toContain(document!.code);
    expect(fake.mails[1]!.text).toContain(`Anyone can check it at ${PUBLIC_BASE_URL}/verify/${document!.code}`);
    expect(fake.mails[1]!.text).toContain(`Download: ${PUBLIC_BASE_URL}/portal/dossiers/${id}\n`);
    expect(fake.mails[0]!.text).toContain(`Follow it at ${PUBLIC_BASE_URL}/portal/dossiers/${id}`);

    const row = fake.dossiers.get(id)!;
    expect(row).toMatchObject({ status: 'issued', currentStep: 'closed', dueAt: input.dueAt });
    expect(row.result).toMatchObject({ documentCode: document!.code, verifyUrl: `${PUBLIC_BASE_URL}/verify/${document!.code}` });
    expect(row.decidedAt).toBeDefined();
    expect(row.closedAt).toBeDefined();
    expect(fake.tasks.get(`${id}-T1`)).toMatchObject({ status: 'done', outcome: 'approve', completedBy: CLERK, note: 'Checked against the record' });
    // Nobody was reminded or escalated: the clerk acted in time.
    expect(fake.notifyCalls.filter((c) => c.activity !== 'notifyApplicant')).toEqual([]);
    expect(fake.callsOf('registerArchivedRecord')).toEqual([]);
  });

  it('2. refused by the clerk: the reason is in the result mail and the history; a refusal needs a reason', async () => {
    const id = dossierId('refused');
    const fake = createFakeActivities({ lookup: electronicRecord() });
    const reason = 'The extract requested concerns a record under correction (decision 12/QĐ pending).';

    const result = await withWorkflow(fake, extractInput(id, await envNow()), async (handle) => {
      const task = await waitForTask(handle, fake, 'verify-and-sign');
      await expectRejected(complete(handle, task.taskId, 'refuse'), [FailureTypes.invalidTaskData]);
      await expectRejected(complete(handle, task.taskId, 'refuse', { reason: '   ' }), [FailureTypes.invalidTaskData]);
      await expectRejected(complete(handle, task.taskId, 'found'), [FailureTypes.invalidOutcome]);
      await expectRejected(complete(handle, `${id}-T9`, 'approve'), [FailureTypes.taskNotOpen]);
      // Rejected completions left the task open and nothing written.
      expect(fake.tasks.get(task.taskId)!.status).toBe('open');

      await complete(handle, task.taskId, 'refuse', { reason });
      return finished(handle, 'civil-status-extract-refused.json');
    });

    expect(result).toEqual({ dossierId: id, status: 'refused', reason });
    expect(outcomes(fake, id)).toEqual([
      'receive/citizen/received',
      'verify-applicant/system/verified',
      'registry-lookup/system/found',
      'verify-and-sign/system/task-opened',
      `verify-and-sign/clerk:${CLERK}/refuse`,
      `verify-and-sign/clerk:${CLERK}/refused`,
    ]);
    expect(fake.history(id).at(-1)!.note).toBe(reason);
    expect(fake.mails.map((m) => m.idempotencyKey)).toEqual([`${id}/receipt`, `${id}/result`]);
    expect(fake.mails[1]!.text).toContain(reason);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'refused', currentStep: 'closed', result: { refused: true, reason } });
    expect(fake.documents.size).toBe(0);
    expect(fake.callsOf('issueCivilStatusExtract')).toEqual([]);
  });

  it('3. record only in the paper archive, found by the holding ward: digitised, signed, issued; dossier due moves to the archive deadline', async () => {
    const id = dossierId('archive-found');
    // Not yet indexed in the electronic registry: the look-up only says which ward holds the book.
    const fake = createFakeActivities({ lookup: { outcome: 'not-found', holdingUnitCode: HOLDING_WARD } });
    const receivedAt = await envNow();
    const input = extractInput(id, receivedAt, { registrationUnitCode: HOLDING_WARD, bookNumber: '03/1985', pageNumber: 42 });
    const entry = {
      registeredOn: '1985-03-20',
      bookNumber: '03/1985',
      pageNumber: 42,
      subjectPin: APPLICANT_PIN,
      partyPins: [APPLICANT_PIN],
      details: { childName: 'Nguyễn Văn An', dateOfBirth: '1985-03-14', placeOfBirth: 'Sài Gòn' },
    };

    const result = await withWorkflow(fake, input, async (handle) => {
      const search = await waitForTask(handle, fake, 'archive-search');
      // At the unit that holds the book, not at the receiving ward.
      expect(search.unitCode).toBe(HOLDING_WARD);
      expect(fake.tasks.get(search.taskId)).toMatchObject({ unitCode: HOLDING_WARD, outcomes: ['found', 'not-found'] });
      expect(search.dueAt).toBe(planStep(PROCEDURE, 'archive-search', new Date(fake.tasks.get(search.taskId)!.createdAt)).dueAt.toISOString());
      expect(await handle.query(dossierStateQuery)).toMatchObject({ status: 'archive-search', currentStep: 'archive-search' });
      // The dossier's due date moved to the archive deadline, counted from receipt.
      const archiveDue = planStep(PROCEDURE, 'dossier-archive', receivedAt).dueAt.toISOString();
      expect(fake.dossiers.get(id)!.dueAt).toBe(archiveDue);
      expect(fake.dossiers.get(id)!.dueAtHistory).toEqual([input.dueAt, archiveDue]);

      await expectRejected(complete(handle, search.taskId, 'found', {}, ARCHIVE_CLERK), [FailureTypes.invalidTaskData]);
      await expectRejected(
        complete(handle, search.taskId, 'found', { record: { ...entry, partyPins: ['123'] } }, ARCHIVE_CLERK),
        [FailureTypes.invalidTaskData],
      );
      await complete(handle, search.taskId, 'found', { record: entry }, ARCHIVE_CLERK);
      // Completing twice: the second is refused, the dossier goes on.
      await expectRejected(complete(handle, search.taskId, 'found', { record: entry }, ARCHIVE_CLERK), [FailureTypes.taskNotOpen]);

      const sign = await waitForTask(handle, fake, 'verify-and-sign');
      expect(sign).toMatchObject({ taskId: `${id}-T2`, unitCode: WARD });
      await complete(handle, sign.taskId, 'approve');
      const outcome = await handle.result();
      await recordHistory(handle, 'civil-status-extract-archive-found.json');
      return outcome;
    });

    const recordId = `HT-BIRTH-D-${id}`;
    expect(fake.callsOf('registerArchivedRecord').map((c) => c.input)).toEqual([
      // The entry travels no further than the task: the activity reads it from the task's row.
      { dossierId: id, taskId: `${id}-T1`, kind: 'BIRTH', holdingUnitCode: HOLDING_WARD },
    ]);
    expect(fake.records.get(`HT-BIRTH-D-${id}`)!.entry).toEqual(entry);
    expect(fake.records.get(recordId)).toMatchObject({ storage: 'ELECTRONIC', registrationUnitCode: HOLDING_WARD, partyPins: [APPLICANT_PIN] });
    expect(fake.documents.get(id)).toMatchObject({ recordId });
    expect(result).toEqual({ dossierId: id, status: 'issued', documentCode: fake.documents.get(id)!.code });
    expect(outcomes(fake, id)).toEqual([
      'receive/citizen/received',
      'verify-applicant/system/verified',
      'registry-lookup/system/not-found',
      'archive-search/system/task-opened',
      `archive-search/clerk:${ARCHIVE_CLERK}/found`,
      'archive-search/system/digitised',
      'verify-and-sign/system/task-opened',
      `verify-and-sign/clerk:${CLERK}/approve`,
      'issue/system/issued',
    ]);
    expect(fake.history(id)[2]!.noteEn).toBe(`Archive search at ${HOLDING_WARD}`);
    expect(fake.mails.map((m) => m.idempotencyKey)).toEqual([`${id}/receipt`, `${id}/result`]);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'issued', dueAt: planStep(PROCEDURE, 'dossier-archive', receivedAt).dueAt.toISOString() });
  });

  it('3b. record indexed as PAPER_ARCHIVE: the search is at its registration ward, then the record is switched to electronic', async () => {
    const id = dossierId('paper-found');
    const fake = createFakeActivities({
      lookup: {
        outcome: 'found',
        record: { id: 'HT-MARRIAGE-1990-000007', kind: 'MARRIAGE', storage: 'PAPER_ARCHIVE', registrationUnitCode: HOLDING_WARD, partyPins: [APPLICANT_PIN, OTHER_PIN] },
      },
    });
    const receivedAt = await envNow();
    const input = extractInput(id, receivedAt, { kind: 'MARRIAGE' });
    const entry = { registeredOn: '1990-06-02', partyPins: [APPLICANT_PIN, OTHER_PIN], details: { husbandName: 'Nguyễn Văn An', wifeName: 'Lê Thị Hoa' } };

    const result = await withWorkflow(fake, input, async (handle) => {
      const search = await waitForTask(handle, fake, 'archive-search');
      expect(search.unitCode).toBe(HOLDING_WARD);
      expect(fake.dossiers.get(id)!.dueAt).toBe(planStep(PROCEDURE, 'dossier-archive', receivedAt).dueAt.toISOString());
      await complete(handle, search.taskId, 'found', { record: entry }, ARCHIVE_CLERK);
      const sign = await waitForTask(handle, fake, 'verify-and-sign');
      await complete(handle, sign.taskId, 'approve');
      return handle.result();
    });

    expect(fake.callsOf('registerArchivedRecord').map((c) => c.input)).toEqual([
      { dossierId: id, taskId: `${id}-T1`, kind: 'MARRIAGE', holdingUnitCode: HOLDING_WARD, existingRecordId: 'HT-MARRIAGE-1990-000007' },
    ]);
    expect(fake.records.get('HT-MARRIAGE-1990-000007')!.storage).toBe('ELECTRONIC');
    expect(fake.documents.get(id)).toMatchObject({ recordId: 'HT-MARRIAGE-1990-000007' });
    expect(result).toMatchObject({ dossierId: id, status: 'issued' });
    expect(outcomes(fake, id)).toContain('registry-lookup/system/paper-archive-only');
  });

  it('4a. not found, and too little to search the archive with: refused at once, no clerk is given a search', async () => {
    const id = dossierId('too-little');
    const fake = createFakeActivities({ lookup: { outcome: 'not-found' } });
    // A made-up reference with no unit, no book and no person: nothing a clerk could look for.
    const result = await withWorkflow(fake, extractInput(id, await envNow(), { recordRef: 'HT-BIRTH-1900-999999' }), (handle) => handle.result());
    expect(result).toMatchObject({ dossierId: id, status: 'refused', reason: expect.stringContaining('registrationUnitCode') });
    expect(fake.tasks.size).toBe(0);
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-applicant/system/verified', 'registry-lookup/system/not-found', 'registry-lookup/system/refused']);
  });

  it('4. archive search finds nothing: refused, the reason says to re-register', async () => {
    const id = dossierId('archive-not-found');
    const fake = createFakeActivities({ lookup: { outcome: 'not-found' } });
    const reason = 'Book 03/1985 of the ward has no entry for this name (checked pages 1-180).';

    const result = await withWorkflow(fake, extractInput(id, await envNow(), { registrationUnitCode: HOLDING_WARD, bookNumber: '03/1985' }), async (handle) => {
      const search = await waitForTask(handle, fake, 'archive-search');
      // Without the holding unit from the look-up, the one the citizen gave.
      expect(search.unitCode).toBe(HOLDING_WARD);
      await expectRejected(complete(handle, search.taskId, 'not-found', {}, ARCHIVE_CLERK), [FailureTypes.invalidTaskData]);
      await complete(handle, search.taskId, 'not-found', { reason }, ARCHIVE_CLERK);
      return finished(handle, 'civil-status-extract-archive-not-found.json');
    });

    expect(result.status).toBe('refused');
    expect(result.reason).toContain(reason);
    expect(result.reason).toMatch(/re-registration/);
    const last = fake.history(id).at(-1)!;
    expect(last).toMatchObject({ step: 'archive-search', actor: `clerk:${ARCHIVE_CLERK}`, outcome: 'refused' });
    expect(last.noteEn).toMatch(/re-registration/);
    expect(last.note).toMatch(/đăng ký lại/);
    expect(fake.mailsTo(`${id}/result`)[0]!.text).toMatch(/re-registration/);
    expect(fake.callsOf('registerArchivedRecord')).toEqual([]);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'refused', result: { refused: true } });
    expect([...fake.tasks.values()].map((t) => t.step)).toEqual(['archive-search']);
  });

  it('5. identity mismatch: refused at verify-applicant, no task opened, nothing of the record told', async () => {
    const id = dossierId('identity');
    const fake = createFakeActivities({ identity: { verified: false, reason: 'name-mismatch' }, lookup: electronicRecord() });

    const result = await withWorkflow(fake, extractInput(id, await envNow()), (handle) => finished(handle, 'civil-status-extract-identity-refused.json'));

    expect(result).toMatchObject({ dossierId: id, status: 'refused' });
    expect(result.reason).toMatch(/name given does not match/);
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-applicant/system/refused']);
    expect(fake.tasks.size).toBe(0);
    // The record was looked up beside the verification (side-by-side runs), but nothing of it is told or kept.
    expectNothingOfTheRecord(fake, id);
    // Only the dossier's id travels: the activity reads who filed, and what they declared, from the database.
    expect(fake.callsOf('verifyApplicant').map((c) => c.input)).toEqual([{ dossierId: id }]);
    expect(fake.mails.map((m) => m.idempotencyKey)).toEqual([`${id}/receipt`, `${id}/result`]);
    expect(fake.mails[1]!.text).toContain(result.reason);
  });

  it('5b. applicant not named in the record: refused at the look-up, no task opened', async () => {
    const id = dossierId('not-entitled');
    const fake = createFakeActivities({ lookup: electronicRecord([OTHER_PIN]) });

    const result = await withWorkflow(fake, extractInput(id, await envNow()), (handle) => finished(handle, 'civil-status-extract-not-entitled.json'));

    expect(result).toMatchObject({ dossierId: id, status: 'refused' });
    expect(result.reason).toMatch(/not named in this record/);
    expect(outcomes(fake, id).slice(-2)).toEqual(['registry-lookup/system/found', 'registry-lookup/system/refused']);
    expect(fake.tasks.size).toBe(0);
  });

  it('5c. record indexed as PAPER_ARCHIVE that does not name the applicant: refused at once, no archive search', async () => {
    const id = dossierId('paper-not-entitled');
    const fake = createFakeActivities({
      lookup: { outcome: 'found', record: { id: 'HT-DEATH-1979-000031', kind: 'DEATH', storage: 'PAPER_ARCHIVE', registrationUnitCode: HOLDING_WARD, partyPins: [OTHER_PIN] } },
    });

    const result = await withWorkflow(fake, extractInput(id, await envNow(), { kind: 'DEATH' }), (handle) => handle.result());

    expect(result).toMatchObject({ dossierId: id, status: 'refused' });
    expect(result.reason).toMatch(/not named in this record/);
    expect(fake.tasks.size).toBe(0);
    expect(fake.callsOf('registerArchivedRecord')).toEqual([]);
    expect(fake.records.get('HT-DEATH-1979-000031')!.storage).toBe('PAPER_ARCHIVE');
  });

  it('retried activities write and mail once: events keyed by sequence, mail by idempotency key', async () => {
    const id = dossierId('retries');
    const fake = createFakeActivities({
      identity: { verified: false, reason: 'unknown-person' },
      failAfterEffect: { notifyApplicant: 1, updateDossier: 2 },
    });

    const result = await withWorkflow(fake, extractInput(id, await envNow()), (handle) => handle.result());

    expect(result.status).toBe('refused');
    expect(fake.callsOf('notifyApplicant').length).toBeGreaterThanOrEqual(3);
    expect(fake.mailRequestsByKey.get(`${id}/receipt`)).toBe(2);
    expect(fake.mails.map((m) => m.idempotencyKey)).toEqual([`${id}/receipt`, `${id}/result`]);
    expect(outcomes(fake, id)).toEqual(['receive/citizen/received', 'verify-applicant/system/refused']);
  });

  it('a registry that keeps failing: the look-up is listed as a failing activity, and the dossier goes on once it answers', async () => {
    const id = dossierId('registry-down');
    const fake = createFakeActivities({ lookup: electronicRecord(), failAfterEffect: { findCivilStatusRecord: 2 } });

    const result = await withWorkflow(fake, extractInput(id, await envNow()), async (handle) => {
      const pending = await eventuallyPending(handle, 'findCivilStatusRecord');
      expect(pending.lastFailure?.message).toMatch(/connection lost/);
      expect((await handle.query(dossierStateQuery)).openTasks).toEqual([]);
      const task = await waitForTask(handle, fake, 'verify-and-sign');
      await complete(handle, task.taskId, 'approve');
      return handle.result();
    });

    expect(result.status).toBe('issued');
    expect(fake.callsOf('findCivilStatusRecord').map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(fake.callsOf('verifyApplicant').map((c) => c.attempt)).toEqual([1]);
  });

  it('a store write that keeps failing is listed as a pending activity with its failure (stuck), and the dossier goes on once it answers', async () => {
    const id = dossierId('store-down');
    // Opening the clerk's task (one call: its deadline, its row, the status and lines) fails 3 times
    // after its effect, each attempt retried by Temporal: the task and its line are written once. The
    // task shows as open once the call answers (the retries' 1 + 2 + 4 s, in real time).
    const fake = createFakeActivities({ lookup: electronicRecord(), failAfterEffect: { openPlannedTask: 3 } });

    const result = await withWorkflow(fake, extractInput(id, await envNow()), async (handle) => {
      const pending = await eventuallyPending(handle, 'openPlannedTask');
      expect(pending.attempt).toBeGreaterThanOrEqual(2);
      expect(pending.lastFailure?.message).toMatch(/connection lost/);
      const task = await waitForTask(handle, fake, 'verify-and-sign');
      await complete(handle, task.taskId, 'approve');
      return handle.result();
    });

    expect(result.status).toBe('issued');
    expect(fake.callsOf('openPlannedTask').map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
    expect([...fake.tasks.values()].map((t) => t.step)).toEqual(['verify-and-sign']);
    expect(fake.history(id).filter((e) => e.outcome === 'task-opened')).toHaveLength(1);
  });

  describe('6. cancellation and conflicting messages', () => {
    it('cancelled while verify-and-sign is open: tasks withdrawn, later completion rejected', async () => {
      const id = dossierId('cancelled');
      const fake = createFakeActivities({ lookup: electronicRecord() });
      const reason = 'I found my old extract';

      const result = await withWorkflow(fake, extractInput(id, await envNow()), async (handle) => {
        const task = await waitForTask(handle, fake, 'verify-and-sign');
        const cancelled = await handle.executeUpdate(cancelDossierUpdate, { args: [{ reason }] });
        expect(cancelled).toEqual({ dossierId: id, status: 'cancelled' });
        expect(fake.cancelOpenTasksCalls).toEqual([expect.objectContaining({ dossierId: id, cancelled: 1 })]);
        expect(fake.tasks.get(task.taskId)!.status).toBe('cancelled');

        await expectRejected(complete(handle, task.taskId, 'approve'), [FailureTypes.dossierClosed], { allowCompleted: true });
        await expectRejected(handle.executeUpdate(cancelDossierUpdate, { args: [{}] }), [FailureTypes.dossierClosed], { allowCompleted: true });
        const outcome = await handle.result();
        await recordHistory(handle, 'civil-status-extract-cancelled.json');
        return outcome;
      });

      expect(result).toEqual({ dossierId: id, status: 'cancelled' });
      expect(outcomes(fake, id)).toEqual([
        'receive/citizen/received',
        'verify-applicant/system/verified',
        'registry-lookup/system/found',
        'verify-and-sign/system/task-opened',
        'cancel/citizen/cancelled',
      ]);
      expect(fake.history(id).at(-1)!.note).toBe(reason);
      expect(fake.mails.map((m) => m.idempotencyKey)).toEqual([`${id}/receipt`, `${id}/cancelled`]);
      expect(fake.dossiers.get(id)).toMatchObject({ status: 'cancelled', currentStep: 'closed' });
      expect(fake.dossiers.get(id)!.decidedAt).toBeUndefined();
      expect(fake.documents.size).toBe(0);
      expect(fake.callsOf('recordTaskCompletion')).toEqual([]);
    });

    it('cancelled during the archive search: the holding ward’s task is withdrawn', async () => {
      const id = dossierId('cancel-archive');
      const fake = createFakeActivities({ lookup: { outcome: 'not-found', holdingUnitCode: HOLDING_WARD } });

      const result = await withWorkflow(fake, extractInput(id, await envNow(), { registrationUnitCode: HOLDING_WARD, subjectPin: APPLICANT_PIN }), async (handle) => {
        const task = await waitForTask(handle, fake, 'archive-search');
        expect(await handle.executeUpdate(cancelDossierUpdate, { args: [{}] })).toEqual({ dossierId: id, status: 'cancelled' });
        expect(fake.tasks.get(task.taskId)!.status).toBe('cancelled');
        return handle.result();
      });

      expect(result).toEqual({ dossierId: id, status: 'cancelled' });
      expect(fake.cancelOpenTasksCalls.map((c) => c.dossierId)).toEqual([id]);
      expect(fake.callsOf('registerArchivedRecord')).toEqual([]);
      expect([...fake.tasks.values()].map((t) => t.step)).toEqual(['archive-search']);
    });

    it.each([
      ['verified', { verified: true } as const],
      ['not verified', { verified: false, reason: 'birth-date-mismatch' } as const],
    ])('cancelled while the population data is checked (%s): cancelled, no task, nothing of the record kept', async (_label, identity) => {
      const id = dossierId('cancel-early');
      const verifying = gate();
      const fake = createFakeActivities({ identity, lookup: electronicRecord(), gates: { verifyApplicant: verifying.promise } });

      const result = await withWorkflow(fake, extractInput(id, await envNow()), async (handle) => {
        await waitForState(handle, (s) => s.status === 'verifying-applicant', 'the applicant check');
        const update = await handle.startUpdate(cancelDossierUpdate, { args: [{ reason: 'filed twice' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
        verifying.release();
        expect(await update.result()).toEqual({ dossierId: id, status: 'cancelled' });
        return handle.result();
      });

      // A refusal that was pending when the owner cancelled gives way to the cancellation.
      expect(result).toEqual({ dossierId: id, status: 'cancelled' });
      expect(outcomes(fake, id).at(-1)).toBe('cancel/citizen/cancelled');
      expect(fake.tasks.size).toBe(0);
      expectNothingOfTheRecord(fake, id);
      expect(fake.mails.map((m) => m.idempotencyKey)).toEqual([`${id}/receipt`, `${id}/cancelled`]);
    });


    it('approved: a second completion is TaskNotOpen, a cancellation DossierDecided, then DossierClosed', async () => {
      const id = dossierId('decided');
      // Holds the workflow at `issuing` (decided, not yet closed) until released.
      const issuing = gate();
      const fake = createFakeActivities({ lookup: electronicRecord(), gates: { issueCivilStatusExtract: issuing.promise } });

      const result = await withWorkflow(fake, extractInput(id, await envNow()), async (handle) => {
        const task = await waitForTask(handle, fake, 'verify-and-sign');
        await complete(handle, task.taskId, 'approve');
        await waitForState(handle, (s) => s.status === 'issuing', 'the issuing step');
        expect(await handle.query(dossierStateQuery)).toMatchObject({ decided: true, openTasks: [] });

        await expectRejected(complete(handle, task.taskId, 'approve'), [FailureTypes.taskNotOpen]);
        await expectRejected(complete(handle, task.taskId, 'refuse', { reason: 'changed my mind' }), [FailureTypes.taskNotOpen]);
        await expectRejected(handle.executeUpdate(cancelDossierUpdate, { args: [{ reason: 'too late' }] }), [FailureTypes.dossierDecided]);

        issuing.release();
        const outcome = await handle.result();
        await expectRejected(handle.executeUpdate(cancelDossierUpdate, { args: [{}] }), [FailureTypes.dossierClosed, FailureTypes.dossierDecided], {
          allowCompleted: true,
        });
        return outcome;
      });

      expect(result).toMatchObject({ dossierId: id, status: 'issued' });
      expect(fake.callsOf('recordTaskCompletion')).toHaveLength(1);
      expect(fake.cancelOpenTasksCalls).toEqual([]);
      expect(outcomes(fake, id).filter((o) => o.includes('clerk:'))).toEqual([`verify-and-sign/clerk:${CLERK}/approve`]);
    });

    it('two completions racing: exactly one is accepted', async () => {
      const id = dossierId('race');
      const fake = createFakeActivities({ lookup: electronicRecord() });

      const result = await withWorkflow(fake, extractInput(id, await envNow()), async (handle) => {
        const task = await waitForTask(handle, fake, 'verify-and-sign');
        const settled = await Promise.allSettled([
          complete(handle, task.taskId, 'approve', undefined, 'clerk-a'),
          complete(handle, task.taskId, 'refuse', { reason: 'duplicate request' }, 'clerk-b'),
        ]);
        expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
        const rejected = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
        await expectRejected(Promise.reject(rejected.reason), [FailureTypes.taskNotOpen, FailureTypes.dossierClosed], { allowCompleted: true });
        return handle.result();
      });

      expect(['issued', 'refused']).toContain(result.status);
      expect(fake.callsOf('recordTaskCompletion')).toHaveLength(1);
    });
  });

  // -------------------------------------------------------------------------------------------
  // 7. Nobody acts: reminder and escalations at instants counted in working days. Each test moves
  // the clock of an environment of its own (a clock only moves forward). Every date comes from the
  // test server's clock, which starts at the real time: the section runs once from there, and once
  // with the clock moved past the end of the holiday data (2027), as if run in 2028 or later.
  describe.each([
    ['from the real time', (now: Date) => now],
    ['in 2028 or later', (now: Date) => new Date(Math.max(Date.parse('2028-03-01T00:00:00+07:00'), now.getTime() + 365 * DAY))],
  ])('7. deadlines, reminders and escalations in working days (%s)', (_when, startAt) => {
    environmentPerTest();
    beforeEach(async () => {
      const now = await envNow();
      if (startAt(now) > now) await sleepUntil(startAt(now));
      expect((await envNow()).getTime()).toBeGreaterThanOrEqual(startAt(now).getTime());
    });

    /** Drives an untouched verify-and-sign task through its reminder and two escalations. */
    async function nobodyActs(
      label: string,
      filedAt: Date,
      expected: { dueAt: Date; remindAt: Date; secondEscalateAt: Date },
      calendar: WorkingCalendar = NATIONAL_CALENDAR,
    ) {
      // The pure calendar agrees with the instants the test expects.
      const plan = planStep(PROCEDURE, 'verify-and-sign', filedAt, calendar);
      expect(plan).toEqual({ dueAt: expected.dueAt, remindAt: expected.remindAt, escalateAt: expected.dueAt, secondEscalateAt: expected.secondEscalateAt });
      expect(planStep(PROCEDURE, 'dossier', filedAt, calendar).dueAt).toEqual(expected.dueAt);

      await sleepUntil(filedAt);
      const id = dossierId(label);
      const fake = createFakeActivities({ lookup: electronicRecord(), calendar });
      const input = extractInput(id, await envNow(), {}, calendar);
      expect(input.dueAt).toBe(expected.dueAt.toISOString());

      const sent = (suffix: string) => fake.notifyCalls.filter((c) => c.key.endsWith(suffix));
      const happened = (outcome: string) => fake.history(id).some((e) => e.outcome === outcome);
      const minute = (d: Date, delta: number) => new Date(d.getTime() + delta * MINUTE);

      const result = await withWorkflow(fake, input, async (handle) => {
        const task = await waitForTask(handle, fake, 'verify-and-sign');
        expect(task.dueAt).toBe(expected.dueAt.toISOString());
        expect(fake.tasks.get(task.taskId)!.dueAt).toBe(expected.dueAt.toISOString());

        // Until the reminder: nothing (weekend, holidays).
        await sleepUntil(minute(expected.remindAt, -1));
        expect(fake.notifyCalls.filter((c) => c.activity !== 'notifyApplicant')).toEqual([]);
        expect(happened('reminder-sent')).toBe(false);

        // The reminder, to the clerks of the unit, 120 minutes before the task is due.
        await sleepUntil(minute(expected.remindAt, 1));
        await waitFor(() => happened('reminder-sent'), 'the reminder in the history');
        expect(sent('/reminder')).toHaveLength(1);
        expect(sent('/reminder')[0]).toMatchObject({ activity: 'notifyTaskHolder', key: `${task.taskId}/reminder`, result: { sent: 1 } });
        expectNear(sent('/reminder')[0]!.at, expected.remindAt);
        expect(fake.mailsTo(`${task.taskId}/reminder`).map((m) => m.to)).toEqual([`clerk.${WARD.toLowerCase()}@city.example`]);
        expect(fake.tasks.get(task.taskId)!.remindedAt).toBeDefined();
        expectNear(fake.tasks.get(task.taskId)!.remindedAt, expected.remindAt);
        expect(happened('escalated-level-1')).toBe(false);

        // No escalation before the task is due.
        await sleepUntil(minute(expected.dueAt, -1));
        expect(sent('/escalation-1')).toEqual([]);

        // Level 1 when it is due: the supervisors of the task's own unit (and its mailbox).
        await sleepUntil(minute(expected.dueAt, 1));
        await waitFor(() => happened('escalated-level-1'), 'escalation 1 in the history');
        expect(sent('/escalation-1')).toHaveLength(1);
        const first = sent('/escalation-1')[0]!;
        expect(first.input).toMatchObject({ unitCode: WARD, roles: ['supervisor'], levelsUp: 0, copyUnitMailbox: true });
        expect(first.result).toEqual({ sent: 2, unitCode: WARD });
        expectNear(first.at, expected.dueAt);
        expect(fake.mailsTo(`${task.taskId}/escalation-1`).map((m) => m.to).sort()).toEqual(
          [`supervisor.${WARD.toLowerCase()}@city.example`, unitMailbox(WARD)].sort(),
        );
        expect(fake.dossiers.get(id)!.escalationLevel).toBe(1);
        expect(fake.tasks.get(task.taskId)!.escalationLevel).toBe(1);
        expect(await handle.query(dossierStateQuery)).toMatchObject({ status: 'awaiting-signature', openTasks: [expect.objectContaining({ taskId: task.taskId })] });

        // Level 2 after two more working days, one level up the unit tree.
        await sleepUntil(minute(expected.secondEscalateAt, -1));
        expect(sent('/escalation-2')).toEqual([]);
        expect(happened('escalated-level-2')).toBe(false);
        await sleepUntil(minute(expected.secondEscalateAt, 1));
        await waitFor(() => happened('escalated-level-2'), 'escalation 2 in the history');
        const second = sent('/escalation-2');
        expect(second).toHaveLength(1);
        expect(second[0]!.input).toMatchObject({ unitCode: WARD, roles: ['supervisor'], levelsUp: 1, copyUnitMailbox: true });
        expect(second[0]!.result).toEqual({ sent: 2, unitCode: CITY });
        expectNear(second[0]!.at, expected.secondEscalateAt);
        expect(fake.dossiers.get(id)!.escalationLevel).toBe(2);

        // Nothing more after that, however long nobody acts.
        await sleepUntil(minute(expected.secondEscalateAt, 7 * 24 * 60));
        expect(fake.notifyCalls.filter((c) => c.activity !== 'notifyApplicant')).toHaveLength(3);

        // The events were written at those instants too (workflow time).
        const at = (outcome: string) => fake.history(id).find((e) => e.outcome === outcome)!.at;
        expectNear(at('reminder-sent'), expected.remindAt);
        expectNear(at('escalated-level-1'), expected.dueAt);
        expectNear(at('escalated-level-2'), expected.secondEscalateAt);
        expect(fake.history(id).find((e) => e.outcome === 'escalated-level-1')!.noteEn).toContain(`supervisors of ${WARD}`);
        expect(fake.history(id).find((e) => e.outcome === 'escalated-level-2')!.noteEn).toContain(`supervisors of ${CITY}`);

        // Late, the clerk still can act.
        await complete(handle, task.taskId, 'approve');
        return handle.result();
      });

      expect(result).toMatchObject({ dossierId: id, status: 'issued' });
      expect(outcomes(fake, id)).toEqual([
        'receive/citizen/received',
        'verify-applicant/system/verified',
        'registry-lookup/system/found',
        'verify-and-sign/system/task-opened',
        'verify-and-sign/system/reminder-sent',
        'verify-and-sign/system/escalated-level-1',
        'verify-and-sign/system/escalated-level-2',
        `verify-and-sign/clerk:${CLERK}/approve`,
        'issue/system/issued',
      ]);
      expect(fake.mails.map((m) => m.idempotencyKey).filter((k) => k.startsWith(`${id}/`))).toEqual([`${id}/receipt`, `${id}/result`]);
    }

    /** The first day after the test clock's date (or after `after`) for which `accept` holds. */
    async function comingDay(accept: (d: LocalDate) => boolean, after?: LocalDate): Promise<LocalDate> {
      let day = addCalendarDays(after ?? localDateOf(await envNow()), 1);
      while (!accept(day)) day = addCalendarDays(day, 1);
      return day;
    }
    const weekday = (d: LocalDate) => new Date(`${d}T00:00:00Z`).getUTCDay();
    /** Days decided by the weekday alone: no holiday, no make-up working day, in the national calendar. */
    const ordinary = (d: LocalDate, offsets: number[]) => offsets.every((i) => !NATIONAL_CALENDAR.ruleFor(addCalendarDays(d, i)));

    it('a. filed on a Friday after the cut-off: due Monday 17:00, reminder 15:00, second escalation Wednesday', async () => {
      // The coming Friday (not today) whose Monday-Wednesday after are ordinary working days.
      const friday = await comingDay((d) => weekday(d) === 5 && ordinary(d, [0, 1, 2, 3, 4, 5]));
      const monday = addCalendarDays(friday, 3);
      const wednesday = addCalendarDays(friday, 5);

      await nobodyActs('weekend', local(friday, '16:00'), {
        dueAt: local(monday, '17:00'),
        remindAt: local(monday, '15:00'),
        secondEscalateAt: local(wednesday, '17:00'),
      });
    });

    it('b. filed the day before a week of Tết after the cut-off: due the Thursday after, second escalation the Monday after that', async () => {
      // In the calendar data: filed Wed 3 Feb 2027 16:00 (local), days off Thu 4 - Wed 10 Feb, so due
      // Thu 11 Feb 17:00, reminded 15:00, second escalation Mon 15 Feb 17:00. The pure calendar, no clock:
      for (let d = '2027-02-04'; d <= '2027-02-10'; d = addCalendarDays(d, 1)) expect(NATIONAL_CALENDAR.isWorkingDay(d)).toBe(false);
      expect(planStep(PROCEDURE, 'verify-and-sign', local('2027-02-03', '16:00'))).toEqual({
        dueAt: new Date('2027-02-11T10:00:00.000Z'),
        remindAt: new Date('2027-02-11T08:00:00.000Z'),
        escalateAt: new Date('2027-02-11T10:00:00.000Z'),
        secondEscalateAt: new Date('2027-02-15T10:00:00.000Z'),
      });

      // The workflow, on the same week off placed after the test clock (as a unit's own days off: the
      // holiday data ends with 2027, the clock does not): a coming Wednesday, then Thursday to the
      // next Wednesday off.
      const wednesday = await comingDay((d) => weekday(d) === 3 && ordinary(d, [...Array(13).keys()]));
      const weekOff = [...Array(7).keys()].map((i) => ({ date: addCalendarDays(wednesday, i + 1), working: false, name: 'Tết Nguyên Đán (test)' }));
      const calendar = new WorkingCalendar(VIETNAM_PUBLIC_HOLIDAYS_2025_2027, weekOff);
      const [thursday, monday] = [addCalendarDays(wednesday, 8), addCalendarDays(wednesday, 12)];

      await nobodyActs(
        'tet',
        local(wednesday, '16:00'),
        { dueAt: local(thursday, '17:00'), remindAt: local(thursday, '15:00'), secondEscalateAt: local(monday, '17:00') },
        calendar,
      );
    });
  });
});
