import { performance } from 'node:perf_hooks';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Express } from 'express';
import request from 'supertest';
import { dossierDetail } from '../../api/services/dossiers';
import { PUBLISHED_DOCUMENTS } from '../../procedures/definitions';
import type { ReceivedMail } from '../../system/embedded-smtp';
import { bearer, expectInvalid, expectProblem, tokensFor } from '../support/http';
import { dossierClient, type DossierView } from '../support/dossier-client';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { testPayloadCodec } from '../support/temporal';

// The procedures shipped as data (procedures/definitions/*.json), run by the one interpreter
// workflow, through the public HTTP contract with the real worker, Temporal dev server, PostgreSQL
// and SMTP behind it: the certificate of marital status and birth registration, filed, decided,
// issued, refused, supplemented and cancelled as citizens and clerks do it; the birth's record then
// found by the civil-status extract (a procedure in code); the catalog, the OpenAPI document and
// supervision's figures; and each dossier pinned to the published version it was filed under.

const MSC = 'marital-status-certificate';
const BRN = 'birth-registration';

const PIN = {
  an: '079088004127', // Nguyễn Văn An (Bến Thành), married to Ngọc
  ngoc: '079190012583', // Trần Thị Bích Ngọc, his wife
  bao: '079092009853', // Phan Quốc Bảo (Bình Thạnh), never married: the certificate's example filer
  kimChi: '079195011447', // Lý Thị Kim Chi (Bình Thạnh), never married
  hong: '079170003308', // Đặng Thị Hồng (Tân Định), never married
  long: '079090013370', // Hoàng Văn Long (Thủ Đức), never married
  nobody: '079199999999', // in no population data
} as const;

const EMAIL = {
  an: 'nguyen.van.an@example.com',
  bao: 'phan.quoc.bao@example.com',
  kimChi: 'ly.kim.chi@example.com',
  hong: 'dang.thi.hong@example.com',
  long: 'hoang.van.long@example.com',
} as const;

interface Example {
  as: { sub: string; role: string };
  path?: string;
  body: { procedure: string; unitCode: string; data: Record<string, unknown> };
}

/** How long a wait may take: generous, for a loaded machine running other suites beside this one (a passing run waits far less). */
const WAIT_MS = 60_000;

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const DOCUMENT_CODE = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/** The history as `step:outcome` lines. */
const lines = (d: DossierView) => d.history.map((h) => `${h.step}:${h.outcome}`);

describe('procedures as data over HTTP', () => {
  let env: IntegrationEnv;
  let app: Express;
  let examples: Record<string, Example>;
  /** Every dossier this file filed, by procedure: what supervision's figures must count. */
  const filed: Record<string, string[]> = { [MSC]: [], [BRN]: [] };
  let t: Record<
    | 'an'
    | 'ngoc'
    | 'bao'
    | 'kimChi'
    | 'hong'
    | 'long'
    | 'clerkBinhThanh'
    | 'officerBinhThanh'
    | 'clerkSaiGon'
    | 'clerkBenThanh'
    | 'clerkTanDinh'
    | 'clerkThuDuc'
    | 'supervisorHcmc'
    | 'admin',
    string
  >;

  const client = dossierClient(() => app, { waitMs: WAIT_MS, openTasksOnly: true });
  const { file, listTasks, waitForTask, getDossier, waitForStatus, complete } = client;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, {
      an: { sub: PIN.an, role: 'citizen' },
      ngoc: { sub: PIN.ngoc, role: 'citizen' },
      bao: { sub: PIN.bao, role: 'citizen' },
      kimChi: { sub: PIN.kimChi, role: 'citizen' },
      hong: { sub: PIN.hong, role: 'citizen' },
      long: { sub: PIN.long, role: 'citizen' },
      clerkBinhThanh: { sub: 'clerk.w-binh-thanh', role: 'clerk', unit: 'W-BINH-THANH' },
      officerBinhThanh: { sub: 'officer.w-binh-thanh', role: 'officer', unit: 'W-BINH-THANH' },
      clerkSaiGon: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      clerkBenThanh: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      clerkTanDinh: { sub: 'clerk.w-tan-dinh', role: 'clerk', unit: 'W-TAN-DINH' },
      clerkThuDuc: { sub: 'clerk.w-thu-duc', role: 'clerk', unit: 'W-THU-DUC' },
      supervisorHcmc: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' },
      admin: { sub: 'admin.hcmc', role: 'administrator' },
    });
    examples = (await request(app).get('/api/v1/dev/demo').expect(200)).body.examples as Record<string, Example>;
  });
  afterAll(() => env?.stop());

  // ------------------------------------------------------------------------------------------
  // helpers

  /** Files and expects 201; the dossier id, remembered for the figures. */
  async function fileOk(token: string, body: { procedure: string; unitCode: string; data: Record<string, unknown> }): Promise<string> {
    const dossierId = await client.fileOk(token, body);
    (filed[body.procedure] ??= []).push(dossierId);
    return dossierId;
  }

  const waitForMail = (predicate: (mail: ReceivedMail) => boolean) => env.smtp.waitFor(predicate, WAIT_MS);

  /** Resolves when the dossier's workflow has finished: every activity (and mail) is done. */
  function workflowDone(dossierId: string): Promise<unknown> {
    return env.temporal.client.workflow.getHandle(dossierId).result();
  }

  function claim(token: string, taskId: string) {
    return request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(token));
  }

  /** Claims, completes and expects 200, saying what the API answered otherwise. */
  async function decide(token: string, taskId: string, body: Record<string, unknown>): Promise<request.Response> {
    const claimed = await claim(token, taskId);
    if (claimed.status !== 200) throw new Error(`claiming ${taskId} answered ${claimed.status}: ${JSON.stringify(claimed.body)}`);
    const res = await complete(token, taskId, body);
    if (res.status !== 200) throw new Error(`completing ${taskId} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }

  const mailsTo = (address: string): ReceivedMail[] => env.smtp.mails.filter((m) => m.to.includes(address));
  const subjectsAbout = (address: string, dossierId: string) => mailsTo(address).filter((m) => m.subject.includes(dossierId)).map((m) => m.subject);

  const msc = (unitCode: string, data: Record<string, unknown>) => ({ procedure: MSC, unitCode, data });
  const brn = (unitCode: string, data: Record<string, unknown>) => ({ procedure: BRN, unitCode, data });

  /** The subjects of a data procedure's own mails: in Vietnamese, the applicant's language unless they ask for English. */
  const MAIL = {
    received: (id: string) => `Hồ sơ ${id} đã được tiếp nhận`,
    certificate: (id: string) => `Hồ sơ ${id}: đã cấp Giấy xác nhận tình trạng hôn nhân`,
    birth: (id: string) => `Hồ sơ ${id}: đã đăng ký khai sinh`,
    supplement: (id: string) => `Hồ sơ ${id}: đề nghị bổ sung`,
    // The shared lifecycle's, in the same language.
    refused: (id: string) => `Hồ sơ ${id}: từ chối giải quyết`,
    cancelled: (id: string) => `Hồ sơ ${id} đã được hủy`,
  };

  /** The workflow's input as Temporal holds it (decrypted): what the dossier's run was started with. */
  async function workflowInput(dossierId: string): Promise<{ dossierId: string; unitCode: string; request: Record<string, unknown> }> {
    const history = await env.temporal.client.workflow.getHandle(dossierId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const [payload] = await testPayloadCodec.decode(started?.input?.payloads ?? []);
    if (!payload) throw new Error(`no input in the history of ${dossierId}`);
    return defaultPayloadConverter.fromPayload(payload);
  }

  // ------------------------------------------------------------------------------------------

  describe('certificate of marital status', () => {
    it('answers a bad filing with 400 naming each bad field, and a filing at a unit that is not a ward with 422', async () => {
      const bad = await file(
        t.bao,
        msc('W-BINH-THANH', {
          purpose: 'DIVORCE',
          purposeDetail: 'x',
          intendedSpouseName: 'L',
          applicant: { fullName: 'Phan Quốc Bảo', dateOfBirth: '17/02/1992' },
          contactEmail: 'not-an-address',
          colour: 'blue',
        }),
      );
      expectInvalid(bad, ['data.purpose', 'data.purposeDetail', 'data.intendedSpouseName', 'data.applicant.dateOfBirth', 'data.contactEmail', 'data.colour']);
      expectInvalid(await file(t.bao, msc('W-BINH-THANH', { intendedSpouseName: 'Lý Thị Kim Chi' })), ['data.purpose']);
      expectInvalid(await file(t.bao, msc('W-NOWHERE', { purpose: 'OTHER' })), ['unitCode']);
      const notAWard = await file(t.bao, msc('HCMC-DOJ', { purpose: 'OTHER', purposeDetail: 'Vay vốn ngân hàng' }));
      expectProblem(notAWard, 422);
      expect(notAWard.body.detail).toMatch(/WARD/);
      expect(await env.prisma.dossier.count({ where: { procedure: MSC } })).toBe(0);
    });

    it("is filed at the ward (the definition's example), reviewed by that ward's clerk only, approved, issued with a verifiable document and mailed", async () => {
      const example = examples[MSC]!;
      expect(example).toMatchObject({ as: { sub: PIN.bao, role: 'citizen' }, path: '/dossiers', body: { procedure: MSC, unitCode: 'W-BINH-THANH' } });
      const res = await file(t.bao, example.body);
      const filedAt = performance.now();
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        dossierId: expect.stringMatching(/^MSC-\d{6}-[0-9A-Z]{6}$/),
        procedure: MSC,
        status: 'received',
        unitCode: 'W-BINH-THANH',
        receivedAt: expect.stringMatching(ISO_INSTANT),
        dueAt: expect.stringMatching(ISO_INSTANT),
      });
      const dossierId = res.body.dossierId as string;
      filed[MSC]!.push(dossierId);
      expect(res.headers.location).toBe(`/api/v1/dossiers/${dossierId}`);

      // The ward's clerk gets the review, with what the definition says they see.
      const task = await waitForTask(t.clerkBinhThanh, dossierId, 'review', 10);
      console.log(`marital-status certificate: filing (201) → task visible in GET /tasks: ${Math.round(performance.now() - filedAt)} ms`);
      expect(task).toMatchObject({
        taskId: `${dossierId}-T1`,
        procedure: MSC,
        unitCode: 'W-BINH-THANH',
        status: 'open',
        assignee: null,
        overdue: false,
        outcomes: ['approve', 'request-supplement', 'extend', 'refuse'],
      });
      // What the definition's step shows: the checks' results and the filing's fields (read from the dossier's row).
      expect(task.context).toEqual({
        shows: ['filing.purpose', 'filing.purposeDetail', 'filing.intendedSpouseName', 'results.verify-applicant', 'results.check-marital'],
        results: { 'verify-applicant': { outcome: 'verified', checked: 1 }, 'check-marital': { outcome: 'single', marriages: 0 } },
        filing: { purpose: 'MARRIAGE', intendedSpouseName: 'Lý Thị Kim Chi' },
      });
      // By unit and by role: another ward's clerk, and the same ward's officer, do not see it.
      expect((await listTasks(t.clerkSaiGon)).map((x) => x.dossierId)).not.toContain(dossierId);
      expect((await listTasks(t.officerBinhThanh)).map((x) => x.dossierId)).not.toContain(dossierId);
      expectProblem(await claim(t.clerkSaiGon, task.taskId), 404);
      expectProblem(await claim(t.officerBinhThanh, task.taskId), 403);
      const reviewing = await getDossier(t.bao, dossierId);
      expect(reviewing).toMatchObject({ status: 'in-review', currentStep: 'review', openTasks: [expect.objectContaining({ taskId: task.taskId, unitCode: 'W-BINH-THANH' })] });

      const receipt = await waitForMail((m) => m.to.includes(EMAIL.bao) && m.subject === MAIL.received(dossierId));
      expect(receipt.text).toContain(`Chúng tôi đã tiếp nhận yêu cầu cấp Giấy xác nhận tình trạng hôn nhân (hồ sơ ${dossierId})`);
      // Filed with no Accept-Language: Vietnamese only.
      expect(receipt.text).not.toContain('We received your request');
      expect(receipt.text).toContain(`http://procedures.test/portal/dossiers/${dossierId}`);
      expect(receipt.text).toMatch(/Hạn giải quyết: \d\d\/\d\d\/\d{4} \d\d:\d\d \(GMT\+7\)/);
      expect(receipt.text).not.toMatch(/\{\{/);

      // A decision's data is checked against the outcome's JSON Schema.
      await claim(t.clerkBinhThanh, task.taskId).expect(200);
      expectInvalid(await complete(t.clerkBinhThanh, task.taskId, { outcome: 'refuse', data: {} }), ['data.reason']);
      expectInvalid(await complete(t.clerkBinhThanh, task.taskId, { outcome: 'dismiss' }), ['outcome']);
      const done = await complete(t.clerkBinhThanh, task.taskId, { outcome: 'approve', note: 'Đã kiểm tra sổ hộ tịch' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ taskId: task.taskId, outcome: 'approve' });

      const issued = await waitForStatus(t.bao, dossierId, 'issued');
      expect(issued).toMatchObject({ dossierId, procedure: MSC, unitCode: 'W-BINH-THANH', currentStep: 'closed', overdue: false, openTasks: [], awaiting: null });
      expect(lines(issued)).toEqual([
        'receive:received',
        'verify-applicant:verified',
        'check-marital:single',
        'review:task-opened',
        'review:approve',
        'issue-certificate:issued',
        'done:closed',
      ]);
      // The history in Vietnamese by default; its English for a reader who asks for it (the engine wrote both).
      expect(issued.history[0]).toMatchObject({ actor: 'citizen', note: 'Tiếp nhận tại Phường Bình Thạnh' });
      const row = await env.prisma.dossier.findUniqueOrThrow({ where: { id: dossierId }, include: { tasks: true } });
      const inEnglish = await dossierDetail(env.prisma, row, 'en');
      expect(inEnglish.history[0]).toMatchObject({ actor: 'citizen', note: 'Filed at Phường Bình Thạnh' });
      // A person's words are as they wrote them, in either language.
      expect(inEnglish.history.find((h) => h.outcome === 'approve')).toMatchObject({ note: 'Đã kiểm tra sổ hộ tịch' });
      expect(issued.history.find((h) => h.outcome === 'approve')).toMatchObject({ actor: 'clerk:clerk.w-binh-thanh', note: 'Đã kiểm tra sổ hộ tịch' });
      for (const h of issued.history) expect(h.at).toMatch(ISO_INSTANT);
      const code = issued.result?.documentCode as string;
      expect(code).toMatch(DOCUMENT_CODE);
      expect(issued.result).toEqual({
        documentCode: code,
        issuedAt: expect.stringMatching(ISO_INSTANT),
        verifyUrl: `http://procedures.test/verify/${code}`,
        downloadUrl: `http://procedures.test/portal/dossiers/${dossierId}`,
      });
      expect(issued.history.find((h) => h.outcome === 'issued')?.note).toBe(`Giấy xác nhận tình trạng hôn nhân, mã xác thực ${code}`);

      // Anyone can check the code, without learning anything personal.
      const verified = await request(app).get(`/api/v1/documents/${code}/verify`).expect(200);
      // The link the result gives (and the mail) opens the public verification page.
      expect((await request(app).get(`/verify/${code}`).expect(200)).text).toContain(code);
      expect(verified.body).toEqual({ valid: true, kind: `${MSC}/marital-status-certificate`, issuedAt: issued.result?.issuedAt, dossierId });
      // The owner downloads it: what the definition's issue step says, evaluated over the filing and the results.
      const document = await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.bao)).expect(200);
      expect(document.body).toMatchObject({
        code,
        dossierId,
        kind: `${MSC}/marital-status-certificate`,
        content: {
          title: 'Giấy xác nhận tình trạng hôn nhân',
          titleEn: 'Certificate of marital status',
          issuedBy: 'W-BINH-THANH',
          // The holder as the population data knows them (version 2): the applicant declared neither.
          fields: { holderPin: PIN.bao, holderName: 'Phan Quốc Bảo', holderDateOfBirth: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), maritalStatus: 'single', purpose: 'MARRIAGE', intendedSpouseName: 'Lý Thị Kim Chi', validForMonths: 6 },
        },
      });
      // The handling clerk too; another ward's clerk and another citizen not.
      await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.clerkBinhThanh)).expect(200);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.clerkSaiGon)), 404);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.kimChi)), 404);

      const resultMail = await waitForMail((m) => m.to.includes(EMAIL.bao) && m.subject === MAIL.certificate(dossierId));
      expect(resultMail.text).toContain(`Mã xác thực: ${code}`);

      // Each mail once, counted after the workflow has done everything it does.
      await workflowDone(dossierId);
      expect(subjectsAbout(EMAIL.bao, dossierId)).toEqual([MAIL.received(dossierId), MAIL.certificate(dossierId)]);
    });

    it("ends refused with the clerk's reason, which the applicant is mailed", async () => {
      const dossierId = await fileOk(t.kimChi, msc('W-BINH-THANH', { purpose: 'OTHER', purposeDetail: 'Bổ túc hồ sơ vay vốn ngân hàng' }));
      const task = await waitForTask(t.clerkBinhThanh, dossierId, 'review');
      const reason = 'Người yêu cầu đã nộp một hồ sơ khác cùng mục đích đang được giải quyết.';
      const done = await decide(t.clerkBinhThanh, task.taskId, { outcome: 'refuse', data: { reason } });
      expect(done.body.outcome).toBe('refuse');

      const refused = await waitForStatus(t.kimChi, dossierId, 'refused');
      expect(refused).toMatchObject({ currentStep: 'closed', openTasks: [], result: { refused: true, reason } });
      expect(lines(refused)).toEqual(['receive:received', 'verify-applicant:verified', 'check-marital:single', 'review:task-opened', 'review:refuse', 'review:refused']);
      expect(refused.history.at(-1)).toMatchObject({ actor: 'clerk:clerk.w-binh-thanh', note: reason });
      const mail = await waitForMail((m) => m.to.includes(EMAIL.kimChi) && m.subject === MAIL.refused(dossierId));
      expect(mail.text).toContain(reason);
      await workflowDone(dossierId);
      expect(subjectsAbout(EMAIL.kimChi, dossierId)).toEqual([MAIL.received(dossierId), MAIL.refused(dossierId)]);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.kimChi)), 404);
    });

    it('refuses at once a married applicant asking for it to marry: the branch on the purpose, over the real MARRIAGE record', async () => {
      const dossierId = await fileOk(t.an, msc('W-BEN-THANH', { purpose: 'MARRIAGE', intendedSpouseName: 'Lê Thị Hoa' }));
      const refused = await waitForStatus(t.an, dossierId, 'refused');
      expect(lines(refused)).toEqual(['receive:received', 'verify-applicant:verified', 'check-marital:married', 'check-marital:refused']);
      expect(refused.history.find((h) => h.outcome === 'married')?.note).toContain('marriageRecordId HT-MARRIAGE-2016-000842');
      expect(refused.result).toMatchObject({ refused: true, reason: expect.stringContaining('Theo sổ hộ tịch, bạn đang có vợ/chồng') });
      expect(await env.prisma.task.count({ where: { dossierId } })).toBe(0);
      await waitForMail((m) => m.to.includes(EMAIL.an) && m.subject === MAIL.refused(dossierId));
      await workflowDone(dossierId);
    });

    it('goes back to the review after a supplement of only the fields asked for, and is then approved', async () => {
      const dossierId = await fileOk(t.hong, msc('W-TAN-DINH', { purpose: 'OTHER', purposeDetail: 'Vay vốn' }));
      const first = await waitForTask(t.clerkTanDinh, dossierId, 'review');
      const filedDue = (await getDossier(t.hong, dossierId)).dueAt;
      const item = { field: 'purposeDetail', problem: 'ghi rõ ngân hàng nào yêu cầu giấy xác nhận' };
      expectInvalid(await complete(t.clerkTanDinh, first.taskId, { outcome: 'request-supplement', data: { items: [{ field: 'colour', problem: 'thiếu' }] } }), [
        'data.items.0.field',
      ]);
      const asked = await decide(t.clerkTanDinh, first.taskId, { outcome: 'request-supplement', data: { items: [item] } });
      expect(asked.body).toMatchObject({ outcome: 'request-supplement', dossierStatus: 'awaiting-supplement' });

      const waiting = await waitForStatus(t.hong, dossierId, 'awaiting-supplement');
      expect(waiting).toMatchObject({ currentStep: 'supplement', openTasks: [], awaiting: { kind: 'supplement', items: [item], round: 1 } });
      expect(Date.parse(waiting.awaiting!.dueAt)).toBeGreaterThan(Date.now() + 25 * 86_400_000); // 30 calendar days
      const askMail = await waitForMail((m) => m.to.includes(EMAIL.hong) && m.subject === MAIL.supplement(dossierId));
      expect(askMail.text).toContain(item.problem);

      // Only the fields asked for, each valid; only the filer answers.
      const supplement = (token: string, data: Record<string, unknown>) => request(app).post(`/api/v1/dossiers/${dossierId}/supplement`).set(bearer(token)).send({ data });
      expectInvalid(await supplement(t.hong, { purpose: 'MARRIAGE' }), ['data.purpose']);
      expectInvalid(await supplement(t.hong, { purposeDetail: 'x' }), ['data.purposeDetail']);
      expectProblem(await supplement(t.bao, { purposeDetail: 'Vay vốn tại Ngân hàng Vietcombank' }), 404);
      const detail = 'Vay vốn tại Ngân hàng Vietcombank chi nhánh Tân Định';
      const answered = await supplement(t.hong, { purposeDetail: detail });
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ dossierId });
      expectProblem(await supplement(t.hong, { purposeDetail: `${detail}.` }), 409);

      // The records are checked again and the clerk reviews anew.
      const second = await waitForTask(t.clerkTanDinh, dossierId, 'review');
      expect(second.taskId).toBe(`${dossierId}-T2`);
      expect(second.context).toMatchObject({ filing: { purpose: 'OTHER', purposeDetail: detail } });
      const claimed = await claim(t.clerkTanDinh, second.taskId).expect(200);
      expect(claimed.body.context).toMatchObject({ filing: { purposeDetail: detail } });
      await decide(t.clerkTanDinh, second.taskId, { outcome: 'approve' });
      const issued = await waitForStatus(t.hong, dossierId, 'issued');
      expect(lines(issued)).toEqual([
        'receive:received',
        'verify-applicant:verified',
        'check-marital:single',
        'review:task-opened',
        'review:request-supplement',
        'supplement:supplement-requested',
        'supplement:supplement-received',
        'check-marital:single',
        'review:task-opened',
        'review:approve',
        'issue-certificate:issued',
        'done:closed',
      ]);
      expect(issued.history.find((h) => h.outcome === 'supplement-received')).toMatchObject({ actor: 'citizen', note: 'Lần 1: đã sửa Mục đích cụ thể' });
      // The office's three working days started again from the answer.
      expect(Date.parse(issued.dueAt)).toBeGreaterThanOrEqual(Date.parse(filedDue));
      expect(Date.parse(issued.dueAt)).toBeLessThan(Date.parse(waiting.awaiting!.dueAt));
      // The certificate says what the applicant supplied.
      const document = await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.hong)).expect(200);
      expect(document.body.content.fields).toMatchObject({ holderPin: PIN.hong, purpose: 'OTHER', purposeDetail: detail, maritalStatus: 'single' });
      await workflowDone(dossierId);
      expect(subjectsAbout(EMAIL.hong, dossierId)).toEqual([MAIL.received(dossierId), MAIL.supplement(dossierId), MAIL.certificate(dossierId)]);
    });

    it("is extended to verify: the unit above's supervisors are told, the dossier gets 20 working days, supervision sees it late, the verification approves", async () => {
      const dossierId = await fileOk(t.kimChi, msc('W-BINH-THANH', { purpose: 'MARRIAGE', intendedSpouseName: 'Phan Quốc Bảo' }));
      const review = await waitForTask(t.clerkBinhThanh, dossierId, 'review');
      const filedDue = (await getDossier(t.kimChi, dossierId)).dueAt;
      const reason = 'Người yêu cầu từng cư trú tại Bà Rịa - Vũng Tàu: cần xác minh tại nơi cư trú trước.';
      const extended = await decide(t.clerkBinhThanh, review.taskId, { outcome: 'extend', data: { reason } });
      expect(extended.body.outcome).toBe('extend');

      const verify = await waitForTask(t.clerkBinhThanh, dossierId, 'verify');
      expect(verify).toMatchObject({ taskId: `${dossierId}-T2`, unitCode: 'W-BINH-THANH', outcomes: ['approve', 'refuse'] });
      const verifying = await getDossier(t.kimChi, dossierId);
      expect(verifying).toMatchObject({ status: 'verifying', currentStep: 'verify' });
      // 20 working days from now: four weeks at least, whatever the holidays.
      expect(Date.parse(verifying.dueAt) - Date.parse(filedDue)).toBeGreaterThan(20 * 86_400_000);
      // The supervisors of the unit above the ward (the city) are told, in Vietnamese.
      const notice = await waitForMail(
        (m) => m.to.includes('supervisor.hcmc@dichvucong.example') && m.subject === `Hồ sơ ${dossierId}: gia hạn để xác minh tình trạng hôn nhân`,
      );
      expect(notice.text).toContain('tối đa 20 ngày làm việc');
      expect(notice.text).toContain(`http://procedures.test/portal/dossiers/${dossierId}`);
      expect(subjectsAbout(EMAIL.kimChi, dossierId)).toEqual([MAIL.received(dossierId)]);

      // Late without waiting: supervision reads the projection, so move its deadlines back.
      const lateSince = new Date(Date.now() - 90 * 60_000);
      await env.prisma.task.update({ where: { id: verify.taskId }, data: { dueAt: lateSince } });
      await env.prisma.dossier.update({ where: { id: dossierId }, data: { dueAt: lateSince } });
      const overdue = await request(app).get('/api/v1/supervision/dossiers').query({ state: 'overdue', procedure: MSC }).set(bearer(t.supervisorHcmc)).expect(200);
      const item = (overdue.body as Array<{ dossierId: string; reason: string }>).find((d) => d.dossierId === dossierId);
      expect(item).toMatchObject({ procedure: MSC, unitCode: 'W-BINH-THANH', status: 'verifying', state: 'overdue' });
      expect(item?.reason).toContain(verify.taskId);
      await request(app).get('/api/v1/supervision/dossiers').query({ state: 'at-risk', procedure: MSC }).set(bearer(t.supervisorHcmc)).expect(200);
      await request(app).get('/api/v1/supervision/dossiers').query({ state: 'stuck', procedure: BRN }).set(bearer(t.supervisorHcmc)).expect(200);
      const workingTime = await request(app).get(`/api/v1/dossiers/${dossierId}/working-time`).set(bearer(t.clerkBinhThanh)).expect(200);
      expect(workingTime.body).toMatchObject({ closed: false, tasks: [expect.objectContaining({ taskId: verify.taskId, step: 'verify' })] });
      expect(workingTime.body.dossier.workingMinutesLeft).toBeLessThan(0);

      await decide(t.clerkBinhThanh, verify.taskId, { outcome: 'approve' });
      const issued = await waitForStatus(t.kimChi, dossierId, 'issued');
      expect(lines(issued)).toEqual([
        'receive:received',
        'verify-applicant:verified',
        'check-marital:single',
        'review:task-opened',
        'review:extend',
        'verify:task-opened',
        'verify:approve',
        'issue-certificate:issued',
        'done:closed',
      ]);
      expect(issued.history.find((h) => h.outcome === 'extend')).toMatchObject({ actor: 'clerk:clerk.w-binh-thanh' });
      const listed = await request(app).get('/api/v1/dossiers').query({ procedure: MSC, status: 'issued' }).set(bearer(t.clerkBinhThanh)).expect(200);
      expect(listed.body.map((d: { dossierId: string }) => d.dossierId)).toContain(dossierId);
      await workflowDone(dossierId);
      expect(subjectsAbout(EMAIL.kimChi, dossierId)).toEqual([MAIL.received(dossierId), MAIL.certificate(dossierId)]);
    });

    it('is cancelled by its owner while the clerk reviews: cancelled, the task withdrawn', async () => {
      const dossierId = await fileOk(t.long, msc('W-THU-DUC', { purpose: 'MARRIAGE', intendedSpouseName: 'Nguyễn Thị Hoa' }));
      const task = await waitForTask(t.clerkThuDuc, dossierId, 'review');
      await claim(t.clerkThuDuc, task.taskId).expect(200);
      expectProblem(await request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.bao)).send({}), 404);
      expectProblem(await request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.clerkThuDuc)).send({}), 403);

      const cancelled = await request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.long)).send({ reason: 'Đã có giấy xác nhận khác' }).expect(200);
      expect(cancelled.body).toEqual({ dossierId, status: 'cancelled' });
      const dossier = await getDossier(t.long, dossierId);
      expect(dossier).toMatchObject({ status: 'cancelled', currentStep: 'closed', openTasks: [] });
      expect(dossier.history.at(-1)).toMatchObject({ step: 'cancel', actor: 'citizen', outcome: 'cancelled', note: 'Đã có giấy xác nhận khác' });
      expect((await listTasks(t.clerkThuDuc)).map((x) => x.taskId)).not.toContain(task.taskId);
      expect((await listTasks(t.clerkThuDuc, { status: 'cancelled' })).map((x) => x.taskId)).toContain(task.taskId);
      expectProblem(await complete(t.clerkThuDuc, task.taskId, { outcome: 'approve' }), 409);
      expectProblem(await request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.long)).send({}), 409);

      await waitForMail((m) => m.to.includes(EMAIL.long) && m.subject === MAIL.cancelled(dossierId));
      await workflowDone(dossierId);
      expect(subjectsAbout(EMAIL.long, dossierId)).toEqual([MAIL.received(dossierId), MAIL.cancelled(dossierId)]);
    });
    it("takes supervision's actions: the review reassigned to another ward, escalated by hand, then cancelled for the office", async () => {
      const dossierId = await fileOk(t.bao, msc('W-BINH-THANH', { purpose: 'OTHER', purposeDetail: 'Hồ sơ xin việc' }));
      const review = await waitForTask(t.clerkBinhThanh, dossierId, 'review');
      const reassigned = await request(app)
        .post(`/api/v1/supervision/tasks/${review.taskId}/reassign`)
        .set(bearer(t.supervisorHcmc))
        .send({ unitCode: 'W-SAI-GON', reason: 'Phường Bình Thạnh quá tải' })
        .expect(200);
      expect(reassigned.body).toMatchObject({ taskId: review.taskId, unitCode: 'W-SAI-GON', previous: { unitCode: 'W-BINH-THANH' }, changed: true });
      expect(reassigned.body.context).toMatchObject({ filing: { purpose: 'OTHER', purposeDetail: 'Hồ sơ xin việc' } });
      expect((await waitForTask(t.clerkSaiGon, dossierId, 'review')).taskId).toBe(review.taskId);
      expect((await listTasks(t.clerkBinhThanh)).map((x) => x.taskId)).not.toContain(review.taskId);
      // The other ward's clerk now handles it: they see the dossier.
      await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.clerkSaiGon)).expect(200);

      const escalated = await request(app)
        .post(`/api/v1/supervision/dossiers/${dossierId}/escalate`)
        .set(bearer(t.supervisorHcmc))
        .set('Idempotency-Key', `escalate-${dossierId}`)
        .send({ note: 'Cần xử lý trong ngày' })
        .expect(200);
      expect(escalated.body).toMatchObject({ dossierId, fromUnitCode: 'W-SAI-GON', toUnitCode: 'HCMC', escalation: 1 });

      const bulk = await request(app)
        .post('/api/v1/supervision/bulk')
        .set(bearer(t.supervisorHcmc))
        .send({ action: 'cancel', items: [dossierId], reason: 'Người yêu cầu đã nộp trùng hồ sơ' })
        .expect(200);
      expect(bulk.body).toMatchObject({ succeeded: 1, results: [{ item: dossierId, status: 200, dossierStatus: 'cancelled' }] });
      const cancelled = await getDossier(t.bao, dossierId);
      expect(cancelled).toMatchObject({ status: 'cancelled', openTasks: [] });
      expect(cancelled.history.at(-1)).toMatchObject({ step: 'cancel', actor: 'supervisor:supervisor.hcmc', outcome: 'cancelled', note: 'Người yêu cầu đã nộp trùng hồ sơ' });
      const mail = await waitForMail((m) => m.to.includes(EMAIL.bao) && m.subject === MAIL.cancelled(dossierId));
      expect(mail.text).toContain('Người yêu cầu đã nộp trùng hồ sơ');
      await workflowDone(dossierId);
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('birth registration', () => {
    it('answers a bad filing with 400 naming each bad field', async () => {
      const bad = await file(
        t.an,
        brn('W-BEN-THANH', {
          child: { fullName: 'N', sex: 'UNKNOWN', dateOfBirth: '20/11/2026', placeOfBirth: 'Bệnh viện Từ Dũ' },
          motherPin: '0791900',
          fatherPin: PIN.an,
        }),
      );
      expectInvalid(bad, ['data.child.fullName', 'data.child.sex', 'data.child.dateOfBirth', 'data.motherPin']);
      expectInvalid(await file(t.an, brn('W-BEN-THANH', { motherPin: PIN.ngoc })), ['data.child']);
    });

    it('is registered the same day; the civil-status extract then finds the new BIRTH record in the electronic registry', async () => {
      const example = examples[BRN]!;
      expect(example).toMatchObject({ as: { sub: PIN.an, role: 'citizen' }, body: { procedure: BRN, unitCode: 'W-BEN-THANH' } });
      const child = example.body.data.child as { fullName: string; dateOfBirth: string; placeOfBirth: string };
      const filedAt = performance.now();
      const dossierId = await fileOk(t.an, example.body as never);
      expect(dossierId).toMatch(/^BRN-\d{6}-[0-9A-Z]{6}$/);

      const task = await waitForTask(t.clerkBenThanh, dossierId, 'review', 10);
      console.log(`birth registration: filing → task visible in GET /tasks: ${Math.round(performance.now() - filedAt)} ms`);
      expect(task).toMatchObject({ procedure: BRN, unitCode: 'W-BEN-THANH', outcomes: ['approve', 'request-supplement', 'refuse'] });
      expect(task.context).toMatchObject({
        results: { 'verify-parents': { outcome: 'verified', checked: 2 } },
        filing: { child: example.body.data.child, motherPin: PIN.ngoc, fatherPin: PIN.an },
      });
      // Same-day: the review is due by the end of the working day it opened (or the next, after the cut-off).
      expect(Date.parse(task.dueAt) - Date.now()).toBeLessThan(4 * 86_400_000);
      // Both parents own it: the mother follows it too.
      expect((await getDossier(t.ngoc, dossierId)).status).toBe('in-review');
      await decide(t.clerkBenThanh, task.taskId, { outcome: 'approve' });

      const approvedAt = performance.now();
      const registered = await waitForStatus(t.an, dossierId, 'registered');
      console.log(`birth registration: approval → registered (record written, certificate issued): ${Math.round(performance.now() - approvedAt)} ms`);
      expect(registered).toMatchObject({ currentStep: 'closed', openTasks: [], overdue: false });
      expect(lines(registered)).toEqual([
        'receive:received',
        'verify-parents:verified',
        'review:task-opened',
        'review:approve',
        'register:registered',
        'issue-certificate:issued',
        'done:closed',
      ]);
      const code = registered.result?.documentCode as string;
      expect(code).toMatch(DOCUMENT_CODE);
      expect((await request(app).get(`/api/v1/documents/${code}/verify`).expect(200)).body).toMatchObject({ valid: true, kind: `${BRN}/birth-certificate`, dossierId });
      const certificate = await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.an)).expect(200);
      const recordId = `HT-BIRTH-${dossierId}`;
      expect(certificate.body.content).toMatchObject({
        titleEn: 'Birth certificate',
        issuedBy: 'W-BEN-THANH',
        fields: { recordId, registeredAt: 'W-BEN-THANH', childName: child.fullName, dateOfBirth: child.dateOfBirth, motherPin: PIN.ngoc, fatherPin: PIN.an },
      });
      expect(registered.history.find((h) => h.step === 'register')?.note).toContain(recordId);
      const mail = await waitForMail((m) => m.to.includes(EMAIL.an) && m.subject === MAIL.birth(dossierId));
      expect(mail.text).toContain(`Mã xác thực: ${code}`);
      await workflowDone(dossierId);
      expect(subjectsAbout(EMAIL.an, dossierId)).toEqual([MAIL.received(dossierId), MAIL.birth(dossierId)]);

      // The father asks another ward for an extract of the child's birth: the registry has it,
      // electronic, so it goes straight to that ward's clerk to verify and sign (no archive search).
      const extractId = await fileOk(t.an, { procedure: 'civil-status-extract', unitCode: 'W-SAI-GON', data: { kind: 'BIRTH', recordRef: recordId } });
      const sign = await waitForTask(t.clerkSaiGon, extractId, 'verify-and-sign');
      // Filed under version 2: the step shows the registry's views of the applicant and the record the look-up found.
      expect(sign).toMatchObject({
        procedure: 'civil-status-extract',
        unitCode: 'W-SAI-GON',
        outcomes: ['approve', 'refuse'],
        context: {
          shows: ['view:population.applicant', 'view:civil-status.record', 'results.registry-lookup', 'results.digitise'],
          results: { 'registry-lookup': expect.objectContaining({ outcome: 'found', recordId }) },
        },
      });
      const looked = await getDossier(t.an, extractId);
      expect(lines(looked)).toEqual(['receive:received', 'verify-applicant:verified', 'registry-lookup:found', 'verify-and-sign:task-opened']);
      expect(looked.history.find((h) => h.step === 'registry-lookup')?.note).toBe('Đã đăng ký tại Phường Bến Thành');
      await decide(t.clerkSaiGon, sign.taskId, { outcome: 'approve' });
      const extract = await waitForStatus(t.an, extractId, 'issued');
      const copy = await request(app).get(`/api/v1/dossiers/${extractId}/document`).set(bearer(t.an)).expect(200);
      expect(copy.body.content).toMatchObject({
        kind: 'BIRTH',
        recordId,
        details: { childName: child.fullName, dateOfBirth: child.dateOfBirth, placeOfBirth: child.placeOfBirth, fatherName: 'Nguyễn Văn An', motherName: 'Trần Thị Bích Ngọc' },
      });
      expect(extract.result?.documentCode).toMatch(DOCUMENT_CODE);
      await workflowDone(extractId);
    });

    it('refuses a parent unknown to the population data, with the reason the definition gives; no task is opened', async () => {
      const dossierId = await fileOk(
        t.an,
        brn('W-BEN-THANH', {
          child: { fullName: 'Nguyễn Minh Anh', sex: 'FEMALE', dateOfBirth: '2026-11-25', placeOfBirth: 'Bệnh viện Hùng Vương, Thành phố Hồ Chí Minh' },
          motherPin: PIN.nobody,
          fatherPin: PIN.an,
        }),
      );
      const refused = await waitForStatus(t.an, dossierId, 'refused');
      expect(lines(refused)).toEqual(['receive:received', 'verify-parents:unknown-person', 'verify-parents:refused']);
      expect(refused.history.at(-1)).toMatchObject({ actor: 'system' });
      expect(refused.result?.reason).toContain('Số định danh cá nhân của cha hoặc mẹ không có trong Cơ sở dữ liệu quốc gia về dân cư');
      expect(await env.prisma.task.count({ where: { dossierId } })).toBe(0);
      expect(await env.prisma.civilStatusRecord.count({ where: { id: `HT-BIRTH-${dossierId}` } })).toBe(0);
      const mail = await waitForMail((m) => m.to.includes(EMAIL.an) && m.subject === MAIL.refused(dossierId));
      expect(mail.text).toContain('không có trong Cơ sở dữ liệu quốc gia về dân cư');
      await workflowDone(dossierId);
      expect(subjectsAbout(EMAIL.an, dossierId)).toEqual([MAIL.received(dossierId), MAIL.refused(dossierId)]);
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('what the console, the OpenAPI document and supervision show of them', () => {
    it("lists both in the console's catalog, with Vietnamese and English labels and each outcome's JSON Schema", async () => {
      const catalog = (await request(app).get('/api/v1/procedures').set(bearer(t.clerkBinhThanh)).expect(200)).body as Array<{
        id: string;
        title: string;
        labels: { vi: Record<string, string>; en: Record<string, string> };
        steps: Array<{ id: string; title: string; role: string; outcomes: Array<{ name: string; decides: boolean; schema: Record<string, unknown> }> }>;
      }>;
      const certificate = catalog.find((p) => p.id === MSC)!;
      const birth = catalog.find((p) => p.id === BRN)!;
      expect(certificate).toMatchObject({ title: 'Certificate of marital status' });
      expect(certificate.labels.vi).toMatchObject({ [MSC]: 'Cấp Giấy xác nhận tình trạng hôn nhân', review: 'Thẩm định và ký xác nhận', 'in-review': 'Đang thẩm định', issued: 'Đã cấp' });
      expect(certificate.labels.en).toMatchObject({ [MSC]: 'Certificate of marital status', review: 'Review and sign the certificate', 'in-review': 'In review', issued: 'Issued' });
      expect(certificate.steps.map((s) => [s.id, s.role])).toEqual([
        ['review', 'clerk'],
        ['verify', 'clerk'],
      ]);
      const review = certificate.steps.find((s) => s.id === 'review')!;
      expect(review.outcomes.map((o) => [o.name, o.decides])).toEqual([
        ['approve', true],
        ['request-supplement', false],
        ['extend', false],
        ['refuse', true],
      ]);
      expect(review.outcomes.find((o) => o.name === 'refuse')!.schema).toMatchObject({
        type: 'object',
        properties: { reason: { type: 'string', minLength: 3, maxLength: 2000 } },
        required: ['reason'],
      });
      expect(review.outcomes.find((o) => o.name === 'request-supplement')!.schema).toMatchObject({
        properties: { items: { type: 'array', minItems: 1, items: { properties: { field: { enum: ['purpose', 'purposeDetail', 'intendedSpouseName', 'applicant', 'contactEmail'] } } } } },
      });
      expect(review.outcomes.find((o) => o.name === 'approve')!.schema).toMatchObject({ type: 'object' });

      expect(birth).toMatchObject({ title: 'Birth registration' });
      expect(birth.labels.vi).toMatchObject({ [BRN]: 'Đăng ký khai sinh', registered: 'Đã đăng ký', child: 'Người được khai sinh' });
      expect(birth.labels.en).toMatchObject({ [BRN]: 'Birth registration', registered: 'Registered', child: 'Child' });
      expect(birth.steps.map((s) => [s.id, s.role, s.outcomes.map((o) => o.name)])).toEqual([['review', 'clerk', ['approve', 'request-supplement', 'refuse']]]);
    });

    it('publishes their filing schemas in the POST /dossiers body of the OpenAPI document', async () => {
      const doc = (await request(app).get('/api/v1/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown>; examples?: Record<string, { value: unknown }> }> } }>>;
        components: { schemas: Record<string, { oneOf?: Array<{ properties: Record<string, Record<string, unknown>> }> }> };
      };
      const body = doc.paths['/api/v1/dossiers']!.post!.requestBody!.content['application/json']!;
      expect(body.schema).toEqual({ $ref: '#/components/schemas/FileDossier' });
      const branches = doc.components.schemas.FileDossier!.oneOf!;
      const branch = (id: string) => branches.find((b) => (b.properties.procedure as { enum?: string[] }).enum?.includes(id));
      expect(branch(MSC)?.properties.data).toMatchObject({
        type: 'object',
        properties: { purpose: { type: 'string', enum: ['MARRIAGE', 'OTHER'] }, contactEmail: { type: 'string', format: 'email' } },
        required: ['purpose'],
        additionalProperties: false,
      });
      expect(branch(BRN)?.properties.data).toMatchObject({
        type: 'object',
        properties: {
          child: { type: 'object', required: ['fullName', 'sex', 'dateOfBirth', 'placeOfBirth'] },
          motherPin: { type: 'string', pattern: '^[0-9]{12}$' },
          fatherPin: { type: 'string', pattern: '^[0-9]{12}$' },
        },
        required: ['child', 'motherPin'],
      });
      // Each example posts as it is.
      expect(body.examples?.[MSC]?.value).toEqual(examples[MSC]!.body);
      expect(body.examples?.[BRN]?.value).toEqual(examples[BRN]!.body);
    });

    it("counts their dossiers in supervision's figures", async () => {
      const stats = (await request(app).get('/api/v1/supervision/stats').set(bearer(t.supervisorHcmc)).expect(200)).body as {
        unitCode: string;
        rows: Array<{ unitCode: string; procedure: string; depth: number; received: number; completed: number; withdrawn: number; open: number }>;
      };
      expect(stats.unitCode).toBe('HCMC');
      for (const procedure of [MSC, BRN]) {
        const ids = filed[procedure]!;
        expect(ids.length).toBeGreaterThan(0);
        const statuses = await Promise.all(ids.map(async (id) => (await getDossier(t.supervisorHcmc, id)).status));
        const root = stats.rows.find((r) => r.unitCode === 'HCMC' && r.procedure === procedure);
        expect(root).toMatchObject({
          depth: 0,
          received: ids.length,
          completed: statuses.filter((s) => ['issued', 'registered', 'refused'].includes(s)).length,
          withdrawn: statuses.filter((s) => s === 'cancelled').length,
          open: statuses.filter((s) => !['issued', 'registered', 'refused', 'cancelled', 'lapsed'].includes(s)).length,
        });
      }
      const benThanh = stats.rows.find((r) => r.unitCode === 'W-BEN-THANH' && r.procedure === BRN);
      expect(benThanh).toMatchObject({ received: filed[BRN]!.length, completed: filed[BRN]!.length });
      const only = (await request(app).get('/api/v1/supervision/stats').query({ procedure: MSC }).set(bearer(t.supervisorHcmc)).expect(200)).body as typeof stats;
      expect(new Set(only.rows.map((r) => r.procedure))).toEqual(new Set([MSC]));
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('pinning', () => {
    it('starts each dossier pinned to the id, version and hash of the latest shipped document, as published', async () => {
      for (const procedure of [MSC, BRN]) {
        const versions = PUBLISHED_DOCUMENTS.filter((p) => p.document.id === procedure).sort((a, b) => b.document.version - a.document.version);
        const shipped = versions[0]!;
        const published = (await request(app).get('/api/v1/procedure-definitions').query({ id: procedure }).set(bearer(t.admin)).expect(200)).body as Array<{
          id: string;
          version: number;
          hash: string;
        }>;
        // Every shipped version is published, the newest first.
        expect(published).toEqual(versions.map((v) => expect.objectContaining({ id: procedure, version: v.document.version, hash: v.hash })));
        expect(filed[procedure]!.length).toBeGreaterThan(0);
        for (const dossierId of filed[procedure]!) {
          const input = await workflowInput(dossierId);
          const definition = (input.request as { definition: { id: string; version: number; hash: string; document: { id: string; version: number } } }).definition;
          expect({ id: definition.id, version: definition.version, hash: definition.hash }).toEqual({ id: procedure, version: shipped.document.version, hash: shipped.hash });
          expect(definition.document).toEqual(JSON.parse(JSON.stringify(shipped.document)));
          expect(input).toMatchObject({ dossierId });
        }
      }
    });
  });
});
