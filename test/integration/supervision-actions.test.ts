import type { Express } from 'express';
import request from 'supertest';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { bearer, eventually, expectInvalid, expectProblem, tokensFor } from '../support/http';

// Supervisors' actions on real dossiers (real workflows on the Temporal dev server, PostgreSQL,
// SMTP): reassign, escalate by hand, bulk reassign / cancel / retry with per-item results, and the
// audit trail each leaves. Visibility: a dossier the caller cannot see is 404, a task at a unit
// outside the caller's subtree of a dossier it sees is 403, bad input is 400 naming the fields.

const CITIZEN = { pin: '079088004127', email: 'nguyen.van.an@example.com' };
const FILING = {
  procedure: 'civil-status-extract',
  unitCode: 'W-SAI-GON',
  data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: { fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' } },
};
const MAIL_DOMAIN = 'dichvucong.example';

interface TaskBody {
  taskId: string;
  dossierId: string;
  unitCode: string;
  assignee: string | null;
  status: string;
}
interface BulkBody {
  action: string;
  total: number;
  succeeded: number;
  failed: number;
  results: Array<{ item: string; status: number; ok: boolean; detail: string; dossierStatus?: string }>;
}

describe('supervision actions', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'citizen' | 'city' | 'saiGon' | 'benThanh' | 'clerkSaiGon' | 'clerkBenThanh', string>;
  let filings = 0;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    app = env.createApi();
    await env.startWorker();
    t = await tokensFor(app, {
      citizen: { sub: CITIZEN.pin, role: 'citizen' },
      city: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' },
      saiGon: { sub: 'supervisor.w-sai-gon', role: 'supervisor', unit: 'W-SAI-GON' },
      benThanh: { sub: 'supervisor.w-ben-thanh', role: 'supervisor', unit: 'W-BEN-THANH' },
      clerkSaiGon: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      clerkBenThanh: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
    });
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
  }, 60_000);

  /** Files a dossier at W-SAI-GON and waits for its verify-and-sign task. */
  async function fileWithTask(): Promise<TaskBody> {
    filings += 1;
    const filed = await request(app).post('/api/v1/dossiers').set(bearer(t.citizen)).set('Idempotency-Key', `supervision-actions-${filings}`).send(FILING).expect(201);
    const dossierId = filed.body.dossierId as string;
    return eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(t.clerkSaiGon)).expect(200);
      return (res.body as TaskBody[]).find((task) => task.dossierId === dossierId);
    }, 60_000, 100);
  }
  const history = async (dossierId: string) =>
    (await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.city)).expect(200)).body.history as Array<{ actor: string; outcome: string; note: string | null }>;
  const reassign = (token: string, taskId: string, body: object) => request(app).post(`/api/v1/supervision/tasks/${taskId}/reassign`).set(bearer(token)).send(body);
  const escalate = (token: string, dossierId: string, body: object) => request(app).post(`/api/v1/supervision/dossiers/${dossierId}/escalate`).set(bearer(token)).send(body);
  const bulk = (token: string, body: object) => request(app).post('/api/v1/supervision/bulk').set(bearer(token)).send(body);

  it('reassigns a task to a person of another ward: their inbox has it, the workflow follows, the history and the audit say so', async () => {
    const task = await fileWithTask();
    // Out of scope: a ward supervisor who cannot see the dossier (404), a target outside the subtree (403), not a supervisor (403).
    expectProblem(await reassign(t.benThanh, task.taskId, { unitCode: 'W-BEN-THANH' }), 404);
    expectProblem(await reassign(t.saiGon, task.taskId, { unitCode: 'W-BEN-THANH' }), 403);
    expectProblem(await reassign(t.clerkSaiGon, task.taskId, { unitCode: 'W-SAI-GON' }), 403);
    expectProblem(await reassign(t.city, 'CSE-261127-ZZZZZZ-T1', { unitCode: 'W-SAI-GON' }), 404);
    // Bad input names each field.
    expectInvalid(await reassign(t.city, task.taskId, {}), ['assignee', 'unitCode']);
    expectInvalid(await reassign(t.city, task.taskId, { assignee: 'nobody.here', unitCode: 'W-NOWHERE' }), ['assignee', 'unitCode']);
    expectInvalid(await reassign(t.city, task.taskId, { assignee: 'clerk.w-ben-thanh', unitCode: 'W-SAI-GON' }), ['assignee']);
    expectInvalid(await reassign(t.city, 'T1', { unitCode: 'w sai gon', colour: 'red' }), ['params.taskId', 'unitCode', 'colour']);

    const moved = await reassign(t.city, task.taskId, { assignee: 'clerk.w-ben-thanh', reason: 'Sài Gòn clerk on leave' }).expect(200);
    expect(moved.body).toMatchObject({ taskId: task.taskId, unitCode: 'W-BEN-THANH', assignee: 'clerk.w-ben-thanh', status: 'claimed', previous: { unitCode: 'W-SAI-GON', assignee: null }, changed: true });
    const mine = await request(app).get('/api/v1/tasks?assignee=me').set(bearer(t.clerkBenThanh)).expect(200);
    expect((mine.body as TaskBody[]).map((x) => x.taskId)).toContain(task.taskId);
    // The Sài Gòn supervisor still sees the dossier but no longer the task's unit: 403.
    expectProblem(await reassign(t.saiGon, task.taskId, { unitCode: 'W-SAI-GON' }), 403);

    await request(app).post(`/api/v1/tasks/${task.taskId}/complete`).set(bearer(t.clerkBenThanh)).send({ outcome: 'approve' }).expect(200);
    expect(await env.temporal.client.workflow.getHandle(task.dossierId).result()).toMatchObject({ status: 'issued' });
    expect(await history(task.dossierId)).toContainEqual(
      expect.objectContaining({ actor: 'supervisor:supervisor.hcmc', outcome: 'reassigned', note: expect.stringContaining('chuyển từ Phường Sài Gòn sang Phường Bến Thành (clerk.w-ben-thanh). Lý do: Sài Gòn clerk on leave') }),
    );
    expectProblem(await reassign(t.city, task.taskId, { unitCode: 'W-SAI-GON' }), 409);

    const audit = await request(app).get('/api/v1/supervision/actions').query({ taskId: task.taskId }).set(bearer(t.city)).expect(200);
    expect(audit.body).toEqual([
      expect.objectContaining({
        actor: 'supervisor.hcmc',
        role: 'supervisor',
        action: 'reassign',
        unitCode: 'W-SAI-GON',
        dossierId: task.dossierId,
        note: 'Sài Gòn clerk on leave',
        details: { from: { unitCode: 'W-SAI-GON', assignee: null }, to: { unitCode: 'W-BEN-THANH', assignee: 'clerk.w-ben-thanh' } },
        at: expect.any(String),
      }),
    ]);
  }, 120_000);

  it('escalates by hand to the unit above: mailed once per escalation, written to the history and the audit', async () => {
    const task = await fileWithTask();
    expectProblem(await escalate(t.benThanh, task.dossierId, { note: 'Citizen complained twice' }), 404);
    expectProblem(await escalate(t.clerkSaiGon, task.dossierId, { note: 'Citizen complained twice' }), 403);
    expectInvalid(await escalate(t.saiGon, task.dossierId, { note: ' ' }), ['note']);
    expectInvalid(await escalate(t.saiGon, 'not-a-dossier', { note: 'ok ok', urgent: true }), ['params.dossierId', 'urgent']);

    const first = await escalate(t.saiGon, task.dossierId, { note: 'Citizen complained twice' }).set('Idempotency-Key', 'esc-1').expect(200);
    expect(first.body).toEqual({ dossierId: task.dossierId, fromUnitCode: 'W-SAI-GON', toUnitCode: 'HCMC', mailed: 2, escalation: 1 });
    const again = await escalate(t.saiGon, task.dossierId, { note: 'Citizen complained twice' }).set('Idempotency-Key', 'esc-1').expect(200);
    expect(again.body).toEqual(first.body);

    // Staff read Vietnamese: the task by its name, its deadline day first.
    const mails = env.smtp.mails.filter((m) => m.subject === `Chuyển cấp bởi supervisor.w-sai-gon (Phường Sài Gòn): hồ sơ ${task.dossierId}`);
    expect(mails.flatMap((m) => m.to).sort()).toEqual([`supervisor.hcmc@${MAIL_DOMAIN}`, `tphcm@${MAIL_DOMAIN}`]);
    expect(mails[0]!.text).toMatch(/Ghi chú: Citizen complained twice/);
    expect(mails[0]!.text).toMatch(/Đang chờ: Kiểm tra và ký trích lục tại Phường Sài Gòn, hạn \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(GMT\+7\)\./);
    expect((await history(task.dossierId)).filter((h) => h.outcome === 'escalated-by-hand')).toEqual([
      expect.objectContaining({ actor: 'supervisor:supervisor.w-sai-gon', note: 'Chuyển cấp từ Phường Sài Gòn lên Thành phố Hồ Chí Minh: Citizen complained twice' }),
    ]);
    const audit = await request(app).get('/api/v1/supervision/actions').query({ dossierId: task.dossierId }).set(bearer(t.saiGon)).expect(200);
    expect(audit.body).toEqual([expect.objectContaining({ actor: 'supervisor.w-sai-gon', action: 'escalate', note: 'Citizen complained twice', details: { from: 'W-SAI-GON', to: 'HCMC', mailed: 2, escalation: 1 } })]);
  }, 120_000);

  it('bulk: refuses a bad request whole, then answers each item for itself (reassign, cancel, retry)', async () => {
    const [a, b, c] = [await fileWithTask(), await fileWithTask(), await fileWithTask()];
    const tooMany = Array.from({ length: 501 }, (_, i) => `CSE-261127-${String(i).padStart(6, '0')}`);
    expectInvalid(await bulk(t.saiGon, { action: 'cancel', items: tooMany, reason: 'Filed twice' }), ['items']);
    expectInvalid(await bulk(t.saiGon, { action: 'cancel', items: [a.dossierId] }), ['reason']);
    expectInvalid(await bulk(t.saiGon, { action: 'cancel', items: [a.dossierId, a.dossierId], reason: 'Filed twice' }), ['items.1']);
    expectInvalid(await bulk(t.saiGon, { action: 'archive', items: [a.dossierId] }), ['action']);
    expectInvalid(await bulk(t.saiGon, { action: 'reassign', items: [a.taskId] }), ['assignee', 'unitCode']);
    expectProblem(await bulk(t.saiGon, { action: 'reassign', items: [a.taskId], unitCode: 'W-BEN-THANH' }), 403);
    expectProblem(await bulk(t.clerkSaiGon, { action: 'retry', items: [a.dossierId] }), 403);
    // Nothing was done by any of these.
    expect((await request(app).get(`/api/v1/dossiers/${a.dossierId}`).set(bearer(t.saiGon)).expect(200)).body.status).toBe('awaiting-signature');

    const reassigned = await bulk(t.city, { action: 'reassign', items: [a.taskId, 'CSE-261127-ZZZZZZ-T1', 'bogus'], unitCode: 'W-BEN-THANH', reason: 'Balancing the load' }).expect(200);
    expect(reassigned.body as BulkBody).toMatchObject({ action: 'reassign', total: 3, succeeded: 1, failed: 2 });
    expect((reassigned.body as BulkBody).results.map((r) => [r.item, r.status, r.ok])).toEqual([
      [a.taskId, 200, true],
      ['CSE-261127-ZZZZZZ-T1', 404, false],
      ['bogus', 400, false],
    ]);

    const cancelled = await bulk(t.saiGon, { action: 'cancel', items: [b.dossierId, c.dossierId, 'CSE-261127-ZZZZZZ'], reason: 'Filed twice by mistake' }).expect(200);
    expect((cancelled.body as BulkBody).results.map((r) => [r.item, r.status, r.dossierStatus])).toEqual([
      [b.dossierId, 200, 'cancelled'],
      [c.dossierId, 200, 'cancelled'],
      ['CSE-261127-ZZZZZZ', 404, undefined],
    ]);
    const again = await bulk(t.saiGon, { action: 'cancel', items: [b.dossierId], reason: 'Filed twice by mistake' }).expect(200);
    expect((again.body as BulkBody).results.map((r) => [r.status, r.ok])).toEqual([[409, false]]);
    // The citizen filed in Vietnamese (no Accept-Language): told in Vietnamese, with the supervisor's reason.
    const told = await env.smtp.waitFor((m) => m.to.includes(CITIZEN.email) && m.subject === `Hồ sơ ${b.dossierId} đã được hủy`);
    expect(told.text.trim()).toBe(`Hồ sơ ${b.dossierId} của bạn đã bị cơ quan giải quyết hủy.\nLý do: Filed twice by mistake`);
    expect(await history(b.dossierId)).toContainEqual(expect.objectContaining({ actor: 'supervisor:supervisor.w-sai-gon', outcome: 'cancelled', note: 'Filed twice by mistake' }));
    expect((await request(app).get('/api/v1/tasks').query({ status: 'cancelled' }).set(bearer(t.clerkSaiGon)).expect(200)).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ taskId: b.taskId }), expect.objectContaining({ taskId: c.taskId })]),
    );

    // Retry now needs a failing call: a dossier waiting for its clerk has none (409); the real case is in faults-registry.
    const retried = await bulk(t.city, { action: 'retry', items: [a.dossierId, b.dossierId] }).expect(200);
    expect((retried.body as BulkBody).results.map((r) => [r.item, r.status])).toEqual([
      [a.dossierId, 409],
      [b.dossierId, 409],
    ]);

    const audit = await request(app).get('/api/v1/supervision/actions').query({ actor: 'supervisor.w-sai-gon' }).set(bearer(t.city)).expect(200);
    expect((audit.body as Array<{ action: string; dossierId: string; note: string }>).filter((x) => x.action === 'cancel').map((x) => [x.dossierId, x.note]).sort()).toEqual(
      [[b.dossierId, 'Filed twice by mistake'], [c.dossierId, 'Filed twice by mistake']].sort(),
    );
    // A ward supervisor reads only its subtree's entries; another unit: 403.
    expectProblem(await request(app).get('/api/v1/supervision/actions').query({ unitCode: 'HCMC' }).set(bearer(t.saiGon)), 403);
  }, 180_000);
});
