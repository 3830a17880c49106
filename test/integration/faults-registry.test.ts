import { eventually } from '../support/http';
import { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createActivities } from '../../activities';
import { MAIL_FROM, startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { testPayloadCodec, workflowBundle } from '../support/temporal';

// A registry outage: the population data and the civil-status registry refuse every call (the real
// activities behind a switch, as a registry whose server is down). No dossier fails; each is listed
// as stuck in supervision within a minute of filing (read from Temporal's pending activity and its
// failures, not from elapsed time), with the system, the failing call and its error in words; all
// go on when it is back: one by itself at its next retry, one at once by a supervisor's "retry now".
const WAIT_MS = 90_000;
const STUCK_WITHIN_MS = 60_000;
// Failures before the registry comes back: the next attempt is then ~16 s away (2 s, doubling).
const FAILURES_BEFORE_BACK = 4;
// The extract is published as data: its registries are reached through the adapters of its check steps.
const REGISTRY_ADAPTERS = new Set(['population.verify-persons', 'civil-status.locate-record', 'civil-status.digitise-record']);
const OUTAGE_MESSAGE = 'Civil-status registry unavailable: connect ECONNREFUSED registry.city.internal:443';

const CITIZEN = { pin: '079088004127', email: 'nguyen.van.an@example.com' };
const CLERK = { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' };
const SUPERVISOR = { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' };
const FILING = {
  procedure: 'civil-status-extract',
  unitCode: 'W-SAI-GON',
  data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: { fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' } },
};

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
        name === 'runAdapter'
          ? async (...args: unknown[]) => {
              if (registryDown && REGISTRY_ADAPTERS.has((args[0] as { adapter: string }).adapter)) throw new Error(OUTAGE_MESSAGE);
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

  it('leaves every dossier waiting, lists each as stuck within a minute with the failing call, and completes all when it is back', async () => {
    // 1. The registry goes down; two dossiers are filed into it.
    registryDown = true;
    const filedAt = Date.now();
    const ids: string[] = [];
    for (const key of ['faults-registry-1', 'faults-registry-2']) {
      const res = await request(app).post('/api/v1/dossiers').set('authorization', `Bearer ${tokens.citizen}`).set('Idempotency-Key', key).send(FILING).expect(201);
      ids.push(res.body.dossierId as string);
    }

    // 2. Both are listed as stuck, with the system, the call and its error, while their workflows run on.
    type Listed = { dossierId: string; state: string; reason: string; call: { activity: string; system: string; failures: number; lastError: string; nextAttemptAt: string | null } | null };
    const listed = await waitUntil('both dossiers listed as stuck', async () => {
      const res = await request(app).get('/api/v1/supervision/dossiers?state=stuck').set('authorization', `Bearer ${tokens.supervisor}`).expect(200);
      const items = (res.body as Listed[]).filter((d) => ids.includes(d.dossierId));
      return items.length === ids.length ? items : undefined;
    });
    const listedAfterMs = Date.now() - filedAt;
    expect(listedAfterMs).toBeLessThan(STUCK_WITHIN_MS);
    // The applicant is verified first: that call fails, named by its adapter and the system behind it,
    // the step by its label; in Vietnamese by default, the activity's name and its error as they are.
    for (const item of listed) {
      expect(item.state).toBe('stuck');
      expect(item.reason).toMatch(
        /^Đang chờ Cơ sở dữ liệu quốc gia về dân cư tại bước “Xác minh người yêu cầu”: population\.verify-persons đã lỗi \d+ lần \(không tiến triển từ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(GMT\+7\)\); lỗi gần nhất: Civil-status registry unavailable: connect ECONNREFUSED/,
      );
      expect({ activity: item.call?.activity, system: item.call?.system }).toEqual({ activity: 'population.verify-persons', system: 'Cơ sở dữ liệu quốc gia về dân cư' });
      expect(item.call?.lastError).toBe(OUTAGE_MESSAGE);
    }
    // In English on request.
    const english = await request(app).get('/api/v1/supervision/dossiers?state=stuck').set('authorization', `Bearer ${tokens.supervisor}`).set('Accept-Language', 'en').expect(200);
    expect(english.headers['content-language']).toBe('en');
    expect(english.headers.vary).toMatch(/Accept-Language/i);
    const englishItems = (english.body as Listed[]).filter((d) => ids.includes(d.dossierId));
    expect(englishItems.map((d) => d.dossierId).sort()).toEqual([...ids].sort());
    for (const item of englishItems) {
      expect(item.reason).toMatch(
        /^Waiting on the population data at step “Verify the applicant”: population\.verify-persons has failed \d+ times \(no progress since \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(GMT\+7\)\); last error: Civil-status registry unavailable: connect ECONNREFUSED/,
      );
      expect({ activity: item.call?.activity, system: item.call?.system }).toEqual({ activity: 'population.verify-persons', system: 'the population data' });
    }
    for (const id of ids) {
      const d = await env.temporal.client.workflow.getHandle(id).describe();
      expect(d.status.name).toBe('RUNNING');
    }

    // 3. Long enough down for the next retry to be far off; then the registry is back.
    const pending = async (id: string) => (await env.temporal.client.workflow.getHandle(id).describe()).raw.pendingActivities?.find((a) => a.activityId?.startsWith('population.verify-persons#'));
    for (const id of ids) await waitUntil(`${id} failing ${FAILURES_BEFORE_BACK} times`, async () => (((await pending(id))?.attempt ?? 0) > FAILURES_BEFORE_BACK ? true : undefined));
    registryDown = false;
    const backAt = Date.now();
    const [retriedId, waitingId] = ids as [string, string];
    const nextAttemptOfWaiting = Date.parse((await request(app).get('/api/v1/supervision/dossiers?state=stuck').set('authorization', `Bearer ${tokens.supervisor}`).expect(200)).body.find((d: Listed) => d.dossierId === waitingId).call.nextAttemptAt);

    // 4. A supervisor retries one now (Temporal's ResetActivity): it reaches the clerk before the other's next attempt.
    const retry = await request(app)
      .post('/api/v1/supervision/bulk')
      .set('authorization', `Bearer ${tokens.supervisor}`)
      .set('Accept-Language', 'en')
      .send({ action: 'retry', items: [retriedId], reason: 'The registry is back' })
      .expect(200);
    expect(retry.body.results).toEqual([
      expect.objectContaining({
        item: retriedId,
        status: 200,
        ok: true,
        calls: [expect.objectContaining({ activity: 'population.verify-persons', system: 'the population data' })],
      }),
    ]);
    const openTask = (id: string) =>
      waitUntil(`the task of ${id}`, async () => {
        const res = await request(app).get('/api/v1/tasks').set('authorization', `Bearer ${tokens.clerk}`).expect(200);
        return (res.body as Array<{ taskId: string; dossierId: string; status: string }>).find((t) => t.dossierId === id && t.status === 'open');
      });
    await openTask(retriedId);
    const retriedAt = Date.now();
    expect(retriedAt).toBeLessThan(nextAttemptOfWaiting);
    // The other goes on by itself, at its next attempt (retried at most a minute apart).
    await openTask(waitingId);

    for (const id of ids) {
      const task = await openTask(id);
      await request(app).post(`/api/v1/tasks/${task.taskId}/claim`).set('authorization', `Bearer ${tokens.clerk}`).expect(200);
      await request(app).post(`/api/v1/tasks/${task.taskId}/complete`).set('authorization', `Bearer ${tokens.clerk}`).send({ outcome: 'approve' }).expect(200);
    }
    for (const id of ids) {
      expect(await env.temporal.client.workflow.getHandle(id).result()).toMatchObject({ dossierId: id, status: 'issued' });
      const mails = env.smtp.mails.filter((m) => m.to.includes(CITIZEN.email) && m.subject.includes(id)).map((m) => m.subject);
      // Filed with no Accept-Language: Vietnamese mails.
      expect(mails.sort()).toEqual([`Hồ sơ ${id} đã được tiếp nhận`, `Hồ sơ ${id}: đã cấp trích lục`].sort());
    }
    const stillStuck = await request(app).get('/api/v1/supervision/dossiers?state=stuck').set('authorization', `Bearer ${tokens.supervisor}`).expect(200);
    expect((stillStuck.body as Array<{ dossierId: string }>).filter((d) => ids.includes(d.dossierId))).toEqual([]);
    const audit = await request(app).get('/api/v1/supervision/actions').query({ dossierId: retriedId }).set('authorization', `Bearer ${tokens.supervisor}`).expect(200);
    expect((audit.body as Array<{ action: string }>).filter((a) => a.action === 'retry')).toEqual([expect.objectContaining({ actor: SUPERVISOR.sub, action: 'retry', note: 'The registry is back', details: { calls: [expect.objectContaining({ activity: 'population.verify-persons', lastError: OUTAGE_MESSAGE })] } })]);
    process.stdout.write(
      `faults-registry: listed as stuck ${listedAfterMs} ms after filing; retried one at the clerk ${retriedAt - backAt} ms after the registry was back ` +
        `(the other's next attempt was ${nextAttemptOfWaiting - backAt} ms away)\n`,
    );
  }, 150_000);
});
