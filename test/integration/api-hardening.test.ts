import { randomBytes, randomUUID } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { ServiceError } from '@temporalio/client';
import express, { type Express } from 'express';
import { decodeJwt, SignJWT } from 'jose';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../api/app';
import { newDossierId } from '../../api/services/dossiers';
import { errorHandler } from '../../api/problem';
import { dependencyProblem } from '../../api/temporal-errors';
import type { RateLimits } from '../../common/config';
import { receivedDossierRow } from '../../common/dossier-rows';
import { TEXT_PATTERN } from '../../common/schemas';
import { PROCEDURES } from '../../procedures';
import { findStep } from '../../procedures/define';
import { createPrismaClient } from '../../prisma/client';
import { bearer, eventually, expectInvalid, expectProblem, tokenFor, tokensFor, type Claims } from '../support/http';
import { startIntegrationEnv, testLogger, type IntegrationEnv } from '../support/integration';

// What an outside tester found: bodies whose Content-Encoding lies, tokens that never expire, an
// OpenAPI document that disagrees with the API, control characters in text, tasks that told which
// unit they belong to, missing security headers, no rate limits, a stale status after a decision.

const PIN = { an: '079088004127', lan: '079148000519', ngoc: '079190012583' } as const;
const AN = { fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' };
const LAN = { fullName: 'Võ Thị Lan', dateOfBirth: '1948-02-05' };
const EXTRACT = { procedure: 'civil-status-extract', unitCode: 'W-BEN-THANH', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: AN } };
const NO_LIMITS: RateLimits = { filings: 0, verifications: 0, devTokens: 0 };
// Well-formed ids of nothing.
const SOME_TASK = 'CSE-261123-ZZZZZZ-T1';

/** Evidence of a camera that read no plate (its case waits for an officer to read it), new images each time. */
const evidence = (overrides: object = {}) => ({
  source: 'camera:BT-LL-NH-01',
  capturedAt: new Date(Date.now() - 3600_000).toISOString(),
  location: { unitCode: 'W-BEN-THANH', description: 'Giao lộ Lê Lợi – Nguyễn Huệ' },
  violationCode: 'RED-LIGHT-CAR',
  evidence: [{ sha256: randomBytes(32).toString('hex') }],
  ...overrides,
});

describe('API hardening', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'an' | 'lan' | 'clerkBenThanh' | 'clerkThuDuc' | 'clerkTanDinh' | 'camera', string>;
  let secret: Uint8Array;

  /** The API with these limits (0: none) and CORS origins; the rest as every test's. */
  const apiWith = (rateLimits: Partial<RateLimits>, corsOrigins = env.config.http.corsOrigins) =>
    env.createApi({ http: { ...env.config.http, corsOrigins, rateLimits: { ...NO_LIMITS, ...rateLimits } } });

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = apiWith({});
    secret = new TextEncoder().encode(env.config.auth.secret);
    t = await tokensFor(app, {
      an: { sub: PIN.an, role: 'citizen' },
      lan: { sub: PIN.lan, role: 'citizen' },
      clerkBenThanh: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      clerkThuDuc: { sub: 'clerk.w-thu-duc', role: 'clerk', unit: 'W-THU-DUC' },
      clerkTanDinh: { sub: 'clerk.w-tan-dinh', role: 'clerk', unit: 'W-TAN-DINH' },
      camera: { sub: 'camera-gateway.hcmc-pc08', role: 'system' },
    });
  });
  afterAll(() => env?.stop());

  const file = (body: unknown, token = t.an, on = app) =>
    request(on).post('/api/v1/dossiers').set(bearer(token)).set('Idempotency-Key', randomUUID()).send(body as object);

  async function fileOk(body: unknown, token = t.an): Promise<string> {
    const res = await file(body, token);
    if (res.status !== 201) throw new Error(`filing answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.dossierId as string;
  }

  async function waitForTask(token: string, dossierId: string): Promise<{ taskId: string; step: string; unitCode: string }> {
    return eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(token)).expect(200);
      return (res.body as Array<{ taskId: string; dossierId: string; step: string; unitCode: string }>).find((x) => x.dossierId === dossierId);
    });
  }

  describe('Content-Encoding', () => {
    const devToken = () => request(app).post('/api/v1/auth/dev-token').set('content-type', 'application/json');
    // superagent would serialize a Buffer as JSON: send the bytes as they are.
    const asIs = (body: unknown) => body as string;

    it('answers a body that is not what its Content-Encoding says with 400, not 500', async () => {
      for (const encoding of ['gzip', 'br', 'deflate']) {
        const res = await devToken().set('content-encoding', encoding).send('{"sub":"x","role":"system"}');
        expectProblem(res, 400);
        expect(res.body.errors).toEqual([{ path: '(body)', message: expect.any(String) }]);
      }
    });

    it('answers an unsupported encoding (compress: no Node decodes it; Node 24 does zstd) with 415, and decodes a genuine gzip or br body', async () => {
      expectProblem(await devToken().set('content-encoding', 'compress').send('{"sub":"x","role":"system"}'), 415);
      const claims = JSON.stringify({ sub: 'system.x', role: 'system' });
      const gz = await devToken().set('content-encoding', 'gzip').serialize(asIs).send(gzipSync(claims));
      expect(gz.status).toBe(200);
      const br = await devToken().set('content-encoding', 'br').serialize(asIs).send(brotliCompressSync(claims));
      expect(br.status).toBe(200);
    });

    it('keeps the 4xx status of any error raised while reading a request', async () => {
      const bare = express();
      bare.post('/x', (_req, _res, next) => next(Object.assign(new Error('request timeout'), { status: 408, expose: true })));
      bare.post('/y', (_req, _res, next) => next(Object.assign(new Error('secret detail'), { statusCode: 431, expose: false })));
      bare.use(errorHandler(testLogger));
      const timeout = await request(bare).post('/x').set('Accept-Language', 'en');
      expectProblem(timeout, 408);
      expect(timeout.body.detail).toBe('request timeout');
      const hidden = await request(bare).post('/y');
      expectProblem(hidden, 431);
      expect(hidden.body.detail).not.toContain('secret');
    });
  });

  describe('bearer tokens', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const sign = (claims: { iat?: number; exp?: number }) => {
      let jwt = new SignJWT({ role: 'citizen' }).setProtectedHeader({ alg: 'HS256' }).setSubject(PIN.an);
      if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
      if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
      return jwt.sign(secret);
    };
    // The refusals' English words (Vietnamese unless asked: test/integration/api-language.test.ts).
    const me = async (token: string) => request(app).get('/api/v1/me').set(bearer(token)).set('Accept-Language', 'en');

    it('refuses a token without exp, whatever else it carries', async () => {
      for (const iat of [undefined, now()]) {
        const res = await me(await sign({ iat }));
        expectProblem(res, 401);
        expect(res.body.detail).toMatch(/no expiry \(exp claim\)/);
      }
    });

    it('refuses a token issued in the future beyond the clock skew, or living longer than 24 hours', async () => {
      const tenYears = 10 * 365 * 24 * 3600;
      const future = await me(await sign({ iat: now() + tenYears, exp: now() + tenYears + 3600 }));
      expectProblem(future, 401);
      expect(future.body.detail).toMatch(/issued in the future/);
      expectProblem(await me(await sign({ iat: now() + 300, exp: now() + 3600 })), 401);
      const forever = await me(await sign({ iat: now(), exp: now() + 25 * 3600 }));
      expectProblem(forever, 401);
      expect(forever.body.detail).toMatch(/24 hours/);
      expectProblem(await me(await sign({ exp: now() + 48 * 3600 })), 401); // no iat: counted from now
      const expired = await me(await sign({ iat: now() - 7200, exp: now() - 3600 }));
      expectProblem(expired, 401);
      expect(expired.body.detail).toMatch(/expired/);
    });

    it('accepts a bounded token, with a clock up to 60 s ahead', async () => {
      expect((await me(await sign({ iat: now() + 30, exp: now() + 3600 }))).status).toBe(200);
      expect((await me(await sign({ exp: now() + 3600 }))).status).toBe(200);
      expect((await me(await sign({ iat: now() - 23 * 3600, exp: now() + 3600 }))).status).toBe(200);
    });

    it('issues dev tokens with iat and exp, 12 hours apart', () => {
      const { iat, exp } = decodeJwt(t.an);
      expect(typeof iat).toBe('number');
      expect(exp! - iat!).toBe(12 * 3600);
    });
  });

  describe('the OpenAPI document', () => {
    let doc: {
      servers: Array<{ url: string }>;
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> }>>;
      components: { schemas: Record<string, { oneOf?: Array<{ properties: { role: { enum: string[] } }; required: string[] }> }> };
    };
    beforeAll(async () => {
      doc = (await request(app).get('/api/v1/openapi.json').expect(200)).body;
    });
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path]![method]!.responses);

    it('has paths that, joined to its server, are the real ones', () => {
      expect(doc.servers).toEqual([{ url: '/' }]);
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/dossiers', '/api/v1/tasks/{taskId}/claim', '/healthz']));
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/api/v1'))).toEqual([]);
    });

    it('declares what each operation answers: 404, 409, 413, 415, 422, 429, 503', () => {
      for (const action of ['claim', 'release', 'complete']) expect(statuses(`/api/v1/tasks/{taskId}/${action}`, 'post')).toEqual(expect.arrayContaining(['404', '409', '503']));
      for (const action of ['supplement', 'respond', 'cancel']) expect(statuses(`/api/v1/dossiers/{dossierId}/${action}`, 'post')).toEqual(expect.arrayContaining(['404', '409', '413', '415']));
      for (const action of ['supplement', 'respond']) expect(statuses(`/api/v1/dossiers/{dossierId}/${action}`, 'post')).toContain('422');
      expect(statuses('/api/v1/dossiers', 'post')).toEqual(expect.arrayContaining(['400', '401', '403', '413', '415', '422', '429', '503']));
      expect(statuses('/api/v1/documents/{code}/verify', 'get')).toEqual(expect.arrayContaining(['429']));
      expect(statuses('/api/v1/auth/dev-token', 'post')).toEqual(expect.arrayContaining(['413', '415', '429']));
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const [status, response] of Object.entries(operation.responses)) {
            // /readyz answers its report; the verification page is a page for people, its "not found" too.
            if (Number(status) < 400 || `${method} ${path}` === 'get /readyz' || `${method} ${path} ${status}` === 'get /verify/{code} 404') continue;
            expect([`${method} ${path} ${status}`, Object.keys(response.content ?? {})]).toEqual([`${method} ${path} ${status}`, ['application/problem+json']]);
            if (status === '429' || status === '503') expect(response.headers).toHaveProperty('Retry-After');
          }
        }
      }
    });

    it('says that staff dev tokens need a unit, and the API agrees', async () => {
      const branches = doc.components.schemas.DevTokenRequest!.oneOf!;
      const staff = branches.find((b) => b.properties.role.enum.includes('clerk'))!;
      expect(staff.required).toContain('unit');
      const res = await request(app).post('/api/v1/auth/dev-token').send({ sub: 'clerk.x', role: 'clerk' });
      expectInvalid(res, ['unit']);
    });

    it('bounds offset as the API does', async () => {
      const offset = (doc.paths['/api/v1/dossiers']!.get as unknown as { parameters: Array<{ name: string; schema: { maximum: number; type: string } }> }).parameters.find(
        (p) => p.name === 'offset',
      )!;
      expect(offset.schema.type).toBe('integer');
      const list = (value: string) => request(app).get('/api/v1/dossiers').query({ offset: value }).set(bearer(t.an));
      expect((await list(String(offset.schema.maximum))).status).toBe(200);
      expectInvalid(await list(String(offset.schema.maximum + 1)), ['query.offset']);
      expectInvalid(await list('9007199254740993'), ['query.offset']);
    });

    it('publishes the e-mail pattern the API enforces', async () => {
      const emails: Array<{ pattern?: string }> = [];
      const walk = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if ((node as { format?: string }).format === 'email') emails.push(node as { pattern?: string });
        Object.values(node).forEach(walk);
      };
      walk(doc);
      expect(emails.length).toBeGreaterThan(0);
      const patterns = emails.map((e) => e.pattern);
      expect(new Set(patterns)).toEqual(new Set([z.regexes.email.source]));
      const pattern = new RegExp(patterns[0]!);
      for (const address of ['"an nguyen"@example.com', 'nguyễn@example.com', 'an@exämple.com']) {
        expect(pattern.test(address)).toBe(false);
        expectInvalid(await request(app).get('/api/v1/dev/mailbox').query({ to: address }), ['query.to']);
      }
      expect(pattern.test("an.o'neil+x@example.com")).toBe(true);
      expect((await request(app).get('/api/v1/dev/mailbox').query({ to: "an.o'neil+x@example.com" })).status).toBe(200);
    });

    type Schema = Record<string, unknown>;
    const operations = () =>
      Object.entries(doc.paths).flatMap(([path, byMethod]) =>
        Object.entries(byMethod).map(([method, operation]) => ({ name: `${method} ${path}`, ...(operation as { operationId?: string; requestBody?: { required?: boolean }; parameters?: unknown[] }) })),
      );
    /** Every schema a request reaches (its body and parameters), through `$ref`s; examples are data, not schemas. */
    function requestSchemas(): Schema[] {
      const found: Schema[] = [];
      const seen = new Set<unknown>();
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (!node || typeof node !== 'object' || seen.has(node)) return;
        seen.add(node);
        const schema = node as Schema;
        if (typeof schema.$ref === 'string') return visit(doc.components.schemas[schema.$ref.split('/').pop()!]);
        found.push(schema);
        for (const [key, value] of Object.entries(schema)) if (!['example', 'examples', 'default'].includes(key)) visit(value);
      };
      for (const operation of operations()) visit([operation.requestBody, operation.parameters]);
      return found;
    }
    const has = (schema: Schema, type: string) => [schema.type].flat().includes(type);

    it('gives every operation an operationId of its own', () => {
      const ids = operations().map((o) => o.operationId);
      expect(ids.length).toBeGreaterThan(30);
      expect(ids.filter((id) => !/^[a-z]+[A-Z][A-Za-z0-9]*$/.test(id ?? ''))).toEqual([]);
      expect(new Set(ids).size).toBe(ids.length);
      expect(doc.paths['/api/v1/tasks/{taskId}/claim']!.post).toMatchObject({ operationId: 'postTasksByTaskIdClaim' });
    });

    it('marks every request body required, but the one the API takes without (a cancellation needs no reason)', async () => {
      const withBody = operations().filter((o) => o.requestBody);
      expect(withBody.length).toBeGreaterThanOrEqual(10);
      expect(withBody.filter((o) => o.requestBody!.required !== true).map((o) => o.name)).toEqual(['post /api/v1/dossiers/{dossierId}/cancel']);
      // The API agrees: no body where one is required is a 400 naming it; a cancellation goes on without.
      expectInvalid(await request(app).post('/api/v1/dossiers').set(bearer(t.an)), ['(body)']);
      expectInvalid(await request(app).post('/api/v1/violations').set(bearer(t.camera)), ['(body)']);
      expectInvalid(await request(app).post(`/api/v1/tasks/${SOME_TASK}/complete`).set(bearer(t.clerkBenThanh)), ['(body)']);
      expectProblem(await request(app).post('/api/v1/dossiers/CSE-261123-ZZZZZZ/cancel').set(bearer(t.an)), 404);
    });

    it('publishes a pattern on every string a request takes, and free-form keys, refusing what the API refuses', () => {
      const schemas = requestSchemas();
      const strings = schemas.filter((s) => has(s, 'string'));
      expect(strings.length).toBeGreaterThan(50);
      expect(strings.filter((s) => s.pattern === undefined && s.enum === undefined && s.const === undefined)).toEqual([]);
      const freeForm = schemas.filter((s) => has(s, 'object') && s.additionalProperties !== undefined && s.additionalProperties !== false);
      expect(freeForm.length).toBeGreaterThan(0);
      expect(freeForm.filter((s) => (s.propertyNames as Schema | undefined)?.pattern !== TEXT_PATTERN)).toEqual([]);
      // Read with or without the u flag, as JSON Schema validators do.
      for (const pattern of [new RegExp(TEXT_PATTERN), new RegExp(TEXT_PATTERN, 'u')]) {
        for (const text of ['Nguyễn Văn An', 'checked\n\tall good 😀', '']) expect(pattern.test(text)).toBe(true);
        for (const text of ['ok\u0000', 'a\u001bb', 'a\ud800b', '\udc00', 'x\ud83d']) expect(pattern.test(text)).toBe(false);
      }
    });

    it('publishes the plate and date patterns the API checks', async () => {
      const plate = new RegExp((doc.paths['/api/v1/vehicles/{plateNumber}/inspection-flag']!.get as unknown as { parameters: Array<{ schema: { pattern: string } }> }).parameters[0]!.schema.pattern);
      const flag = (value: string) => request(app).get(`/api/v1/vehicles/${encodeURIComponent(value)}/inspection-flag`).set(bearer(t.camera));
      for (const value of ['59x3 456.78', '51A-1234']) {
        expect(plate.test(value)).toBe(true);
        expect((await flag(value)).status).toBe(200);
      }
      for (const value of ['59x3 456.7', '51-123.45']) {
        expect(plate.test(value)).toBe(false);
        expectInvalid(await flag(value), ['params.plateNumber']);
      }
      const schemas = doc.components.schemas as unknown as Record<string, { properties: Record<string, Schema & { properties?: Record<string, Schema> }> }>;
      // The civil-status extract's filing, published as data: its branch of the POST /dossiers body.
      type Branch = { properties: { procedure: { enum?: string[] }; data: { properties: Record<string, Schema & { properties?: Record<string, Schema> }> } } };
      const branches = (doc.components.schemas as unknown as Record<string, { oneOf: Branch[] }>).FileDossier!.oneOf;
      const extract = branches.find((b) => b.properties.procedure.enum?.includes('civil-status-extract'))!;
      // A date as JSON Schema's `format: date` (RFC 3339 full-date: no 29 February of a common year), which the API checks.
      expect(extract.properties.data.properties.applicant!.properties!.dateOfBirth).toMatchObject({ type: 'string', format: 'date' });
      expectInvalid(await file({ ...EXTRACT, data: { ...EXTRACT.data, applicant: { dateOfBirth: '1987-02-29' } } }), ['data.applicant.dateOfBirth']);
      const captured = new RegExp(schemas.ViolationEvidence!.properties.capturedAt!.pattern as string);
      expect([captured.test('2026-11-20T07:42:13+07:00'), captured.test('2026-11-20T07:42:13Z'), captured.test('2026-11-20T07:42:13')]).toEqual([true, true, false]);
    });

    it('answers TRACE and other methods a known path does not take with 405 and Allow', async () => {
      const trace = await request(app).trace('/api/v1/dossiers');
      expectProblem(trace, 405);
      expect(trace.headers.allow).toBe('POST, GET, HEAD, OPTIONS');
      const put = await request(app).put('/api/v1/dossiers/CSE-261123-ZZZZZZ');
      expectProblem(put, 405);
      expect(put.headers.allow).toBe('GET, HEAD, OPTIONS');
      expectProblem(await request(app).delete('/healthz'), 405);
      expectProblem(await request(app).trace('/api/v1/no-such-thing'), 404);
    });
  });

  describe('control characters', () => {
    it('names data.recordRef and data.bookNumber holding NUL, and writes no dossier', async () => {
      const before = await env.prisma.dossier.count();
      expectInvalid(await file({ ...EXTRACT, data: { ...EXTRACT.data, recordRef: 'HT-BIRTH-2019-000123\u0000' } }), ['data.recordRef']);
      const book = { kind: 'BIRTH', subjectPin: PIN.an, registrationUnitCode: 'W-BEN-THANH', bookNumber: '12\u0000', pageNumber: 3 };
      expectInvalid(await file({ ...EXTRACT, data: book }), ['data.bookNumber']);
      expectInvalid(await file({ ...EXTRACT, data: { ...EXTRACT.data, applicant: { fullName: 'Nguyễn\u001bVăn An' } } }), ['data.applicant.fullName']);
      expect(await env.prisma.dossier.count()).toBe(before);
    });

    it('names a task note, an outcome, a cancel reason and a query parameter holding control characters', async () => {
      const dossierId = await fileOk(EXTRACT);
      const task = await waitForTask(t.clerkBenThanh, dossierId);
      const complete = (body: object) => request(app).post(`/api/v1/tasks/${task.taskId}/complete`).set(bearer(t.clerkBenThanh)).send(body);
      expectInvalid(await complete({ outcome: 'approve', note: 'ok\u0000' }), ['note']);
      expectInvalid(await complete({ outcome: 'approve\u0000' }), ['outcome']);
      expectInvalid(await request(app).post(`/api/v1/dossiers/${dossierId}/cancel`).set(bearer(t.an)).send({ reason: 'no\u0007' }), ['reason']);
      expectInvalid(await request(app).get('/api/v1/tasks').query({ assignee: 'me\u0000' }).set(bearer(t.clerkBenThanh)), ['query.assignee']);
      // Line breaks and tabs are text.
      expect((await complete({ outcome: 'approve', note: 'checked\n\tall good' })).status).toBe(200);
      const history = await env.prisma.dossierEvent.findMany({ where: { dossierId, outcome: 'approve' } });
      expect(history.map((e) => e.note)).toEqual(['checked\n\tall good']);
    });

    it('refuses an Idempotency-Key that is not visible ASCII', async () => {
      const res = await request(app).post('/api/v1/dossiers').set(bearer(t.an)).set('Idempotency-Key', 'key\twith tab').send(EXTRACT);
      expectInvalid(res, ['header.Idempotency-Key']);
    });
  });

  describe('lone surrogates', () => {
    // Half of a UTF-16 pair on its own, as a client sends it: the JSON escape "\ud800" (superagent's
    // JSON.stringify writes it so). No character at all, and PostgreSQL refuses it in jsonb.
    const violation = (body: unknown, key = randomUUID()) =>
      request(app).post('/api/v1/violations').set(bearer(t.camera)).set('Idempotency-Key', key).send(body as object);
    const batch = (items: unknown[], key = randomUUID()) =>
      request(app).post('/api/v1/violations/batch').set(bearer(t.camera)).set('Idempotency-Key', key).send({ items });

    it('names data.recordRef and data.applicant.fullName holding one, and writes no dossier', async () => {
      const before = await env.prisma.dossier.count();
      const res = await file({ ...EXTRACT, data: { ...EXTRACT.data, recordRef: 'HT-BIRTH-2019-\ud800', applicant: { fullName: 'Nguyễn\udc00 Văn An' } } });
      expectInvalid(res, ['data.applicant.fullName', 'data.recordRef']);
      for (const error of res.body.errors as Array<{ message: string }>) expect(error.message).toMatch(/lone surrogate/);
      expect(await env.prisma.dossier.count()).toBe(before);
    });

    it('names evidence fields holding one, a task note and a field name, and answers in well-formed text', async () => {
      const before = await env.prisma.violation.count();
      const bad = evidence({ source: 'camera:\udbff', location: { unitCode: 'W-BEN-THANH', description: 'Lê Lợi \ud800\ud800' } });
      expectInvalid(await violation(bad), ['location.description', 'source']);
      expectInvalid(await violation({ ...evidence(), evidence: [{ sha256: randomBytes(32).toString('hex'), uri: 'https://camera.example/\udfff.jpg' }] }), ['evidence.0.uri']);
      expect(await env.prisma.violation.count()).toBe(before);
      const note = await request(app).post(`/api/v1/tasks/${SOME_TASK}/complete`).set(bearer(t.clerkBenThanh)).send({ outcome: 'approve', note: 'ok\ud800' });
      expectInvalid(note, ['note']);
      const key = await file({ ...EXTRACT, data: { ...EXTRACT.data, 'x\ud800': 1 } });
      expectInvalid(key, ['data', 'data.x\ufffd']);
      expect(key.text).not.toMatch(/\\ud[89ab]/i);
      // A pair is a character like any other.
      expect((await violation(evidence({ source: 'camera:😀' }))).status).toBe(201);
    });

    it('refuses only the batch items holding one, and the same key answers the same again', async () => {
      const items = [
        evidence(),
        evidence({ source: 'camera:\ud800' }),
        { ...evidence({ location: { unitCode: 'W-BEN-THANH', description: 'Lê Lợi\udfff' } }), 'k\ud800': 1 },
      ];
      const key = randomUUID();
      const res = await batch(items, key);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ received: 3, created: 1, existing: 0, rejected: 2 });
      const results = res.body.items as Array<{ index: number; status: string; errors?: Array<{ path: string; message: string }> }>;
      expect(results.map((r) => [r.index, r.status, (r.errors ?? []).map((e) => e.path).sort()])).toEqual([
        [0, 'created', []],
        [1, 'rejected', ['items.1.source']],
        [2, 'rejected', ['items.2', 'items.2.k\ufffd', 'items.2.location.description']],
      ]);
      expect(results[1]!.errors![0]!.message).toMatch(/lone surrogate/);
      expect((await batch(items, key)).body).toEqual(res.body);
    });
  });

  describe('deeply nested bodies', () => {
    /** JSON text nested `levels` objects deep. */
    const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const post = (path: string, token: string, json: string) =>
      request(app).post(path).set(bearer(token)).set('content-type', 'application/json').set('Accept-Language', 'en').set('Idempotency-Key', randomUUID()).send(json);

    it('refuses a body nested 3,000 levels deep with 400, with an Idempotency-Key, on every route that takes a body', async () => {
      const answers = [
        await post('/api/v1/dossiers', t.an, nested(3000)),
        await post('/api/v1/dossiers', t.an, `{"procedure":"civil-status-extract","unitCode":"W-BEN-THANH","data":${nested(3000)}}`),
        await post('/api/v1/violations', t.camera, nested(3000)),
        await post('/api/v1/violations/batch', t.camera, `{"items":[${nested(3000)}]}`),
        await post(`/api/v1/tasks/${SOME_TASK}/complete`, t.clerkBenThanh, `{"outcome":"approve","data":${nested(3000)}}`),
      ];
      for (const res of answers) {
        expectInvalid(res, ['(body)']);
        expect(res.body.detail).toMatch(/deeper than 32 levels/);
      }
    });

    it('takes a body 32 levels deep, and refuses one 33 levels deep', async () => {
      const complete = (levels: number) => post(`/api/v1/tasks/${SOME_TASK}/complete`, t.clerkBenThanh, `{"outcome":"approve","data":${nested(levels - 1)}}`);
      expectProblem(await complete(32), 404);
      expectInvalid(await complete(33), ['(body)']);
    });
  });

  describe('tasks of other units', () => {
    it('answers 404, as for the dossier, to a task of a dossier the caller may not see, naming no unit', async () => {
      const dossierId = await fileOk(EXTRACT);
      const { taskId } = await waitForTask(t.clerkBenThanh, dossierId);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.clerkThuDuc)), 404);
      const answers = [
        await request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerkThuDuc)).set('Accept-Language', 'en'),
        await request(app).post(`/api/v1/tasks/${taskId}/release`).set(bearer(t.clerkThuDuc)).set('Accept-Language', 'en'),
        await request(app).post(`/api/v1/tasks/${taskId}/complete`).set(bearer(t.clerkThuDuc)).set('Accept-Language', 'en').send({ outcome: 'approve' }),
      ];
      for (const res of answers) {
        expectProblem(res, 404);
        expect(res.body.detail).toBe(`No task ${taskId}`);
      }
      expect(await env.prisma.task.findUnique({ where: { id: taskId }, select: { status: true } })).toEqual({ status: 'open' });
    });

    it('answers 403 to a task at another unit of a dossier the caller does see', async () => {
      // Lan files at Tân Định; her birth is in the paper books of Sài Gòn, which searches its archive.
      const dossierId = await fileOk({ procedure: 'civil-status-extract', unitCode: 'W-TAN-DINH', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-1948-000031', applicant: LAN } }, t.lan);
      const seen = await eventually(async () => {
        const res = await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.clerkTanDinh)).expect(200);
        return (res.body.openTasks as Array<{ taskId: string; unitCode: string }>)[0];
      });
      expect(seen.unitCode).toBe('W-SAI-GON');
      expectProblem(await request(app).post(`/api/v1/tasks/${seen.taskId}/claim`).set(bearer(t.clerkTanDinh)), 403);
      expectProblem(await request(app).post(`/api/v1/tasks/${seen.taskId}/claim`).set(bearer(t.clerkThuDuc)), 404);
    });
  });

  describe('step roles', () => {
    // Each step's definition names the role that works it. An outside tester's ward clerk decided
    // an officer's deliver-notice task and then read the fine's notice (traffic-fine.test.ts has
    // that case), and an officer claimed a clerk's verify-and-sign task.
    const STEPS = PROCEDURES.all.flatMap((p) => Object.values(p.steps).map((s) => [p.id, s.id, s.role] as const));
    const OTHER = { clerk: 'officer', officer: 'clerk' } as const;
    const BEN_THANH: Record<'clerk' | 'officer' | 'supervisor', Claims> = {
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      officer: { sub: 'officer.w-ben-thanh', role: 'officer', unit: 'W-BEN-THANH' },
      supervisor: { sub: 'supervisor.w-ben-thanh', role: 'supervisor', unit: 'W-BEN-THANH' },
    };
    let staff: Record<keyof typeof BEN_THANH, string>;
    beforeAll(async () => {
      staff = await tokensFor(app, BEN_THANH);
    });

    /**
     * An open task of this step at Bến Thành, on a dossier received there: the rows as a workflow
     * writes them, without the workflow (every role is refused before one would be asked).
     */
    async function openTask(procedureId: string, stepId: string): Promise<{ dossierId: string; taskId: string }> {
      const procedure = PROCEDURES.get(procedureId)!;
      const receivedAt = new Date();
      const dueAt = new Date(receivedAt.getTime() + 86_400_000);
      const dossierId = newDossierId(procedure, receivedAt);
      const row = receivedDossierRow({ dossierId, procedure: procedureId, unitCode: 'W-BEN-THANH', applicantPin: null, ownerPins: [], request: {}, receivedAt, dueAt });
      await env.prisma.dossier.createMany({ data: [{ ...row, currentStep: stepId }] });
      const outcomes = Object.keys(findStep(procedure, stepId)!.outcomes);
      const taskId = `${dossierId}-T1`;
      await env.prisma.task.createMany({ data: [{ id: taskId, dossierId, procedure: procedureId, step: stepId, unitCode: 'W-BEN-THANH', status: 'open', outcomes, createdAt: receivedAt, dueAt }] });
      return { dossierId, taskId };
    }

    const act = (token: string, taskId: string, action: 'claim' | 'complete' | 'release', outcome = 'no-such-outcome') => {
      const req = request(app).post(`/api/v1/tasks/${taskId}/${action}`).set(bearer(token)).set('Accept-Language', 'en');
      return action === 'complete' ? req.send({ outcome }) : req;
    };
    const inbox = async (token: string, procedure: string) =>
      ((await request(app).get('/api/v1/tasks').query({ procedure, limit: 500 }).set(bearer(token)).expect(200)).body as Array<{ taskId: string }>).map((x) => x.taskId);
    const dossiers = async (token: string, procedure: string) =>
      ((await request(app).get('/api/v1/dossiers').query({ procedure, limit: 500 }).set(bearer(token)).expect(200)).body as Array<{ dossierId: string }>).map((x) => x.dossierId);

    it.each(STEPS)('%s/%s: only its role (%s) claims or decides it; the other role does not see it', async (procedureId, stepId, role) => {
      const { dossierId, taskId } = await openTask(procedureId, stepId);
      const outcome = Object.keys(findStep(PROCEDURES.get(procedureId)!, stepId)!.outcomes)[0];
      const other = staff[OTHER[role]];
      for (const action of ['claim', 'complete', 'release'] as const) {
        const res = await act(other, taskId, action, outcome);
        expectProblem(res, 403);
        expect(res.body.detail).toContain(`${role}s`);
      }
      for (const action of ['claim', 'complete'] as const) expectProblem(await act(staff.supervisor, taskId, action, outcome), 403);
      expect(await env.prisma.task.findUnique({ where: { id: taskId }, select: { status: true, assignee: true } })).toEqual({ status: 'open', assignee: null });
      expect(await env.prisma.staffAction.count({ where: { taskId } })).toBe(0);

      expect(await inbox(other, procedureId)).not.toContain(taskId);
      expect(await dossiers(other, procedureId)).not.toContain(dossierId);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(other)), 404);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(other)), 404);
      for (const token of [staff[role], staff.supervisor]) {
        expect(await inbox(token, procedureId)).toContain(taskId);
        expect(await dossiers(token, procedureId)).toContain(dossierId);
        await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(token)).expect(200);
      }

      // Its role claims it and gets past the role to the outcome's check; a supervisor may release it.
      expect((await act(staff[role], taskId, 'claim').expect(200)).body.assignee).toBe(BEN_THANH[role].sub);
      expectInvalid(await act(staff[role], taskId, 'complete'), ['outcome']);
      expect((await act(staff.supervisor, taskId, 'release').expect(200)).body).toMatchObject({ status: 'open', assignee: null });
    });

    it("refuses an officer the clerk's verify-and-sign of a real filing, which the clerk then decides", async () => {
      const dossierId = await fileOk(EXTRACT);
      const { taskId } = await waitForTask(t.clerkBenThanh, dossierId);
      expectProblem(await act(staff.officer, taskId, 'claim'), 403);
      expectProblem(await act(staff.officer, taskId, 'complete', 'approve'), 403);
      expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(staff.officer)), 404);
      expect((await act(t.clerkBenThanh, taskId, 'complete', 'approve').expect(200)).body.outcome).toBe('approve');
    });

    it('declares the 403 of every task action in the OpenAPI document', async () => {
      const doc = (await request(app).get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, { post: { responses: Record<string, { description: string }> } }> };
      for (const action of ['claim', 'complete', 'release']) {
        expect(doc.paths[`/api/v1/tasks/{taskId}/${action}`]!.post.responses['403']!.description).toMatch(/step is for another role/);
      }
    });
  });

  describe('headers', () => {
    it('sends the security headers and a CSP that lets nothing run', async () => {
      const res = await request(app).get('/healthz').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('serves the docs page with a CSP that allows its own assets and init script, and nothing inline', async () => {
      const page = await request(app).get('/api/v1/docs/').expect(200);
      const csp = page.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/src="\.\/[\w.-]+\.js"/);
        expect(body!.trim()).toBe('');
      }
      for (const [, attributes] of scripts) {
        const src = /src="\.\/([\w.-]+\.js)"/.exec(attributes!)![1]!;
        const asset = await request(app).get(`/api/v1/docs/${src}`).expect(200);
        expect(asset.headers['content-type']).toMatch(/javascript/);
      }
      expect((await request(app).get('/api/v1/docs/swagger-ui-init.js')).text).toContain('/api/v1/openapi.json');
    });

    it('marks every authenticated answer, the personal document first, no-store', async () => {
      const dossierId = await fileOk(EXTRACT);
      const document = await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.an));
      expectProblem(document, 404); // not issued yet: the answer is still the caller's own
      expect(document.headers['cache-control']).toBe('no-store');
      expect((await request(app).get('/api/v1/me').set(bearer(t.an)).expect(200)).headers['cache-control']).toBe('no-store');
      expect((await request(app).get('/api/v1/me')).headers['cache-control']).toBe('no-store');
    });

    it('marks the dev mailbox and demo directory no-store, though they take no token', async () => {
      for (const path of ['/api/v1/dev/mailbox', '/api/v1/dev/mailbox?to=an%40example.com', '/api/v1/dev/demo']) {
        expect((await request(app).get(path).expect(200)).headers['cache-control']).toBe('no-store');
      }
      expectInvalid(await request(app).get('/api/v1/dev/mailbox').query({ to: 'nobody' }), ['query.to']);
      expect((await request(app).get('/api/v1/dev/mailbox').query({ to: 'nobody' })).headers['cache-control']).toBe('no-store');
    });

    it('allows the configured origins only', async () => {
      const portal = apiWith({}, ['https://portal.example.gov.vn']);
      const allowed = await request(portal).get('/healthz').set('Origin', 'https://portal.example.gov.vn');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.gov.vn');
      const preflight = await request(portal)
        .options('/api/v1/dossiers')
        .set('Origin', 'https://portal.example.gov.vn')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);
      const other = await request(portal).get('/healthz').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const none = await request(apiWith({}, [])).get('/healthz').set('Origin', 'https://portal.example.gov.vn');
      expect(none.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('rate limits', () => {
    function expectTooMany(res: request.Response) {
      expectProblem(res, 429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }

    it('limits filings per citizen, not for everyone', async () => {
      const limited = apiWith({ filings: 2 });
      const invalid = { ...EXTRACT, unitCode: 'nowhere' };
      expectProblem(await file(invalid, t.an, limited), 400);
      expectProblem(await file(invalid, t.an, limited), 400);
      expectTooMany(await file(EXTRACT, t.an, limited));
      expectProblem(await file(invalid, t.lan, limited), 400); // another citizen's own count
    });

    it('limits document verifications and dev tokens per client', async () => {
      const limited = apiWith({ verifications: 2, devTokens: 2 });
      const verify = () => request(limited).get('/api/v1/documents/7K3M-9QAB-X2CD/verify');
      await verify().expect(200);
      await verify().expect(200);
      expectTooMany(await verify());
      await tokenFor(limited, { sub: 'system.a', role: 'system' });
      await tokenFor(limited, { sub: 'system.b', role: 'system' });
      expectTooMany(await request(limited).post('/api/v1/auth/dev-token').send({ sub: 'system.c', role: 'system' }));
    });
  });

  describe('dependencies', () => {
    it('answers 503 with Retry-After when the database is unreachable', async () => {
      const prisma = createPrismaClient('postgresql://postgres:postgres@127.0.0.1:1/unreachable');
      try {
        const down = createApp({ config: env.config, logger: testLogger, prisma, temporal: env.temporal.client, readiness: {} });
        const res = await request(down).get('/api/v1/dossiers').set(bearer(t.an));
        expectProblem(res, 503);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await prisma.$disconnect();
      }
    });

    it('answers 503 when Temporal says it is unavailable, and 500 for anything unknown', async () => {
      const grpc = (code: number) => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code, details: 'No connection established', metadata: {} });
      const bare = express();
      bare.get('/down', () => {
        throw new ServiceError('Failed to start workflow', { cause: grpc(14) });
      });
      bare.get('/slow', () => {
        throw grpc(4);
      });
      bare.get('/bug', () => {
        throw new TypeError('a bug of ours');
      });
      bare.use(errorHandler(testLogger, dependencyProblem));
      for (const path of ['/down', '/slow']) {
        const res = await request(bare).get(path);
        expectProblem(res, 503);
        expect(res.headers['retry-after']).toBe('5');
      }
      expectProblem(await request(bare).get('/bug'), 500);
    });
  });

  describe('POST /tasks/{taskId}/complete', () => {
    it('answers with the status the decision moved the dossier to', async () => {
      const approved = await fileOk(EXTRACT);
      const refused = await fileOk(EXTRACT);
      const complete = async (dossierId: string, body: object) => {
        const { taskId } = await waitForTask(t.clerkBenThanh, dossierId);
        return request(app).post(`/api/v1/tasks/${taskId}/complete`).set(bearer(t.clerkBenThanh)).send(body).expect(200);
      };
      expect((await complete(approved, { outcome: 'approve' })).body.dossierStatus).toMatch(/^(issuing|issued)$/);
      expect((await complete(refused, { outcome: 'refuse', data: { reason: 'The record does not name the applicant' } })).body.dossierStatus).toBe('refused');
    });
  });
});
