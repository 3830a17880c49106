import type { Express } from 'express';
import request from 'supertest';
import { PERSONS } from '../../prisma/seed-data';
import { bearer, eventually, expectProblem, tokensFor } from '../support/http';
import { pngFrame, startEvidenceStore, type EvidenceStore } from '../support/evidence-store';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// What the person deciding a task sees (`GET /tasks/{taskId}`: `shown`), with the real worker behind
// the API: the civil-status extract's record and applicant (the registry views its definition's
// verify-and-sign step names), business registration's founders and name check, a traffic
// violation's evidence (the traffic fine module's own builder; its images through the API, checked
// by their hash).

interface Words {
  vi: string;
  en: string;
}
interface Line {
  key: string;
  label: Words;
  text: Words;
}
interface Field {
  key: string;
  label: Words;
  text?: Words;
  items?: Line[][];
  images?: Array<{ href: string | null; sha256: string }>;
}
interface TaskDetail {
  taskId: string;
  dossierId: string;
  step: string;
  shown: Field[];
}

const AN = PERSONS.find((p) => p.pin === '079088004127')!;
const HUONG = PERSONS.find((p) => p.pin === '079179006018')!;
const LAN = PERSONS.find((p) => p.pin === '079148000519')!; // her 1948 birth only in the paper books of W-SAI-GON
const masked = (pin: string) => `${'•'.repeat(8)}${pin.slice(-4)}`;
const field = (task: TaskDetail, key: string) => task.shown.find((f) => f.key === key);
const line = (lines: Line[] | undefined, key: string) => lines?.find((l) => l.key === key)?.text;

describe('what a task shows the person deciding it', () => {
  let env: IntegrationEnv;
  let app: Express;
  let store: EvidenceStore;
  let t: Record<'citizen' | 'founder' | 'lan' | 'camera' | 'clerk' | 'wardOfficer' | 'dofClerk' | 'officer' | 'otherClerk' | 'pc08Clerk' | 'tanDinhClerk', string>;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    store = await startEvidenceStore();
    app = env.createApi({ evidence: { origins: ['https://camera.csgt.example', store.origin] } });
    t = await tokensFor(app, {
      citizen: { sub: AN.pin, role: 'citizen' },
      founder: { sub: HUONG.pin, role: 'citizen' },
      lan: { sub: LAN.pin, role: 'citizen' },
      camera: { sub: 'camera-gateway.hcmc-pc08', role: 'system' },
      clerk: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
      wardOfficer: { sub: 'officer.w-ben-thanh', role: 'officer', unit: 'W-BEN-THANH' },
      dofClerk: { sub: 'clerk.hcmc-dof', role: 'clerk', unit: 'HCMC-DOF' },
      officer: { sub: 'officer.hcmc-pc08', role: 'officer', unit: 'HCMC-PC08' },
      otherClerk: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      pc08Clerk: { sub: 'clerk.hcmc-pc08', role: 'clerk', unit: 'HCMC-PC08' },
      tanDinhClerk: { sub: 'clerk.w-tan-dinh', role: 'clerk', unit: 'W-TAN-DINH' },
    });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await env?.stop();
  });

  async function firstTask(token: string, dossierId: string, step: string): Promise<TaskDetail> {
    const listed = await eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(token)).expect(200);
      return (res.body as TaskDetail[]).find((task) => task.dossierId === dossierId && task.step === step);
    }, 60_000, 200);
    return (await request(app).get(`/api/v1/tasks/${listed.taskId}`).set(bearer(token)).expect(200)).body as TaskDetail;
  }

  it("civil-status extract: the clerk signs on the record's content and the applicant as the population data knows them, the number masked", async () => {
    const filed = await request(app)
      .post('/api/v1/dossiers')
      .set(bearer(t.citizen))
      .send({ procedure: 'civil-status-extract', unitCode: 'W-BEN-THANH', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' } })
      .expect(201);
    const task = await firstTask(t.clerk, filed.body.dossierId as string, 'verify-and-sign');
    const applicant = field(task, 'applicant')?.items?.[0];
    expect(line(applicant, 'fullName')).toEqual({ vi: AN.fullName, en: AN.fullName });
    expect(line(applicant, 'dateOfBirth')?.vi).toBe('14/03/1988');
    expect(line(applicant, 'pin')?.vi).toBe(masked(AN.pin));
    const record = field(task, 'record')?.items?.[0];
    expect(line(record, 'recordId')?.vi).toBe('HT-BIRTH-2019-000123');
    expect(line(record, 'kind')).toEqual({ vi: 'Khai sinh', en: 'Birth' });
    expect(line(record, 'childName')?.vi).toBe('Nguyễn Minh Khang');
    expect(line(record, 'registeredAt')?.vi).toMatch(/^Phường Bến Thành/);
    expect(record?.find((l) => l.key === 'childName')?.label).toEqual({ vi: 'Họ và tên', en: 'Full name' });
    // The look-up that found it, as the step's results: its outcome and where the record is registered.
    expect(field(task, 'results.registry-lookup')?.text?.vi).toMatch(/^Đã tìm thấy; Số đăng ký: HT-BIRTH-2019-000123; Nơi đăng ký: Phường/);
    expect(field(task, 'results.digitise')).toBeUndefined();
    expect(JSON.stringify(task.shown)).not.toContain(AN.pin);

    // Only those who work the step (and the unit's supervisors) see it.
    expectProblem(await request(app).get(`/api/v1/tasks/${task.taskId}`).set(bearer(t.wardOfficer)), 403);
    expectProblem(await request(app).get(`/api/v1/tasks/${task.taskId}`).set(bearer(t.otherClerk)), 404);
  });

  it('civil-status extract from the paper archive: the clerk signs on the record as the archive search digitised it', async () => {
    const filed = await request(app)
      .post('/api/v1/dossiers')
      .set(bearer(t.lan))
      .send({ procedure: 'civil-status-extract', unitCode: 'W-TAN-DINH', data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-1948-000031' } })
      .expect(201);
    const dossierId = filed.body.dossierId as string;
    const search = await firstTask(t.otherClerk, dossierId, 'archive-search');
    expect(field(search, 'applicant')).toBeUndefined(); // the archive search names no view
    const details = { childName: 'Võ Thị Lan', dateOfBirth: '1948-02-05', placeOfBirth: 'Sài Gòn' };
    const record = { registeredOn: '1948-02-20', bookNumber: 'KS-1948/01', pageNumber: 31, subjectPin: LAN.pin, partyPins: [LAN.pin], details };
    await request(app).post(`/api/v1/tasks/${search.taskId}/complete`).set(bearer(t.otherClerk)).send({ outcome: 'found', data: { record } }).expect(200);

    const task = await firstTask(t.tanDinhClerk, dossierId, 'verify-and-sign');
    const lines = field(task, 'record')?.items?.[0];
    expect(line(lines, 'recordId')?.vi).toBe('HT-BIRTH-1948-000031');
    expect(line(lines, 'bookNumber')?.vi).toBe('KS-1948/01');
    expect(line(lines, 'pageNumber')?.vi).toBe('31');
    expect(line(lines, 'registeredOn')?.vi).toBe('20/02/1948');
    expect(line(lines, 'placeOfBirth')?.vi).toBe('Sài Gòn');
    expect(line(field(task, 'applicant')?.items?.[0], 'fullName')?.vi).toBe(LAN.fullName);
    expect(field(task, 'results.digitise')?.text?.vi).toBe('Đã số hóa; Số đăng ký: HT-BIRTH-1948-000031');
    expect(JSON.stringify(task.shown)).not.toContain(LAN.pin);
  });

  it("business registration: the review shows the founders by name, masked number, role and share, and the name check", async () => {
    const demo = await request(app).get('/api/v1/dev/demo').expect(200);
    const example = demo.body.examples['business-registration'] as { body: object };
    const filed = await request(app).post('/api/v1/dossiers').set(bearer(t.founder)).send(example.body).expect(201);
    const task = await firstTask(t.dofClerk, filed.body.dossierId as string, 'review');
    const founders = field(task, 'filing.founders');
    expect(founders?.label).toEqual({ vi: 'Người thành lập', en: 'Founders' });
    const first = founders?.items?.[0];
    expect(line(first, 'fullName')?.vi).toBe(HUONG.fullName);
    expect(line(first, 'pin')?.vi).toBe(masked(HUONG.pin));
    expect(line(first, 'roles')).toEqual({ vi: 'Người thành lập, Người đại diện theo pháp luật', en: 'Founder, Legal representative' });
    expect(line(first, 'capitalShare')?.vi).toBe('300.000.000 ₫');
    expect(line(founders?.items?.[1], 'fullName')?.vi).toBe(AN.fullName);
    expect(field(task, 'filing.charterCapital')?.text?.vi).toBe('500.000.000 ₫');
    expect(field(task, 'filing.legalRepresentativePin')?.text?.vi).toBe(`${HUONG.fullName} (${masked(HUONG.pin)})`);
    expect(field(task, 'results.name-check')?.text).toEqual(expect.objectContaining({ vi: expect.stringMatching(/trùng tên/i) }));
    expect(field(task, 'round')?.text?.vi).toBe('1');
    const json = JSON.stringify(task.shown);
    expect(json).not.toContain(HUONG.pin);
    expect(json).not.toContain(AN.pin);
  });

  it('traffic fine: the officer reads the plate from the evidence images (served through the API when they are the evidence), with the place, time, violation and fine', async () => {
    const frame = store.put('frame-1', pngFrame(64, 40, [200, 30, 30]));
    const other = store.put('frame-2', pngFrame(64, 40, [30, 30, 200]));
    const capturedAt = new Date(Date.now() - 3_600_000);
    const posted = await request(app)
      .post('/api/v1/violations')
      .set(bearer(t.camera))
      .send({
        source: 'camera:BT-LL-NH-01',
        capturedAt: capturedAt.toISOString(),
        location: { unitCode: 'W-BEN-THANH', description: 'Giao lộ Lê Lợi – Nguyễn Huệ' },
        violationCode: 'RED-LIGHT-CAR',
        evidence: [frame, { sha256: other.sha256 }, { sha256: frame.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')), uri: other.uri }],
      })
      .expect(201);
    const task = await firstTask(t.officer, posted.body.dossierId as string, 'read-plate');
    const images = field(task, 'evidence')?.images ?? [];
    expect(images.map((i) => i.href)).toEqual([`/api/v1/tasks/${task.taskId}/evidence/0`, null, `/api/v1/tasks/${task.taskId}/evidence/2`]);
    expect(field(task, 'violation')?.text?.vi).toBe('Ô tô không chấp hành hiệu lệnh của đèn tín hiệu giao thông');
    expect(field(task, 'fineAmount')?.text?.vi).toBe('19.000.000 ₫');
    expect(field(task, 'location')?.text?.vi).toMatch(/^Giao lộ Lê Lợi – Nguyễn Huệ, Phường Bến Thành/);
    const local = new Date(capturedAt.getTime() + 7 * 3_600_000).toISOString();
    expect(field(task, 'capturedAt')?.text?.vi).toBe(`${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)} (GMT+7)`);
    expect(field(task, 'plateNumber')?.text).toEqual({ vi: 'Không có', en: 'None' });
    expect(field(task, 'reason')?.text?.vi).toMatch(/biển số/);

    const image = await request(app).get(images[0]!.href!).set(bearer(t.officer)).buffer(true).expect(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(image.body as Buffer, pngFrame(64, 40, [200, 30, 30]))).toBe(0);
    // Posted without an address: nothing to fetch. Stored bytes that are not the evidence's: refused.
    expectProblem(await request(app).get(`/api/v1/tasks/${task.taskId}/evidence/1`).set(bearer(t.officer)), 404);
    expectProblem(await request(app).get(images[2]!.href!).set(bearer(t.officer)), 502);
    // A clerk of the same unit does not work the step.
    expectProblem(await request(app).get(images[0]!.href!).set(bearer(t.pc08Clerk)), 403);
  });
});
