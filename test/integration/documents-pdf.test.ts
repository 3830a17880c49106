import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createDocumentSigner, verifyDocumentSignature } from '../../common/document-signing';
import { readSignature, SIGNATURE_ENTRY, verifyDocumentPdf } from '../../api/documents/pdf-signature';
import { bearer, tokensFor } from '../support/http';
import { dossierClient } from '../support/dossier-client';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { binary, pdfQrCodes, pdfText, withInfoEntry } from '../support/pdf-reading';

// Documents a citizen can hold, through the public HTTP contract with the real worker, Temporal,
// PostgreSQL and SMTP behind it: the signed PDF (read back as a viewer, a phone and the offline check
// would), the keys that sign it, and the public page its QR code opens.

const AN = { pin: '079088004127', fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' };

describe('documents a citizen can hold', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'an' | 'binh' | 'clerkSaiGon' | 'camera' | 'officer', string>;
  let code: string;
  let dossierId: string;
  const { file, waitForTask, waitForStatus, complete } = dossierClient(() => app, { waitMs: 20_000, language: 'vi' });

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, {
      an: { sub: AN.pin, role: 'citizen' },
      binh: { sub: '079090001234', role: 'citizen' },
      clerkSaiGon: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      camera: { sub: 'camera-gateway.hcmc-pc08', role: 'system' },
      officer: { sub: 'officer.hcmc-pc08', role: 'officer', unit: 'HCMC-PC08' },
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

  describe('as a signed PDF', () => {
    let pdf: Buffer;
    const downloadPdf = (token: string) => request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(token)).set('Accept', 'application/pdf').buffer(true).parse(binary);
    const keys = async () => (await request(app).get('/.well-known/document-keys.json').expect(200)).body;

    beforeAll(async () => {
      const res = await downloadPdf(t.an).expect(200);
      expect(res.type).toBe('application/pdf');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.vary).toMatch(/Accept/);
      expect(res.headers['content-disposition']).toBe(`inline; filename="${code}.pdf"`);
      pdf = res.body as Buffer;
    });

    it('is a PDF that prints the document in Vietnamese, diacritics and all, with its code and the holder\'s number', async () => {
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = await pdfText(pdf);
      const expected = ['TRÍCH LỤC KHAI SINH', 'Mã xác thực', code, 'Họ và tên người được cấp', 'Nguyễn Văn An', 'Số định danh cá nhân', AN.pin,
        'Nguyễn Minh Khang', '10/05/2019', 'Ngày cấp', 'Cơ quan cấp', 'Phường Sài Gòn', `http://procedures.test/verify/${code}`, 'Trang 1/1'];
      for (const words of expected) expect(text).toContain(words);
    });

    it('carries a QR code of the public verification page', async () => {
      expect(await pdfQrCodes(pdf)).toEqual([`http://procedures.test/verify/${code}`]);
    });

    it('carries its signature, which the offline check verifies with the published keys', async () => {
      const { keyId, statement } = await verifyDocumentPdf(pdf, await keys());
      expect(keyId).toBe('dev');
      expect(statement).toMatchObject({ code, kind: 'civil-status-extract/BIRTH', issuedBy: 'Phường Sài Gòn', holder: { name: AN.fullName, pin: AN.pin }, content: { recordId: 'HT-BIRTH-2019-000123' } });
    });

    it('fails the offline check once a byte of the signed statement changes, or against keys that did not sign it', async () => {
      const [header, payload, signature] = (await readSignature(pdf)).split('.') as [string, string, string];
      const statement = Buffer.from(payload, 'base64url');
      const last = statement.indexOf('HT-BIRTH-2019-000123') + 19;
      statement[last] = statement[last]! ^ 1; // ...0123 becomes ...0122
      const tampered = await withInfoEntry(pdf, SIGNATURE_ENTRY, `${header}.${statement.toString('base64url')}.${signature}`);
      await expect(verifyDocumentPdf(tampered, await keys())).rejects.toThrow(/signature verification failed/);
      const otherKeys = createDocumentSigner({ keys: `2026-11:${Buffer.alloc(32, 7).toString('base64')}`, devMode: false }).jwks();
      await expect(verifyDocumentPdf(pdf, otherKeys)).rejects.toThrow(/no applicable key/);
      // Same kid, another key: the check is the key's, not its name's.
      await expect(verifyDocumentPdf(pdf, { keys: otherKeys.keys.map((k) => ({ ...k, kid: 'dev' })) })).rejects.toThrow(/signature verification failed/);
    });

    it('is not served to a stranger (404, as the JSON)', async () => {
      const res = await downloadPdf(t.binh).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  it('gives an English copy when the reader asks for one, signed the same', async () => {
    const res = await request(app).get(`/api/v1/dossiers/${dossierId}/document?lang=en`).set(bearer(t.an)).set('Accept', 'application/pdf').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-language']).toBe('en');
    const text = await pdfText(res.body as Buffer);
    for (const words of ['EXTRACT OF BIRTH REGISTRATION', 'Verification code', 'Issued to', 'Nguyễn Văn An', 'SOCIALIST REPUBLIC OF VIET NAM', 'Page 1/1']) expect(text).toContain(words);
    expect(text).not.toContain('Mã xác thực');
    const byHeader = await request(app).get(`/api/v1/dossiers/${dossierId}/document`).set(bearer(t.an)).set('Accept', 'application/pdf').set('Accept-Language', 'en-US,en;q=0.9').buffer(true).parse(binary).expect(200);
    expect(await pdfText(byHeader.body as Buffer)).toContain('Issued on');
    const { statement } = await verifyDocumentPdf(res.body as Buffer, (await request(app).get('/.well-known/document-keys.json')).body);
    expect(statement).toMatchObject({ code, kind: 'civil-status-extract/BIRTH' });
  });

  it('gives the owner of a fined vehicle the notice as a PDF: the violation by its name, the fine in đồng, place and time', async () => {
    const evidence = {
      source: 'camera:BT-LL-NH-01',
      capturedAt: new Date(Date.now() - 120_000).toISOString(),
      location: { unitCode: 'W-BEN-THANH', description: 'Giao lộ Lê Lợi – Nguyễn Huệ' },
      plateNumber: '51F-123.45',
      violationCode: 'RED-LIGHT-CAR',
      evidence: [{ sha256: randomBytes(32).toString('hex') }],
    };
    const opened = await request(app).post('/api/v1/violations').set(bearer(t.camera)).send(evidence).expect(201);
    const fineId = opened.body.dossierId as string;
    const confirm = await waitForTask(t.officer, fineId, 'confirm');
    expect((await complete(t.officer, confirm.taskId, { outcome: 'confirm' })).status).toBe(200);
    await waitForStatus(t.an, fineId, 'awaiting-response');
    const res = await request(app).get(`/api/v1/dossiers/${fineId}/document`).set(bearer(t.an)).set('Accept', 'application/pdf').buffer(true).parse(binary).expect(200);
    const text = await pdfText(res.body as Buffer);
    for (const words of ['THÔNG BÁO VI PHẠM HÀNH CHÍNH', '51F-123.45', 'Mức phạt', '19.000.000 ₫', 'Giao lộ Lê Lợi – Nguyễn Huệ', 'Phường Bến Thành', 'Nguyễn Văn An']) expect(text).toContain(words);
    expect(text).not.toContain('RED-LIGHT-CAR');
    expect(text).toMatch(/Thời điểm vi phạm:?\s*\d\d\/\d\d\/\d{4} \d\d:\d\d/);
    const notice = (await request(app).get(`/api/v1/dossiers/${fineId}/document`).set(bearer(t.an)).expect(200)).body as { code: string };
    expect(await pdfQrCodes(res.body as Buffer)).toEqual([`http://procedures.test/verify/${notice.code}`]);
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

  it('documents the two representations, the keys and the page in the OpenAPI description', async () => {
    const doc = await request(app).get('/api/v1/openapi.json').expect(200);
    const document = doc.body.paths['/api/v1/dossiers/{dossierId}/document'].get.responses['200'].content;
    expect(Object.keys(document)).toEqual(['application/json', 'application/pdf']);
    expect(document['application/pdf'].schema).toEqual({ type: 'string', format: 'binary', contentMediaType: 'application/pdf' });
    expect(doc.body.paths['/.well-known/document-keys.json']).toBeDefined();
    expect(Object.keys(doc.body.paths['/verify/{code}'].get.responses['200'].content)).toEqual(['text/html']);
  });
});
