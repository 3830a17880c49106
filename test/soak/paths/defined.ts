import { PIN } from '../../../prisma/seed-data';
import type { TaskView } from '../casebook';
import { deviated, follow, type CitizenContext } from '../citizen';
import { detailOf, type Claims } from '../http';
import { citizen, localDate, type DossierPlan, type SoakPath } from './path';

/**
 * The two procedures published as data (procedures/definitions/*.json), run by the interpreter
 * workflow `definedProcedureWorkflow` and filed through `POST /dossiers` like the code procedures;
 * their tasks go to the clerk of the ward they are filed at.
 *
 * Certificate of marital status, four ways: approved by the clerk (never married, widowed, or
 * married and asking for another purpose than marrying); refused by the clerk; a supplement round
 * trip (the clerk asks for a field, the applicant answers, the second review approves); and refused
 * by the branch when the civil-status records show the applicant married and the purpose is to
 * marry (no task). Birth registration, two ways: registered (the clerk approves, the birth is
 * written into the register) and refused by the clerk. Every applicant and parent is a seed person
 * (prisma/seed-data.ts); the marital status comes from the seed's MARRIAGE and DEATH records.
 */

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

// ---------------------------------------------------------------------------------------------
// Certificate of marital status

interface MaritalRequest {
  applicant: string;
  /** The ward of their residence. */
  unitCode: string;
  data: { purpose: 'MARRIAGE' | 'OTHER'; purposeDetail?: string; intendedSpouseName?: string };
}

/** Reach the clerk's review: never married, widowed, or married and not asking to marry. */
const REVIEWED: readonly MaritalRequest[] = [
  // Never married.
  { applicant: PIN.phanQuocBao, unitCode: 'W-BINH-THANH', data: { purpose: 'MARRIAGE', intendedSpouseName: 'Lý Thị Kim Chi' } },
  // Widowed (her husband's DEATH record).
  { applicant: PIN.voThiLan, unitCode: 'W-TAN-DINH', data: { purpose: 'OTHER', purposeDetail: 'Thủ tục thừa kế' } },
  // Married, for another purpose: the branch lets it through to the review.
  { applicant: PIN.nguyenVanAn, unitCode: 'W-BEN-THANH', data: { purpose: 'OTHER', purposeDetail: 'Vay vốn ngân hàng' } },
  // Never married.
  { applicant: PIN.hoangVanLong, unitCode: 'W-THU-DUC', data: { purpose: 'OTHER', purposeDetail: 'Mua bán nhà đất' } },
  { applicant: PIN.doThiThanhHuong, unitCode: 'W-TAN-DINH', data: { purpose: 'MARRIAGE', intendedSpouseName: 'Trần Minh Quân' } },
];

/** Married (a MARRIAGE record naming them, the spouse alive) and asking to marry: refused at the branch. */
const MARRIED_TO_MARRY: readonly MaritalRequest[] = [
  { applicant: PIN.leHoangPhuc, unitCode: 'W-SAI-GON', data: { purpose: 'MARRIAGE', intendedSpouseName: 'Nguyễn Thị Hoa' } },
  { applicant: PIN.phamThiThuTrang, unitCode: 'W-SAI-GON', data: { purpose: 'MARRIAGE', intendedSpouseName: 'Trần Văn Nam' } },
  { applicant: PIN.tranThiBichNgoc, unitCode: 'W-BEN-THANH', data: { purpose: 'MARRIAGE', intendedSpouseName: 'Lê Văn Tài' } },
];

/** Filed with a field the clerk asks for again; the answer fills it in. */
const TO_SUPPLEMENT: ReadonlyArray<{ request: MaritalRequest; field: 'purposeDetail' | 'intendedSpouseName'; answer: string }> = [
  { request: { applicant: PIN.lyThiKimChi, unitCode: 'W-BINH-THANH', data: { purpose: 'MARRIAGE' } }, field: 'intendedSpouseName', answer: 'Phan Quốc Bảo' },
  { request: { applicant: PIN.vuDucThang, unitCode: 'W-THU-DUC', data: { purpose: 'OTHER' } }, field: 'purposeDetail', answer: 'Xin việc tại doanh nghiệp' },
  { request: { applicant: PIN.dangThiHong, unitCode: 'W-TAN-DINH', data: { purpose: 'OTHER' } }, field: 'purposeDetail', answer: 'Xuất cảnh lao động' },
];

const fileMarital = (request: MaritalRequest) => ({ procedure: 'marital-status-certificate', unitCode: request.unitCode, data: request.data });

const REFUSE = (reason: string) => ({ outcome: 'refuse', data: { reason } });

/** The first task of a dossier is `<dossierId>-T1`: later ones are the reviews after a supplement. */
const isFirstTask = (task: TaskView) => task.taskId === `${task.dossierId}-T1`;

export const maritalApproved: SoakPath = {
  id: 'marital-status/approved',
  procedure: 'marital-status-certificate',
  what: 'never married, widowed, or married asking for another purpose: the ward clerk approves the review: issued',
  expected: 'issued',
  plan(n) {
    const request = pick(REVIEWED, n);
    return { filer: citizen(request.applicant), route: '/dossiers', body: fileMarital(request), decide: (task) => (task.step === 'review' ? { outcome: 'approve' } : 'leave') };
  },
};

export const maritalRefused: SoakPath = {
  id: 'marital-status/refused-by-clerk',
  procedure: 'marital-status-certificate',
  what: 'the ward clerk refuses the review with a reason: refused',
  expected: 'refused',
  plan(n) {
    const request = pick(REVIEWED, n + 2);
    return {
      filer: citizen(request.applicant),
      route: '/dossiers',
      body: fileMarital(request),
      decide: (task) => (task.step === 'review' ? REFUSE('Chưa xác minh được nơi cư trú trước đây của người yêu cầu') : 'leave'),
    };
  },
};

export const maritalSupplement: SoakPath = {
  id: 'marital-status/supplement-answered',
  procedure: 'marital-status-certificate',
  what: 'the clerk asks for a field (request-supplement), the applicant answers it, the second review approves: issued',
  expected: 'issued',
  plan(n, ctx) {
    const { request, field, answer } = pick(TO_SUPPLEMENT, n);
    const filer = citizen(request.applicant);
    return {
      filer,
      route: '/dossiers',
      body: fileMarital(request),
      decide: (task) => {
        if (task.step !== 'review') return 'leave';
        return isFirstTask(task) ? { outcome: 'request-supplement', data: { items: [{ field, problem: 'Chưa ghi, đề nghị bổ sung' }] } } : { outcome: 'approve' };
      },
      afterFiling: (dossierId, dossier) => answerSupplement(ctx, filer, dossierId, dossier, { [field]: answer }),
    };
  },
};

export const maritalRefusedMarried: SoakPath = {
  id: 'marital-status/refused-married',
  procedure: 'marital-status-certificate',
  what: 'married by the civil-status records and asking to marry: refused at the branch, no task',
  expected: 'refused',
  plan(n) {
    const request = pick(MARRIED_TO_MARRY, n);
    return { filer: citizen(request.applicant), route: '/dossiers', body: fileMarital(request), decide: () => 'leave' };
  },
};

async function answerSupplement(ctx: CitizenContext, filer: Claims, dossierId: string, dossier: Parameters<typeof deviated>[0], data: Record<string, unknown>): Promise<void> {
  const asked = await follow(ctx, filer, dossierId, (d) => d.awaiting?.kind === 'supplement');
  if (asked.awaiting?.kind !== 'supplement') return deviated(dossier, `closed ${asked.status} before a supplement was asked`);
  const answer = await ctx.api.as(filer, 'POST', `/dossiers/${dossierId}/supplement`, { body: { data }, signal: ctx.signal });
  if (answer.status !== 200) deviated(dossier, `supplement answered ${answer.status}: ${detailOf(answer)}`);
}

// ---------------------------------------------------------------------------------------------
// Birth registration

interface Family {
  /** The parent who files. */
  filer: string;
  motherPin: string;
  fatherPin?: string;
  /** The ward of the parents' residence. */
  unitCode: string;
  surname: string;
}

const FAMILIES: readonly Family[] = [
  { filer: PIN.nguyenVanAn, fatherPin: PIN.nguyenVanAn, motherPin: PIN.tranThiBichNgoc, unitCode: 'W-BEN-THANH', surname: 'Nguyễn' },
  { filer: PIN.phamThiThuTrang, fatherPin: PIN.leHoangPhuc, motherPin: PIN.phamThiThuTrang, unitCode: 'W-SAI-GON', surname: 'Lê' },
  { filer: PIN.lyThiKimChi, fatherPin: PIN.phanQuocBao, motherPin: PIN.lyThiKimChi, unitCode: 'W-BINH-THANH', surname: 'Phan' },
  // A mother alone (the father not given).
  { filer: PIN.doThiThanhHuong, motherPin: PIN.doThiThanhHuong, unitCode: 'W-TAN-DINH', surname: 'Đỗ' },
];

const GIVEN_NAMES = ['Minh Thư', 'Gia Hân', 'Bảo Anh', 'Khánh Linh', 'Đức Minh', 'Quốc Huy', 'Thanh Tùng'];

function fileBirth(n: number, family: Family): Omit<DossierPlan, 'decide'> {
  const sex = n % 2 === 0 ? 'FEMALE' : 'MALE';
  return {
    filer: citizen(family.filer),
    route: '/dossiers',
    body: {
      procedure: 'birth-registration',
      unitCode: family.unitCode,
      data: {
        child: { fullName: `${family.surname} ${pick(GIVEN_NAMES, n)}`, sex, dateOfBirth: localDate(-(1 + (n % 25))), placeOfBirth: 'Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh' },
        motherPin: family.motherPin,
        ...(family.fatherPin ? { fatherPin: family.fatherPin } : {}),
      },
    },
  };
}

export const birthRegistered: SoakPath = {
  id: 'birth-registration/registered',
  procedure: 'birth-registration',
  what: 'the parents verified, the ward clerk approves, the birth written into the register: registered, certificate issued',
  expected: 'registered',
  plan(n) {
    return { ...fileBirth(n, pick(FAMILIES, n)), decide: (task) => (task.step === 'review' ? { outcome: 'approve' } : 'leave') };
  },
};

export const birthRefused: SoakPath = {
  id: 'birth-registration/refused-by-clerk',
  procedure: 'birth-registration',
  what: 'the ward clerk refuses the review with a reason: refused, nothing registered',
  expected: 'refused',
  plan(n) {
    return { ...fileBirth(n, pick(FAMILIES, n + 1)), decide: (task) => (task.step === 'review' ? REFUSE('Giấy chứng sinh không khớp với ngày sinh đã khai') : 'leave') };
  },
};

export const MARITAL_STATUS_PATHS = [maritalApproved, maritalRefused, maritalSupplement, maritalRefusedMarried];
export const BIRTH_REGISTRATION_PATHS = [birthRegistered, birthRefused];
