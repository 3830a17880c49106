import { eventually } from '../support/http';
import { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createActivities } from '../../activities';
import { MAIL_FROM, startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { testPayloadCodec, workflowBundle } from '../support/temporal';

// A registry outage: the population data and the civil-status registry refuse every call (the real
// activities behind a switch, as a registry whose server is down). No dossier fails; each shows as
// stuck in supervision with the failing call and its error in words; all go on when it is back.
// "Several minutes" is shortened: the outage lasts OUTAGE_MS (the calls fail 3 times with the
// registry calls' backoff), and supervision's 10-minute stuck rule is met by moving the dossiers'
// `updatedAt` 11 minutes back, as if that long had passed without progress.
const OUTAGE_MS = 10_000;
const WAIT_MS = 90_000;
const REGISTRY_ACTIVITIES = new Set(['verifyApplicant', 'findCivilStatusRecord', 'registerArchivedRecord', 'isEntitled']);
const OUTAGE_MESSAGE = 'Civil-status registry unavailable: connect ECONNREFUSED registry.city.internal:443';

const CITIZEN = { pin: '079088004127', email: 'nguyen.van.an@example.com' };
const CLERK = { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' };
const SUPERVISOR = { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' };
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

describe('a registry outage', () => {
  let env: IntegrationEnv;
  let app: Express;
  let worker: Worker;
  let workerRun: Promise<void>;
  let registryDown = false;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    app = env.createApi();
    const real = createActivities({ prisma: env.prisma, mailer: env.mailer, mailFrom: MAIL_FROM }) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const activities = Object.fromEntries(
      Object.entries(real).map(([name, fn]) => [
        name,
        REGISTRY_ACTIVITIES.has(name)
          ? async (...args: unknown[]) => {
              if (registryDown) throw new Error(OUTAGE_MESSAGE);
              return fn(...args);
            }
          : fn,
      ]),
    );
    worker = await Worker.create({
      connection: env.temporal.nativeConnection,
      namespace: 'default',
      taskQueue: env.temporal.taskQueue,
      workflowBundle: workflowBundle(),
      activities,
      dataConverter: { payloadCodecs: [testPayloadCodec] },
    });
    workerRun = worker.run();
    for (const [name, claims] of Object.entries({ citizen: { sub: CITIZEN.pin, role: 'citizen' }, clerk: CLERK, supervisor: SUPERVISOR })) {
      tokens[name] = (await request(app).post('/api/v1/auth/dev-token').send(claims).expect(200)).body.token as string;
    }
  }, 120_000);

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
    await env?.stop();
  }, 60_000);

  it('leaves every dossier waiting, lists each as stuck with the failing call, and completes all when it is back', async () => {
    // 1. The registry goes down; two dossiers are filed into it.
    registryDown = true;
    const downAt = Date.now();
    const ids: string[] = [];
    for (const key of ['faults-registry-1', 'faults-registry-2']) {
      const res = await request(app).post('/api/v1/dossiers').set('authorization', `Bearer ${tokens.citizen}`).set('Idempotency-Key', key).send(FILING).expect(201);
      ids.push(res.body.dossierId as string);
    }

    // 2. Each waits on the registry, retrying: the activity has failed at least twice, the workflow runs.
    for (const id of ids) {
      await waitUntil(`${id} retrying its registry call`, async () => {
        const d = await env.temporal.client.workflow.getHandle(id).describe();
        const pending = d.raw.pendingActivities ?? [];
        return pending.some((a) => (a.attempt ?? 0) >= 3) ? true : undefined;
      });
    }
    // The stuck rule needs no progress for 10 minutes: as if that long had passed.
    await env.prisma.$executeRaw`UPDATE "Dossier" SET "updatedAt" = now() - interval '11 minutes' WHERE id = ANY(${ids})`;
    const stuck = await request(app).get('/api/v1/supervision/dossiers?state=stuck').set('authorization', `Bearer ${tokens.supervisor}`).expect(200);
    const listed = (stuck.body as Array<{ dossierId: string; state: string; reason: string }>).filter((d) => ids.includes(d.dossierId));
    expect(listed.map((d) => d.dossierId).sort()).toEqual([...ids].sort());
    for (const item of listed) {
      expect(item.state).toBe('stuck');
      expect(item.reason).toMatch(/No progress for .*: verifyApplicant has failed \d+ times, last: Civil-status registry unavailable: connect ECONNREFUSED/);
    }
    for (const id of ids) {
      const d = await env.temporal.client.workflow.getHandle(id).describe();
      expect(d.status.name).toBe('RUNNING');
    }

    // 3. The registry is back: every dossier goes on to the clerk and is issued.
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    registryDown = false;
    const backAt = Date.now();
    for (const id of ids) {
      const task = await waitUntil(`the task of ${id}`, async () => {
        const res = await request(app).get('/api/v1/tasks').set('authorization', `Bearer ${tokens.clerk}`).expect(200);
        return (res.body as Array<{ taskId: string; dossierId: string; status: string }>).find((t) => t.dossierId === id && t.status === 'open');
      });
      await request(app).post(`/api/v1/tasks/${task.taskId}/claim`).set('authorization', `Bearer ${tokens.clerk}`).expect(200);
      await request(app).post(`/api/v1/tasks/${task.taskId}/complete`).set('authorization', `Bearer ${tokens.clerk}`).send({ outcome: 'approve' }).expect(200);
    }
    const resumedInMs = Date.now() - backAt;
    for (const id of ids) {
      expect(await env.temporal.client.workflow.getHandle(id).result()).toMatchObject({ dossierId: id, status: 'issued' });
      const mails = env.smtp.mails.filter((m) => m.to.includes(CITIZEN.email) && m.subject.includes(id)).map((m) => m.subject);
      expect(mails.sort()).toEqual([`Dossier ${id} received`, `Dossier ${id}: your extract is ready`].sort());
    }
    const stillStuck = await request(app).get('/api/v1/supervision/dossiers?state=stuck').set('authorization', `Bearer ${tokens.supervisor}`).expect(200);
    expect((stillStuck.body as Array<{ dossierId: string }>).filter((d) => ids.includes(d.dossierId))).toEqual([]);
    process.stdout.write(`faults-registry: outage ${OUTAGE_MS} ms; both dossiers at the clerk and approved ${resumedInMs} ms after the registry was back\n`);
  }, 120_000);
});
