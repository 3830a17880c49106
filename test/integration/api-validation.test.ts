import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { bearer, eventually, expectInvalid, expectProblem, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// Bad input to every endpoint is a 400 problem naming each bad field, never a 500; no token is a
// 401; a well-formed request the procedure does not allow is a 422 (docs/architecture.md).

const AN = '079088004127';
const VALID_DATA = {
  kind: 'BIRTH',
  recordRef: 'HT-BIRTH-2019-000123',
  applicant: { fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' },
};
const VALID = { procedure: 'civil-status-extract', unitCode: 'W-BEN-THANH', data: VALID_DATA };

// Well-formed ids of nothing, for endpoints whose input is checked after the token.
const SOME_DOSSIER = 'CSE-261123-ZZZZZZ';
const SOME_TASK = `${SOME_DOSSIER}-T1`;

describe('API input validation', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'an' | 'clerk' | 'supervisor', string>;
  /** An open dossier of An's, with its verify-and-sign task at W-BEN-THANH. */
  let dossierId: string;
  let taskId: string;
  const statuses: number[] = [];

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    // Dozens of filings by one citizen within the minute: no filing limit here (api-hardening tests it).
    app = env.createApi({ http: { ...env.config.http, rateLimits: { ...env.config.http.rateLimits, filings: 0 } } });
    t = await tokensFor(app, {
      an: { sub: AN, role: 'citizen' },
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      supervisor: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' },
    });
    const filed = await request(app).post('/api/v1/dossiers').set(bearer(t.an)).set('Idempotency-Key', randomUUID()).send(VALID).expect(201);
    dossierId = filed.body.dossierId as string;
    taskId = await eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(t.clerk)).expect(200);
      return (res.body as Array<{ taskId: string; dossierId: string }>).find((x) => x.dossierId === dossierId)?.taskId;
    });
  });
  afterAll(() => env?.stop());

  /** Every answer passes through here, so the last test can say that none was a 500. */
  async function send(req: request.Test): Promise<request.Response> {
    const res = await req;
    statuses.push(res.status);
    return res;
  }

  const fileDossier = (body: unknown, token = t.an) =>
    send(request(app).post('/api/v1/dossiers').set(bearer(token)).set('Idempotency-Key', randomUUID()).send(body as object));
  const completeTask = (body: unknown, id = taskId) => send(request(app).post(`/api/v1/tasks/${id}/complete`).set(bearer(t.clerk)).send(body as object));

  describe('POST /dossiers', () => {
    it('names a missing or unknown procedure', async () => {
      expectInvalid(await fileDossier({ unitCode: 'W-BEN-THANH', data: VALID_DATA }), ['procedure']);
      expectInvalid(await fileDossier({ ...VALID, procedure: 'passport' }), ['procedure']);
      expectInvalid(await fileDossier({ ...VALID, procedure: 42 }), ['procedure']);
    });

    it('names a malformed unitCode, data.kind, data.applicant.dateOfBirth and data.subjectPin, all at once', async () => {
      expectInvalid(await fileDossier({ ...VALID, unitCode: 'ben thanh' }), ['unitCode']);
      expectInvalid(await fileDossier({ ...VALID, data: { ...VALID_DATA, kind: 'ADOPTION' } }), ['data.kind']);
      expectInvalid(await fileDossier({ ...VALID, data: { ...VALID_DATA, applicant: { fullName: 'Nguyễn Văn An', dateOfBirth: '14/03/1988' } } }), [
        'data.applicant.dateOfBirth',
      ]);
      expectInvalid(await fileDossier({ ...VALID, data: { ...VALID_DATA, subjectPin: '7912' } }), ['data.subjectPin']);
      const all = await fileDossier({
        procedure: 'civil-status-extract',
        unitCode: 'w-ben-thanh',
        data: { kind: 'ADOPTION', subjectPin: 'abc', contactEmail: 'not-an-address', applicant: { fullName: 'A', dateOfBirth: '1988-13-01' } },
      });
      expectInvalid(all, ['unitCode', 'data.kind', 'data.subjectPin', 'data.contactEmail', 'data.applicant.fullName', 'data.applicant.dateOfBirth']);
    });

    it('names a missing data, a missing kind, and a body that is not an object', async () => {
      expectInvalid(await fileDossier({ procedure: 'civil-status-extract', unitCode: 'W-BEN-THANH' }), ['data']);
      expectInvalid(await fileDossier({ ...VALID, data: { recordRef: 'HT-BIRTH-2019-000123' } }), ['data.kind']);
      expectInvalid(await fileDossier([VALID]), ['(body)']);
      const noBody = await send(request(app).post('/api/v1/dossiers').set(bearer(t.an)));
      expectInvalid(noBody, ['(body)']);
      const malformed = await send(request(app).post('/api/v1/dossiers').set(bearer(t.an)).set('content-type', 'application/json').send('{"procedure":'));
      expectInvalid(malformed, ['(body)']);
    });

    it('names an unknown field, at the top and inside data', async () => {
      expectInvalid(await fileDossier({ ...VALID, priority: 'urgent' }), ['priority']);
      expectInvalid(await fileDossier({ ...VALID, data: { ...VALID_DATA, fee: 0 } }), ['data.fee']);
    });

    it('names unitCode when no such unit exists', async () => {
      expectInvalid(await fileDossier({ ...VALID, unitCode: 'W-NOWHERE' }), ['unitCode']);
    });

    it('names a malformed Idempotency-Key header', async () => {
      const res = await send(request(app).post('/api/v1/dossiers').set(bearer(t.an)).set('Idempotency-Key', 'x'.repeat(201)).send(VALID));
      expectInvalid(res, ['header.Idempotency-Key']);
    });

    it('answers 422 to a valid request the procedures do not allow', async () => {
      // A business registration filed by someone who is neither a founder nor its representative.
      const business = { kind: 'SOLE_PROPRIETORSHIP', proposedName: 'Doanh nghiệp tư nhân Gốm Lái Thiêu', headOffice: { unitCode: 'W-THU-DUC', street: '5 Võ Văn Ngân' } };
      const people = { founders: [{ pin: '079179006018' }], legalRepresentativePin: '079179006018' };
      const data = { ...business, ...people, businessLines: ['4711'], charterCapital: 100_000_000 };
      expectProblem(await fileDossier({ procedure: 'business-registration', unitCode: 'W-BEN-THANH', data }), 422);
      expectProblem(await fileDossier({ ...VALID, unitCode: 'HCMC-DOJ' }), 422);
      expectProblem(await fileDossier({ ...VALID, unitCode: 'HCMC' }), 422);
      expect(await env.prisma.dossier.count()).toBe(1);
    });

    it('is for citizens: staff filing get 403', async () => {
      expectProblem(await fileDossier(VALID, t.clerk), 403);
    });
  });

  describe('path parameters', () => {
    it('names a malformed dossier id on every dossier route', async () => {
      for (const bad of ['nope', 'cse-261123-7k3m9q', `${SOME_DOSSIER}-T1`]) {
        expectInvalid(await send(request(app).get(`/api/v1/dossiers/${bad}`).set(bearer(t.an))), ['params.dossierId']);
        expectInvalid(await send(request(app).get(`/api/v1/dossiers/${bad}/document`).set(bearer(t.an))), ['params.dossierId']);
        expectInvalid(await send(request(app).post(`/api/v1/dossiers/${bad}/cancel`).set(bearer(t.an)).send({})), ['params.dossierId']);
        expectInvalid(await send(request(app).post(`/api/v1/dossiers/${bad}/supplement`).set(bearer(t.an)).send({ data: {} })), ['params.dossierId']);
        expectInvalid(await send(request(app).post(`/api/v1/dossiers/${bad}/respond`).set(bearer(t.an)).send({ action: 'dispute', reason: 'Không phải xe tôi' })), ['params.dossierId']);
      }
      // Well-formed but unknown: 404.
      expectProblem(await send(request(app).get(`/api/v1/dossiers/${SOME_DOSSIER}`).set(bearer(t.an))), 404);
      expectProblem(await send(request(app).post(`/api/v1/dossiers/${SOME_DOSSIER}/cancel`).set(bearer(t.an)).send({})), 404);
    });

    it('names a malformed task id on every task route', async () => {
      for (const bad of ['nope', SOME_DOSSIER, `${SOME_DOSSIER}-Tx`]) {
        expectInvalid(await send(request(app).post(`/api/v1/tasks/${bad}/claim`).set(bearer(t.clerk))), ['params.taskId']);
        expectInvalid(await send(request(app).post(`/api/v1/tasks/${bad}/release`).set(bearer(t.clerk))), ['params.taskId']);
        expectInvalid(await send(request(app).post(`/api/v1/tasks/${bad}/complete`).set(bearer(t.clerk)).send({ outcome: 'approve' })), ['params.taskId']);
      }
      // Every bad part of a request is named, the path and the body alike.
      expectInvalid(await send(request(app).post('/api/v1/tasks/nope/complete').set(bearer(t.clerk)).send({ note: 5 })), ['outcome', 'note', 'params.taskId']);
      expectProblem(await send(request(app).post(`/api/v1/tasks/${SOME_TASK}/claim`).set(bearer(t.clerk))), 404);
    });

    it('names a malformed document code', async () => {
      for (const bad of ['nope', '7k3m-9qab-x2cd', '7K3M9QABX2CD', '7K3M-9QAB-X2CD-0000']) {
        expectInvalid(await send(request(app).get(`/api/v1/documents/${bad}/verify`)), ['params.code']);
      }
      const unknown = await send(request(app).get('/api/v1/documents/7K3M-9QAB-X2CD/verify'));
      expect(unknown.status).toBe(200);
      expect(unknown.body).toEqual({ valid: false });
    });
  });

  describe('query parameters', () => {
    it('names each bad query parameter', async () => {
      expectInvalid(await send(request(app).get('/api/v1/tasks').query({ status: 'bogus' }).set(bearer(t.clerk))), ['query.status']);
      expectInvalid(await send(request(app).get('/api/v1/tasks').query({ assignee: 'clerk.w-ben-thanh' }).set(bearer(t.clerk))), ['query.assignee']);
      expectInvalid(await send(request(app).get('/api/v1/tasks').query({ status: 'bogus', unitCode: 'lower', limit: 'all' }).set(bearer(t.clerk))), [
        'query.limit',
        'query.status',
        'query.unitCode',
      ]);
      expectInvalid(await send(request(app).get('/api/v1/dossiers').query({ limit: 0 }).set(bearer(t.an))), ['query.limit']);
      expectInvalid(await send(request(app).get('/api/v1/dossiers').query({ limit: 501, offset: -1 }).set(bearer(t.an))), ['query.limit', 'query.offset']);
      expectInvalid(await send(request(app).get('/api/v1/dossiers').query({ status: 'lost', procedure: 'passport' }).set(bearer(t.clerk))), [
        'query.procedure',
        'query.status',
      ]);
      expectInvalid(await send(request(app).get('/api/v1/supervision/dossiers').query({ state: 'bogus' }).set(bearer(t.supervisor))), ['query.state']);
      expectInvalid(await send(request(app).get('/api/v1/supervision/dossiers').set(bearer(t.supervisor))), ['query.state']);
    });

    it('answers a repeated parameter with 400, not 500', async () => {
      expectInvalid(await send(request(app).get('/api/v1/tasks?status=open&status=done').set(bearer(t.clerk))), ['query.status']);
      expectInvalid(await send(request(app).get('/api/v1/dossiers?limit=1&limit=2').set(bearer(t.an))), ['query.limit']);
    });
  });

  describe('POST /tasks/:taskId/complete', () => {
    it('names a missing outcome, and an outcome the task does not have', async () => {
      expectInvalid(await completeTask({}), ['outcome']);
      expectInvalid(await completeTask({ outcome: '' }), ['outcome']);
      const other = await completeTask({ outcome: 'found' });
      expectInvalid(other, ['outcome']);
      expect(other.body.errors[0].message).toContain('approve');
    });

    it('names data.reason when refusing without a reason', async () => {
      expectInvalid(await completeTask({ outcome: 'refuse', data: {} }), ['data.reason']);
      expectInvalid(await completeTask({ outcome: 'refuse', data: { reason: '  ' } }), ['data.reason']);
      const noData = await completeTask({ outcome: 'refuse' });
      expectProblem(noData, 400);
      expect(noData.body.errors.map((e: { path: string }) => e.path)).toEqual([expect.stringMatching(/^data(\.reason)?$/)]);
    });

    it('names bad data and note', async () => {
      expectInvalid(await completeTask({ outcome: 'approve', data: 'yes' }), ['data']);
      expectInvalid(await completeTask({ outcome: 'approve', note: 'x'.repeat(2001) }), ['note']);
      expectInvalid(await completeTask([]), ['(body)']);
    });

    it('leaves the task open after all these', async () => {
      expect(await env.prisma.task.findUnique({ where: { id: taskId }, select: { status: true } })).toEqual({ status: 'open' });
    });
  });

  describe('POST /dossiers/:dossierId/cancel', () => {
    it('refuses a body that is not an object, and leaves the dossier open', async () => {
      const cancel = () => request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.an));
      expectInvalid(await send(cancel().send(['please'])), ['(body)']);
      expectInvalid(await send(cancel().set('content-type', 'application/json').send('"please"')), ['(body)']);
      expectInvalid(await send(cancel().set('content-type', 'application/json').send('42')), ['(body)']);
      expectInvalid(await send(cancel().send({ reason: 42 })), ['reason']);
      expectInvalid(await send(cancel().send({ reason: 'x'.repeat(501) })), ['reason']);
      const dossier = await send(request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.an)));
      expect(dossier.status).toBe(200);
      expect(dossier.body.status).not.toBe('cancelled');
      expect(dossier.body.openTasks).toHaveLength(1);
    });
  });

  describe('authentication', () => {
    const PROTECTED: Array<[method: 'get' | 'post', path: string]> = [
      ['get', '/api/v1/me'],
      ['get', '/api/v1/units'],
      ['post', '/api/v1/dossiers'],
      ['get', '/api/v1/dossiers'],
      ['get', `/api/v1/dossiers/${SOME_DOSSIER}`],
      ['get', `/api/v1/dossiers/${SOME_DOSSIER}/document`],
      ['post', `/api/v1/dossiers/${SOME_DOSSIER}/cancel`],
      ['post', `/api/v1/dossiers/${SOME_DOSSIER}/supplement`],
      ['post', `/api/v1/dossiers/${SOME_DOSSIER}/respond`],
      ['get', '/api/v1/tasks'],
      ['post', `/api/v1/tasks/${SOME_TASK}/claim`],
      ['post', `/api/v1/tasks/${SOME_TASK}/release`],
      ['post', `/api/v1/tasks/${SOME_TASK}/complete`],
      ['get', '/api/v1/supervision/dossiers?state=overdue'],
    ];

    it.each(PROTECTED)('401 without a token or with a bad one: %s %s', async (method, path) => {
      const bare = request(app)[method](path);
      const none = await send(method === 'post' ? bare.send({}) : bare);
      expectProblem(none, 401);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expectProblem(await send(request(app)[method](path).set('authorization', 'Bearer not.a.jwt')), 401);
      expectProblem(await send(request(app)[method](path).set('authorization', `Basic ${Buffer.from('an:secret').toString('base64')}`)), 401);
    });

    it('checks the token before the input: no token and bad input is still 401', async () => {
      expectProblem(await send(request(app).get('/api/v1/dossiers/nope')), 401);
      expectProblem(await send(request(app).get('/api/v1/tasks').query({ status: 'bogus' })), 401);
      expectProblem(await send(request(app).post('/api/v1/dossiers').send({ procedure: 'passport' })), 401);
    });
  });

  it('answered none of the above with a 500', () => {
    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
