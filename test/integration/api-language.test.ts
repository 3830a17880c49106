import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { languageOfCitizen } from '../../common/citizen-language';
import { PROCEDURES } from '../../procedures';
import { bearer, expectProblem, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// What the API says to people is Vietnamese unless the request asks for English (docs/languages.md):
// problems' title, detail and field messages, with Content-Language and Vary: Accept-Language.

const AN = '079088004127';
const OUTSIDER = '079200009999';
const CIVIL = { procedure: 'civil-status-extract', unitCode: 'W-BEN-THANH' };
/** A filing with three bad fields: a malformed unit code, a missing kind, a name too short. */
const BAD_FILING = { ...CIVIL, unitCode: 'ben thanh', data: { recordRef: 'HT-BIRTH-2019-000123', applicant: { fullName: 'A', dateOfBirth: '1988-03-14' } } };

const business = PROCEDURES.get('business-registration')!.example;
const marital = PROCEDURES.get('marital-status-certificate')!.example;
const BUSINESS = business.body;

/** English words zod or the API would use: none may show in a Vietnamese answer. */
const ENGLISH = /\b(expected|invalid|must|required|received|the|request|no such)\b/i;

function expectLanguage(res: request.Response, language: 'vi' | 'en'): void {
  expect(res.headers['content-language']).toBe(language);
  expect(res.headers.vary).toMatch(/Accept-Language/i);
}

function expectVietnamese(res: request.Response): void {
  expectLanguage(res, 'vi');
  const words = [res.body.title, res.body.detail, ...((res.body.errors ?? []) as Array<{ message: string }>).map((e) => e.message)];
  for (const text of words) expect({ text, english: ENGLISH.test(String(text)) }).toEqual({ text, english: false });
}

describe('the API in Vietnamese, English on request', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'an' | 'founder' | 'maritalFiler' | 'outsider' | 'clerk', string>;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    app = env.createApi();
    t = await tokensFor(app, {
      an: { sub: AN, role: 'citizen' },
      founder: { sub: business.as.sub, role: 'citizen' },
      maritalFiler: { sub: marital.as.sub, role: 'citizen' },
      outsider: { sub: OUTSIDER, role: 'citizen' },
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
    });
  });
  afterAll(() => env?.stop());

  const file = (token: string, body: unknown, language?: string) => {
    const req = request(app).post('/api/v1/dossiers').set(bearer(token)).set('Idempotency-Key', randomUUID());
    return (language ? req.set('Accept-Language', language) : req).send(body as object);
  };

  describe('a validation 400', () => {
    it('is Vietnamese by default: title, detail and each field, with Content-Language: vi', async () => {
      const res = await file(t.an, BAD_FILING);
      expectProblem(res, 400);
      expectVietnamese(res);
      expect(res.body).toMatchObject({ type: '/api/v1/problems/invalid-request', title: 'Yêu cầu không hợp lệ', detail: 'Yêu cầu có 3 trường không hợp lệ' });
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { path: 'unitCode', message: 'phải là mã đơn vị, ví dụ W-BEN-THANH' },
          { path: 'data.kind', message: 'là trường bắt buộc' },
          { path: 'data.applicant.fullName', message: expect.stringMatching(/^phải có ít nhất \d+ ký tự$/) },
        ]),
      );
    });

    it('is English with Accept-Language: en (q-values weighed), the same fields named', async () => {
      const vi = await file(t.an, BAD_FILING);
      for (const language of ['en', 'en-US,en;q=0.9', 'vi;q=0.5, en']) {
        const res = await file(t.an, BAD_FILING, language);
        expectProblem(res, 400);
        expectLanguage(res, 'en');
        expect(res.body).toMatchObject({ title: 'Bad Request', detail: 'The request has 3 invalid field(s)' });
        expect(res.body.errors).toEqual(expect.arrayContaining([{ path: 'unitCode', message: 'must be a unit code such as W-BEN-THANH' }]));
        expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(vi.body.errors.map((e: { path: string }) => e.path).sort());
      }
    });

    it('is Vietnamese for a language the API does not speak', async () => {
      for (const language of ['fr', 'vi', '*', 'en;q=0, vi']) expectVietnamese(await file(t.an, BAD_FILING, language));
    });
  });

  it('a 404 in both languages', async () => {
    const vi = await request(app).get('/api/v1/dossiers/CSE-261123-ZZZZZZ').set(bearer(t.an));
    expectProblem(vi, 404);
    expectVietnamese(vi);
    expect(vi.body).toMatchObject({ title: 'Không tìm thấy', detail: 'Không có hồ sơ CSE-261123-ZZZZZZ' });
    const en = await request(app).get('/api/v1/dossiers/CSE-261123-ZZZZZZ').set(bearer(t.an)).set('Accept-Language', 'en');
    expectLanguage(en, 'en');
    expect(en.body).toMatchObject({ title: 'Not Found', detail: 'No dossier CSE-261123-ZZZZZZ' });
    const noRoute = await request(app).get('/api/v1/nowhere');
    expectProblem(noRoute, 404);
    expect(noRoute.body.detail).toBe('Không có đường dẫn GET /api/v1/nowhere');
  });

  it('a 401 in both languages', async () => {
    const vi = await request(app).get('/api/v1/me');
    expectProblem(vi, 401);
    expectVietnamese(vi);
    expect(vi.headers['www-authenticate']).toBe('Bearer');
    expect(vi.body).toMatchObject({ title: 'Chưa xác thực', detail: 'Cần có mã truy cập (bearer token) hợp lệ' });
    const en = await request(app).get('/api/v1/me').set('Accept-Language', 'en');
    expect(en.body).toMatchObject({ title: 'Unauthorized', detail: 'A valid bearer token is required' });
    const forged = await request(app).get('/api/v1/me').set(bearer('not.a.token'));
    expectVietnamese(forged);
    expect(forged.body.detail).toBe('Mã truy cập không hợp lệ');
  });

  it('a 409: a supplement answer to a dossier that waits for none, in Vietnamese', async () => {
    const filed = await file(t.founder, BUSINESS).expect(201);
    const dossierId = String(filed.body.dossierId);
    const answer = () => request(app).post(`/api/v1/dossiers/${dossierId}/supplement`).set(bearer(t.founder)).send({ data: { proposedName: 'Công ty TNHH Sương Sớm' } });
    const vi = await answer();
    expectProblem(vi, 409);
    expectVietnamese(vi);
    expect(vi.body).toMatchObject({ title: 'Xung đột với trạng thái hiện tại', detail: `Hồ sơ ${dossierId} không ở bước chờ bổ sung` });
    const en = await answer().set('Accept-Language', 'en');
    expect(en.body.detail).toBe(`Dossier ${dossierId} is not waiting for a supplement`);
  });

  describe("a procedure document's filing rules", () => {
    it('a broken rule is a 400 naming the field in the language asked, in the words of the document', async () => {
      const soleWithTwo = { ...BUSINESS, data: { ...BUSINESS.data, kind: 'SOLE_PROPRIETORSHIP' } };
      const vi = await file(t.founder, soleWithTwo);
      expectProblem(vi, 400);
      expectVietnamese(vi);
      expect(vi.body.errors).toEqual([{ path: 'data.founders', message: 'doanh nghiệp tư nhân có đúng một người thành lập' }]);
      const en = await file(t.founder, soleWithTwo, 'en');
      expect(en.body.errors).toEqual([{ path: 'data.founders', message: 'a sole proprietorship has exactly one founder' }]);
    });

    it('a filing the document does not admit is a 422 in the language asked', async () => {
      const byOutsider = BUSINESS;
      const vi = await file(t.outsider, byOutsider);
      expectProblem(vi, 422);
      expectLanguage(vi, 'vi');
      expect(vi.body).toMatchObject({ title: 'Không được chấp nhận theo quy định', detail: 'Người nộp hồ sơ phải là người thành lập hoặc người đại diện theo pháp luật' });
      const en = await file(t.outsider, byOutsider, 'en');
      expect(en.body).toMatchObject({ title: 'Unprocessable Content', detail: 'The filer must be one of the founders or the legal representative' });

      const atDepartment = { ...marital.body, unitCode: 'HCMC-DOJ' };
      const wrongUnit = await file(t.maritalFiler, atDepartment);
      expectProblem(wrongUnit, 422);
      expect(wrongUnit.body.detail).toBe('Hồ sơ “Cấp Giấy xác nhận tình trạng hôn nhân” nộp tại phường, xã (đơn vị loại WARD)');
      expect((await file(t.maritalFiler, atDepartment, 'en')).body.detail).toBe('Certificate of marital status is filed at a unit of kind WARD');
    });
  });

  describe('PUT /me/language', () => {
    it("keeps a citizen's language: GET /me tells it, and so does languageOfCitizen for their mail", async () => {
      expect((await request(app).get('/api/v1/me').set(bearer(t.an)).expect(200)).body.language).toBe('vi');
      expect(await languageOfCitizen(env.prisma, AN)).toBe('vi');
      const put = await request(app).put('/api/v1/me/language').set(bearer(t.an)).send({ language: 'en' }).expect(200);
      expect(put.body).toEqual({ language: 'en' });
      expect((await request(app).get('/api/v1/me').set(bearer(t.an)).expect(200)).body).toMatchObject({ sub: AN, role: 'citizen', language: 'en' });
      expect(await languageOfCitizen(env.prisma, AN)).toBe('en');
      await request(app).put('/api/v1/me/language').set(bearer(t.an)).send({ language: 'vi' }).expect(200);
      expect(await languageOfCitizen(env.prisma, AN)).toBe('vi');
      // Staff have no such preference: their GET /me says none.
      expect((await request(app).get('/api/v1/me').set(bearer(t.clerk)).expect(200)).body).not.toHaveProperty('language');
    });

    it('refuses a language the system does not speak (400) and staff (403), in Vietnamese', async () => {
      const french = await request(app).put('/api/v1/me/language').set(bearer(t.an)).send({ language: 'fr' });
      expectProblem(french, 400);
      expectVietnamese(french);
      expect(french.body.errors).toEqual([{ path: 'language', message: 'phải là một trong: "vi", "en"' }]);
      const staff = await request(app).put('/api/v1/me/language').set(bearer(t.clerk)).send({ language: 'en' });
      expectProblem(staff, 403);
      expectVietnamese(staff);
      expect(staff.body.detail).toBe('Thao tác này dành cho công dân; người gọi có vai trò cán bộ tiếp nhận');
      const staffEn = await request(app).put('/api/v1/me/language').set(bearer(t.clerk)).set('Accept-Language', 'en').send({ language: 'en' });
      expect(staffEn.body.detail).toBe('This action is for citizen; the caller is a clerk');
    });
  });
});
