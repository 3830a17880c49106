import type { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import type { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../api/app';
import { applyMigrations } from '../../prisma/migrate';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { seedDemoData } from '../../prisma/seed';
import { readinessChecks } from '../../system/readiness';
import { createProceduresWorker } from '../../worker';
import { bearer, eventually, tokensFor } from '../support/http';
import { MAIL_FROM, startIntegrationEnv, testLogger, type IntegrationEnv } from '../support/integration';
import { testPayloadCodec, workflowBundle } from '../support/temporal';
import { ENGINE_DATABASE, startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';

// PostgreSQL itself going away, on a server of this test's own: a database that stops taking
// connections and has its sessions ended (55000 on connect, 57P01 for the sessions, as the soak
// saw), and a server shut down with `pg_ctl stop -m fast` (57P01 for every session, then refused
// connections, and `connect ENOENT` for its Unix socket). Reads and writes of the API, those under
// way when it happens (held on a table lock) and those that come after, answer 503 with
// Retry-After, never 500; once it is back they answer again.

const CITIZEN = '079088004127';
const FILING = {
  procedure: 'civil-status-extract',
  unitCode: 'W-SAI-GON',
  data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: { fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' } },
};

describe('the database ending its sessions', () => {
  let env: IntegrationEnv;
  let pg: ThrowawayPostgres;
  let prisma: PrismaClient;
  let socketPrisma: PrismaClient;
  let app: Express;
  let overSocket: Express;
  let worker: Worker;
  let workerRun: Promise<void>;
  let t: Record<'citizen' | 'clerk', string>;
  let dossierId: string;
  let taskId: string;

  const api = (prismaClient: PrismaClient) =>
    createApp({
      config: env.config,
      logger: testLogger,
      prisma: prismaClient,
      temporal: env.temporal.client,
      readiness: readinessChecks({ temporal: env.temporal.client, prisma: prismaClient, mailer: env.mailer }),
      payloadCodec: testPayloadCodec,
    });

  beforeAll(async () => {
    [env, pg] = await Promise.all([startIntegrationEnv(), startThrowawayPostgres()]);
    await applyMigrations(pg.url);
    prisma = createPrismaClient(pg.url);
    socketPrisma = createPrismaClient(pg.socketUrl);
    await seedDemoData(prisma);
    app = api(prisma);
    overSocket = api(socketPrisma);
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
    t = await tokensFor(app, { citizen: { sub: CITIZEN, role: 'citizen' }, clerk: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' } });
    dossierId = (await file('sessions-first').expect(201)).body.dossierId as string;
    taskId = (await openTask()).taskId;
  }, 120_000);

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
    await Promise.all([prisma?.$disconnect(), socketPrisma?.$disconnect()]);
    await pg?.remove();
    await env?.stop();
  }, 60_000);

  function file(key: string, on: Express = app) {
    return request(on).post('/api/v1/dossiers').set(bearer(t.citizen)).set('Idempotency-Key', key).send(FILING);
  }
  function openTask() {
    return eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(t.clerk)).expect(200);
      return (res.body as Array<{ taskId: string; dossierId: string }>).find((x) => x.dossierId === dossierId);
    }, 30_000);
  }

  /** Two reads and two writes of the API. */
  const calls = (key: string, on: Express = app): Record<string, request.Test> => ({
    'GET /dossiers/{id}': request(on).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.citizen)),
    'GET /tasks': request(on).get('/api/v1/tasks').set(bearer(t.clerk)),
    'POST /dossiers': file(key, on),
    'POST /tasks/{id}/claim': request(on).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerk)),
  });

  /** Each answer as `status retry-after`, by call. */
  async function answers(pending: Record<string, request.Test>): Promise<Record<string, string>> {
    const entries = await Promise.all(Object.entries(pending).map(async ([name, req]) => [name, await req.then(answerOf)] as const));
    return Object.fromEntries(entries);
  }
  const answerOf = (res: request.Response) => `${res.status} ${res.headers['retry-after'] === undefined ? '(no Retry-After)' : 'Retry-After'}`;
  const allUnavailable = (names: Record<string, unknown>) => Object.fromEntries(Object.keys(names).map((name) => [name, '503 Retry-After']));

  /** A session holding the tables every call needs, so that calls made now wait on it. */
  async function lockTables(): Promise<Client> {
    const locker = await pg.session(ENGINE_DATABASE);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "Dossier", "Task" IN ACCESS EXCLUSIVE MODE');
    return locker;
  }

  /** The calls, started, once each of them waits on the lock (it is under way in the database). */
  async function underWay(key: string): Promise<{ answers: Promise<Record<string, string>> }> {
    const pending = answers(calls(key));
    pending.catch(() => undefined);
    const probe = await pg.session();
    try {
      await eventually(async () => {
        const { rows } = await probe.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [ENGINE_DATABASE]);
        return (rows[0]?.n ?? 0) >= 4 ? true : undefined;
      }, 10_000);
    } finally {
      await probe.end();
    }
    // Wrapped: an async function returning the promise itself would wait for it.
    return { answers: pending };
  }

  const answersAgain = () => eventually(async () => ((await request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.citizen))).status === 200 ? true : undefined), 30_000, 250);

  it('refusing connections (55000) and ending its sessions (57P01): 503 for calls under way and after', async () => {
    const locker = await lockTables();
    const pending = await underWay('sessions-refused-1');
    await pg.admin(`ALTER DATABASE ${ENGINE_DATABASE} WITH ALLOW_CONNECTIONS false`);
    await pg.admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${ENGINE_DATABASE}'`);
    await locker.end().catch(() => undefined);

    const during = await pending.answers;
    const after = await answers(calls('sessions-refused-2'));
    expect({ during, after }).toEqual({ during: allUnavailable(during), after: allUnavailable(after) });

    await pg.admin(`ALTER DATABASE ${ENGINE_DATABASE} WITH ALLOW_CONNECTIONS true`);
    await answersAgain();
  });

  it('shut down with pg_ctl stop -m fast: 503 for calls under way, after (refused), and over its Unix socket (ENOENT)', async () => {
    const locker = await lockTables();
    const pending = await underWay('sessions-stopped-1');
    pg.stop('fast');
    await locker.end().catch(() => undefined);

    const during = await pending.answers;
    const after = await answers(calls('sessions-stopped-2'));
    const socket = await answers(calls('sessions-stopped-3', overSocket));
    expect({ during, after, socket }).toEqual({ during: allUnavailable(during), after: allUnavailable(after), socket: allUnavailable(socket) });

    pg.start();
    await answersAgain();
    // A filing refused while it was down, retried with its key, makes its one dossier.
    const retried = (await file('sessions-stopped-2').expect(201)).body.dossierId as string;
    expect((await file('sessions-stopped-2').expect(201)).body.dossierId).toBe(retried);
  });
});
