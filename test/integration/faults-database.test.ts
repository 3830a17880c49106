import { eventually } from '../support/http';
import net from 'node:net';
import type { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { readinessChecks } from '../../system/readiness';
import { createProceduresWorker } from '../../worker';
import { MAIL_FROM, startIntegrationEnv, testLogger, type IntegrationEnv } from '../support/integration';
import { freePort } from '../../system/ports';
import { testPayloadCodec, workflowBundle } from '../support/temporal';

// The database stopped: the API and the worker reach PostgreSQL through a TCP proxy on loopback
// that the test closes (every connection cut, new ones refused) for OUTAGE_MS, as a stopped server
// would. /readyz says the database is down, writes answer 503 with Retry-After, nothing is
// half-written, and every dossier completes afterwards (the activities retry).
// The tracker's 30 s are shortened to 10 s: the behaviour is the same (refused connections, retries
// with backoff); only the number of retries differs.
const OUTAGE_MS = 10_000;
const WAIT_MS = 90_000;

const CITIZEN = { pin: '079088004127', email: 'nguyen.van.an@example.com' };
const CLERK = { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' };
const FILING = {
  procedure: 'civil-status-extract',
  unitCode: 'W-SAI-GON',
  data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: { fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' } },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `eventually` (test/support/http.ts) with the outage tests' patience, saying what was awaited. */
function waitUntil<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  return eventually(probe, WAIT_MS, 250).catch((error: Error) => {
    throw new Error(`${what}: ${error.message}`, { cause: error });
  });
}

/** A TCP proxy to host:port that can be stopped (connections cut, new ones refused) and started again. */
class Proxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('the database stopped for a while', () => {
  let env: IntegrationEnv;
  let proxy: Proxy;
  let prisma: PrismaClient;
  let app: Express;
  let worker: Worker;
  let workerRun: Promise<void>;
  let citizen: string;
  let clerk: string;

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    const target = new URL(env.db.url);
    proxy = new Proxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    await proxy.up();
    const viaProxy = new URL(env.db.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    prisma = createPrismaClient(viaProxy.toString());
    app = createApp({
      config: env.config,
      logger: testLogger,
      prisma,
      temporal: env.temporal.client,
      readiness: readinessChecks({ temporal: env.temporal.client, prisma, mailer: env.mailer }),
      payloadCodec: testPayloadCodec,
    });
    worker = await createProceduresWorker({
      payloadCodec: testPayloadCodec,
      connection: env.temporal.nativeConnection,
      namespace: 'default',
      taskQueue: env.temporal.taskQueue,
      workflowBundle: workflowBundle(),
      prisma,
      mailer: env.mailer,
      mailFrom: MAIL_FROM,
    });
    workerRun = worker.run();
    const token = async (claims: object) => (await request(app).post('/api/v1/auth/dev-token').send(claims).expect(200)).body.token as string;
    [citizen, clerk] = await Promise.all([token({ sub: CITIZEN.pin, role: 'citizen' }), token(CLERK)]);
  }, 120_000);

  afterAll(async () => {
    await proxy?.up();
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
    await prisma?.$disconnect();
    await proxy?.down();
    await env?.stop();
  }, 60_000);

  const openTask = (dossierId: string) =>
    waitUntil(`the task of ${dossierId}`, async () => {
      const res = await request(app).get('/api/v1/tasks').set('authorization', `Bearer ${clerk}`).expect(200);
      return (res.body as Array<{ taskId: string; dossierId: string; status: string }>).find((t) => t.dossierId === dossierId && t.status === 'open');
    });
  const approve = async (taskId: string) => {
    await request(app).post(`/api/v1/tasks/${taskId}/claim`).set('authorization', `Bearer ${clerk}`).expect(200);
    await request(app).post(`/api/v1/tasks/${taskId}/complete`).set('authorization', `Bearer ${clerk}`).send({ outcome: 'approve' }).expect(200);
  };
  const file = (key: string) =>
    request(app).post('/api/v1/dossiers').set('authorization', `Bearer ${citizen}`).set('Idempotency-Key', key).send(FILING);

  it('answers 503 while it is down, writes nothing half-way, and completes every dossier afterwards', async () => {
    // 1. A dossier approved just before the outage: its issuing runs into it and must retry.
    const first = (await file('faults-db-first').expect(201)).body.dossierId as string;
    await approve((await openTask(first)).taskId);

    // 2. The database goes away.
    await proxy.down();
    const downAt = Date.now();

    const readyz = await request(app).get('/readyz');
    expect(readyz.status).toBe(503);
    expect(readyz.headers['retry-after']).toMatch(/^\d+$/);
    expect(readyz.body.checks.database.ok).toBe(false);
    expect(readyz.body.checks.temporal.ok).toBe(true);

    const startedAt = Date.now();
    const during = await file('faults-db-during');
    const answeredInMs = Date.now() - startedAt;
    expect({ status: during.status, type: during.headers['content-type'], retryAfter: during.headers['retry-after'] }).toEqual({
      status: 503,
      type: expect.stringContaining('application/problem+json'),
      retryAfter: expect.stringMatching(/^\d+$/),
    });
    expect(answeredInMs).toBeLessThan(5_000);
    const read = await request(app).get(`/api/v1/dossiers/${first}`).set('authorization', `Bearer ${citizen}`);
    expect(read.status).toBe(503);

    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    await proxy.up();

    // 3. Back: ready again, the failed filing retried with its key makes one dossier.
    await waitUntil('ready again', async () => ((await request(app).get('/readyz')).status === 200 ? true : undefined));
    const second = (await file('faults-db-during').expect(201)).body.dossierId as string;
    expect((await file('faults-db-during').expect(201)).body.dossierId).toBe(second);
    await approve((await openTask(second)).taskId);

    // 4. Both issued; each mail once; each history line once; every workflow completed.
    for (const dossierId of [first, second]) {
      const outcome = await env.temporal.client.workflow.getHandle(dossierId).result();
      expect(outcome).toMatchObject({ dossierId, status: 'issued' });
      const mails = env.smtp.mails.filter((m) => m.to.includes(CITIZEN.email) && m.subject.includes(dossierId)).map((m) => m.subject);
      // Filed with no Accept-Language: Vietnamese mails.
      expect(mails.sort()).toEqual([`Hồ sơ ${dossierId} đã được tiếp nhận`, `Hồ sơ ${dossierId}: đã cấp trích lục`].sort());
      const events = await env.prisma.dossierEvent.findMany({ where: { dossierId } });
      const lines = events.map((e) => `${e.step}:${e.outcome}`);
      expect(new Set(lines).size).toBe(lines.length);
      expect(lines).toEqual(expect.arrayContaining(['receive:received', 'verify-and-sign:approve', 'issue:issued']));
      expect(await env.prisma.issuedDocument.count({ where: { dossierId } })).toBe(1);
    }
    const dossiers = await env.prisma.dossier.findMany({ where: { applicantPin: CITIZEN.pin } });
    expect(dossiers.map((d) => d.id).sort()).toEqual([first, second].sort());
    const keys = await env.prisma.idempotencyRecord.findMany({ where: { callerSub: CITIZEN.pin } });
    expect(keys.map((k) => ({ key: k.key, status: k.status })).sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'faults-db-during', status: 201 },
      { key: 'faults-db-first', status: 201 },
    ]);
    process.stdout.write(`faults-database: write answered 503 in ${answeredInMs} ms with the database down\n`);
  }, 120_000);
});
