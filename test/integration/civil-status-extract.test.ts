import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import { formatLocalTime } from '../../common/local-time';
import type { ReceivedMail } from '../../system/embedded-smtp';
import { bearer, expectProblem, tokensFor } from '../support/http';
import { dossierClient } from '../support/dossier-client';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// The civil-status extract procedure (procedures/civil-status-extract/README.md) through the public HTTP contract, with the real
// worker, Temporal dev server, PostgreSQL and SMTP behind it.

const PIN = {
  an: '079088004127', // Nguyễn Văn An, father of HT-BIRTH-2019-000123 (registered at W-BEN-THANH)
  ngoc: '079190012583', // Trần Thị Bích Ngọc, his wife
  phuc: '079085006342', // Lê Hoàng Phúc
  lan: '079148000519', // Võ Thị Lan: her birth is only in the paper books of W-SAI-GON
  tam: '079050001873', // Huỳnh Văn Tám: no record anywhere
} as const;

const APPLICANT = {
  an: { fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' },
  ngoc: { fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-07-22' },
  phuc: { fullName: 'Lê Hoàng Phúc', dateOfBirth: '1985-01-30' },
  lan: { fullName: 'Võ Thị Lan', dateOfBirth: '1948-02-05' },
  tam: { fullName: 'Huỳnh Văn Tám', dateOfBirth: '1950-06-15' },
} as const;

const EMAIL = {
  an: 'nguyen.van.an@example.com',
  ngoc: 'tran.bich.ngoc@example.com',
  lan: 'vo.thi.lan@example.com',
  tam: 'huynh.van.tam@example.com',
} as const;

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

describe('civil-status extract over HTTP', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<
    | 'an'
    | 'ngoc'
    | 'phuc'
    | 'lan'
    | 'tam'
    | 'clerkSaiGon'
    | 'clerk2SaiGon'
    | 'supervisorSaiGon'
    | 'clerkBenThanh'
    | 'clerkTanDinh'
    | 'clerkThuDuc'
    | 'clerkBinhThanh'
    | 'supervisorBinhThanh'
    | 'supervisorVungTau'
    | 'supervisorHcmc',
    string
  >;

  const { file, fileOk, listTasks, waitForTask, getDossier, waitForStatus, complete } = dossierClient(() => app, { waitMs: 20_000, language: 'en' });

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, {
      an: { sub: PIN.an, role: 'citizen' },
      ngoc: { sub: PIN.ngoc, role: 'citizen' },
      phuc: { sub: PIN.phuc, role: 'citizen' },
      lan: { sub: PIN.lan, role: 'citizen' },
      tam: { sub: PIN.tam, role: 'citizen' },
      clerkSaiGon: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      clerk2SaiGon: { sub: 'clerk-2.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      supervisorSaiGon: { sub: 'supervisor.w-sai-gon', role: 'supervisor', unit: 'W-SAI-GON' },
      clerkBenThanh: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      clerkTanDinh: { sub: 'clerk.w-tan-dinh', role: 'clerk', unit: 'W-TAN-DINH' },
      clerkThuDuc: { sub: 'clerk.w-thu-duc', role: 'clerk', unit: 'W-THU-DUC' },
      clerkBinhThanh: { sub: 'clerk.w-binh-thanh', role: 'clerk', unit: 'W-BINH-THANH' },
      supervisorBinhThanh: { sub: 'supervisor.w-binh-thanh', role: 'supervisor', unit: 'W-BINH-THANH' },
      supervisorVungTau: { sub: 'supervisor.w-vung-tau', role: 'supervisor', unit: 'W-VUNG-TAU' },
      supervisorHcmc: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' },
    });
  });
  afterAll(() => env?.stop());

  // ------------------------------------------------------------------------------------------
  // helpers

  function extract(unitCode: string, data: Record<string, unknown>) {
    return { procedure: 'civil-status-extract', unitCode, data };
  }

  /** Resolves when the dossier's workflow has finished: every activity (and mail) is done. */
  function workflowDone(dossierId: string): Promise<unknown> {
    return env.temporal.client.workflow.getHandle(dossierId).result();
  }

  /** Completes and expects 200, saying what the API answered otherwise. */
  async function completeOk(token: string, taskId: string, body: Record<string, unknown>): Promise<request.Response> {
    const res = await complete(token, taskId, body);
    if (res.status !== 200) throw new Error(`completing ${taskId} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }

  const mailsTo = (address: string): ReceivedMail[] => env.smtp.mails.filter((m) => m.to.includes(address));
  const countBySubject = (address: string, subject: string) => mailsTo(address).filter((m) => m.subject === subject).length;

  // ------------------------------------------------------------------------------------------

  describe('electronic record, filed at another ward than the one that registered it', () => {
    it('files, notifies, hands the task to the receiving ward, issues a verifiable extract, each mail once', async () => {
      const body = extract('W-SAI-GON', { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: APPLICANT.an });
      const filed = await file(t.an, body);
      const filedAt = performance.now();
      expect(filed.status).toBe(201);
      expect(filed.body).toEqual({
        dossierId: expect.stringMatching(/^CSE-\d{6}-[0-9A-Z]{6}$/),
        procedure: 'civil-status-extract',
        status: expect.any(String),
        unitCode: 'W-SAI-GON',
        receivedAt: expect.stringMatching(ISO_INSTANT),
        dueAt: expect.stringMatching(ISO_INSTANT),
      });
      const dossierId = filed.body.dossierId as string;
      expect(filed.headers.location).toBe(`/api/v1/dossiers/${dossierId}`);
      expect(Date.parse(filed.body.dueAt)).toBeGreaterThan(Date.parse(filed.body.receivedAt));

      // The receiving ward's clerk gets the verify-and-sign step (the record is electronic: no archive search).
      const task = await waitForTask(t.clerkSaiGon, dossierId, 'verify-and-sign', 10);
      const latencyMs = Math.round(performance.now() - filedAt);
      console.log(`civil-status extract: filing (201) → task visible in GET /tasks: ${latencyMs} ms`);
      expect(task).toMatchObject({
        taskId: `${dossierId}-T1`,
        procedure: 'civil-status-extract',
        unitCode: 'W-SAI-GON',
        status: 'open',
        assignee: null,
        overdue: false,
        outcomes: ['approve', 'refuse'],
      });

      const receipt = await env.smtp.waitFor((m) => m.to.includes(EMAIL.an) && m.subject === `Dossier ${dossierId} received`);
      expect(receipt.text).toContain(dossierId);
      // Filed with Accept-Language: en, so the mails are in English; the link is the dossier's portal page.
      expect(receipt.text).toContain(`Follow it at http://procedures.test/portal/dossiers/${dossierId}`);

      const claimed = await request(app).post(`/api/v1/tasks/${task.taskId}/claim`).set(bearer(t.clerkSaiGon)).expect(200);
      expect(claimed.body).toMatchObject({ taskId: task.taskId, status: 'claimed', assignee: 'clerk.w-sai-gon' });
      const mine = await listTasks(t.clerkSaiGon, { assignee: 'me' });
      expect(mine.map((x) => x.taskId)).toContain(task.taskId);

      const done = await completeOk(t.clerkSaiGon, task.taskId, { outcome: 'approve', note: 'Checked against the registry' });
      expect(done.body).toMatchObject({ taskId: task.taskId, outcome: 'approve' });

      const issued = await waitForStatus(t.an, dossierId, 'issued');
      expect(issued).toMatchObject({ dossierId, procedure: 'civil-status-extract', unitCode: 'W-SAI-GON', currentStep: 'closed', overdue: false, openTasks: [] });
      expect(issued.dueAt).toBe(filed.body.dueAt);
      const steps = issued.history.map((h) => `${h.step}:${h.outcome}`);
      expect(steps).toEqual([
        'receive:received',
        'verify-applicant:verified',
        'registry-lookup:found',
        'verify-and-sign:task-opened',
        'verify-and-sign:approve',
        'issue:issued',
      ]);
      expect(issued.history.find((h) => h.outcome === 'approve')).toMatchObject({ actor: 'clerk:clerk.w-sai-gon', note: 'Checked against the registry' });
      for (const h of issued.history) expect(h.at).toMatch(ISO_INSTANT);
      const code = issued.result?.documentCode as string;
      expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

      const resultMail = await env.smtp.waitFor((m) => m.to.includes(EMAIL.an) && m.subject === `Dossier ${dossierId}: your extract is ready`);
      expect(resultMail.text).toContain(`Verification code: ${code}`);
      expect(resultMail.text).toContain(`Download: http://procedures.test/portal/dossiers/${dossierId}\n`);

      // Anyone (no token) can check the code; the answer carries no personal data.
      const verified = await request(app).get(`/api/v1/documents/${code}/verify`).expect(200);
      expect(verified.body).toEqual({ valid: true, kind: 'civil-status-extract/BIRTH', issuedAt: expect.stringMatching(ISO_INSTANT), dossierId });
      const unknown = await request(app).get('/api/v1/documents/0000-0000-0000/verify').expect(200);
      expect(unknown.body).toEqual({ valid: false });

      const document = await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.an)).expect(200);
      expect(document.body).toMatchObject({ code, dossierId, content: { recordId: 'HT-BIRTH-2019-000123', kind: 'BIRTH' } });

      // Each mail exactly once, counted after the workflow has finished everything it does.
      await workflowDone(dossierId);
      expect(countBySubject(EMAIL.an, `Dossier ${dossierId} received`)).toBe(1);
      expect(countBySubject(EMAIL.an, `Dossier ${dossierId}: your extract is ready`)).toBe(1);
      expect(mailsTo(EMAIL.an).filter((m) => m.subject.includes(dossierId))).toHaveLength(2);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeat with the first answer and creates nothing; the same key with another body is 422', async () => {
      const key = `ngoc-${randomUUID()}`;
      const body = extract('W-BEN-THANH', { kind: 'BIRTH', recordRef: 'HT-BIRTH-2022-004517', applicant: APPLICANT.ngoc });
      const first = await file(t.ngoc, body, key).expect(201);
      const again = await file(t.ngoc, body, key).expect(201);
      expect(again.body).toEqual(first.body);
      // The same body with its keys in another order is the same request.
      const reordered = { data: { applicant: APPLICANT.ngoc, recordRef: 'HT-BIRTH-2022-004517', kind: 'BIRTH' }, unitCode: 'W-BEN-THANH', procedure: 'civil-status-extract' };
      expect((await file(t.ngoc, reordered, key).expect(201)).body.dossierId).toBe(first.body.dossierId);

      const mine = await request(app).get('/api/v1/dossiers').set(bearer(t.ngoc)).expect(200);
      expect(mine.body.map((d: { dossierId: string }) => d.dossierId)).toEqual([first.body.dossierId]);
      expect(await env.prisma.dossier.count({ where: { applicantPin: PIN.ngoc } })).toBe(1);

      const other = await file(t.ngoc, { ...body, unitCode: 'W-TAN-DINH' }, key);
      expectProblem(other, 422);
      expect(await env.prisma.dossier.count({ where: { applicantPin: PIN.ngoc } })).toBe(1);

      // The key is the caller's: another citizen using the same key files their own dossier.
      const phuc = await file(t.phuc, extract('W-SAI-GON', { kind: 'MARRIAGE', recordRef: 'HT-MARRIAGE-2012-001375', applicant: APPLICANT.phuc }), key);
      expect(phuc.status).toBe(201);
      expect(phuc.body.dossierId).not.toBe(first.body.dossierId);

      const task = await waitForTask(t.clerkBenThanh, first.body.dossierId as string, 'verify-and-sign');
      await env.smtp.waitFor((m) => m.to.includes(EMAIL.ngoc) && m.subject === `Dossier ${first.body.dossierId} received`);
      expect(countBySubject(EMAIL.ngoc, `Dossier ${first.body.dossierId} received`)).toBe(1);
      expect(await env.prisma.task.count({ where: { dossierId: first.body.dossierId } })).toBe(1);
      await completeOk(t.clerkBenThanh, task.taskId, { outcome: 'approve' });
    });

    it('creates one dossier when the same request arrives several times at once (a client retrying on a timeout)', async () => {
      const body = extract('W-THU-DUC', { kind: 'BIRTH', recordRef: 'HT-BIRTH-2014-001092', applicant: APPLICANT.phuc });
      for (let round = 0; round < 5; round += 1) {
        const key = `race-${randomUUID()}`;
        const before = await env.prisma.dossier.count({ where: { applicantPin: PIN.phuc } });
        const answers = await Promise.all([1, 2, 3].map(() => file(t.phuc, body, key)));
        expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
        expect(new Set(answers.map((a) => a.body.dossierId)).size).toBe(1);
        expect(await env.prisma.dossier.count({ where: { applicantPin: PIN.phuc } })).toBe(before + 1);
      }
    });
  });

  describe('record only in the paper archive', () => {
    it('has the unit holding the book search it, then the receiving ward sign it', async () => {
      // Võ Thị Lan files at her own ward (Tân Định); her 1948 birth is in the paper books of Sài Gòn.
      const dossierId = await fileOk(t.lan, extract('W-TAN-DINH', { kind: 'BIRTH', recordRef: 'HT-BIRTH-1948-000031', applicant: APPLICANT.lan }));
      const filedDue = (await getDossier(t.lan, dossierId)).dueAt;

      const search = await waitForTask(t.clerkSaiGon, dossierId, 'archive-search');
      expect(search).toMatchObject({ unitCode: 'W-SAI-GON', status: 'open', outcomes: ['found', 'not-found'] });
      expect((await listTasks(t.clerkTanDinh)).filter((x) => x.dossierId === dossierId)).toEqual([]);
      const waiting = await getDossier(t.lan, dossierId);
      expect(waiting).toMatchObject({ status: 'archive-search', currentStep: 'archive-search', openTasks: [expect.objectContaining({ taskId: search.taskId, unitCode: 'W-SAI-GON' })] });
      expect(Date.parse(waiting.dueAt)).toBeGreaterThan(Date.parse(filedDue)); // the longer archive deadline
      expect(waiting.history.find((h) => h.step === 'registry-lookup')).toMatchObject({ outcome: 'paper-archive-only', note: 'Tra cứu sổ lưu trữ tại Phường Sài Gòn' });
      // The holding unit's clerk sees the dossier it works on.
      await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.clerkSaiGon)).expect(200);

      await completeOk(t.clerkSaiGon, search.taskId, {
        outcome: 'found',
        note: 'Book KS-1948/01, page 31',
        data: {
          record: {
            registeredOn: '1948-02-20',
            bookNumber: 'KS-1948/01',
            pageNumber: 31,
            subjectPin: PIN.lan,
            partyPins: [PIN.lan],
            details: { childName: 'Võ Thị Lan', dateOfBirth: '1948-02-05', placeOfBirth: 'Sài Gòn' },
          },
        },
      });

      const sign = await waitForTask(t.clerkTanDinh, dossierId, 'verify-and-sign');
      expect(sign).toMatchObject({ taskId: `${dossierId}-T2`, unitCode: 'W-TAN-DINH', status: 'open' });
      await completeOk(t.clerkTanDinh, sign.taskId, { outcome: 'approve' });

      const issued = await waitForStatus(t.lan, dossierId, 'issued');
      expect(issued.history.map((h) => `${h.step}:${h.outcome}`)).toEqual([
        'receive:received',
        'verify-applicant:verified',
        'registry-lookup:paper-archive-only',
        'archive-search:task-opened',
        'archive-search:found',
        'archive-search:digitised',
        'verify-and-sign:task-opened',
        'verify-and-sign:approve',
        'issue:issued',
      ]);
      const code = issued.result?.documentCode as string;
      await env.smtp.waitFor((m) => m.to.includes(EMAIL.lan) && m.subject === `Dossier ${dossierId}: your extract is ready` && m.text.includes(code));
      const verified = await request(app).get(`/api/v1/documents/${code}/verify`).expect(200);
      expect(verified.body).toMatchObject({ valid: true, kind: 'civil-status-extract/BIRTH', dossierId });
      const document = await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.lan)).expect(200);
      expect(document.body.content).toMatchObject({ recordId: 'HT-BIRTH-1948-000031', bookNumber: 'KS-1948/01', pageNumber: 31 });
      // Digitised: the record is now in the electronic registry.
      expect(await env.prisma.civilStatusRecord.findUnique({ where: { id: 'HT-BIRTH-1948-000031' }, select: { storage: true } })).toEqual({ storage: 'ELECTRONIC' });
      await workflowDone(dossierId);
      expect(countBySubject(EMAIL.lan, `Dossier ${dossierId}: your extract is ready`)).toBe(1);
    });

    it('refuses with the archive clerk’s reason when the record cannot be found, and tells the citizen', async () => {
      // Huỳnh Văn Tám has no record anywhere; he says it was registered in Thủ Đức and files in Bình Thạnh.
      const dossierId = await fileOk(
        t.tam,
        extract('W-BINH-THANH', { kind: 'BIRTH', subjectPin: PIN.tam, registrationUnitCode: 'W-THU-DUC', bookNumber: 'KS-1950/02', applicant: APPLICANT.tam }),
      );
      const search = await waitForTask(t.clerkThuDuc, dossierId, 'archive-search');
      expect(search.unitCode).toBe('W-THU-DUC');
      expect((await getDossier(t.tam, dossierId)).history.find((h) => h.step === 'registry-lookup')).toMatchObject({ outcome: 'not-found' });

      const reason = 'No entry for this person in the 1950 birth books of the ward';
      await completeOk(t.clerkThuDuc, search.taskId, { outcome: 'not-found', data: { reason } });

      const refused = await waitForStatus(t.tam, dossierId, 'refused');
      expect(refused.result).toMatchObject({ refused: true, reason: expect.stringContaining(reason) });
      // The history reads in the order things happened: the clerk's finding, then the refusal it caused.
      expect(refused.history.map((h) => `${h.step}:${h.outcome}`)).toEqual([
        'receive:received',
        'verify-applicant:verified',
        'registry-lookup:not-found',
        'archive-search:task-opened',
        'archive-search:not-found',
        'archive-search:refused',
      ]);
      expect(refused.history.at(-1)).toMatchObject({ step: 'archive-search', actor: 'clerk:clerk.w-thu-duc', outcome: 'refused' });
      expect(refused.openTasks).toEqual([]);
      const mail = await env.smtp.waitFor((m) => m.to.includes(EMAIL.tam) && m.subject === `Dossier ${dossierId}: request refused`);
      expect(mail.text).toContain(reason);
      expect(mail.text).toMatch(/re-registration/);
      await workflowDone(dossierId);
      expect(countBySubject(EMAIL.tam, `Dossier ${dossierId}: request refused`)).toBe(1);
      await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.tam)).expect(404);
    });
  });

  describe('authorization', () => {
    let dossierId: string;
    let taskId: string;

    beforeAll(async () => {
      dossierId = await fileOk(t.an, extract('W-SAI-GON', { kind: 'BIRTH', recordRef: 'HT-BIRTH-2022-004517', applicant: APPLICANT.an }));
      taskId = (await waitForTask(t.clerkSaiGon, dossierId, 'verify-and-sign')).taskId;
    });

    it('shows a citizen only their own dossiers', async () => {
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.lan)), 404);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.lan)), 404);
      const lans = await request(app).get('/api/v1/dossiers').set(bearer(t.lan)).expect(200);
      expect(lans.body.map((d: { dossierId: string }) => d.dossierId)).not.toContain(dossierId);
      const ans = await request(app).get('/api/v1/dossiers').set(bearer(t.an)).expect(200);
      const ids = ans.body.map((d: { dossierId: string }) => d.dossierId) as string[];
      expect(ids).toContain(dossierId);
      const owners = await env.prisma.dossier.findMany({ where: { id: { in: ids } }, select: { applicantPin: true } });
      expect(new Set(owners.map((o) => o.applicantPin))).toEqual(new Set([PIN.an]));
      expect(await env.prisma.dossier.count({ where: { applicantPin: PIN.an } })).toBe(ids.length);
      // Asking for another ward's list does not widen a citizen's view either.
      const filtered = await request(app).get('/api/v1/dossiers').query({ unitCode: 'W-SAI-GON' }).set(bearer(t.lan)).expect(200);
      expect(filtered.body).toEqual([]);
    });

    it("shows staff their unit's tasks only, and another unit's task of a dossier they cannot see does not exist for them", async () => {
      expect((await listTasks(t.clerkBenThanh)).map((x) => x.taskId)).not.toContain(taskId);
      expectProblem(await request(app).get('/api/v1/tasks').query({ unitCode: 'W-SAI-GON' }).set(bearer(t.clerkBenThanh)), 403);
      // 404, as GET /dossiers/{id} answers: nothing about the task (not even its unit) is told.
      expectProblem(await request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerkBenThanh)), 404);
      expectProblem(await complete(t.clerkBenThanh, taskId, { outcome: 'approve' }), 404);
      expectProblem(await request(app).post(`/api/v1/tasks/${taskId}/release`).set(bearer(t.clerkBenThanh)), 404);
      // A citizen is not staff at all.
      expectProblem(await request(app).get('/api/v1/tasks').set(bearer(t.an)), 403);
      expectProblem(await complete(t.an, taskId, { outcome: 'approve' }), 403);
      expect(await env.prisma.task.findUnique({ where: { id: taskId }, select: { status: true } })).toEqual({ status: 'open' });
    });

    it('lets the supervisors above the handling unit see the dossier, and nobody unrelated', async () => {
      const seen = await getDossier(t.supervisorHcmc, dossierId);
      expect(seen.openTasks.map((x) => x.taskId)).toEqual([taskId]);
      await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.supervisorSaiGon)).expect(200);
      expect((await listTasks(t.supervisorHcmc)).map((x) => x.taskId)).toContain(taskId);
      const list = await request(app).get('/api/v1/dossiers').query({ unitCode: 'W-SAI-GON' }).set(bearer(t.supervisorHcmc)).expect(200);
      expect(list.body.map((d: { dossierId: string }) => d.dossierId)).toContain(dossierId);

      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.clerkThuDuc)), 404);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.clerkBenThanh)), 404);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.supervisorVungTau)), 404);
      const thuDuc = await request(app).get('/api/v1/dossiers').set(bearer(t.clerkThuDuc)).expect(200);
      expect(thuDuc.body.map((d: { dossierId: string }) => d.dossierId)).not.toContain(dossierId);
      expectProblem(await request(app).get('/api/v1/dossiers').query({ unitCode: 'W-SAI-GON' }).set(bearer(t.clerkThuDuc)), 403);
    });

    it('answers 409 to completing a task claimed by someone else, and to another decision after one; the same decision again is answered as taken once; no cancel after the decision', async () => {
      // A supervisor takes the task back from one clerk; another claims it: each is an audit entry.
      await request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerk2SaiGon)).expect(200);
      await request(app).post(`/api/v1/tasks/${taskId}/release`).set(bearer(t.supervisorSaiGon)).expect(200);
      await request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerkSaiGon)).expect(200);
      const audit = await env.prisma.staffAction.findMany({ where: { taskId }, orderBy: { at: 'asc' } });
      expect(audit.map((a) => [a.actor, a.role, a.action, a.unitCode, a.note])).toEqual([
        ['clerk-2.w-sai-gon', 'clerk', 'claim', 'W-SAI-GON', null],
        ['supervisor.w-sai-gon', 'supervisor', 'release', 'W-SAI-GON', 'released from clerk-2.w-sai-gon'],
        ['clerk.w-sai-gon', 'clerk', 'claim', 'W-SAI-GON', null],
      ]);
      await expect(env.prisma.staffAction.deleteMany({ where: { taskId } })).rejects.toThrow(/append-only/);
      expectProblem(await request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerk2SaiGon)), 409);
      expectProblem(await complete(t.clerk2SaiGon, taskId, { outcome: 'approve' }), 409);
      // A supervisor releases tasks but decides none: the step is a clerk's.
      expectProblem(await complete(t.supervisorSaiGon, taskId, { outcome: 'refuse', data: { reason: 'not mine to decide' } }), 403);
      expectProblem(await request(app).post(`/api/v1/tasks/${taskId}/release`).set(bearer(t.clerk2SaiGon)), 409);

      await completeOk(t.clerkSaiGon, taskId, { outcome: 'approve' });
      // The same decision sent again (a retry after a 503, a double click): answered as taken, taken once.
      const again = await complete(t.clerkSaiGon, taskId, { outcome: 'approve' });
      expect({ status: again.status, outcome: again.body.outcome }).toEqual({ status: 200, outcome: 'approve' });
      expectProblem(await complete(t.clerk2SaiGon, taskId, { outcome: 'approve' }), 409);
      expectProblem(await complete(t.clerkSaiGon, taskId, { outcome: 'refuse', data: { reason: 'changed my mind' } }), 409);
      expectProblem(await request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerkSaiGon)), 409);

      expectProblem(await request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.an)).send({}), 409);
      const issued = await waitForStatus(t.an, dossierId, 'issued');
      expect(issued.history.filter((h) => h.outcome === 'approve')).toHaveLength(1);
      expectProblem(await request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.an)).send({}), 409);
      const tasks = await listTasks(t.clerkSaiGon, { status: 'done' });
      expect(tasks.find((x) => x.taskId === taskId)).toMatchObject({ status: 'done', assignee: 'clerk.w-sai-gon' });
    });

    it('cancels on the owner’s request only, closing every open task', async () => {
      const id = await fileOk(t.an, extract('W-BEN-THANH', { kind: 'MARRIAGE', recordRef: 'HT-MARRIAGE-2016-000842', applicant: APPLICANT.an }));
      const task = await waitForTask(t.clerkBenThanh, id, 'verify-and-sign');
      await request(app).post(`/api/v1/tasks/${task.taskId}/claim`).set(bearer(t.clerkBenThanh)).expect(200);

      expectProblem(await request(app).post(`/api/v1/dossiers/${id}/cancel`).set(bearer(t.lan)).send({ reason: 'not mine' }), 404);
      expectProblem(await request(app).post(`/api/v1/dossiers/${id}/cancel`).set(bearer(t.clerkBenThanh)).send({}), 403);

      const cancelled = await request(app).post(`/api/v1/dossiers/${id}/cancel`).set(bearer(t.an)).send({ reason: 'Filed twice by mistake' }).expect(200);
      expect(cancelled.body).toEqual({ dossierId: id, status: 'cancelled' });

      const dossier = await getDossier(t.an, id);
      expect(dossier).toMatchObject({ status: 'cancelled', currentStep: 'closed', openTasks: [] });
      expect(dossier.history.at(-1)).toMatchObject({ step: 'cancel', actor: 'citizen', outcome: 'cancelled', note: 'Filed twice by mistake' });
      expect((await listTasks(t.clerkBenThanh)).map((x) => x.taskId)).not.toContain(task.taskId);
      expect(await env.prisma.task.findMany({ where: { dossierId: id }, select: { status: true } })).toEqual([{ status: 'cancelled' }]);

      expectProblem(await complete(t.clerkBenThanh, task.taskId, { outcome: 'approve' }), 409);
      expectProblem(await request(app).post(`/api/v1/tasks/${task.taskId}/claim`).set(bearer(t.clerkBenThanh)), 409);
      expectProblem(await request(app).post(`/api/v1/dossiers/${id}/cancel`).set(bearer(t.an)).send({}), 409);

      await env.smtp.waitFor((m) => m.to.includes(EMAIL.an) && m.subject === `Dossier ${id} cancelled`);
      await workflowDone(id);
      expect(countBySubject(EMAIL.an, `Dossier ${id} cancelled`)).toBe(1);
      expect(mailsTo(EMAIL.an).filter((m) => m.subject.includes(id)).map((m) => m.subject)).toEqual([`Dossier ${id} received`, `Dossier ${id} cancelled`]);
    });
  });

  describe('supervision', () => {
    let dossierId: string;
    let taskId: string;
    let lateSince: Date;

    beforeAll(async () => {
      dossierId = await fileOk(t.an, extract('W-BINH-THANH', { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: APPLICANT.an }));
      taskId = (await waitForTask(t.clerkBinhThanh, dossierId, 'verify-and-sign')).taskId;
      // Overdue without waiting: the supervision view reads the projection, so move its deadlines back.
      lateSince = new Date(Date.now() - (3 * 60 + 20) * 60_000);
      await env.prisma.task.update({ where: { id: taskId }, data: { dueAt: lateSince } });
      await env.prisma.dossier.update({ where: { id: dossierId }, data: { dueAt: lateSince } });
    });

    afterAll(async () => {
      // Leave no open workflow behind.
      await complete(t.clerkBinhThanh, taskId, { outcome: 'approve' });
    });

    it('lists the overdue dossier with the late task, its unit and how late it is, in Vietnamese by default and in English on request', async () => {
      const overdue = (language?: string) => {
        const req = request(app).get('/api/v1/supervision/dossiers').query({ state: 'overdue' }).set(bearer(t.supervisorBinhThanh));
        return (language ? req.set('Accept-Language', language) : req).expect(200);
      };
      const res = await overdue();
      expect(res.headers['content-language']).toBe('vi');
      const item = (res.body as Array<{ dossierId: string; reason: string }>).find((d) => d.dossierId === dossierId);
      expect(item).toMatchObject({ dossierId, procedure: 'civil-status-extract', unitCode: 'W-BINH-THANH', status: 'awaiting-signature', state: 'overdue' });
      // The step by its label, the unit by its name, the due time day first in the city's time.
      const due = formatLocalTime(lateSince);
      expect(due).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(GMT\+7\)$/);
      const minutes = /trễ hạn 3 giờ (\d+) phút/.exec(item?.reason ?? '')?.[1];
      expect(Number(minutes)).toBeGreaterThanOrEqual(20);
      expect(item?.reason).toBe(`Công việc “Kiểm tra và ký trích lục” (${taskId}) tại Phường Bình Thạnh trễ hạn 3 giờ ${minutes} phút (hạn ${due}, chưa có người nhận)`);

      const english = (await overdue('en')).body.find((d: { dossierId: string }) => d.dossierId === dossierId);
      expect(english?.reason).toMatch(new RegExp(`^Task “Verify and sign the extract” \\(${taskId}\\) at Phường Bình Thạnh is late by 3 h 2\\d min \\(due ${due.replace(/[()+]/g, '\\$&')}, not claimed\\)$`));

      const city = await request(app).get('/api/v1/supervision/dossiers').query({ state: 'overdue' }).set(bearer(t.supervisorHcmc)).expect(200);
      expect(city.body.map((d: { dossierId: string }) => d.dossierId)).toContain(dossierId);

      // The inbox and the dossier page agree that it is late.
      expect((await listTasks(t.clerkBinhThanh)).find((x) => x.taskId === taskId)?.overdue).toBe(true);
      expect((await getDossier(t.an, dossierId)).overdue).toBe(true);
    });

    it('keeps each supervisor to their own subtree', async () => {
      const other = await request(app).get('/api/v1/supervision/dossiers').query({ state: 'overdue' }).set(bearer(t.supervisorVungTau)).expect(200);
      expect(other.body.map((d: { dossierId: string }) => d.dossierId)).not.toContain(dossierId);
      const filtered = await request(app)
        .get('/api/v1/supervision/dossiers')
        .query({ state: 'overdue', unitCode: 'W-VUNG-TAU' })
        .set(bearer(t.supervisorHcmc))
        .expect(200);
      expect(filtered.body.map((d: { dossierId: string }) => d.dossierId)).not.toContain(dossierId);
      expectProblem(
        await request(app).get('/api/v1/supervision/dossiers').query({ state: 'overdue', unitCode: 'W-BINH-THANH' }).set(bearer(t.supervisorVungTau)),
        403,
      );
    });

    it('is for supervisors: a clerk or a citizen gets 403', async () => {
      expectProblem(await request(app).get('/api/v1/supervision/dossiers').query({ state: 'overdue' }).set(bearer(t.clerkBinhThanh)), 403);
      expectProblem(await request(app).get('/api/v1/supervision/dossiers').query({ state: 'overdue' }).set(bearer(t.an)), 403);
    });
  });
});
