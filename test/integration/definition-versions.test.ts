import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { bearer, eventually, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { changed, smallDocument } from '../support/procedure-document';

// A procedure published as data at run time, through the API, with the real worker, Temporal dev
// server, PostgreSQL and SMTP: filed against, worked to its document and counted without a restart;
// a second version published while the first one's dossiers run, which finish on it.

const CITIZEN = '079088004127'; // Nguyễn Văn An, in the population data
const WARD = 'W-BEN-THANH';
const ID = 'runtime-certificate';

describe('a procedure published at run time', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'admin' | 'citizen' | 'clerk' | 'supervisor', string>;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, {
      admin: { sub: 'admin.city', role: 'administrator' },
      citizen: { sub: CITIZEN, role: 'citizen' },
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: WARD },
      supervisor: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' },
    });
  });
  afterAll(() => env?.stop());

  const publish = (doc: unknown) => request(app).post('/api/v1/procedure-definitions').set(bearer(t.admin)).send(doc as object);

  async function file(): Promise<string> {
    return (await fileAnswer()).dossierId as string;
  }

  async function fileAnswer(): Promise<{ dossierId: string; dueAt: string }> {
    const res = await request(app)
      .post('/api/v1/dossiers')
      .set(bearer(t.citizen))
      .set('Idempotency-Key', randomUUID())
      .send({ procedure: ID, unitCode: WARD, data: { applicantPin: CITIZEN } });
    if (res.status !== 201) throw new Error(`filing answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { dossierId: string; dueAt: string };
  }

  async function openTask(dossierId: string): Promise<{ taskId: string; step: string }> {
    return eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(t.clerk));
      return (res.body as Array<{ taskId: string; step: string; dossierId: string; status: string }>).find((task) => task.dossierId === dossierId && task.status === 'open');
    });
  }

  async function approve(taskId: string): Promise<void> {
    await request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerk)).expect(200);
    await request(app).post(`/api/v1/tasks/${taskId}/complete`).set(bearer(t.clerk)).send({ outcome: 'approve' }).expect(200);
  }

  async function closed(dossierId: string): Promise<{ status: string; result: Record<string, unknown> | null; history: Array<{ step: string; outcome: string }> }> {
    return eventually(async () => {
      const res = await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.citizen));
      return res.body.status === 'issued' || res.body.status === 'refused' ? res.body : undefined;
    }, 30_000);
  }

  it('is not offered before it is published', async () => {
    const res = await request(app)
      .post('/api/v1/dossiers')
      .set(bearer(t.citizen))
      .set('Idempotency-Key', randomUUID())
      .send({ procedure: ID, unitCode: WARD, data: { applicantPin: CITIZEN } });
    expect(res.status).toBe(400);
  });

  it('once published, is filed against, worked to its document and counted, with no restart', async () => {
    await publish(smallDocument(ID, 1)).expect(201);

    const openapi = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(JSON.stringify(openapi.body.components.schemas.FileDossier)).toContain(ID);
    const catalog = await request(app).get('/api/v1/procedures').set(bearer(t.clerk)).expect(200);
    expect((catalog.body as Array<{ id: string; labels: { vi: Record<string, string> } }>).find((p) => p.id === ID)?.labels.vi[ID]).toBe('Giấy xác nhận thử nghiệm');

    const dossierId = await file();
    const task = await openTask(dossierId);
    expect(task.step).toBe('review');
    await approve(task.taskId);
    const dossier = await closed(dossierId);
    expect(dossier.status).toBe('issued');
    expect(dossier.result).toMatchObject({ documentCode: expect.any(String) });

    const stats = await request(app).get('/api/v1/supervision/stats').query({ procedure: ID }).set(bearer(t.supervisor)).expect(200);
    expect(stats.body.total).toMatchObject({ received: 1, completed: 1 });
  });

  it('keeps a dossier filed under version 1 on version 1 when version 2 is published, and files new ones under version 2', async () => {
    const onV1 = await file();
    const v1Task = await openTask(onV1);
    expect(v1Task.step).toBe('review');

    // Version 2 names its review step differently: which step a dossier's task is tells its version.
    const v1 = smallDocument(ID, 2);
    const { review, ...others } = v1.steps;
    // It also gives the office 20 working days instead of 3, and its review 10 instead of the same day.
    const renamed = changed({ ...v1, steps: { ...others, 'review-v2': { ...review, deadline: { mode: 'working-days', days: 10, remindBeforeMinutes: 240 } } } }, 'steps.verify.outcomes.verified.next', 'review-v2');
    const v2 = changed(changed(renamed, 'title.en', 'Test certificate, second version'), 'deadlines.dossier.days', 20);
    const v1Due = Date.parse((await request(app).get(`/api/v1/dossiers/${onV1}`).set(bearer(t.citizen)).expect(200)).body.dueAt);
    await publish(v2).expect(201);

    const filedOnV2 = await fileAnswer();
    const onV2 = filedOnV2.dossierId;
    expect((await openTask(onV2)).step).toBe('review-v2');
    // Version 2's deadlines count for its dossiers: 20 working days are at least 3 weeks more than 3.
    expect(Date.parse(filedOnV2.dueAt) - v1Due).toBeGreaterThan(21 * 86_400_000);
    const v2Task = (await request(app).get('/api/v1/tasks').set(bearer(t.clerk))).body.find((x: { dossierId: string }) => x.dossierId === onV2) as { dueAt: string };
    expect(Date.parse(v2Task.dueAt) - Date.now()).toBeGreaterThan(9 * 86_400_000);
    // The dossier filed under version 1 keeps version 1's.
    expect(Date.parse((await request(app).get(`/api/v1/dossiers/${onV1}`).set(bearer(t.citizen)).expect(200)).body.dueAt)).toBe(v1Due);

    await approve(v1Task.taskId);
    const finishedOnV1 = await closed(onV1);
    expect(finishedOnV1.status).toBe('issued');
    expect(finishedOnV1.history.some((h) => h.step === 'review' && h.outcome === 'approve')).toBe(true);
    expect(finishedOnV1.history.some((h) => h.step === 'review-v2')).toBe(false);

    const list = await request(app).get('/api/v1/procedure-definitions').query({ id: ID }).set(bearer(t.admin)).expect(200);
    expect((list.body as Array<{ version: number; latest: boolean }>).map((d) => [d.version, d.latest])).toEqual([
      [2, true],
      [1, false],
    ]);
  });
});
