import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import express, { type Express } from 'express';
import request from 'supertest';
import { consoleStatic } from '../../api/console-static';
import { receivedDossierRow } from '../../common/dossier-rows';
import { ensureConsoleBuild } from '../support/console-build';
import { bearer, expectInvalid, expectProblem, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// What the staff console reads beyond the public endpoints: outcome schemas, working time left, staff.
describe('console API', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'clerk' | 'otherClerk' | 'supervisor' | 'city' | 'citizen' | 'otherCitizen', string>;
  const DAY = 86_400_000;
  const dossierId = 'CSE-261127-CNSL01';

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    app = env.createApi();
    t = await tokensFor(app, {
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      otherClerk: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      supervisor: { sub: 'supervisor.w-ben-thanh', role: 'supervisor', unit: 'W-BEN-THANH' },
      city: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' },
      citizen: { sub: '079088004127', role: 'citizen' },
      otherCitizen: { sub: '079190012583', role: 'citizen' },
    });
    const receivedAt = new Date(Date.now() - 20 * DAY);
    await env.prisma.dossier.createMany({
      data: receivedDossierRow({ dossierId, procedure: 'civil-status-extract', unitCode: 'W-BEN-THANH', applicantPin: '079088004127', ownerPins: ['079088004127'], request: { kind: 'BIRTH' }, receivedAt, dueAt: new Date(Date.now() - 10 * DAY) }),
    });
    await env.prisma.task.create({
      data: { id: `${dossierId}-T1`, dossierId, procedure: 'civil-status-extract', step: 'verify-and-sign', unitCode: 'W-BEN-THANH', status: 'open', outcomes: ['approve', 'refuse'], createdAt: receivedAt, dueAt: new Date(Date.now() + 10 * DAY) },
    });
  });
  afterAll(() => env?.stop());

  it("GET /procedures gives each step's outcome data as JSON Schema from the definitions, to staff only", async () => {
    const res = await request(app).get('/api/v1/procedures').set(bearer(t.clerk)).expect(200);
    const verify = (res.body as Array<{ id: string; steps: Array<{ id: string; outcomes: Array<{ name: string; decides: boolean; schema: Record<string, unknown> }> }> }>)
      .find((p) => p.id === 'civil-status-extract')
      ?.steps.find((s) => s.id === 'verify-and-sign');
    expect(verify?.outcomes.map((o) => o.name)).toEqual(['approve', 'refuse']);
    expect(verify?.outcomes.find((o) => o.name === 'refuse')).toMatchObject({
      decides: true,
      schema: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 3, maxLength: 2000 } } },
    });
    expectProblem(await request(app).get('/api/v1/procedures').set(bearer(t.citizen)), 403);
    expectProblem(await request(app).get('/api/v1/procedures'), 401);
  });

  it('GET /dossiers/{id}/working-time counts office hours left (negative when past) for the dossier and its open tasks', async () => {
    const res = await request(app).get(`/api/v1/dossiers/${dossierId}/working-time`).set(bearer(t.clerk)).expect(200);
    expect(res.body).toMatchObject({ closed: false, workingMinutesPerDay: 480, officeHours: [{ from: '07:30', to: '11:30' }, { from: '13:00', to: '17:00' }] });
    // Ten calendar days hold between 4 and 8 working days, whatever the holidays and the hour.
    expect(res.body.dossier.workingMinutesLeft).toBeLessThanOrEqual(-4 * 480);
    expect(res.body.dossier.workingMinutesLeft).toBeGreaterThanOrEqual(-8 * 480);
    expect(res.body.tasks).toEqual([expect.objectContaining({ taskId: `${dossierId}-T1`, step: 'verify-and-sign', unitCode: 'W-BEN-THANH' })]);
    expect(res.body.tasks[0].workingMinutesLeft).toBeGreaterThanOrEqual(4 * 480);
    expect(res.body.tasks[0].workingMinutesLeft).toBeLessThanOrEqual(8 * 480);
  });

  it('GET /dossiers/{id}/working-time also counts the working time used since receipt, for the owner too', async () => {
    const res = await request(app).get(`/api/v1/dossiers/${dossierId}/working-time`).set(bearer(t.citizen)).expect(200);
    // Twenty calendar days back hold between 8 and 16 working days, whatever the holidays and the hour.
    expect(res.body.dossier.workingMinutesUsed).toBeGreaterThanOrEqual(8 * 480);
    expect(res.body.dossier.workingMinutesUsed).toBeLessThanOrEqual(16 * 480);
    expect(res.body.dossier.workingMinutesLeft).toBeLessThan(0);
  });

  it('GET /dossiers/{id}/working-time: 404 to whoever may not see the dossier (another citizen too), 400 naming a malformed id', async () => {
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/working-time`).set(bearer(t.otherClerk)), 404);
    expectProblem(await request(app).get('/api/v1/dossiers/CSE-261127-ZZZZZZ/working-time').set(bearer(t.city)), 404);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/working-time`).set(bearer(t.otherCitizen)), 404);
    await request(app).get(`/api/v1/dossiers/${dossierId}/working-time`).set(bearer(t.city)).expect(200);
    expectInvalid(await request(app).get('/api/v1/dossiers/not-an-id/working-time').set(bearer(t.clerk)), ['params.dossierId']);
  });

  it("GET /staff lists the caller's units' staff: a clerk's unit, a supervisor's subtree", async () => {
    const clerk = await request(app).get('/api/v1/staff').set(bearer(t.clerk)).expect(200);
    expect(new Set((clerk.body as Array<{ unitCode: string }>).map((s) => s.unitCode))).toEqual(new Set(['W-BEN-THANH']));
    expect(clerk.body).toContainEqual({ id: 'clerk.w-ben-thanh', fullName: expect.any(String), role: 'clerk', unitCode: 'W-BEN-THANH' });
    const city = await request(app).get('/api/v1/staff').set(bearer(t.city)).expect(200);
    expect((city.body as Array<{ id: string }>).map((s) => s.id)).toEqual(expect.arrayContaining(['clerk-2.hcmc-dof', 'clerk.w-sai-gon', 'supervisor.hcmc']));
    expectProblem(await request(app).get('/api/v1/staff').set(bearer(t.citizen)), 403);
  });

  it('GET /tasks filters by procedure, and names a procedure it does not know', async () => {
    const mine = await request(app).get('/api/v1/tasks').query({ procedure: 'civil-status-extract' }).set(bearer(t.clerk)).expect(200);
    expect((mine.body as Array<{ taskId: string }>).map((x) => x.taskId)).toEqual([`${dossierId}-T1`]);
    const other = await request(app).get('/api/v1/tasks').query({ procedure: 'business-registration' }).set(bearer(t.clerk)).expect(200);
    expect(other.body).toEqual([]);
    expectInvalid(await request(app).get('/api/v1/tasks').query({ procedure: 'parking-permit' }).set(bearer(t.clerk)), ['query.procedure']);
  });

  describe('the staff console at /console/', () => {
    beforeAll(() => ensureConsoleBuild());

    it('serves the built console with its own CSP, its hashed assets cached for good, and redirects /console', async () => {
      const res = await request(app).get('/console/').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="root"></div>');
      // The built page loads its bundle from the hashed assets (no inline script: the CSP forbids it).
      const script = /<script type="module" crossorigin src="(\/console\/assets\/[^"]+\.js)"/.exec(res.text)?.[1];
      expect(script).toBeDefined();
      const asset = await request(app).get(script!).expect(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

      const redirect = await request(app).get('/console').expect(301);
      expect(redirect.headers.location).toBe('/console/');
    });

    it('answers 503 saying how to build it where the build is missing, under the same CSP', async () => {
      const parent = await mkdtemp(path.join(os.tmpdir(), 'console-missing-'));
      try {
        const bare = express().use('/console', consoleStatic(path.join(parent, 'dist')));
        for (const url of ['/console/', '/console', '/console/assets/index.js']) {
          const res = await request(bare).get(url).expect(503);
          expect(res.text).toMatch(/npm run console:build/);
          expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
        }
      } finally {
        await rm(parent, { recursive: true, force: true });
      }
    });
  });
});
