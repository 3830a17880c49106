import type { Express } from 'express';
import request from 'supertest';
import { verifyDocumentSignature } from '../../common/document-signing';
import { bearer, tokensFor } from '../support/http';
import { dossierClient } from '../support/dossier-client';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// Documents a citizen can hold, through the public HTTP contract with the real worker, Temporal,
// PostgreSQL and SMTP behind it: the keys that sign them, and the public page their QR code opens.
// (The PDF itself waits for its libraries: see docs/documents.md.)

const AN = { pin: '079088004127', fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' };

describe('documents a citizen can hold', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'an' | 'clerkSaiGon', string>;
  let code: string;
  let dossierId: string;
  const { file, waitForTask, waitForStatus, complete } = dossierClient(() => app, { waitMs: 20_000, language: 'vi' });

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, {
      an: { sub: AN.pin, role: 'citizen' },
      clerkSaiGon: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
    });
    const body = { procedure: 'civil-status-extract', unitCode: 'W-SAI-GON', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: { fullName: AN.fullName, dateOfBirth: AN.dateOfBirth } } };
    const filed = await file(t.an, body).expect(201);
    dossierId = filed.body.dossierId as string;
    const task = await waitForTask(t.clerkSaiGon, dossierId, 'verify-and-sign');
    expect((await complete(t.clerkSaiGon, task.taskId, { outcome: 'approve' })).status).toBe(200);
    const issued = await waitForStatus(t.an, dossierId, 'issued');
    code = issued.result?.documentCode as string;
  });
  afterAll(() => env?.stop());

  it('keeps the JSON document as the default answer', async () => {
    const res = await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.an)).expect(200);
    expect(res.type).toBe('application/json');
    expect(res.body).toMatchObject({ code, dossierId, content: { recordId: 'HT-BIRTH-2019-000123' } });
  });

  it('publishes the keys that verify documents at a well-known URL (public halves only); a forged JWS fails against them', async () => {
    const res = await request(app).get('/.well-known/document-keys.json').expect(200);
    expect(res.body.keys).toEqual([expect.objectContaining({ kid: 'dev', kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' })]);
    expect(JSON.stringify(res.body)).not.toMatch(/"d"/);
    await expect(verifyDocumentSignature('e30.e30.AAAA', res.body)).rejects.toThrow();
  });

  it('shows the document on the public page, in Vietnamese by default, without the identification number', async () => {
    const res = await request(app).get(`/verify/${code}`).expect(200);
    expect(res.type).toBe('text/html');
    expect(res.headers['content-security-policy']).toContain("style-src 'unsafe-inline'");
    expect(res.headers['content-security-policy']).not.toContain('script-src');
    for (const text of ['Trích lục khai sinh', code, 'Nguyễn Văn An', 'Nguyễn Minh Khang', '10/05/2019', 'Cơ quan cấp', 'Phường Sài Gòn', 'Ngày cấp']) {
      expect(res.text).toContain(text);
    }
    expect(res.text).not.toContain(AN.pin);
  });

  it('speaks English when asked, by query or by Accept-Language', async () => {
    const byQuery = await request(app).get(`/verify/${code}?lang=en`).expect(200);
    expect(byQuery.text).toContain('Extract of birth registration');
    const byHeader = await request(app).get(`/verify/${code}`).set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
    expect(byHeader.text).toContain('Issued to');
    expect(byHeader.text).not.toContain(AN.pin);
  });

  it('answers an unknown or malformed code with a "not found" page', async () => {
    const unknown = await request(app).get('/verify/0000-0000-0000').expect(404);
    expect(unknown.type).toBe('text/html');
    expect(unknown.text).toContain('Không tìm thấy văn bản');
    expect((await request(app).get('/verify/not-a-code?lang=en').expect(404)).text).toContain('Document not found');
  });

  it('documents the keys and the page in the OpenAPI description', async () => {
    const doc = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(doc.body.paths['/.well-known/document-keys.json']).toBeDefined();
    expect(Object.keys(doc.body.paths['/verify/{code}'].get.responses['200'].content)).toEqual(['text/html']);
  });
});
