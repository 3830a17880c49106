import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { definitionHash } from '../../common/procedure-definitions';
import { applyMigrations, MIGRATIONS_DIR, SHIPPED_DEFINITIONS_DIR } from '../../prisma/migrate';
import { createPrismaClient } from '../../prisma/client';
import { ProcedureDocument } from '../../procedures/document';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { bearer, expectInvalid, expectProblem, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { changed, smallDocument } from '../support/procedure-document';

// Publishing procedures as data (real PostgreSQL): administrators publish versions of a definition
// document; each (id, version) is published once and never changes. The definitions the engine ships
// are published at migration time.

const BASE = '/api/v1/procedure-definitions';

describe('procedure definitions', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'admin' | 'supervisor' | 'clerk' | 'citizen' | 'system', string>;

  beforeAll(async () => {
    env = await startIntegrationEnv();
    app = env.createApi();
    t = await tokensFor(app, {
      admin: { sub: 'admin.hcmc', role: 'administrator' },
      supervisor: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' },
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      citizen: { sub: '079088004127', role: 'citizen' },
      system: { sub: 'camera-system', role: 'system' },
    });
  });
  afterAll(() => env?.stop());

  // In English: the suite reads the refusals' words (the API answers Vietnamese unless asked).
  const publish = (body: unknown, token = t.admin) => request(app).post(BASE).set(bearer(token)).set('Accept-Language', 'en').send(body as object);

  describe('POST /procedure-definitions', () => {
    it('publishes a valid document: 201 with its hash and Location', async () => {
      const doc = smallDocument('cert-publish');
      const res = await publish(doc).expect(201);
      expect(res.body).toEqual({ id: 'cert-publish', version: 1, hash: definitionHash(ProcedureDocument.parse(doc)), publishedAt: expect.any(String) });
      expect(res.headers.location).toBe(`${BASE}/cert-publish/versions/1`);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('the same version with the same content again: 200, the same hash, nothing published twice', async () => {
      const doc = smallDocument('cert-again');
      const first = await publish(doc).expect(201);
      const again = await publish(doc).expect(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.location).toBeUndefined();
      // Key order and defaults written out do not change the content.
      const rewritten = { ...Object.fromEntries(Object.entries(changed(doc, 'openedBy', 'citizen')).reverse()), labels: {} };
      expect((await publish(rewritten).expect(200)).body).toEqual(first.body);
      expect(await env.prisma.procedureDefinition.count({ where: { id: 'cert-again' } })).toBe(1);
    });

    it('the same version with other content: 409, naming the version to publish instead', async () => {
      await publish(smallDocument('cert-changed')).expect(201);
      const res = await publish(changed(smallDocument('cert-changed'), 'title.en', 'Another title'));
      expectProblem(res, 409);
      expect(res.body.detail).toMatch(/cert-changed version 1 is already published with other content .*publish the change as version 2/);
    });

    it('a version below the latest: 409; above it: 201, the latest moves', async () => {
      await publish(smallDocument('cert-versions', 2)).expect(201);
      const older = await publish(smallDocument('cert-versions', 1));
      expectProblem(older, 409);
      expect(older.body.detail).toBe('cert-versions version 1 is older than its latest published version 2: publish it as version 3');
      await publish(smallDocument('cert-versions', 5)).expect(201);
      await publish(smallDocument('cert-versions', 2)).expect(200); // a published version again is still the same
    });

    it('two publications of one version at once: one publishes, the other finds it (or conflicts with it)', async () => {
      const same = await Promise.all([publish(smallDocument('cert-race')), publish(smallDocument('cert-race'))]);
      expect(same.map((r) => r.status).sort()).toEqual([200, 201]);
      const other = await Promise.all([publish(smallDocument('cert-race-2')), publish(changed(smallDocument('cert-race-2'), 'title.en', 'Other'))]);
      expect(other.map((r) => r.status).sort()).toEqual([201, 409]);
    });

    describe('400 naming each bad path', () => {
      const bad = (path: string, value: unknown) => publish(changed(smallDocument('cert-bad'), path, value));

      it('an unknown adapter', async () => {
        const res = await bad('steps.verify.adapter', 'population.verify-people');
        expectInvalid(res, ['steps.verify.adapter']);
        expect(res.body.errors[0].message).toMatch(/unknown adapter population.verify-people \(known: .*population.verify-persons/);
      });

      it('a step nothing reaches', async () => {
        expectInvalid(await bad('steps.orphan', { kind: 'end', status: 'issued' }), ['steps.orphan']);
      });

      it("an adapter's outcome with no next step, and a next step that does not exist", async () => {
        const res = await bad('steps.verify.outcomes.mismatch', undefined);
        expectInvalid(res, ['steps.verify.outcomes']);
        expect(res.body.errors[0].message).toBe('outcome mismatch of population.verify-persons has no next step');
        // approve leads nowhere: issue and done are then reached by nothing.
        expectInvalid(await bad('steps.review.outcomes.approve.next', 'nowhere'), ['steps.review.outcomes.approve.next', 'steps.issue', 'steps.done']);
      });

      it('an invalid JSON Schema', async () => {
        expectInvalid(await bad('steps.review.outcomes.refuse.schema', { type: 'strin' }), ['steps.review.outcomes.refuse.schema']);
        expectInvalid(await bad('filing.schema', { $ref: '#/$defs/nothing' }), ['filing.schema']);
      });

      it('a bad deadline', async () => {
        expectInvalid(await bad('steps.review.deadline', { mode: 'working-days', days: 0, remindBeforeMinutes: 60 }), ['steps.review.deadline.days']);
        expectInvalid(await bad('deadlines.dossier.cutoffTime', '18:00'), ['deadlines.dossier.cutoffTime']);
      });

      it('a shape error: a missing title.vi, an unknown field, a wrong kind of step', async () => {
        expectInvalid(await bad('title.vi', undefined), ['title.vi']);
        expectInvalid(await bad('steps.done.colour', 'blue'), ['steps.done.colour']);
        expectInvalid(await bad('steps.done.kind', 'finish'), ['steps.done.kind']);
        expectInvalid(await publish([]), ['(body)']);
      });

      it('every problem at once, and nothing published', async () => {
        const doc = changed(changed(smallDocument('cert-bad'), 'steps.verify.adapter', 'population.nobody'), 'steps.orphan', { kind: 'end', status: 'issued' });
        expectInvalid(await publish(doc), ['steps.verify.adapter', 'steps.orphan']);
        expect(await env.prisma.procedureDefinition.count({ where: { id: 'cert-bad' } })).toBe(0);
      });
    });

    it('is for administrators: 401 without a token, 403 for anyone else', async () => {
      expectProblem(await request(app).post(BASE).send(smallDocument('cert-roles')), 401);
      for (const token of [t.supervisor, t.clerk, t.citizen, t.system]) expectProblem(await publish(smallDocument('cert-roles'), token), 403);
      expect(await env.prisma.procedureDefinition.count({ where: { id: 'cert-roles' } })).toBe(0);
    });
  });

  describe('reading', () => {
    beforeAll(async () => {
      await publish(smallDocument('cert-read', 1)).expect(201);
      await publish(changed(smallDocument('cert-read', 2), 'title.en', 'Read certificate')).expect(201);
    });

    it('lists every version with its hash, who published it, its title and which is the latest', async () => {
      const res = await request(app).get(BASE).query({ id: 'cert-read' }).set(bearer(t.supervisor)).expect(200);
      expect(res.body).toEqual([
        { id: 'cert-read', version: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/), publishedAt: expect.any(String), publishedBy: 'admin.hcmc', title: { vi: 'Giấy xác nhận thử nghiệm', en: 'Read certificate' }, latest: true },
        { id: 'cert-read', version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), publishedAt: expect.any(String), publishedBy: 'admin.hcmc', title: { vi: 'Giấy xác nhận thử nghiệm', en: 'Test certificate' }, latest: false },
      ]);
      const all = await request(app).get(BASE).set(bearer(t.admin)).expect(200);
      const ids = (all.body as Array<{ id: string }>).map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining(['cert-publish', 'cert-read', 'cert-versions']));
      expect(ids).toEqual([...ids].sort());
    });

    it('gives a version: the document as published, defaults filled in, its hash as ETag', async () => {
      const res = await request(app).get(`${BASE}/cert-read/versions/1`).set(bearer(t.admin)).expect(200);
      expect(res.body).toEqual(ProcedureDocument.parse(smallDocument('cert-read', 1)));
      expect(res.headers.etag).toBe(`"${definitionHash(ProcedureDocument.parse(smallDocument('cert-read', 1)))}"`);
      expectProblem(await request(app).get(`${BASE}/cert-read/versions/9`).set(bearer(t.admin)), 404);
      expectInvalid(await request(app).get(`${BASE}/Cert/versions/0`).set(bearer(t.admin)), ['params.id', 'params.version']);
    });

    it('is for administrators and supervisors', async () => {
      for (const token of [t.clerk, t.citizen, t.system]) {
        expectProblem(await request(app).get(BASE).set(bearer(token)), 403);
        expectProblem(await request(app).get(`${BASE}/cert-read/versions/1`).set(bearer(token)), 403);
      }
      expectProblem(await request(app).get(BASE), 401);
    });

    it('serves the JSON Schema of a document to anyone, as committed', async () => {
      const res = await request(app).get(`${BASE}/schema`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
      const committed = JSON.parse(await readFile(path.join(__dirname, '../../procedures/procedure-document.schema.json'), 'utf8'));
      expect(JSON.parse(res.text)).toEqual(committed);
    });

    it('publishes its operations in the OpenAPI document', async () => {
      const res = await request(app).get('/api/v1/openapi.json').expect(200);
      expect(res.body.paths[BASE].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProcedureDocument' });
      expect(Object.keys(res.body.paths[BASE].post.responses).sort()).toEqual(['200', '201', '400', '401', '403', '409', '413', '415', '503']);
      expect(res.body.paths[`${BASE}/{id}/versions/{version}`].get).toBeDefined();
      expect(res.body.paths[`${BASE}/schema`].get.security).toEqual([]);
    });
  });

  it('keeps published versions immutable in the database', async () => {
    await publish(smallDocument('cert-immutable')).expect(201);
    const where = { id_version: { id: 'cert-immutable', version: 1 } };
    await expect(env.prisma.procedureDefinition.update({ where, data: { publishedBy: 'someone-else' } })).rejects.toThrow(/append-only/);
    await expect(env.prisma.procedureDefinition.delete({ where })).rejects.toThrow(/append-only/);
    await expect(env.prisma.$executeRawUnsafe('TRUNCATE "ProcedureDefinition"')).rejects.toThrow(/append-only/);
    expect(await env.prisma.procedureDefinition.findUnique({ where })).toMatchObject({ publishedBy: 'admin.hcmc' });
  });

  it('has published every definition the engine ships (migrated with procedures/definitions/)', async () => {
    const files = (await readdir(SHIPPED_DEFINITIONS_DIR)).filter((f) => f.endsWith('.json'));
    for (const file of files) {
      const doc = ProcedureDocument.parse(JSON.parse(await readFile(path.join(SHIPPED_DEFINITIONS_DIR, file), 'utf8')));
      const row = await env.prisma.procedureDefinition.findUnique({ where: { id_version: { id: doc.id, version: doc.version } } });
      expect({ file, hash: row?.hash }).toEqual({ file, hash: definitionHash(doc) });
    }
  });
});

describe('shipped procedure definitions at migration time', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    dir = await mkdtemp(path.join(os.tmpdir(), 'procedure-definitions-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A folder of shipped definitions: file name -> document. */
  async function folder(name: string, files: Record<string, unknown>): Promise<string> {
    const at = path.join(dir, name);
    await rm(at, { recursive: true, force: true });
    await mkdir(at, { recursive: true });
    for (const [file, doc] of Object.entries(files)) await writeFile(path.join(at, file), typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
    await writeFile(path.join(at, 'README.md'), 'not a definition\n');
    return at;
  }

  it('publishes each shipped document whose (id, version) is absent, once', async () => {
    const shipped = await folder('first', { 'fixture-certificate.json': smallDocument('fixture-certificate'), 'fixture-other.json': smallDocument('fixture-other', 3) });
    const first = await applyMigrations(db.url, MIGRATIONS_DIR, { definitionsDir: shipped });
    expect(first.published).toEqual(['fixture-certificate@1', 'fixture-other@3']);
    expect((await applyMigrations(db.url, MIGRATIONS_DIR, { definitionsDir: shipped })).published).toEqual([]);

    const prisma = createPrismaClient(db.url);
    try {
      const row = await prisma.procedureDefinition.findUnique({ where: { id_version: { id: 'fixture-certificate', version: 1 } } });
      expect(row).toMatchObject({ publishedBy: 'shipped:fixture-certificate.json', hash: definitionHash(ProcedureDocument.parse(smallDocument('fixture-certificate'))) });
      expect(row?.document).toEqual(ProcedureDocument.parse(smallDocument('fixture-certificate')));
    } finally {
      await prisma.$disconnect();
    }
  });

  it('publishes an older version the folder adds later (the API would refuse it; a shipped one is published where absent)', async () => {
    const shipped = await folder('older', { 'fixture-other-v2.json': smallDocument('fixture-other', 2) });
    expect((await applyMigrations(db.url, MIGRATIONS_DIR, { definitionsDir: shipped })).published).toEqual(['fixture-other@2']);
  });

  it('stops with an error naming the file when a published (id, version) has other content', async () => {
    const shipped = await folder('changed', { 'fixture-certificate.json': changed(smallDocument('fixture-certificate'), 'title.en', 'Changed behind its back') });
    const failure = applyMigrations(db.url, MIGRATIONS_DIR, { definitionsDir: shipped });
    await expect(failure).rejects.toThrow(/fixture-certificate\.json: fixture-certificate version 1 is already published with other content/);
    await expect(failure).rejects.toThrow(path.join('changed', 'fixture-certificate.json'));
  });

  it('stops with an error naming the file and each bad path of an invalid document, or one that is no JSON', async () => {
    const invalid = await folder('invalid', { 'fixture-bad.json': changed(changed(smallDocument('fixture-bad'), 'steps.verify.adapter', 'population.nobody'), 'title.vi', undefined) });
    await expect(applyMigrations(db.url, MIGRATIONS_DIR, { definitionsDir: invalid })).rejects.toThrow(/fixture-bad\.json: not a valid procedure definition: title\.vi: /);
    const unchecked = await folder('unchecked', { 'fixture-bad.json': changed(smallDocument('fixture-bad'), 'steps.verify.adapter', 'population.nobody') });
    await expect(applyMigrations(db.url, MIGRATIONS_DIR, { definitionsDir: unchecked })).rejects.toThrow(/fixture-bad\.json: not a valid procedure definition: steps\.verify\.adapter: unknown adapter/);
    const broken = await folder('broken', { 'fixture-broken.json': '{ "format": ' });
    await expect(applyMigrations(db.url, MIGRATIONS_DIR, { definitionsDir: broken })).rejects.toThrow(/fixture-broken\.json: not a JSON document/);
  });
});
