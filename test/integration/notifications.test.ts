import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { bearer, eventually, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// A mail the server refuses for good (here: an address longer than SMTP allows) is an undeliverable
// notification, not an outage: the dossier goes on, and cancelling it answers at once.

describe('undeliverable notifications', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'an' | 'clerk', string>;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, { an: { sub: '079088004127', role: 'citizen' }, clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' } });
  });
  afterAll(() => env?.stop());

  it('files, cancels and closes a dossier whose contact address the mail server refuses', async () => {
    const contactEmail = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.vn`; // 254 characters
    expect(contactEmail).toHaveLength(254);
    const filed = await request(app)
      .post('/api/v1/dossiers')
      .set(bearer(t.an))
      .set('Idempotency-Key', randomUUID())
      .send({ procedure: 'civil-status-extract', unitCode: 'W-BEN-THANH', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', contactEmail } })
      .expect(201);
    const dossierId = filed.body.dossierId as string;
    await eventually(async () => ((await request(app).get('/api/v1/tasks').set(bearer(t.clerk))).body as Array<{ dossierId: string }>).find((x) => x.dossierId === dossierId));
    const cancelled = await request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.an)).send({}).timeout(15_000);
    expect(cancelled.body).toEqual({ dossierId, status: 'cancelled' });
    await env.temporal.client.workflow.getHandle(dossierId).result();
    expect(env.smtp.mails.filter((m) => m.to.includes(contactEmail))).toEqual([]);
  }, 60_000);
});
