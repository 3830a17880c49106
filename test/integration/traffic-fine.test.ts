import { randomBytes, randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { PERSONS } from '../../prisma/seed-data';
import { bearer, eventually, expectInvalid, expectProblem, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// Offline traffic fines (procedures/traffic-fine/README.md) through the public HTTP contract, with the real worker,
// Temporal dev server, PostgreSQL and SMTP behind it: evidence in, an officer confirms, the owner
// (and only the owner) sees the case and pays once; publication and the inspection flag; batches.

const PIN = { an: '079088004127', ngoc: '079190012583', tuan: '074083002645' } as const;
const PLATE = { an: '51F-123.45', ngoc: '59X3-456.78', tuan: '61C-234.56' } as const;
const FINE = { 'RED-LIGHT-CAR': 19_000_000, 'WRONG-LANE-CAR': 5_000_000 } as const;
/** The fines table's name of RED-LIGHT-CAR (migrations), as the notice and its mail print it. */
const RED_LIGHT_CAR = 'Ô tô không chấp hành hiệu lệnh của đèn tín hiệu giao thông';

interface TaskView {
  taskId: string;
  dossierId: string;
  step: string;
  unitCode: string;
  outcomes: string[];
}

interface DossierView {
  dossierId: string;
  procedure: string;
  status: string;
  dueAt: string;
  history: Array<{ step: string; actor: string; outcome: string; note: string | null }>;
  result: Record<string, unknown> | null;
  awaiting: { kind: string; dueAt: string; round: number } | null;
}

const sha = () => randomBytes(32).toString('hex');

/** Evidence no test posted before: fresh images, a capture a few minutes ago. */
function evidence(overrides: Record<string, unknown> = {}) {
  return {
    source: 'camera:BT-LL-NH-01',
    capturedAt: new Date(Date.now() - 60_000 - Math.floor(Math.random() * 3_600_000)).toISOString(),
    location: { unitCode: 'W-BEN-THANH', description: 'Giao lộ Lê Lợi – Nguyễn Huệ' },
    plateNumber: PLATE.an,
    violationCode: 'RED-LIGHT-CAR',
    evidence: [{ sha256: sha() }, { sha256: sha(), uri: 'https://camera.csgt.example/1.jpg' }],
    ...overrides,
  };
}

describe('offline traffic fines over HTTP', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'camera' | 'officer' | 'wardOfficer' | 'wardClerk' | 'an' | 'ngoc' | 'tuan' | 'clerk' | 'inspector' | 'supervisor', string>;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, {
      camera: { sub: 'camera-gateway.hcmc-pc08', role: 'system' },
      officer: { sub: 'officer.hcmc-pc08', role: 'officer', unit: 'HCMC-PC08' },
      wardOfficer: { sub: 'officer.w-thu-dau-mot', role: 'officer', unit: 'W-THU-DAU-MOT' },
      wardClerk: { sub: 'clerk.w-thu-dau-mot', role: 'clerk', unit: 'W-THU-DAU-MOT' },
      an: { sub: PIN.an, role: 'citizen' },
      ngoc: { sub: PIN.ngoc, role: 'citizen' },
      tuan: { sub: PIN.tuan, role: 'citizen' },
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      inspector: { sub: 'inspector.dang-kiem-5001', role: 'inspector' },
      supervisor: { sub: 'supervisor.hcmc-pc08', role: 'supervisor', unit: 'HCMC-PC08' },
    });
  });
  afterAll(() => env?.stop());

  // ------------------------------------------------------------------------------------------
  // helpers

  function post(token: string, body: unknown) {
    return request(app).post('/api/v1/violations').set(bearer(token)).send(body as object);
  }

  async function open(body = evidence()): Promise<string> {
    const res = await post(t.camera, body);
    if (res.status !== 201) throw new Error(`POST /violations answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.dossierId as string;
  }

  async function getDossier(token: string, dossierId: string): Promise<DossierView> {
    const res = await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(token));
    if (res.status !== 200) throw new Error(`GET /dossiers/${dossierId} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as DossierView;
  }

  async function waitForStatus(dossierId: string, status: string, timeoutMs = 30_000): Promise<DossierView> {
    let last: DossierView | undefined;
    try {
      return await eventually(async () => {
        last = await getDossier(t.officer, dossierId);
        return last.status === status ? last : undefined;
      }, timeoutMs);
    } catch (error) {
      // Say where the case stopped: its status, and the system call that keeps failing, if any.
      const pending = (await env.temporal.client.workflow.getHandle(dossierId).describe()).raw.pendingActivities ?? [];
      const failing = pending.map((a) => `${a.activityType?.name}: ${a.lastFailure?.message ?? 'pending'}`).join('; ');
      throw new Error(`${dossierId} did not reach ${status}: it is ${last?.status} (${failing || 'no pending call'})`, { cause: error });
    }
  }

  function task(token: string, dossierId: string, step: string): Promise<TaskView> {
    return eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(token)).query({ limit: 500 });
      return (res.body as TaskView[]).find((x) => x.dossierId === dossierId && x.step === step);
    }, 30_000);
  }

  async function complete(token: string, taskId: string, body: object): Promise<void> {
    const res = await request(app).post(`/api/v1/tasks/${taskId}/complete`).set(bearer(token)).send(body);
    if (res.status !== 200) throw new Error(`completing ${taskId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  /** Opens a case and has the officer confirm it: resolves once the owner is asked to answer. */
  async function noticed(body = evidence()): Promise<string> {
    const dossierId = await open(body);
    await complete(t.officer, (await task(t.officer, dossierId, 'confirm')).taskId, { outcome: 'confirm' });
    await waitForStatus(dossierId, 'awaiting-response');
    return dossierId;
  }

  function respond(token: string, dossierId: string, body: object, key?: string) {
    const req = request(app).post(`/api/v1/dossiers/${dossierId}/respond`).set(bearer(token));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  }

  // ------------------------------------------------------------------------------------------

  it('evidence opens a case; the officer confirms; the owner sees the notice, pays once, and the case closes', async () => {
    const body = evidence();
    const first = await post(t.camera, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ procedure: 'traffic-fine', status: 'received', unitCode: 'HCMC-PC08', created: true });
    const dossierId = first.body.dossierId as string;
    expect(dossierId).toMatch(/^TFN-\d{6}-[0-9A-Z]{6}$/);
    // The notice is due 10 calendar days after the capture date, at 17:00 local.
    const captured = new Date(new Date(body.capturedAt).getTime() + 7 * 3600_000);
    captured.setUTCDate(captured.getUTCDate() + 10);
    expect(first.body.dueAt).toBe(`${captured.toISOString().slice(0, 10)}T10:00:00.000Z`);

    // The same evidence again (the plate written another way): the same case, nothing new.
    const again = await post(t.camera, { ...body, plateNumber: '51f 12345', evidence: [...body.evidence].reverse() });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ dossierId, created: false });

    const confirm = await task(t.officer, dossierId, 'confirm');
    expect(confirm).toMatchObject({ unitCode: 'HCMC-PC08', outcomes: ['confirm', 'dismiss'] });
    // Before the notice, the owner does not see the case.
    expect((await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.an))).status).toBe(404);
    await complete(t.officer, confirm.taskId, { outcome: 'confirm' });
    const waiting = await waitForStatus(dossierId, 'awaiting-response');
    expect(waiting.awaiting).toMatchObject({ kind: 'respond', round: 1 });

    // The owner sees it among their dossiers; another citizen gets 404.
    const mine = await request(app).get('/api/v1/dossiers').set(bearer(t.an)).query({ procedure: 'traffic-fine' }).expect(200);
    expect((mine.body as DossierView[]).map((d) => d.dossierId)).toContain(dossierId);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.ngoc)), 404);
    expectProblem(await respond(t.ngoc, dossierId, { action: 'accept', payBy: new Date().toISOString().slice(0, 10) }), 404);
    const theirs = await request(app).get('/api/v1/dossiers').set(bearer(t.ngoc)).expect(200);
    expect((theirs.body as DossierView[]).map((d) => d.dossierId)).not.toContain(dossierId);

    // The notice is a document with a verification code, and the owner got it by mail.
    const notice = waiting.history.find((h) => h.outcome === 'notice-issued')!;
    // The history's note in Vietnamese (the default reader's): the violation by its name, the fine in đồng.
    const code = /^Thông báo mã xác thực ([0-9A-Z-]{14}): /.exec(notice.note ?? '')![1]!;
    expect(notice.note).toBe(`Thông báo mã xác thực ${code}: ${RED_LIGHT_CAR}, mức phạt 19.000.000 ₫`);
    expect((await request(app).get(`/api/v1/documents/${code}/verify`).expect(200)).body).toMatchObject({ valid: true, kind: 'traffic-fine/notice', dossierId });
    // The owner never said what they read: Vietnamese. The violation by its name (the fines table's), not
    // its code; the fine in đồng; moments day first; the answer on the portal, the check on /verify.
    const mail = await env.smtp.waitFor((m) => m.to.includes('nguyen.van.an@example.com') && m.subject === `Thông báo vi phạm giao thông ${dossierId}: 19.000.000 ₫`);
    expect(mail.text).toMatch(new RegExp(`^Phương tiện của bạn bị ghi nhận vi phạm lúc \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d \\(GMT\\+7\\): ${RED_LIGHT_CAR}\\.`));
    expect(mail.text).toContain(`Mức phạt: 19.000.000 ₫. Mã xác thực thông báo ${code}: http://procedures.test/verify/${code}`);
    expect(mail.text).toContain(` tại http://procedures.test/portal/dossiers/${dossierId}: chấp nhận, khiếu nại hoặc nộp phạt.`);
    expect(mail.text).not.toContain('RED-LIGHT-CAR');
    expect((await request(app).get(`/verify/${code}`).expect(200)).text).toContain(code);

    // A wrong amount is 422; a payment needs a key; the right one is charged once, however often retried.
    expectProblem(await respond(t.an, dossierId, { action: 'pay', amount: 1_000 }, 'pay-1'), 422);
    expectInvalid(await respond(t.an, dossierId, { action: 'pay', amount: FINE['RED-LIGHT-CAR'] }), ['header.Idempotency-Key']);
    const key = `pay-${randomUUID()}`;
    const [paid, retried] = await Promise.all([
      respond(t.an, dossierId, { action: 'pay', amount: FINE['RED-LIGHT-CAR'] }, key),
      respond(t.an, dossierId, { action: 'pay', amount: FINE['RED-LIGHT-CAR'] }, key),
    ]);
    expect([paid.status, retried.status]).toEqual([200, 200]);
    expect(paid.body).toMatchObject({ dossierId, payment: { amount: FINE['RED-LIGHT-CAR'] }, balance: 0 });
    expect(retried.body.payment.paymentId).toBe(paid.body.payment.paymentId);
    const closed = await waitForStatus(dossierId, 'paid');
    expect(closed.result).toMatchObject({ paid: true, amount: FINE['RED-LIGHT-CAR'], balance: 0 });
    const later = await respond(t.an, dossierId, { action: 'pay', amount: FINE['RED-LIGHT-CAR'] }, key);
    expect(later.status).toBe(200);
    expect(later.body.payment.paymentId).toBe(paid.body.payment.paymentId);
    expect(await env.prisma.payment.count({ where: { dossierId } })).toBe(1);
    // Payments are append-only.
    await expect(env.prisma.payment.updateMany({ where: { dossierId }, data: { amount: 1 } })).rejects.toThrow(/append-only/);
    expectProblem(await respond(t.an, dossierId, { action: 'dispute', reason: 'Không phải xe tôi' }), 409);
  });

  it('only system and officer may post evidence', async () => {
    for (const token of [t.an, t.clerk, t.inspector, t.supervisor]) expectProblem(await post(token, evidence()), 403);
    expectProblem(await request(app).post('/api/v1/violations').send(evidence()), 401);
    const officerPosts = await post(t.officer, evidence());
    expect(officerPosts.status).toBe(201);
    expectInvalid(await post(t.camera, evidence({ violationCode: 'NOT-A-CODE', location: { unitCode: 'HCMC-PC08', description: 'x' } })), [
      'location.description',
    ]);
    expectInvalid(await post(t.camera, evidence({ violationCode: 'NOT-A-CODE', location: { unitCode: 'HCMC-PC08', description: 'Lê Lợi' } })), [
      'location.unitCode',
      'violationCode',
    ]);
  });

  it('an owner living under another ward: its police get a task to deliver the notice', async () => {
    const dossierId = await noticed(evidence({ plateNumber: PLATE.tuan, violationCode: 'WRONG-LANE-CAR' }));
    const delivery = await task(t.wardOfficer, dossierId, 'deliver-notice');
    expect(delivery).toMatchObject({ unitCode: 'W-THU-DAU-MOT', outcomes: ['delivered', 'not-delivered'] });
    // The ward's officer sees the case it has a task on; the ward's clerk neither acts on the
    // officer's step nor sees the case or its notice (an outside tester's clerk did both).
    expect((await getDossier(t.wardOfficer, dossierId)).status).toBe('awaiting-response');
    const asClerk = (action: string, body?: object) => {
      const req = request(app).post(`/api/v1/tasks/${delivery.taskId}/${action}`).set(bearer(t.wardClerk));
      return body ? req.send(body) : req;
    };
    for (const res of [await asClerk('claim'), await asClerk('complete', { outcome: 'delivered' }), await asClerk('release')]) expectProblem(res, 403);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.wardClerk)), 404);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.wardClerk)), 404);
    const clerkInbox = await request(app).get('/api/v1/tasks').set(bearer(t.wardClerk)).expect(200);
    expect((clerkInbox.body as TaskView[]).map((x) => x.taskId)).not.toContain(delivery.taskId);
    await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.wardOfficer)).expect(200);
    await complete(t.wardOfficer, delivery.taskId, { outcome: 'delivered' });
    const dossier = await getDossier(t.tuan, dossierId);
    expect(dossier.history.map((h) => `${h.step}/${h.outcome}`)).toContain('deliver-notice/delivered');
  });

  it('a missing plate opens a task to read it; an unregistered vehicle a task to find the owner', async () => {
    const unread = await open(evidence({ plateNumber: undefined }));
    const read = await task(t.officer, unread, 'read-plate');
    expect((await waitForStatus(unread, 'reading-plate')).awaiting).toBeNull();
    expectProblem(await request(app).post(`/api/v1/tasks/${read.taskId}/complete`).set(bearer(t.officer)).send({ outcome: 'read', data: { plateNumber: '12345' } }), 400);
    await complete(t.officer, read.taskId, { outcome: 'read', data: { plateNumber: '30A 999 99' } });
    await complete(t.officer, (await task(t.officer, unread, 'confirm')).taskId, { outcome: 'confirm' });
    const find = await task(t.officer, unread, 'find-owner');
    expect((await getDossier(t.officer, unread)).history.map((h) => h.outcome)).toContain('unregistered-vehicle');
    await complete(t.officer, find.taskId, { outcome: 'dismiss', data: { reason: 'Xe mang biển số giả, chuyển điều tra' } });
    expect((await waitForStatus(unread, 'dismissed')).result).toMatchObject({ dismissed: true });
  });

  it('unanswered: published with no personal data and flagged for inspection until paid', async () => {
    // An operator's setting: no time at all to answer, so the notice is unanswered at once.
    const where = { procedure_step: { procedure: 'traffic-fine', step: 'response' } };
    const setting = await env.prisma.deadlineSetting.findUniqueOrThrow({ where });
    await env.prisma.deadlineSetting.update({ where, data: { workingDays: 0, cutoffTime: '00:00', endOfDayTime: '00:00', remindBeforeMinutes: 0 } });
    let dossierId: string;
    try {
      dossierId = await open(evidence({ plateNumber: PLATE.ngoc, violationCode: 'RED-LIGHT-MOTORBIKE' }));
      await complete(t.officer, (await task(t.officer, dossierId, 'confirm')).taskId, { outcome: 'confirm' });
      await waitForStatus(dossierId, 'published');
    } finally {
      await env.prisma.deadlineSetting.update({ where, data: setting });
    }
    const history = (await getDossier(t.ngoc, dossierId)).history.map((h) => `${h.step}/${h.outcome}`);
    expect(history).toEqual(expect.arrayContaining(['publish/published', 'publish/flagged']));

    const list = await request(app).get('/api/v1/violations/published').expect(200);
    const entry = (list.body as Array<Record<string, unknown>>).find((e) => e.plateNumber === PLATE.ngoc);
    expect(entry).toEqual({ plateNumber: PLATE.ngoc, violationCode: 'RED-LIGHT-MOTORBIKE', violation: expect.any(String), capturedAt: expect.any(String), publishedAt: expect.any(String) });
    const personal = PERSONS.flatMap((p) => [p.pin, p.fullName, p.dateOfBirth, p.address, ...(p.email ? [p.email] : [])]);
    expect(personal.filter((value) => list.text.includes(value))).toEqual([]);

    const flag = () => request(app).get(`/api/v1/vehicles/${encodeURIComponent('59x3 456.78')}/inspection-flag`);
    expect((await flag().set(bearer(t.inspector)).expect(200)).body).toEqual({ plateNumber: PLATE.ngoc, flagged: true, since: expect.any(String), dossierIds: [dossierId] });
    expect((await flag().set(bearer(t.camera)).expect(200)).body.flagged).toBe(true);
    for (const token of [t.ngoc, t.clerk, t.officer]) expectProblem(await flag().set(bearer(token)), 403);
    expectProblem(await flag(), 401);
    expect((await env.prisma.vehicle.findUniqueOrThrow({ where: { plateNumber: PLATE.ngoc } })).flaggedAt).not.toBeNull();

    // Published: only paying settles it now.
    expectProblem(await respond(t.ngoc, dossierId, { action: 'accept', payBy: new Date().toISOString().slice(0, 10) }), 422);
    const paid = await respond(t.ngoc, dossierId, { action: 'pay', amount: 5_000_000 }, `pay-${randomUUID()}`);
    expect(paid.status).toBe(200);
    const closed = await waitForStatus(dossierId, 'paid');
    expect(closed.history.map((h) => `${h.step}/${h.outcome}`)).toEqual(expect.arrayContaining(['close/unpublished', 'close/flag-lifted']));
    expect((await flag().set(bearer(t.inspector)).expect(200)).body).toEqual({ plateNumber: PLATE.ngoc, flagged: false, dossierIds: [] });
    const after = await request(app).get('/api/v1/violations/published').expect(200);
    expect((after.body as Array<{ plateNumber: string }>).map((e) => e.plateNumber)).not.toContain(PLATE.ngoc);
    expect((await env.prisma.vehicle.findUniqueOrThrow({ where: { plateNumber: PLATE.ngoc } })).flaggedAt).toBeNull();
  });

  describe('batches', () => {
    function batch(token: string, items: unknown[]) {
      return request(app).post('/api/v1/violations/batch').set(bearer(token)).send({ items });
    }
    /** Distinct evidence: fresh images, plates of the registry. */
    const many = (n: number) => Array.from({ length: n }, (_, i) => evidence({ plateNumber: Object.values(PLATE)[i % 3] }));

    // First: its cases reach their tasks before the thousand below queue up on the worker.
    it('two identical batches at once create each case once, and each case has one workflow', async () => {
      const items = many(100);
      const before = await env.prisma.violation.count();
      const [a, b] = await Promise.all([batch(t.camera, items), batch(t.officer, items)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.created + b.body.created).toBe(100);
      expect(a.body.existing + b.body.existing).toBe(100);
      const pairs = (a.body.items as Array<{ dossierId: string; status: string }>).map((item, i) => [item, b.body.items[i]] as const);
      for (const [x, y] of pairs) {
        expect(y.dossierId).toBe(x.dossierId);
        expect([x.status, y.status].sort()).toEqual(['created', 'existing']);
      }
      expect(await env.prisma.violation.count()).toBe(before + 100);
      // Every case reaches its officer's task, once.
      const dossierIds = pairs.map(([x]) => x.dossierId);
      await eventually(async () => ((await env.prisma.task.count({ where: { dossierId: { in: dossierIds }, step: 'confirm' } })) === 100 ? true : undefined), 120_000, 500);
      expect(await env.prisma.task.count({ where: { dossierId: { in: dossierIds } } })).toBe(100);
    }, 300_000);

    it('1,000 items with 3 bad ones: 997 accepted, the 3 rejected with reasons; the same batch again creates nothing', async () => {
      const items: unknown[] = many(1000);
      items[10] = { ...(items[10] as object), capturedAt: 'yesterday morning' };
      items[500] = { ...(items[500] as object), violationCode: 'NO-SUCH-VIOLATION' };
      items[999] = { ...(items[999] as object), evidence: [], source: undefined };
      const before = await env.prisma.violation.count();

      const res = await batch(t.camera, items);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ received: 1000, created: 997, existing: 0, rejected: 3 });
      const rejected = (res.body.items as Array<{ index: number; status: string; errors?: Array<{ path: string }> }>).filter((i) => i.status === 'rejected');
      expect(rejected.map((i) => [i.index, i.errors!.map((e) => e.path).sort()])).toEqual([
        [10, ['items.10.capturedAt']],
        [500, ['items.500.violationCode']],
        [999, ['items.999.evidence', 'items.999.source']],
      ]);
      expect(await env.prisma.violation.count()).toBe(before + 997);
      const ids = (res.body.items as Array<{ dossierId?: string }>).map((i) => i.dossierId);
      expect(new Set(ids.filter(Boolean)).size).toBe(997);

      const again = await batch(t.camera, items);
      expect(again.body).toMatchObject({ received: 1000, created: 0, existing: 997, rejected: 3 });
      expect((again.body.items as Array<{ dossierId?: string }>).map((i) => i.dossierId)).toEqual(ids);
      expect(await env.prisma.violation.count()).toBe(before + 997);
      expect(await env.prisma.dossier.count({ where: { procedure: 'traffic-fine' } })).toBe(await env.prisma.violation.count());
    }, 300_000);

    it('more than 1,000 items is a 400 that creates nothing; only system and officer may post', async () => {
      const before = await env.prisma.violation.count();
      expectInvalid(await batch(t.camera, many(1001)), ['items']);
      expectInvalid(await batch(t.camera, []), ['items']);
      expect(await env.prisma.violation.count()).toBe(before);
      for (const token of [t.an, t.clerk, t.supervisor, t.inspector]) expectProblem(await batch(token, many(1)), 403);
    });
  });
});
