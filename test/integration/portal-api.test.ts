import type { Express } from 'express';
import request from 'supertest';
import { receivedDossierRow } from '../../common/dossier-rows';
import { ensurePortalBuild } from '../support/console-build';
import { bearer, expectProblem, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// What the citizens' portal reads beyond the dossier endpoints (the catalog, the units), how the API
// serves it at /portal/, and where a browser following an old mail link to the API lands.
describe("citizens' portal API", () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'owner' | 'clerk', string>;
  const dossierId = 'MSC-261127-PRTL01';
  const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    app = env.createApi();
    t = await tokensFor(app, {
      owner: { sub: '079092009853', role: 'citizen' },
      clerk: { sub: 'clerk.w-binh-thanh', role: 'clerk', unit: 'W-BINH-THANH' },
    });
    const receivedAt = new Date(Date.now() - 86_400_000);
    await env.prisma.dossier.createMany({
      data: receivedDossierRow({ dossierId, procedure: 'marital-status-certificate', unitCode: 'W-BINH-THANH', applicantPin: '079092009853', ownerPins: ['079092009853'], request: { purpose: 'MARRIAGE' }, receivedAt, dueAt: new Date(Date.now() + 3 * 86_400_000) }),
    });
  });
  afterAll(() => env?.stop());

  it('GET /catalog: every procedure with its names, deadline and, for those citizens file, the filing schema (public)', async () => {
    const res = await request(app).get('/api/v1/catalog').expect(200);
    const byId = new Map((res.body as Array<{ id: string }>).map((p) => [p.id, p]));
    expect(byId.get('marital-status-certificate')).toMatchObject({
      title: { vi: 'Cấp Giấy xác nhận tình trạng hôn nhân', en: 'Certificate of marital status' },
      legalBasis: { vi: expect.stringContaining('Luật Hộ tịch'), en: expect.stringContaining('Law on Civil Status') },
      openedBy: 'citizen',
      filedAt: ['WARD'],
      deadline: { mode: 'working-days', days: 3 },
      answers: ['supplement'],
      labels: { vi: expect.objectContaining({ purposeDetail: 'Mục đích cụ thể' }), en: expect.any(Object) },
      filing: { type: 'object', required: ['purpose'], properties: expect.objectContaining({ purposeDetail: expect.objectContaining({ minLength: 3 }) }) },
    });
    // Opened by the police: named (its owners follow it), nothing to file.
    expect(byId.get('traffic-fine')).toMatchObject({ openedBy: 'administration', labels: { vi: expect.objectContaining({ paid: 'Đã nộp phạt' }) } });
    expect(byId.get('traffic-fine')).not.toHaveProperty('filing');
    // The same schema the API files with: the OpenAPI document publishes the route.
    const document = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(document.body.paths['/api/v1/catalog'].get.responses['200']).toBeDefined();
  });

  it('GET /units: a citizen reads every unit, by name and kind', async () => {
    const res = await request(app).get('/api/v1/units').set(bearer(t.owner)).expect(200);
    expect(res.body).toContainEqual({ code: 'W-BINH-THANH', name: 'Phường Bình Thạnh', kind: 'WARD', parentCode: expect.any(String) });
    expect(res.body).toHaveLength(await env.prisma.unit.count());
  });

  it("old mail links: a browser (HTML preferred, no token) is sent to the portal's page or the verification page", async () => {
    const redirects: Array<[string, string]> = [
      [`/api/v1/dossiers/${dossierId}`, `/portal/dossiers/${dossierId}`],
      [`/api/v1/dossiers/${dossierId}/document`, `/portal/dossiers/${dossierId}`],
      [`/api/v1/dossiers/${dossierId}/respond`, `/portal/dossiers/${dossierId}`],
      ['/api/v1/documents/7K3M-9QAB-X2CD/verify', '/verify/7K3M-9QAB-X2CD'],
    ];
    for (const [link, page] of redirects) {
      const res = await request(app).get(link).set('accept', BROWSER);
      expect({ link, status: res.status, location: res.headers.location }).toEqual({ link, status: 303, location: page });
      expect(res.headers.vary).toMatch(/Accept/);
    }
  });

  it('old mail links: API clients get what they always got (no preference, JSON or PDF preferred, or a token)', async () => {
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`), 401);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set('accept', '*/*'), 401);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}`).set('accept', 'application/json, text/html'), 401);
    const owned = await request(app).get(`/api/v1/dossiers/${dossierId}`).set('accept', BROWSER).set(bearer(t.owner)).expect(200);
    expect(owned.body).toMatchObject({ dossierId, status: 'received' });
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set('accept', 'application/pdf'), 401);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/respond`).set(bearer(t.owner)), 405);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/respond`), 405);
    const verify = await request(app).get('/api/v1/documents/7K3M-9QAB-X2CD/verify').expect(200);
    expect(verify.body).toEqual({ valid: false });
    // Only these addresses: another API path is never redirected.
    expectProblem(await request(app).get('/api/v1/tasks').set('accept', BROWSER), 401);
  });

  it('GET /dossiers/{id}/notice: only for a traffic-fine case with a notice', async () => {
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/notice`).set(bearer(t.owner)), 404);
    expectProblem(await request(app).get(`/api/v1/dossiers/${dossierId}/notice`), 401);
  });

  describe('the portal at /portal/', () => {
    beforeAll(() => ensurePortalBuild());

    it('serves the build with its CSP, and index.html for every page path so that deep links load', async () => {
      for (const page of ['/portal/', `/portal/dossiers/${dossierId}`, '/portal/dossiers', '/portal/procedures/birth-registration']) {
        const res = await request(app).get(page).expect(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
        expect(res.headers['cache-control']).toBe('no-cache');
        expect(res.text).toContain('<div id="root"></div>');
      }
      const script = /<script type="module" crossorigin src="(\/portal\/assets\/[^"]+\.js)"/.exec((await request(app).get('/portal/')).text)?.[1];
      const asset = await request(app).get(script!).expect(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      await request(app).get('/portal/assets/missing.js').expect(404);
      expect((await request(app).get('/portal').expect(301)).headers.location).toBe('/portal/');
    });
  });
});
