import type { Express } from 'express';
import request from 'supertest';
import { receivedDossierRow } from '../../common/dossier-rows';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { bearer, expectInvalid, expectProblem, tokensFor } from '../support/http';

// `GET /supervision/stats` against a known set of dossiers, every figure counted by hand below.
// Rows are written directly (no workflow runs): the figures read only the dossiers' rows.

const CSE = 'civil-status-extract';
const BR = 'business-registration';
const TFN = 'traffic-fine';
// The procedures shipped as data: in the registry, so with their root rows too.
const MSC = 'marital-status-certificate';
const BRN = 'birth-registration';
/** Local (UTC+7) instant as a Date. */
const local = (text: string) => new Date(`${text}+07:00`);
const PAST = local('2026-11-05T17:00:00');
const FUTURE = local('2099-01-01T17:00:00');

interface Fixture {
  id: string;
  procedure: string;
  unitCode: string;
  receivedAt: Date;
  dueAt: Date;
  status: string;
  closedAt?: Date;
}

// The window is November 2026 (local days, `to` inclusive). Comments say what each dossier counts as.
const DOSSIERS: Fixture[] = [
  // W-BEN-THANH, civil-status extracts
  { id: 'CSE-261102-STAT01', procedure: CSE, unitCode: 'W-BEN-THANH', receivedAt: local('2026-11-02T09:00:00'), dueAt: local('2026-11-02T17:00:00'), status: 'issued', closedAt: local('2026-11-02T15:00:00') }, // on time
  { id: 'CSE-261102-STAT02', procedure: CSE, unitCode: 'W-BEN-THANH', receivedAt: local('2026-11-02T10:00:00'), dueAt: local('2026-11-02T17:00:00'), status: 'issued', closedAt: local('2026-11-03T09:00:00') }, // late
  { id: 'CSE-261103-STAT03', procedure: CSE, unitCode: 'W-BEN-THANH', receivedAt: local('2026-11-03T09:00:00'), dueAt: local('2026-11-03T17:00:00'), status: 'refused', closedAt: local('2026-11-03T17:00:00') }, // on time (at the due minute)
  { id: 'CSE-261104-STAT04', procedure: CSE, unitCode: 'W-BEN-THANH', receivedAt: local('2026-11-04T09:00:00'), dueAt: PAST, status: 'awaiting-signature' }, // open, overdue
  { id: 'CSE-261105-STAT05', procedure: CSE, unitCode: 'W-BEN-THANH', receivedAt: local('2026-11-05T09:00:00'), dueAt: FUTURE, status: 'archive-search' }, // open
  { id: 'CSE-261106-STAT06', procedure: CSE, unitCode: 'W-BEN-THANH', receivedAt: local('2026-11-06T09:00:00'), dueAt: PAST, status: 'cancelled', closedAt: local('2026-11-06T10:00:00') }, // withdrawn
  { id: 'CSE-261031-STAT07', procedure: CSE, unitCode: 'W-BEN-THANH', receivedAt: local('2026-10-31T23:59:00'), dueAt: PAST, status: 'awaiting-signature' }, // before the window
  // W-SAI-GON, civil-status extracts
  { id: 'CSE-261110-STAT08', procedure: CSE, unitCode: 'W-SAI-GON', receivedAt: local('2026-11-01T00:00:00'), dueAt: local('2026-11-03T17:00:00'), status: 'issued', closedAt: local('2026-11-02T08:00:00') }, // on time (first instant of the window)
  { id: 'CSE-261111-STAT09', procedure: CSE, unitCode: 'W-SAI-GON', receivedAt: local('2026-11-11T09:00:00'), dueAt: PAST, status: 'lapsed', closedAt: local('2026-11-20T09:00:00') }, // withdrawn
  { id: 'CSE-261130-STAT10', procedure: CSE, unitCode: 'W-SAI-GON', receivedAt: local('2026-11-30T23:30:00'), dueAt: FUTURE, status: 'received' }, // open (last day of the window)
  { id: 'CSE-261201-STAT11', procedure: CSE, unitCode: 'W-SAI-GON', receivedAt: local('2026-12-01T00:00:00'), dueAt: FUTURE, status: 'received' }, // after the window
  // HCMC-DOF, business registrations
  { id: 'BRG-261112-STAT12', procedure: BR, unitCode: 'HCMC-DOF', receivedAt: local('2026-11-12T09:00:00'), dueAt: local('2026-11-17T17:00:00'), status: 'registered', closedAt: local('2026-11-18T09:00:00') }, // late
  { id: 'BRG-261113-STAT13', procedure: BR, unitCode: 'HCMC-DOF', receivedAt: local('2026-11-13T09:00:00'), dueAt: PAST, status: 'in-review' }, // open, overdue
  // HCMC-CA and its division HCMC-PC08 (two levels below the city)
  { id: 'CSE-261114-STAT14', procedure: CSE, unitCode: 'HCMC-PC08', receivedAt: local('2026-11-14T09:00:00'), dueAt: local('2026-11-14T17:00:00'), status: 'issued', closedAt: local('2026-11-14T11:00:00') }, // on time
  { id: 'CSE-261115-STAT15', procedure: CSE, unitCode: 'HCMC-CA', receivedAt: local('2026-11-15T09:00:00'), dueAt: FUTURE, status: 'looking-up-record' }, // open
  // The city itself
  { id: 'BRG-261116-STAT16', procedure: BR, unitCode: 'HCMC', receivedAt: local('2026-11-16T09:00:00'), dueAt: local('2026-11-16T17:00:00'), status: 'refused', closedAt: local('2026-11-19T09:00:00') }, // late
];

type Counts = [received: number, completed: number, onTime: number, late: number, open: number, overdue: number, withdrawn: number, onTimeRate: number | null];
interface FiguresBody {
  received: number;
  completed: number;
  onTime: number;
  late: number;
  open: number;
  overdue: number;
  withdrawn: number;
  onTimeRate: number | null;
}
interface RowBody extends FiguresBody {
  unitCode: string;
  parentCode: string | null;
  depth: number;
  procedure: string;
  own: FiguresBody;
}
const counts = (f: FiguresBody): Counts => [f.received, f.completed, f.onTime, f.late, f.open, f.overdue, f.withdrawn, f.onTimeRate];
const KEYS = ['received', 'completed', 'onTime', 'late', 'open', 'overdue', 'withdrawn'] as const;

describe('GET /supervision/stats', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'city' | 'benThanh' | 'clerk' | 'citizen' | 'system', string>;
  const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    app = env.createApi();
    for (const d of DOSSIERS) {
      await env.prisma.dossier.createMany({
        data: { ...receivedDossierRow({ dossierId: d.id, procedure: d.procedure, unitCode: d.unitCode, applicantPin: null, ownerPins: [], request: {}, receivedAt: d.receivedAt, dueAt: d.dueAt }), status: d.status, closedAt: d.closedAt ?? null },
      });
    }
    t = await tokensFor(app, {
      city: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' },
      benThanh: { sub: 'supervisor.w-ben-thanh', role: 'supervisor', unit: 'W-BEN-THANH' },
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      citizen: { sub: '079088004127', role: 'citizen' },
      system: { sub: 'batch.reports', role: 'system' },
    });
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
  }, 60_000);

  const stats = (token: string, query: Record<string, string>) => request(app).get('/api/v1/supervision/stats').query(query).set(bearer(token));

  it('counts every figure of the city subtree as counted by hand', async () => {
    const res = await stats(t.city, NOVEMBER).expect(200);
    expect(res.body).toMatchObject({ unitCode: 'HCMC', procedure: null, from: '2026-10-31T17:00:00.000Z', to: '2026-11-30T17:00:00.000Z' });
    const rows = (res.body.rows as RowBody[]).map((r) => ({ unit: r.unitCode, depth: r.depth, procedure: r.procedure, subtree: counts(r), own: counts(r.own) }));
    //                                                       received completed onTime late open overdue withdrawn rate
    expect(rows).toEqual([
      { unit: 'HCMC', depth: 0, procedure: CSE, subtree: [11, 5, 4, 1, 4, 1, 2, 0.8], own: [0, 0, 0, 0, 0, 0, 0, null] },
      { unit: 'HCMC', depth: 0, procedure: BR, subtree: [3, 2, 0, 2, 1, 1, 0, 0], own: [1, 1, 0, 1, 0, 0, 0, 0] },
      // Every procedure has its root row, also one with nothing in the window.
      { unit: 'HCMC', depth: 0, procedure: TFN, subtree: [0, 0, 0, 0, 0, 0, 0, null], own: [0, 0, 0, 0, 0, 0, 0, null] },
      { unit: 'HCMC', depth: 0, procedure: MSC, subtree: [0, 0, 0, 0, 0, 0, 0, null], own: [0, 0, 0, 0, 0, 0, 0, null] },
      { unit: 'HCMC', depth: 0, procedure: BRN, subtree: [0, 0, 0, 0, 0, 0, 0, null], own: [0, 0, 0, 0, 0, 0, 0, null] },
      { unit: 'HCMC-CA', depth: 1, procedure: CSE, subtree: [2, 1, 1, 0, 1, 0, 0, 1], own: [1, 0, 0, 0, 1, 0, 0, null] },
      { unit: 'HCMC-PC08', depth: 2, procedure: CSE, subtree: [1, 1, 1, 0, 0, 0, 0, 1], own: [1, 1, 1, 0, 0, 0, 0, 1] },
      { unit: 'HCMC-DOF', depth: 1, procedure: BR, subtree: [2, 1, 0, 1, 1, 1, 0, 0], own: [2, 1, 0, 1, 1, 1, 0, 0] },
      { unit: 'W-BEN-THANH', depth: 1, procedure: CSE, subtree: [6, 3, 2, 1, 2, 1, 1, 0.6667], own: [6, 3, 2, 1, 2, 1, 1, 0.6667] },
      { unit: 'W-SAI-GON', depth: 1, procedure: CSE, subtree: [3, 1, 1, 0, 1, 0, 1, 1], own: [3, 1, 1, 0, 1, 0, 1, 1] },
    ]);
    expect(counts(res.body.total as FiguresBody)).toEqual([14, 7, 4, 3, 5, 2, 2, 0.5714]);
  });

  it('adds up: each row is its own plus its children, the root is every own, the total is the root', async () => {
    const res = await stats(t.city, NOVEMBER).expect(200);
    const rows = res.body.rows as RowBody[];
    for (const row of rows) {
      const children = rows.filter((r) => r.parentCode === row.unitCode && r.procedure === row.procedure && r.depth === row.depth + 1);
      for (const key of KEYS) expect(row[key]).toBe(row.own[key] + children.reduce((sum, c) => sum + c[key], 0));
      expect(row.received).toBe(row.completed + row.withdrawn + row.open);
      expect(row.completed).toBe(row.onTime + row.late);
    }
    for (const procedure of [CSE, BR]) {
      const root = rows.find((r) => r.depth === 0 && r.procedure === procedure)!;
      for (const key of KEYS) expect(root[key]).toBe(rows.filter((r) => r.procedure === procedure).reduce((sum, r) => sum + r.own[key], 0));
    }
    for (const key of KEYS) expect(res.body.total[key]).toBe(rows.filter((r) => r.depth === 0).reduce((sum, r) => sum + r[key], 0));
  });

  it('filters by procedure and roots the answer at a unit of the subtree; instants bound the window as dates do', async () => {
    const business = await stats(t.city, { ...NOVEMBER, procedure: BR }).expect(200);
    expect((business.body.rows as RowBody[]).map((r) => [r.unitCode, r.procedure, r.received])).toEqual([['HCMC', BR, 3], ['HCMC-DOF', BR, 2]]);
    const police = await stats(t.city, { ...NOVEMBER, unitCode: 'HCMC-CA' }).expect(200);
    expect((police.body.rows as RowBody[]).map((r) => [r.unitCode, r.procedure, r.depth, r.received])).toEqual([
      ['HCMC-CA', CSE, 0, 2],
      ['HCMC-CA', BR, 0, 0],
      ['HCMC-CA', TFN, 0, 0],
      ['HCMC-CA', MSC, 0, 0],
      ['HCMC-CA', BRN, 0, 0],
      ['HCMC-PC08', CSE, 1, 1],
    ]);
    const instants = await stats(t.city, { from: '2026-11-01T00:00:00+07:00', to: '2026-12-01T00:00:00+07:00' }).expect(200);
    expect(instants.body.total).toEqual((await stats(t.city, NOVEMBER).expect(200)).body.total);
    // The last minute of November is in; the first of December is not.
    const lastDay = await stats(t.city, { from: '2026-11-30', to: '2026-11-30', unitCode: 'W-SAI-GON' }).expect(200);
    expect(counts(lastDay.body.total as FiguresBody)).toEqual([1, 0, 0, 0, 1, 0, 0, null]);
  });

  describe("on time means the office's own deadlines met", () => {
    // September 2026, at the traffic police (HCMC-PC08), Bến Thành and Sài Gòn: cases with tasks, notices and waits.
    const SEPTEMBER = { from: '2026-09-01', to: '2026-09-30' };
    const hour = 3_600_000;
    async function trafficCase(id: string, captured: string, noticeAt: Date, closedAt: Date, ownerDueAt: Date) {
      const capturedAt = local(captured);
      await env.prisma.dossier.createMany({
        data: { ...receivedDossierRow({ dossierId: id, procedure: TFN, unitCode: 'HCMC-PC08', applicantPin: null, ownerPins: [], request: {}, receivedAt: capturedAt, dueAt: ownerDueAt }), status: 'paid', closedAt },
      });
      await env.prisma.violation.create({
        data: { dossierId: id, fingerprint: `stats-${id}`, plateNumber: '51F-123.45', violationCode: 'RED-LIGHT-CAR', capturedAt, locationUnitCode: 'W-BEN-THANH', noticeAt, fineAmount: 19_000_000 },
      });
      // The notice's event, as the workflow records it; the owner pays well within the owner's own deadline.
      await env.prisma.dossierEvent.create({ data: { id: `${id}/notice`, dossierId: id, at: noticeAt, step: 'notice', actor: 'system', outcome: 'notice-issued' } });
    }

    beforeAll(async () => {
      // The notice is due 17:00 on the 10th calendar day after the capture (2026-09-12 17:00 for a capture on the 2nd).
      const ownerDue = local('2026-10-20T17:00:00');
      await trafficCase('TFN-260902-LATE01', '2026-09-02T08:00:00', local('2026-09-14T10:00:00'), local('2026-09-20T10:00:00'), ownerDue); // notice 2 days late, then paid: late
      await trafficCase('TFN-260902-ONTM02', '2026-09-02T09:00:00', local('2026-09-12T16:59:00'), local('2026-09-25T10:00:00'), ownerDue); // notice in time, then paid: on time
      // A civil-status extract closed before its due date, but its clerk signed after the task's own: late.
      const received = local('2026-09-07T09:00:00');
      const taskLate = 'CSE-260907-TASK01';
      await env.prisma.dossier.createMany({
        data: { ...receivedDossierRow({ dossierId: taskLate, procedure: CSE, unitCode: 'W-BEN-THANH', applicantPin: null, ownerPins: [], request: {}, receivedAt: received, dueAt: local('2026-09-10T17:00:00') }), status: 'issued', closedAt: local('2026-09-09T10:00:00') },
      });
      await env.prisma.task.create({
        data: { id: `${taskLate}/verify-and-sign`, dossierId: taskLate, procedure: CSE, step: 'verify-and-sign', unitCode: 'W-BEN-THANH', status: 'done', outcomes: ['approve', 'refuse'], createdAt: received, dueAt: local('2026-09-07T17:00:00'), completedAt: new Date(local('2026-09-07T17:00:00').getTime() + hour), outcome: 'approve' },
      });
      // A dossier that waited for the applicant's supplement closed after the due date the wait gave it, its tasks in time: on time.
      const waited = 'CSE-260908-WAIT02';
      await env.prisma.dossier.createMany({
        data: { ...receivedDossierRow({ dossierId: waited, procedure: CSE, unitCode: 'W-SAI-GON', applicantPin: null, ownerPins: [], request: {}, receivedAt: local('2026-09-08T09:00:00'), dueAt: local('2026-09-15T17:00:00') }), status: 'issued', closedAt: local('2026-09-18T10:00:00') },
      });
      await env.prisma.dossierEvent.create({ data: { id: `${waited}/supplement`, dossierId: waited, at: local('2026-09-08T10:00:00'), step: 'supplement', actor: 'system', outcome: 'supplement-requested' } });
      await env.prisma.task.create({
        data: { id: `${waited}/review`, dossierId: waited, procedure: CSE, step: 'verify-and-sign', unitCode: 'W-SAI-GON', status: 'done', outcomes: ['approve', 'refuse'], createdAt: local('2026-09-17T09:00:00'), dueAt: local('2026-09-18T17:00:00'), completedAt: local('2026-09-18T09:00:00'), outcome: 'approve' },
      });
    });

    it('a notice issued after its 10 days is late although the owner then paid in time; one issued in time is on time', async () => {
      const res = await stats(t.city, { ...SEPTEMBER, procedure: TFN }).expect(200);
      const police = (res.body.rows as RowBody[]).find((r) => r.unitCode === 'HCMC-PC08')!;
      //                       received completed onTime late open overdue withdrawn rate
      expect(counts(police)).toEqual([2, 2, 1, 1, 0, 0, 0, 0.5]);
    });

    it("a task done after its due date makes the dossier late; the applicant's time in a supplement does not", async () => {
      const res = await stats(t.city, { ...SEPTEMBER, procedure: CSE }).expect(200);
      const row = (unit: string) => counts((res.body.rows as RowBody[]).find((r) => r.unitCode === unit)!);
      expect(row('W-BEN-THANH')).toEqual([1, 1, 0, 1, 0, 0, 0, 0]);
      expect(row('W-SAI-GON')).toEqual([1, 1, 1, 0, 0, 0, 0, 1]);
    });
  });

  it("answers a ward supervisor for the ward only, and refuses other units, other roles and bad input", async () => {
    const ward = await stats(t.benThanh, NOVEMBER).expect(200);
    expect((ward.body.rows as RowBody[]).map((r) => [r.unitCode, r.procedure, r.received])).toEqual([
      ['W-BEN-THANH', CSE, 6],
      ['W-BEN-THANH', BR, 0],
      ['W-BEN-THANH', TFN, 0],
      ['W-BEN-THANH', MSC, 0],
      ['W-BEN-THANH', BRN, 0],
    ]);
    expectProblem(await stats(t.benThanh, { ...NOVEMBER, unitCode: 'HCMC' }), 403);
    expectProblem(await stats(t.benThanh, { ...NOVEMBER, unitCode: 'W-SAI-GON' }), 403);
    expectProblem(await stats(t.clerk, NOVEMBER), 403);
    expectProblem(await stats(t.citizen, NOVEMBER), 403);
    expect((await stats(t.system, NOVEMBER).expect(200)).body.total.received).toBe(14);
    expectInvalid(await stats(t.city, { from: '2026-13-01', to: 'yesterday', procedure: 'passport', unitCode: 'w ben thanh' }), [
      'query.from',
      'query.to',
      'query.procedure',
      'query.unitCode',
    ]);
    expectInvalid(await stats(t.city, { from: '2026-11-30', to: '2026-11-01' }), ['query.to']);
    expectInvalid(await stats(t.city, { unitCode: 'W-NOWHERE' }), ['query.unitCode']);
  });
});
