import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { loadConfig } from '../../common/config';
import { seedDemoData } from '../../prisma/seed';
import { storeDevMail } from '../../system/dev-mailbox';
import { startEmbeddedSmtp, type EmbeddedSmtp } from '../../system/embedded-smtp';
import { createMailer } from '../../system/mailer';
import { readinessChecks } from '../../system/readiness';
import { startIntegrationEnv, testLogger, type IntegrationEnv } from '../support/integration';

// The API skeleton over HTTP, with real PostgreSQL, Temporal dev server and SMTP behind it.
describe('API skeleton', () => {
  let env: IntegrationEnv;
  let app: Express;
  const devConfig = loadConfig({ NODE_ENV: 'development' });

  beforeAll(async () => {
    env = await startIntegrationEnv();
    await seedDemoData(env.prisma);
    app = createApp({
      config: devConfig,
      logger: testLogger,
      prisma: env.prisma,
      temporal: env.temporal.client,
      readiness: readinessChecks({ temporal: env.temporal.client, prisma: env.prisma, mailer: env.mailer }),
    });
  });
  afterAll(() => env?.stop());

  async function tokenFor(claims: { sub: string; role: string; unit?: string }): Promise<string> {
    const res = await request(app).post('/api/v1/auth/dev-token').send(claims).expect(200);
    return res.body.token as string;
  }

  function expectProblem(res: request.Response, status: number) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  }

  describe('operations', () => {
    it('answers /healthz', async () => {
      await request(app).get('/healthz').expect(200, { status: 'ok' });
    });

    it('answers /readyz with every dependency reachable', async () => {
      const res = await request(app).get('/readyz').expect(200);
      expect(res.body).toEqual({
        status: 'ready',
        checks: { temporal: { ok: true }, database: { ok: true }, smtp: { ok: true } },
      });
    });

    it('reports /readyz 503 naming the dependency that does not answer', async () => {
      const deadMailer = createMailer('smtp://127.0.0.1:1');
      const degraded = createApp({
        config: devConfig,
        logger: testLogger,
        prisma: env.prisma,
        temporal: env.temporal.client,
        readiness: readinessChecks({ temporal: env.temporal.client, prisma: env.prisma, mailer: deadMailer }),
      });
      const res = await request(degraded).get('/readyz').expect(503);
      expect(res.body.status).toBe('not-ready');
      expect(res.body.checks.smtp).toMatchObject({ ok: false, error: expect.any(String) });
      expect(res.body.checks.database).toEqual({ ok: true });
    });

    it('exposes Prometheus metrics, counting requests by route pattern', async () => {
      await request(app).get('/healthz');
      const res = await request(app).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
      expect(res.text).toContain('process_cpu_user_seconds_total');
    });
  });

  describe('problems', () => {
    it('answers an unknown route with a 404 problem', async () => {
      const res = await request(app).get('/api/v1/no-such-thing');
      expectProblem(res, 404);
    });

    it('answers malformed JSON with 400, not 500', async () => {
      const res = await request(app).post('/api/v1/auth/dev-token').set('content-type', 'application/json').set('Accept-Language', 'en').send('{"sub": ');
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ path: '(body)', message: 'malformed JSON' }]);
    });

    it('answers a body over 1 MiB with 413', async () => {
      const huge = JSON.stringify({ sub: 'x'.repeat(1024 * 1024 + 10), role: 'system' });
      const res = await request(app).post('/api/v1/auth/dev-token').set('content-type', 'application/json').send(huge);
      expectProblem(res, 413);
    });

    it('names every bad field of an invalid body', async () => {
      const res = await request(app).post('/api/v1/auth/dev-token').send({ sub: '', role: 'clerk', unit: 'lower case' });
      expectProblem(res, 400);
      const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
      expect(paths).toEqual(['sub', 'unit']);
      // The role decides which fields apply: an unknown one is named alone.
      const mayor = await request(app).post('/api/v1/auth/dev-token').send({ sub: 'abc', role: 'mayor', unit: 'lower case' });
      expect(mayor.body.errors).toEqual([expect.objectContaining({ path: 'role' })]);
    });

    it('rejects a citizen token whose sub is not a 12-digit PIN, and staff without a unit', async () => {
      const citizen = await request(app).post('/api/v1/auth/dev-token').send({ sub: '12345', role: 'citizen' });
      expectProblem(citizen, 400);
      expect(citizen.body.errors).toEqual([expect.objectContaining({ path: 'sub' })]);
      const clerk = await request(app).post('/api/v1/auth/dev-token').set('Accept-Language', 'en').send({ sub: 'clerk.x', role: 'clerk' });
      expect(clerk.body.errors).toEqual([expect.objectContaining({ path: 'unit', message: expect.stringMatching(/unit is required/) })]);
      const citizenWithUnit = await request(app).post('/api/v1/auth/dev-token').send({ sub: '079088004127', role: 'citizen', unit: 'W-BEN-THANH' });
      expect(citizenWithUnit.body.errors).toEqual([expect.objectContaining({ path: 'unit' })]);
    });

    it('answers a missing body with 400 naming the body', async () => {
      const res = await request(app).post('/api/v1/auth/dev-token');
      expectProblem(res, 400);
      expect(res.body.errors[0].path).toBe('(body)');
    });
  });

  describe('authentication and scopes', () => {
    it('401 without a token, with a malformed token, and with a token signed by someone else', async () => {
      expectProblem(await request(app).get('/api/v1/me'), 401);
      expectProblem(await request(app).get('/api/v1/me').set('authorization', 'Bearer not-a-jwt'), 401);
      const foreign = createApp({
        config: { ...devConfig, auth: { secret: 'another-secret-of-at-least-thirty-two-characters' } },
        logger: testLogger,
        prisma: env.prisma,
        temporal: env.temporal.client,
        readiness: {},
      });
      const { body } = await request(foreign).post('/api/v1/auth/dev-token').send({ sub: '079088004127', role: 'citizen' });
      const res = await request(app).get('/api/v1/me').set('authorization', `Bearer ${body.token}`);
      expectProblem(res, 401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('tells a citizen who they are, with no unit to act for', async () => {
      const token = await tokenFor({ sub: '079088004127', role: 'citizen' });
      const res = await request(app).get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(200);
      // Vietnamese until they choose otherwise (PUT /me/language).
      expect(res.body).toEqual({ sub: '079088004127', role: 'citizen', actsFor: [], language: 'vi' });
    });

    it('scopes a clerk to their unit and a supervisor to the subtree below theirs', async () => {
      const clerk = await tokenFor({ sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' });
      const me = await request(app).get('/api/v1/me').set('authorization', `Bearer ${clerk}`).expect(200);
      expect(me.body.actsFor).toEqual(['W-BEN-THANH']);

      const citySupervisor = await tokenFor({ sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' });
      const units = await request(app).get('/api/v1/units').set('authorization', `Bearer ${citySupervisor}`).expect(200);
      const all = await env.prisma.unit.count();
      expect(units.body).toHaveLength(all);

      const police = await tokenFor({ sub: 'supervisor.hcmc-ca', role: 'supervisor', unit: 'HCMC-CA' });
      const policeUnits = await request(app).get('/api/v1/units').set('authorization', `Bearer ${police}`).expect(200);
      const codes = (policeUnits.body as Array<{ code: string }>).map((u) => u.code);
      expect(codes).toEqual(expect.arrayContaining(['HCMC-CA', 'HCMC-PC08']));
      expect(codes).not.toContain('W-BEN-THANH');
    });

    it('403 when a citizen calls a staff endpoint, or staff name a unit that does not exist; a citizen reads every unit (to file at)', async () => {
      const citizen = await tokenFor({ sub: '079088004127', role: 'citizen' });
      expectProblem(await request(app).get('/api/v1/staff').set('authorization', `Bearer ${citizen}`), 403);
      const units = await request(app).get('/api/v1/units').set('authorization', `Bearer ${citizen}`).expect(200);
      expect(units.body).toHaveLength(await env.prisma.unit.count());
      const ghost = await tokenFor({ sub: 'clerk.ghost', role: 'clerk', unit: 'W-NOWHERE' });
      expectProblem(await request(app).get('/api/v1/units').set('authorization', `Bearer ${ghost}`), 403);
    });
  });

  describe('OpenAPI', () => {
    it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
      const res = await request(app).get('/api/v1/openapi.json').expect(200);
      expect(res.body.openapi).toBe('3.1.0');
      expect(res.body.servers).toEqual([{ url: '/' }]);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining(['/healthz', '/readyz', '/metrics', '/api/v1/auth/dev-token', '/api/v1/me', '/api/v1/dev/mailbox']),
      );
      const devToken = res.body.paths['/api/v1/auth/dev-token'].post;
      expect(devToken.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DevTokenRequest' });
      const branches = res.body.components.schemas.DevTokenRequest.oneOf as Array<{ properties: { role: { enum: string[] } } }>;
      expect(branches.flatMap((b) => b.properties.role.enum)).toEqual(['citizen', 'clerk', 'officer', 'supervisor', 'inspector', 'system', 'administrator']);
      expect(devToken.responses['400'].content['application/problem+json']).toBeDefined();
    });

    it('serves a readable docs page', async () => {
      const res = await request(app).get('/api/v1/docs/').expect(200);
      expect(res.text).toContain('swagger-ui');
    });
  });

  describe('dev mode', () => {
    let mailbox: EmbeddedSmtp;

    beforeAll(async () => {
      mailbox = await startEmbeddedSmtp({ port: 0, onMail: storeDevMail(env.prisma) });
    });
    afterAll(() => mailbox?.stop());

    it('lists the demo identities and records from the database', async () => {
      const res = await request(app).get('/api/v1/dev/demo').expect(200);
      expect(res.body.citizens.length).toBeGreaterThan(5);
      expect(res.body.citizens[0]).toEqual(expect.objectContaining({ pin: expect.stringMatching(/^\d{12}$/) }));
      expect(Object.keys(res.body.civilStatusRecords).sort()).toEqual(['BIRTH', 'DEATH', 'MARRIAGE', 'PARENT_CHILD_RECOGNITION']);
      expect(res.body.staff.length).toBeGreaterThan(0);
    });

    it('shows mail the embedded SMTP server received, newest first, filtered by recipient', async () => {
      const mailer = createMailer(mailbox.url);
      await mailer.sendMail({ from: 'a@city.example', to: 'Dev.Reader@example.com', subject: 'first', text: 'one' });
      await mailer.sendMail({ from: 'a@city.example', to: 'dev.reader@example.com', subject: 'second', text: 'two' });
      await mailer.sendMail({ from: 'a@city.example', to: 'someone.else@example.com', subject: 'other', text: 'x' });
      mailer.close();

      const res = await request(app).get('/api/v1/dev/mailbox').query({ to: 'dev.reader@example.com' }).expect(200);
      expect(res.body.map((m: { subject: string }) => m.subject)).toEqual(['second', 'first']);
      expect(res.body[0]).toEqual({
        from: 'a@city.example',
        to: ['dev.reader@example.com'],
        subject: 'second',
        text: 'two\n',
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    });

    it('rejects a mailbox filter that is not an address', async () => {
      const res = await request(app).get('/api/v1/dev/mailbox').query({ to: 'nobody', limit: 'many' });
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.limit', 'query.to']);
    });

    it('has no dev endpoints in production mode', async () => {
      const production = createApp({
        config: loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-32-characters!!', PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, DOCUMENT_SIGNING_KEYS: `k1:${Buffer.alloc(32, 2).toString('base64')}` }),
        logger: testLogger,
        prisma: env.prisma,
        temporal: env.temporal.client,
        readiness: {},
      });
      expectProblem(await request(production).post('/api/v1/auth/dev-token').send({ sub: 'x', role: 'system' }), 404);
      expectProblem(await request(production).get('/api/v1/dev/demo'), 404);
      expectProblem(await request(production).get('/api/v1/dev/mailbox'), 404);
      await request(production).get('/healthz').expect(200);
    });
  });
});
