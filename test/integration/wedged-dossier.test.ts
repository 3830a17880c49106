import type { Worker } from '@temporalio/worker';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Express } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { UPDATE_DEADLINE_MS } from '../../api/temporal-errors';
import { createProceduresWorker } from '../../worker';
import { PRELOADED_WORKFLOW_MODULES, WORKFLOWS_PATH } from '../../worker/workflow-bundle';
import { bearer, eventually, tokensFor } from '../support/http';
import { MAIL_FROM, startIntegrationEnv, type IntegrationEnv } from '../support/integration';
import { testPayloadCodec, workflowBundle } from '../support/temporal';
import { WEDGE_MESSAGE } from '../support/wedging-interceptor';

// Updates the engine cannot take now answer 503 with Retry-After, within UPDATE_DEADLINE_MS, never
// 500 and never hang. A decision admitted to a run that an operator then resets: 503, and retried it
// reaches the new run. Real dossiers whose workflow task then fails on every attempt (as after a
// deploy whose code no longer replays their histories), one waiting for a clerk's decision, one for
// the owner's answer: their Updates answer 503; supervision lists both as stuck within a minute, the
// failure in words, though neither would be a stuck candidate otherwise (each waits for a person).

const CITIZEN = '079088004127';
const FILING = {
  procedure: 'civil-status-extract',
  unitCode: 'W-SAI-GON',
  data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123', applicant: { fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' } },
};
const sha = () => randomBytes(32).toString('hex');
const EVIDENCE = {
  source: 'camera:BT-LL-NH-01',
  capturedAt: new Date(Date.now() - 120_000).toISOString(),
  location: { unitCode: 'W-BEN-THANH', description: 'Giao lộ Lê Lợi – Nguyễn Huệ' },
  plateNumber: '51F-123.45',
  violationCode: 'RED-LIGHT-CAR',
  evidence: [{ sha256: sha() }],
};
const LOCAL_TIME = '\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2} \\(GMT\\+7\\)';
const ANSWER_WITHIN_MS = UPDATE_DEADLINE_MS + 5_000;

interface Listed {
  dossierId: string;
  reason: string;
  workflowTask?: { failure: string; failingSince: string; failedAttempts: number };
}

describe('Updates the engine cannot take now, and dossiers it cannot run', () => {
  let env: IntegrationEnv;
  let app: Express;
  let t: Record<'citizen' | 'clerk' | 'camera' | 'officer' | 'supervisor', string>;
  const workers: Array<{ worker: Worker; run: Promise<void> }> = [];
  const wedged: string[] = [];

  async function startWorker(bundle: Parameters<typeof createProceduresWorker>[0]['workflowBundle']): Promise<Worker> {
    const worker = await createProceduresWorker({
      payloadCodec: testPayloadCodec,
      connection: env.temporal.nativeConnection,
      namespace: 'default',
      taskQueue: env.temporal.taskQueue,
      workflowBundle: bundle,
      prisma: env.prisma,
      mailer: env.mailer,
      mailFrom: MAIL_FROM,
    });
    workers.push({ worker, run: worker.run() });
    return worker;
  }

  async function stop(worker: Worker): Promise<void> {
    worker.shutdown();
    await workers.find((w) => w.worker === worker)?.run;
  }

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    app = env.createApi();
    t = await tokensFor(app, {
      citizen: { sub: CITIZEN, role: 'citizen' },
      clerk: { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' },
      camera: { sub: 'camera-gateway.hcmc-pc08', role: 'system' },
      officer: { sub: 'officer.hcmc-pc08', role: 'officer', unit: 'HCMC-PC08' },
      supervisor: { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' },
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(wedged.map((id) => env.temporal.client.workflow.getHandle(id).terminate('test over').catch(() => undefined)));
    for (const { worker } of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.all(workers.map((w) => w.run));
    await env?.stop();
  }, 60_000);

  const task = (token: string, dossierId: string) =>
    eventually(async () => {
      const res = await request(app).get('/api/v1/tasks').set(bearer(token)).expect(200);
      return (res.body as Array<{ taskId: string; dossierId: string; status: string }>).find((x) => x.dossierId === dossierId && x.status === 'open');
    }, 30_000);
  const status = (dossierId: string) => request(app).get(`/api/v1/dossiers/${dossierId}`).set(bearer(t.officer)).expect(200).then((r) => r.body.status as string);

  /** A filing waiting for the clerk's decision, and a traffic fine waiting for its owner's answer. */
  async function waitingDossiers(): Promise<{ filed: string; taskId: string; fine: string }> {
    const filed = (await request(app).post('/api/v1/dossiers').set(bearer(t.citizen)).set('Idempotency-Key', 'wedged-filing').send(FILING).expect(201)).body.dossierId as string;
    const fine = (await request(app).post('/api/v1/violations').set(bearer(t.camera)).send(EVIDENCE).expect(201)).body.dossierId as string;
    const confirm = await task(t.officer, fine);
    await request(app).post(`/api/v1/tasks/${confirm.taskId}/complete`).set(bearer(t.officer)).send({ outcome: 'confirm' }).expect(200);
    await eventually(async () => ((await status(fine)) === 'awaiting-response' ? true : undefined), 30_000);
    const { taskId } = await task(t.clerk, filed);
    await request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerk)).expect(200);
    return { filed, taskId, fine };
  }

  /** An operator's `temporal workflow reset` to the last completed workflow task: the run is closed, a new one goes on. */
  async function resetToLastTask(workflowId: string): Promise<void> {
    const client = env.temporal.client;
    const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({ namespace: 'default', execution: { workflowId }, maximumPageSize: 100 });
    const completed = history?.events?.find((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    await client.workflowService.resetWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId },
      workflowTaskFinishEventId: completed?.eventId,
      requestId: randomUUID(),
      reason: 'test: reset under an Update',
    });
  }

  /** The request's answer and how long it took. */
  async function timed(req: request.Test): Promise<{ res: request.Response; ms: number }> {
    const startedAt = Date.now();
    const res = await req;
    return { res, ms: Date.now() - startedAt };
  }

  function expectUnavailable({ res, ms }: { res: request.Response; ms: number }, withinMs: number): void {
    expect({ status: res.status, type: res.headers['content-type'], retryAfter: res.headers['retry-after'] }).toEqual({
      status: 503,
      type: expect.stringContaining('application/problem+json'),
      retryAfter: expect.stringMatching(/^\d+$/),
    });
    expect(ms).toBeLessThan(withinMs);
  }

  it('an Update whose run is reset under it answers 503, and the same decision retried reaches the new run', async () => {
    const worker = await startWorker(workflowBundle());
    const filed = (await request(app).post('/api/v1/dossiers').set(bearer(t.citizen)).set('Idempotency-Key', 'reset-filing').send(FILING).expect(201)).body.dossierId as string;
    const { taskId } = await task(t.clerk, filed);
    await request(app).post(`/api/v1/tasks/${taskId}/claim`).set(bearer(t.clerk)).expect(200);
    const complete = () => request(app).post(`/api/v1/tasks/${taskId}/complete`).set(bearer(t.clerk)).set('Accept-Language', 'en').send({ outcome: 'approve' });

    // No worker: the decision is admitted, and a workflow task scheduled to take it, when the run is reset.
    await stop(worker);
    const decided = timed(complete());
    await eventually(async () => ((await env.temporal.client.workflow.getHandle(filed).describe()).raw.pendingWorkflowTask ? true : undefined), 5_000);
    await resetToLastTask(filed);
    const answer = await decided;
    expectUnavailable(answer, ANSWER_WITHIN_MS);
    expect(answer.res.body.detail).toMatch(/restarted/);

    const again = await startWorker(workflowBundle());
    await eventually(async () => ((await complete()).status === 200 ? true : undefined), 60_000, 1_000);
    await stop(again);
  });

  it('answers its Updates 503 with Retry-After, is listed as stuck within a minute with the failure in words, and recovers once fixed', async () => {
    const healthy = await startWorker(workflowBundle());
    const { filed, taskId, fine } = await waitingDossiers();
    wedged.push(filed, fine);
    // Without Accept-Language (Vietnamese), or in the language asked for.
    const stuckList = async (language?: string) => {
      const list = request(app).get('/api/v1/supervision/dossiers?state=stuck').set(bearer(t.supervisor));
      return (await (language ? list.set('Accept-Language', language) : list).expect(200)).body as Listed[];
    };
    // Waiting for a person is not being stuck (and this list's sweep of the workflows is now fresh).
    expect((await stuckList()).filter((d) => wedged.includes(d.dossierId))).toEqual([]);

    // The engine's code changes under the dossiers: every workflow task of theirs fails from now on.
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      preloadModules: PRELOADED_WORKFLOW_MODULES,
      workflowInterceptorModules: [require.resolve('../support/wedging-interceptor')],
      logger: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, log: () => undefined },
    });
    await stop(healthy);
    const broken = await startWorker({ code });

    // 1. The clerk's decision and the owner's answer: 503 with Retry-After, within the deadline.
    const wedgedAt = Date.now();
    const complete = () => request(app).post(`/api/v1/tasks/${taskId}/complete`).set(bearer(t.clerk)).send({ outcome: 'approve' });
    const respond = () => request(app).post(`/api/v1/dossiers/${fine}/respond`).set(bearer(t.citizen)).send({ action: 'dispute', reason: 'Không phải xe tôi' });
    const [decided, answered] = await Promise.all([timed(complete()), timed(respond())]);
    expectUnavailable(decided, ANSWER_WITHIN_MS);
    expectUnavailable(answered, ANSWER_WITHIN_MS);

    // 2. Supervision lists both as stuck, whatever they wait for, with the failure and since when.
    const listed = await eventually(async () => {
      const items = await stuckList();
      const both = [filed, fine].map((id) => items.find((d) => d.dossierId === id));
      return both.every((d) => d !== undefined) ? both : undefined;
    }, 60_000, 1_000);
    const listedAfterMs = Date.now() - wedgedAt;
    expect(listedAfterMs).toBeLessThan(60_000);
    // In Vietnamese by default: the worker's message as it is, the step by its label.
    const failure = WEDGE_MESSAGE.replace(/[()]/g, '\\$&');
    for (const item of listed) {
      expect(item?.reason).toMatch(new RegExp(`^Hệ thống không thể tiếp tục quy trình của hồ sơ này: ${failure}, lỗi từ ${LOCAL_TIME} \\(bước “[^”]+”, \\d+ lần thử không thành công\\)$`));
      expect(item?.workflowTask).toMatchObject({ failure: WEDGE_MESSAGE, failedAttempts: expect.any(Number) });
      expect(Date.parse(item?.workflowTask?.failingSince ?? '')).toBeGreaterThanOrEqual(wedgedAt - 1_000);
    }
    // In English on request.
    const english = (await stuckList('en')).filter((d) => d.dossierId === filed || d.dossierId === fine);
    expect(english).toHaveLength(2);
    for (const item of english) {
      expect(item.reason).toMatch(new RegExp(`^The engine cannot continue this dossier's workflow: ${failure}, failing since ${LOCAL_TIME} \\(step “[^”]+”, \\d+ failed attempts\\)$`));
    }

    // 3. Retried, the decision is refused as one the engine cannot take now (Retry-After 30): the
    // first retry may still wait for the server to drop the Update admitted before; then at once.
    const retried = await timed(complete());
    expectUnavailable(retried, ANSWER_WITHIN_MS);
    expect(retried.res.headers['retry-after']).toBe('30');
    const again = await timed(complete());
    expectUnavailable(again, 3_000);
    expect(again.res.headers['retry-after']).toBe('30');

    // 4. The engine fixed (the previous code back): the decision goes through, and the list lets both go.
    await stop(broken);
    await startWorker(workflowBundle());
    const fixedAt = Date.now();
    await eventually(async () => ((await complete()).status === 200 ? true : undefined), 60_000, 1_000);
    const decidedAfterMs = Date.now() - fixedAt;
    await eventually(async () => ((await stuckList()).some((d) => wedged.includes(d.dossierId)) ? undefined : true), 60_000, 1_000);
    process.stdout.write(`wedged-dossier: Updates answered 503 in ${decided.ms} / ${answered.ms} ms, retried ${retried.ms} then ${again.ms} ms; listed as stuck ${listedAfterMs} ms after; decided ${decidedAfterMs} ms after the fix\n`);
  }, 180_000);
});
