import { randomInt, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import { businessRegistration } from '../../procedures/business-registration/definition';
import { bearer, eventually, expectInvalid, expectProblem, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// Business registration (procedures/business-registration/README.md) through the public HTTP contract, with the real worker,
// Temporal dev server, PostgreSQL and SMTP behind it.

const PIN = {
  huong: '079179006018', // Đỗ Thị Thanh Hương, founder and legal representative of the example
  an: '079088004127', // Nguyễn Văn An, second founder of the example
  ngoc: '079190012583', // Trần Thị Bích Ngọc: no part in these businesses
  unknown: '079099999999', // not in the population data
} as const;
const EMAIL = { huong: 'do.thanh.huong@example.com' } as const;

interface TaskView {
  taskId: string;
  dossierId: string;
  step: string;
  unitCode: string;
  status: string;
  outcomes: string[];
  context: Record<string, unknown> | null;
}

interface DossierView {
  dossierId: string;
  status: string;
  dueAt: string;
  history: Array<{ step: string; actor: string; outcome: string; note: string | null }>;
  result: Record<string, unknown> | null;
  awaiting: { kind: string; items: Array<{ field: string; problem: string }>; dueAt: string; round: number } | null;
}

type Filing = typeof businessRegistration.example.body.data;

// Names that differ by letters (not by a number), so they never conflict with one another.
const LETTERS = 'ABCDEGHIKLMNOPQRSTUVXY';
const freshName = () => `Công ty TNHH Cà phê ${Array.from({ length: 8 }, () => LETTERS[randomInt(LETTERS.length)]).join('')}`;

describe('business registration over HTTP', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'huong' | 'an' | 'ngoc' | 'clerkDof' | 'clerkSaiGon' | 'supervisorDof', string>;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, {
      huong: { sub: PIN.huong, role: 'citizen' },
      an: { sub: PIN.an, role: 'citizen' },
      ngoc: { sub: PIN.ngoc, role: 'citizen' },
      clerkDof: { sub: 'clerk.hcmc-dof', role: 'clerk', unit: 'HCMC-DOF' },
      clerkSaiGon: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      supervisorDof: { sub: 'supervisor.hcmc-dof', role: 'supervisor', unit: 'HCMC-DOF' },
    });
  });
  afterAll(() => env?.stop());

  // ------------------------------------------------------------------------------------------
  // helpers

  function filing(data: Partial<Filing> = {}) {
    return { ...businessRegistration.example.body, data: { ...businessRegistration.example.body.data, proposedName: freshName(), ...data } };
  }

  function file(token: string, body: unknown) {
    // Mails go in the filer's language (Vietnamese by default): these tests read the English ones.
    return request(app).post('/api/v1/dossiers').set(bearer(token)).set('Idempotency-Key', randomUUID()).set('Accept-Language', 'en').send(body as object);
  }

  async function fileOk(token: string, body: unknown): Promise<string> {
    const res = await file(token, body);
    if (res.status !== 201) throw new Error(`filing answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.dossierId as string;
  }

  async function getDossier(token: string, dossierId: string): Promise<DossierView> {
    const res = await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(token));
    if (res.status !== 200) throw new Error(`GET /dossiers/${dossierId} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as DossierView;
  }

  function waitForStatus(dossierId: string, status: string, timeoutMs = 20_000): Promise<DossierView> {
    return eventually(async () => {
      const dossier = await getDossier(t.huong, dossierId);
      return dossier.status === status ? dossier : undefined;
    }, timeoutMs);
  }

  /** The open review task of the dossier (the `round`-th one: a supplement opens a new one). */
  function waitForReview(dossierId: string, round = 1): Promise<TaskView> {
    return eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(t.clerkDof));
      return (res.body as TaskView[]).find((task) => task.dossierId === dossierId && task.step === 'review' && task.taskId === `${dossierId}-T${round}`);
    });
  }

  function complete(token: string, taskId: string, body: Record<string, unknown>) {
    return request(app).post(`/api/v1/tasks/${taskId}/complete`).set(bearer(token)).send(body);
  }

  function supplement(token: string, dossierId: string, data: Record<string, unknown>) {
    return request(app).post(`/api/v1/dossiers/${dossierId}/supplement`).set(bearer(token)).send({ data });
  }

  // ------------------------------------------------------------------------------------------

  it('a founder files, the clerk asks for a supplement, the founder answers, the clerk approves, the certificate verifies', async () => {
    const filedAt = performance.now();
    const dossierId = await fileOk(t.huong, filing());
    expect(dossierId).toMatch(/^BRG-\d{6}-[0-9A-Z]{6}$/);

    const review = await waitForReview(dossierId);
    console.log(`business registration: filing (201) → review task in GET /tasks: ${Math.round(performance.now() - filedAt)} ms`);
    expect(review).toMatchObject({ unitCode: 'HCMC-DOF', status: 'open', outcomes: ['approve', 'request-supplement', 'refuse'] });
    expect(review.context).toMatchObject({ nameConflicts: [] });
    await env.smtp.waitFor((m) => m.to.includes(EMAIL.huong) && m.subject === `Dossier ${dossierId} received`);

    // The co-founder sees the dossier; a stranger does not; another unit's clerk finds no such task.
    await getDossier(t.an, dossierId);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.ngoc)), 404);
    expectProblem(await request(app).post(`/api/v1/tasks/${review.taskId}/claim`).set(bearer(t.clerkSaiGon)), 404);

    // A supplement request must name the filing's fields.
    expectInvalid(await complete(t.clerkDof, review.taskId, { outcome: 'request-supplement', data: { items: [{ field: 'nickname', problem: 'x' }] } }), [
      'data.items.0.field',
      'data.items.0.problem',
    ]);
    expect(
      (await complete(t.clerkDof, review.taskId, { outcome: 'request-supplement', data: { items: [{ field: 'proposedName', problem: 'Too close to an existing brand' }] } }))
        .status,
    ).toBe(200);

    const waiting = await waitForStatus(dossierId, 'awaiting-supplement');
    expect(waiting.awaiting).toMatchObject({ kind: 'supplement', round: 1, items: [{ field: 'proposedName', problem: 'Too close to an existing brand' }] });
    const answerDays = (Date.parse(waiting.awaiting!.dueAt) - Date.now()) / 86_400_000;
    expect(answerDays).toBeGreaterThan(59);
    expect(answerDays).toBeLessThan(61.1);
    const request1 = await env.smtp.waitFor((m) => m.to.includes(EMAIL.huong) && m.subject === `Dossier ${dossierId}: please supplement your application`);
    expect(request1.text).toContain('Proposed name (Too close to an existing brand)');

    // Only the fields asked for, valid as at filing, and only by the filer.
    expectInvalid(await supplement(t.huong, dossierId, { proposedName: 'x', charterCapital: 1 }), ['data.charterCapital']);
    expectInvalid(await supplement(t.huong, dossierId, { proposedName: ' ' }), ['data.proposedName']);
    expectProblem(await supplement(t.an, dossierId, { proposedName: freshName() }), 403);
    expectProblem(await supplement(t.ngoc, dossierId, { proposedName: freshName() }), 404);
    const newName = freshName();
    const answered = await supplement(t.huong, dossierId, { proposedName: newName });
    expect(answered.status).toBe(200);
    expectProblem(await supplement(t.huong, dossierId, { proposedName: freshName() }), 409);

    // A new round: reviewed again, with the clock restarted from the answer.
    const second = await waitForReview(dossierId, 2);
    expect((await complete(t.clerkDof, second.taskId, { outcome: 'approve' })).status).toBe(200);
    const registered = await waitForStatus(dossierId, 'registered');
    expect(registered.history.map((h) => h.outcome)).toEqual(
      expect.arrayContaining(['supplement-requested', 'supplement-received', 'registered', 'issued']),
    );
    expect(registered.awaiting).toBeNull();
    const { enterpriseCode, documentCode } = registered.result as { enterpriseCode: string; documentCode: string };
    expect(enterpriseCode).toMatch(/^\d{10}$/);

    const verified = await request(app).get(`/api/v1/documents/${documentCode}/verify`);
    expect(verified.body).toMatchObject({ valid: true, dossierId, kind: expect.stringMatching(/^business-registration\//) });
    const certificate = await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.huong));
    expect(JSON.stringify(certificate.body.content)).toContain(newName);
    const result = await env.smtp.waitFor((m) => m.to.includes(EMAIL.huong) && m.subject === `Dossier ${dossierId}: your business is registered`);
    expect(result.text).toContain(enterpriseCode);
  });

  it('shows the clerk a name that conflicts with a registered business', async () => {
    // "Công ty TNHH Thương mại Dịch vụ An Phát" (0312458796) is registered: another kind word, no accents, other case.
    const dossierId = await fileOk(t.huong, filing({ proposedName: 'CONG TY CO PHAN thuong mai - dich vu An Phat' }));
    const review = await waitForReview(dossierId);
    expect(review.context).toMatchObject({ nameConflicts: [expect.objectContaining({ enterpriseCode: '0312458796' })] });
    const dossier = await getDossier(t.clerkDof, dossierId);
    expect(dossier.history.find((h) => h.step === 'name-check')).toMatchObject({ outcome: 'conflict', note: expect.stringContaining('An Phát') });
    expect((await complete(t.clerkDof, review.taskId, { outcome: 'refuse', data: { reason: 'The name is taken' } })).status).toBe(200);
    await waitForStatus(dossierId, 'refused');
  });

  it('refuses a dossier whose founder is not in the population data, naming which one', async () => {
    const data = filing().data;
    const dossierId = await fileOk(t.huong, { ...filing(), data: { ...data, founders: [data.founders[0]!, { pin: PIN.unknown, capitalShare: 200_000_000 }] } });
    const refused = await waitForStatus(dossierId, 'refused');
    // The history in Vietnamese by default, whatever the filer reads.
    expect(refused.history.at(-1)?.note).toContain('người thành lập thứ 2 (số định danh kết thúc bằng 9999)');
  });

  it('answers 400 naming each bad field, 422 for rules, 409 when no supplement is awaited', async () => {
    const data = filing().data;
    expectInvalid(
      await file(t.huong, {
        ...filing(),
        data: { ...data, businessLines: ['5610', '9998'], headOffice: { unitCode: 'W-NOWHERE', street: '1 Lê Lợi' }, charterCapital: 1.5, founders: [{ pin: '123' }] },
      }),
      ['data.charterCapital', 'data.founders.0.pin'],
    );
    expectInvalid(await file(t.huong, { ...filing(), data: { ...data, businessLines: ['5610', '9998'], headOffice: { unitCode: 'W-NOWHERE', street: '1 Lê Lợi' } } }), [
      'data.businessLines.1',
      'data.headOffice.unitCode',
    ]);
    expectProblem(await file(t.ngoc, filing()), 422); // the filer is neither founder nor representative

    const dossierId = await fileOk(t.huong, filing());
    await waitForReview(dossierId);
    expectProblem(await supplement(t.huong, dossierId, { proposedName: freshName() }), 409);
    expectInvalid(await request(app).post(`/api/v1/dossiers/${dossierId}/supplement`).set(bearer(t.huong)).send({ answer: {} }), ['answer', 'data']);

    // The owner cancels while a supplement is awaited: the dossier closes, nothing is left open.
    const review = await waitForReview(dossierId);
    await complete(t.clerkDof, review.taskId, { outcome: 'request-supplement', data: { items: [{ field: 'businessLines', problem: 'Add the retail line' }] } });
    await waitForStatus(dossierId, 'awaiting-supplement');
    const cancelled = await request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.huong)).send({});
    expect(cancelled.body).toEqual({ dossierId, status: 'cancelled' });
    expect((await getDossier(t.huong, dossierId)).awaiting).toBeNull();
    expectProblem(await supplement(t.huong, dossierId, { businessLines: ['4711'] }), 409);
  });

  it("files every procedure's example from GET /dev/demo as it is, as the identity it names, where it names", async () => {
    const demo = await request(app).get('/api/v1/dev/demo');
    const examples = demo.body.examples as Record<string, { as: { sub: string; role: 'citizen' | 'system' }; path?: string; body: object }>;
    // The procedures in code, and those shipped as data (procedures/definitions/*.json).
    expect(Object.keys(examples).sort()).toEqual([
      'birth-registration',
      'business-registration',
      'civil-status-extract',
      'marital-status-certificate',
      'traffic-fine',
      'traffic-fine-batch',
    ]);
    for (const [procedure, example] of Object.entries(examples)) {
      const token = (await tokensFor(app, { who: example.as })).who;
      const res = await request(app).post(`/api/v1${example.path ?? '/dossiers'}`).set(bearer(token)).set('Idempotency-Key', randomUUID()).send(example.body);
      expect({ procedure, status: res.status }).toEqual({ procedure, status: procedure === 'traffic-fine-batch' ? 200 : 201 });
      // The batch repeats the single example (the same evidence: the same case) and adds two.
      if (procedure === 'traffic-fine-batch') expect(res.body).toMatchObject({ created: 2, existing: 1, rejected: 0 });
    }
  });

  it('gives 20 approvals at once 20 distinct enterprise codes', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => fileOk(t.huong, filing())));
    const reviews = await Promise.all(ids.map((id) => waitForReview(id)));
    const answers = await Promise.all(reviews.map((r) => complete(t.clerkDof, r.taskId, { outcome: 'approve' })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const done = await Promise.all(ids.map((id) => waitForStatus(id, 'registered', 60_000)));
    const codes = done.map((d) => (d.result as { enterpriseCode: string }).enterpriseCode);
    expect(new Set(codes).size).toBe(20);
    for (const code of codes) expect(code).toMatch(/^\d{10}$/);
  }, 120_000);
});
