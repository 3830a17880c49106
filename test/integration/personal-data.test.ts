import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { Express } from 'express';
import request from 'supertest';
import { businessRegistration } from '../../procedures/business-registration/definition';
import { trafficFine } from '../../procedures/traffic-fine/definition';
import { PERSONS } from '../../prisma/seed-data';
import { bearer, eventually, tokenFor, tokensFor } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { testPayloadCodec } from '../support/temporal';

// What Temporal keeps of citizens: a sweep of the finished dossiers of every path, over everything
// the server stores and its Web UI shows (inputs, results, activity and update payloads, failures,
// search attributes, workflow ids). No ID number, name or birth date may be readable in clear.

const PIN = { an: '079088004127', ngoc: '079190012583', lan: '079148000519', huong: '079179006018', tam: '079050001873' } as const;

/** Every personal value of the demo residents, as it could appear: IDs, names, birth dates. */
const PERSONAL_VALUES = PERSONS.flatMap((p) => [p.pin, p.fullName, p.dateOfBirth]);

/** Every payload in a history (wherever it sits), and every string outside payloads. */
function walk(node: unknown, payloads: Payload[], strings: string[]): void {
  if (node === null || node === undefined) return;
  if (typeof node === 'string') strings.push(node);
  else if (Array.isArray(node)) for (const item of node) walk(item, payloads, strings);
  else if (typeof node === 'object') {
    const value = node as Record<string, unknown>;
    if (value.data instanceof Uint8Array && (value.metadata === undefined || typeof value.metadata === 'object')) payloads.push(value as Payload);
    for (const [key, child] of Object.entries(value)) if (key !== 'data') walk(child, payloads, strings);
  }
}

const asText = (payloads: Payload[]) => payloads.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
const found = (haystack: string) => PERSONAL_VALUES.filter((v) => haystack.includes(v));

describe('personal data in Temporal', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'an' | 'ngoc' | 'lan' | 'huong' | 'tam' | 'clerkBenThanh' | 'clerkSaiGon' | 'clerkTanDinh' | 'clerkDof', string>;
  const dossierIds: string[] = [];

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    app = env.createApi();
    t = await tokensFor(app, {
      an: { sub: PIN.an, role: 'citizen' },
      ngoc: { sub: PIN.ngoc, role: 'citizen' },
      lan: { sub: PIN.lan, role: 'citizen' },
      huong: { sub: PIN.huong, role: 'citizen' },
      tam: { sub: PIN.tam, role: 'citizen' },
      clerkBenThanh: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      clerkSaiGon: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      clerkTanDinh: { sub: 'clerk.w-tan-dinh', role: 'clerk', unit: 'W-TAN-DINH' },
      clerkDof: { sub: 'clerk.hcmc-dof', role: 'clerk', unit: 'HCMC-DOF' },
    });
  });
  afterAll(() => env?.stop());

  async function file(token: string, procedure: string, unitCode: string, data: object): Promise<string> {
    const res = await request(app).post('/api/v1/dossiers').set(bearer(token)).set('Idempotency-Key', randomUUID()).send({ procedure, unitCode, data });
    if (res.status !== 201) throw new Error(`filing answered ${res.status}: ${JSON.stringify(res.body)}`);
    dossierIds.push(res.body.dossierId as string);
    return res.body.dossierId as string;
  }

  function task(token: string, dossierId: string, step: string): Promise<{ taskId: string }> {
    return eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(token));
      return (res.body as Array<{ taskId: string; dossierId: string; step: string }>).find((x) => x.dossierId === dossierId && x.step === step);
    });
  }

  async function complete(token: string, taskId: string, body: object): Promise<void> {
    const res = await request(app).post(`/api/v1/tasks/${taskId}/complete`).set(bearer(token)).send(body);
    if (res.status !== 200) throw new Error(`completing ${taskId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  it('keeps no ID number, name or birth date in clear in any history of every path', async () => {
    // Civil-status extract: issued; issued after an archive search; refused (not named in the record;
    // name mismatch; nothing to search); cancelled.
    const issued = await file(t.an, 'civil-status-extract', 'W-BEN-THANH', { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: { fullName: 'Nguyễn Văn An' } });
    await complete(t.clerkBenThanh, (await task(t.clerkBenThanh, issued, 'verify-and-sign')).taskId, { outcome: 'approve' });
    // Võ Thị Lan's 1948 birth is only in the paper books of Sài Gòn; she files at Tân Định.
    const archived = await file(t.lan, 'civil-status-extract', 'W-TAN-DINH', { kind: 'BIRTH', recordRef: 'HT-BIRTH-1948-000031' });
    const search = await task(t.clerkSaiGon, archived, 'archive-search');
    const entry = { registeredOn: '1948-02-20', bookNumber: 'KS-1948/01', pageNumber: 31, subjectPin: PIN.lan, partyPins: [PIN.lan], details: { childName: 'Võ Thị Lan', dateOfBirth: '1948-02-05' } };
    await complete(t.clerkSaiGon, search.taskId, { outcome: 'found', data: { record: entry } });
    await complete(t.clerkTanDinh, (await task(t.clerkTanDinh, archived, 'verify-and-sign')).taskId, { outcome: 'approve' });
    await file(t.ngoc, 'civil-status-extract', 'W-BEN-THANH', { kind: 'BIRTH', recordRef: 'HT-BIRTH-2014-001092' });
    await file(t.an, 'civil-status-extract', 'W-BEN-THANH', { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: { fullName: 'Trần Văn Khác', dateOfBirth: '1970-01-01' } });
    await file(t.tam, 'civil-status-extract', 'W-BEN-THANH', { kind: 'BIRTH', recordRef: 'HT-BIRTH-1900-000001' });
    const cancelled = await file(t.an, 'civil-status-extract', 'W-BEN-THANH', { kind: 'MARRIAGE', subjectPin: PIN.ngoc });
    await task(t.clerkBenThanh, cancelled, 'verify-and-sign');
    await request(app).post(`/api/v1/dossiers/${cancelled}/cancel`).set(bearer(t.an)).send({ reason: 'Đã có bản sao' }).expect(200);

    // Business registration: a supplement that changes the founders, then registered; an unknown founder.
    const data = businessRegistration.example.body.data;
    const business = await file(t.huong, 'business-registration', 'HCMC-DOF', { ...data, proposedName: 'Công ty TNHH Gốm Biên Hòa Xanh' });
    await complete(t.clerkDof, (await task(t.clerkDof, business, 'review')).taskId, {
      outcome: 'request-supplement',
      data: { items: [{ field: 'founders', problem: 'Add each founder’s share' }] },
    });
    await eventually(async () => ((await request(app).get(`/api/v1/dossiers/${business}`).set(bearer(t.huong))).body.awaiting ? true : undefined));
    await request(app)
      .post(`/api/v1/dossiers/${business}/supplement`)
      .set(bearer(t.huong))
      .send({ data: { founders: [{ pin: PIN.huong, capitalShare: 250_000_000 }, { pin: PIN.an, capitalShare: 250_000_000 }] } })
      .expect(200);
    await complete(t.clerkDof, (await task(t.clerkDof, business, 'review')).taskId, { outcome: 'approve' });
    await file(t.huong, 'business-registration', 'HCMC-DOF', { ...data, founders: [data.founders[0]!, { pin: '079099999999', capitalShare: 200_000_000 }] });

    // Traffic fines: a camera's evidence of An's car, confirmed, paid; an unregistered plate whose
    // owner an officer finds (her ID goes through Temporal in the task's outcome), paid.
    const [camera, officer] = [await tokenFor(app, { sub: 'camera-gateway.hcmc-pc08', role: 'system' }), await tokenFor(app, { sub: 'officer.hcmc-pc08', role: 'officer', unit: 'HCMC-PC08' })];
    const evidence = (plateNumber: string) => ({ ...trafficFine.example.body.data, plateNumber, capturedAt: new Date(Date.now() - 3_600_000).toISOString(), evidence: [{ sha256: randomBytes(32).toString('hex') }] });
    const fines: Array<[plate: string, owner: 'an' | 'ngoc']> = [['51F-123.45', 'an'], ['30A-999.99', 'ngoc']];
    for (const [plate, owner] of fines) {
      const fine = (await request(app).post('/api/v1/violations').set(bearer(camera)).send(evidence(plate)).expect(201)).body.dossierId as string;
      dossierIds.push(fine);
      await complete(officer, (await task(officer, fine, 'confirm')).taskId, { outcome: 'confirm' });
      if (owner === 'ngoc') await complete(officer, (await task(officer, fine, 'find-owner')).taskId, { outcome: 'owner-found', data: { ownerPin: PIN.ngoc } });
      await eventually(async () => ((await request(app).get(`/api/v1/dossiers/${fine}`).set(bearer(t[owner]))).body.status === 'awaiting-response' ? true : undefined));
      await request(app).post(`/api/v1/dossiers/${fine}/respond`).set(bearer(t[owner])).set('Idempotency-Key', `pay-${fine}`).send({ action: 'pay', amount: 19_000_000 }).expect(200);
    }

    // Every one of them finishes.
    const raw = new Client({ connection: env.temporal.client.connection }); // no codec: what the server stores
    await Promise.all(dossierIds.map((id) => env.temporal.client.workflow.getHandle(id).result()));
    const payloads: Payload[] = [];
    const strings: string[] = [...dossierIds];
    for (const id of dossierIds) {
      const history = await raw.workflow.getHandle(id).fetchHistory();
      expect(history.events?.length).toBeGreaterThan(10);
      walk(history, payloads, strings);
      const description = await raw.workflow.getHandle(id).describe();
      strings.push(JSON.stringify(description.searchAttributes));
    }

    expect(found(strings.join('\n'))).toEqual([]);
    expect(found(asText(payloads))).toEqual([]);
    // The sweep can fail: decrypted, the archive clerk's entry and the supplement do name people.
    const decrypted = asText(await testPayloadCodec.decode(payloads));
    expect(found(decrypted)).toEqual(expect.arrayContaining([PIN.lan, PIN.an, PIN.ngoc]));
    expect(payloads.length).toBeGreaterThan(100);

    // The Web UI's codec endpoint shows them in clear to an operator (a `system` token) only.
    const wire = { payloads: payloads.slice(0, 50).map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data ?? []).toString('base64') })) };
    const production = env.createApi({ devMode: false });
    const [operator, citizen] = [await tokenFor(app, { sub: 'temporal-ui', role: 'system' }), t.an];
    expect((await request(production).post('/api/v1/codec/decode').send(wire)).status).toBe(401);
    expect((await request(production).post('/api/v1/codec/decode').set(bearer(citizen)).send(wire)).status).toBe(403);
    const decoded = await request(production).post('/api/v1/codec/decode').set(bearer(operator)).send(wire).expect(200);
    expect(decoded.headers['cache-control']).toBe('no-store');
    const clear = (decoded.body.payloads as Array<{ data: string; metadata: Record<string, string> }>).map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
    expect(clear).toContain(dossierIds[0]);
    expect(Buffer.from(decoded.body.payloads[0].metadata.encoding, 'base64').toString()).toMatch(/^json\//);
  }, 120_000);
});
