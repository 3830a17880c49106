import { PIN } from '../../../prisma/seed-data';
import type { DossierCase } from '../casebook';
import { deviated, follow, type CitizenContext } from '../citizen';
import { detailOf, type Claims } from '../http';
import { citizen, type SoakPath } from './path';

/**
 * Copy of a civil-status extract, four ways, on the seed's people and records: approved by the
 * ward's clerk; found only in the paper archive (the clerk of the unit holding the book transcribes
 * it, then the receiving ward signs); refused because the applicant is not named in the record; and
 * cancelled by the citizen while the clerk's task is open. Published as data since the code was
 * retired (procedures/definitions/civil-status-extract.json): the same statuses, tasks and outcomes.
 */

type Kind = 'BIRTH' | 'MARRIAGE' | 'DEATH' | 'PARENT_CHILD_RECOGNITION';
interface Request {
  applicant: string;
  /** The ward filed at. */
  unitCode: string;
  data: { kind: Kind; recordRef?: string; subjectPin?: string };
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;
const file = (request: Request) => ({ procedure: 'civil-status-extract', unitCode: request.unitCode, data: request.data });

/** Records that name their applicant, in the electronic registry. */
const ENTITLED: readonly Request[] = [
  { applicant: PIN.nguyenVanAn, unitCode: 'W-BEN-THANH', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' } },
  { applicant: PIN.tranThiBichNgoc, unitCode: 'W-SAI-GON', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2022-004517' } },
  { applicant: PIN.leHoangPhuc, unitCode: 'W-SAI-GON', data: { kind: 'MARRIAGE', recordRef: 'HT-MARRIAGE-2012-001375' } },
  { applicant: PIN.lyThiKimChi, unitCode: 'W-BINH-THANH', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2020-002208' } },
  { applicant: PIN.hoangVanLong, unitCode: 'W-THU-DUC', data: { kind: 'PARENT_CHILD_RECOGNITION', recordRef: 'HT-RECOGNITION-2024-000958' } },
  // By the person the record is about, not by reference.
  { applicant: PIN.phanQuocBao, unitCode: 'W-BINH-THANH', data: { kind: 'PARENT_CHILD_RECOGNITION', subjectPin: PIN.lyBaoNgoc } },
];

/** Records that do not name the applicant: refused at the look-up, no task. */
const NOT_ENTITLED: readonly Request[] = [
  { applicant: PIN.vuDucThang, unitCode: 'W-THU-DUC', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' } },
  { applicant: PIN.ngoThiMyLinh, unitCode: 'W-BEN-THANH', data: { kind: 'MARRIAGE', recordRef: 'HT-MARRIAGE-2012-001375' } },
  { applicant: PIN.dangThiHong, unitCode: 'W-TAN-DINH', data: { kind: 'DEATH', recordRef: 'HT-DEATH-2023-000765' } },
];

/** Requests to cancel: the task is open at the ward when the citizen cancels. */
const TO_CANCEL: readonly Request[] = [
  { applicant: PIN.nguyenVanAn, unitCode: 'W-BEN-THANH', data: { kind: 'MARRIAGE', recordRef: 'HT-MARRIAGE-2016-000842' } },
  { applicant: PIN.phamThiThuTrang, unitCode: 'W-TAN-DINH', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2014-001092' } },
];

/**
 * Old births only in the paper books: filed with the unit that holds the book and a book number
 * of the dossier's own, so no earlier transcription (nor the seed's indexed paper record) matches.
 */
const IN_THE_ARCHIVE: ReadonlyArray<{ applicant: string; unitCode: string; registrationUnitCode: string; registeredOn: string }> = [
  { applicant: PIN.huynhVanTam, unitCode: 'W-BINH-THANH', registrationUnitCode: 'W-BINH-THANH', registeredOn: '1950-06-30' },
  { applicant: PIN.voThiLan, unitCode: 'W-TAN-DINH', registrationUnitCode: 'W-SAI-GON', registeredOn: '1948-02-20' },
  { applicant: PIN.dangThiHong, unitCode: 'W-THU-DUC', registrationUnitCode: 'W-TAN-DINH', registeredOn: '1970-04-20' },
];

export const civilStatusApproved: SoakPath = {
  id: 'civil-status/approved',
  procedure: 'civil-status-extract',
  what: 'in the electronic registry, the ward clerk verifies and signs: issued',
  expected: 'issued',
  plan(n) {
    const request = pick(ENTITLED, n);
    return {
      filer: citizen(request.applicant),
      route: '/dossiers',
      body: file(request),
      decide: (task) => (task.step === 'verify-and-sign' ? { outcome: 'approve' } : 'leave'),
    };
  },
};

export const civilStatusArchive: SoakPath = {
  id: 'civil-status/archive-search',
  procedure: 'civil-status-extract',
  what: 'only in the paper archive: the holding unit transcribes the record (archive-search found), the ward signs: issued',
  expected: 'issued',
  plan(n, ctx) {
    const { applicant, unitCode, registrationUnitCode, registeredOn } = pick(IN_THE_ARCHIVE, n);
    const bookNumber = `SOAK-${ctx.run}-${n}`;
    return {
      filer: citizen(applicant),
      route: '/dossiers',
      body: { procedure: 'civil-status-extract', unitCode, data: { kind: 'BIRTH', registrationUnitCode, bookNumber } },
      decide: (task) => {
        if (task.step === 'verify-and-sign') return { outcome: 'approve' };
        if (task.step !== 'archive-search') return 'leave';
        const record = { registeredOn, bookNumber, pageNumber: n + 1, subjectPin: applicant, partyPins: [applicant], details: { note: 'Transcribed from the paper book by the soak' } };
        return { outcome: 'found', data: { record } };
      },
    };
  },
};

export const civilStatusNotEntitled: SoakPath = {
  id: 'civil-status/refused-not-entitled',
  procedure: 'civil-status-extract',
  what: 'the applicant is not named in the record: refused at the look-up, no task',
  expected: 'refused',
  plan(n) {
    const request = pick(NOT_ENTITLED, n);
    return { filer: citizen(request.applicant), route: '/dossiers', body: file(request), decide: () => 'leave' };
  },
};

export const civilStatusCancelled: SoakPath = {
  id: 'civil-status/cancelled',
  procedure: 'civil-status-extract',
  what: 'the citizen cancels while the clerk’s task is open: cancelled, the task withdrawn',
  expected: 'cancelled',
  plan(n, ctx) {
    const request = pick(TO_CANCEL, n);
    const filer = citizen(request.applicant);
    return {
      filer,
      route: '/dossiers',
      body: file(request),
      // The clerk leaves it: the citizen cancels first.
      decide: () => 'leave',
      afterFiling: async (dossierId, dossier) => {
        const waiting = await follow(ctx, filer, dossierId, (d) => d.status === 'awaiting-signature' && d.openTasks.length > 0);
        if (waiting.status !== 'awaiting-signature') return deviated(dossier, `closed ${waiting.status} before the citizen could cancel`);
        await cancel(ctx, filer, dossierId, dossier);
      },
    };
  },
};

async function cancel(ctx: CitizenContext, filer: Claims, dossierId: string, dossier: DossierCase): Promise<void> {
  const answer = await ctx.api.as(filer, 'POST', `/dossiers/${dossierId}/cancel`, {
    body: { reason: 'No longer needed' },
    retryConflict: (a) => /try again/i.test(detailOf(a)),
    signal: ctx.signal,
  });
  if (answer.status === 200) return;
  // A retried cancellation the first attempt already made answers 409 "already cancelled".
  if (answer.status === 409 && /already cancelled/i.test(detailOf(answer))) return;
  deviated(dossier, `cancel answered ${answer.status}: ${detailOf(answer)}`);
}

export const CIVIL_STATUS_PATHS = [civilStatusApproved, civilStatusArchive, civilStatusNotEntitled, civilStatusCancelled];
