import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { ReceivedMail } from '../../system/embedded-smtp';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// The stand-alone worker (`tsx worker/main.ts`) killed with SIGKILL while a dossier waits for the
// clerk, the clerk deciding while no worker runs, then a new worker process: the dossier must
// complete from Temporal's history, with no step done twice and each mail sent exactly once.
const ROOT = path.join(__dirname, '../..');

const CITIZEN = { pin: '079088004127', fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14', email: 'nguyen.van.an@example.com' };
const CLERK = { sub: 'clerk.w-sai-gon', role: 'clerk', unit: 'W-SAI-GON' };
const RECORD_REF = 'HT-BIRTH-2019-000123';
const WAIT_MS = 90_000;

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value (not undefined); `describeLast` adds what was seen to a time-out message. */
async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, describeLast: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS} ms. ${describeLast()}`);
    await sleep(250);
  }
}

describe('a worker process killed (SIGKILL) while a dossier is between steps', () => {
  let env: IntegrationEnv;
  let app: Express;
  let citizenToken: string;
  let clerkToken: string;
  const workers: WorkerProcess[] = [];

  /**
   * The real worker as its own process. Node runs tsx as a loader (`--import tsx`), so the child is
   * the one process that runs the worker: SIGKILL on it leaves nothing behind still polling.
   */
  function startWorkerProcess(): WorkerProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.temporal.address,
        DATABASE_URL: env.db.url,
        SMTP_URL: env.smtp.url,
        TEMPORAL_TASK_QUEUE: env.temporal.taskQueue,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += String(chunk)));
    child.stderr?.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const started = { child, output: () => output, exited };
    workers.push(started);
    return started;
  }

  async function waitForPolling(worker: WorkerProcess): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!worker.output().includes('worker polling')) {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) throw new Error(`worker exited early:\n${worker.output()}`);
      if (Date.now() > deadline) throw new Error(`no "worker polling" within ${WAIT_MS} ms:\n${worker.output()}`);
      await sleep(100);
    }
  }

  async function kill(worker: WorkerProcess): Promise<void> {
    expect(worker.child.exitCode).toBeNull();
    expect(worker.child.kill('SIGKILL')).toBe(true);
    const { signal } = await worker.exited;
    expect(signal).toBe('SIGKILL');
  }

  async function tokenFor(claims: { sub: string; role: string; unit?: string }): Promise<string> {
    const res = await request(app).post('/api/v1/auth/dev-token').send(claims).expect(200);
    return res.body.token as string;
  }

  async function dossier(dossierId: string) {
    const res = await request(app).get(`/api/v1/dossiers/${dossierId}`).set('authorization', `Bearer ${citizenToken}`).expect(200);
    return res.body as { status: string; currentStep: string; history: Array<{ step: string; actor: string; outcome: string }> };
  }

  const mailsOf = (dossierId: string): ReceivedMail[] =>
    env.smtp.mails.filter((m) => m.to.includes(CITIZEN.email) && m.subject.includes(dossierId));

  beforeAll(async () => {
    env = await startIntegrationEnv({ seed: true });
    app = env.createApi();
    [citizenToken, clerkToken] = await Promise.all([tokenFor({ sub: CITIZEN.pin, role: 'citizen' }), tokenFor(CLERK)]);
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGKILL');
        await worker.exited;
      }
    }
    await env?.stop();
  }, 60_000);

  it('completes the dossier after a restart, with each step recorded once and each mail sent once', async () => {
    // 1. The first worker process takes the dossier up to the clerk's step.
    const first = startWorkerProcess();
    await waitForPolling(first);

    const filed = await request(app)
      .post('/api/v1/dossiers')
      .set('authorization', `Bearer ${citizenToken}`)
      .send({
        procedure: 'civil-status-extract',
        unitCode: 'W-SAI-GON',
        data: { kind: 'BIRTH', recordRef: RECORD_REF, applicant: { fullName: CITIZEN.fullName, dateOfBirth: CITIZEN.dateOfBirth } },
      })
      .expect(201);
    const dossierId = filed.body.dossierId as string;

    await env.smtp.waitFor((m) => m.to.includes(CITIZEN.email) && m.subject === `Hồ sơ ${dossierId} đã được tiếp nhận`, WAIT_MS);
    const task = await waitUntil(
      'the verify-and-sign task open in the W-SAI-GON inbox',
      async () => {
        const res = await request(app).get('/api/v1/tasks').set('authorization', `Bearer ${clerkToken}`).expect(200);
        return (res.body as Array<{ taskId: string; dossierId: string; step: string; status: string }>).find(
          (t) => t.dossierId === dossierId && t.step === 'verify-and-sign' && t.status === 'open',
        );
      },
      () => first.output(),
    );
    // Between steps: the history line of the opened task is written, the workflow waits for the clerk.
    await waitUntil('the dossier awaiting the signature', async () => {
      const d = await dossier(dossierId);
      return d.status === 'awaiting-signature' && d.history.some((e) => e.outcome === 'task-opened') ? d : undefined;
    });

    // 2. The worker dies without any chance to clean up.
    await kill(first);

    // 3. The clerk acts while no worker runs: claiming is the API's own; the decision is an Update
    //    that waits in Temporal until a worker takes it, or until the API's Update deadline (10 s),
    //    when it answers 503 and the clerk sends it again.
    await request(app).post(`/api/v1/tasks/${task.taskId}/claim`).set('authorization', `Bearer ${clerkToken}`).expect(200);
    let completeSettled = false;
    const completing = request(app)
      .post(`/api/v1/tasks/${task.taskId}/complete`)
      .set('authorization', `Bearer ${clerkToken}`)
      .send({ outcome: 'approve' })
      .then((res) => res)
      .finally(() => (completeSettled = true));
    await sleep(1_500);
    expect(completeSettled).toBe(false);
    expect((await env.prisma.task.findUniqueOrThrow({ where: { id: task.taskId } })).status).toBe('claimed');

    // 4. A new worker process picks the dossier up from its history and takes the decision.
    const second = startWorkerProcess();
    await waitForPolling(second);
    const firstAnswer = await completing;
    if (firstAnswer.status === 503) expect(firstAnswer.headers['retry-after']).toMatch(/^\d+$/);
    // The same decision again (the same Update id): taken now, or answered as taken once.
    const completed =
      firstAnswer.status === 503
        ? await request(app).post(`/api/v1/tasks/${task.taskId}/complete`).set('authorization', `Bearer ${clerkToken}`).send({ outcome: 'approve' })
        : firstAnswer;
    expect({ status: completed.status, body: completed.body }).toEqual({
      status: 200,
      // The answer comes once the completion is recorded; the dossier may have moved on meanwhile.
      body: { taskId: task.taskId, outcome: 'approve', dossierStatus: expect.stringMatching(/^(awaiting-signature|issuing|issued)$/) },
    });

    await waitUntil(
      'the dossier issued',
      async () => {
        const d = await dossier(dossierId);
        return d.status === 'issued' ? d : undefined;
      },
      () => second.output(),
    );
    // Every activity has returned once the workflow has: nothing more can be sent after this.
    const outcome = await env.temporal.client.workflow.getHandle(dossierId).result();
    expect(outcome).toMatchObject({ dossierId, status: 'issued', documentCode: expect.any(String) });
    const issued = await dossier(dossierId);
    expect(issued).toMatchObject({ status: 'issued', currentStep: 'closed' });
    await env.smtp.waitFor((m) => m.to.includes(CITIZEN.email) && m.subject === `Hồ sơ ${dossierId}: đã cấp trích lục`, WAIT_MS);

    // 5. Each mail exactly once, at the SMTP server and in the Notification table.
    expect(mailsOf(dossierId).map((m) => m.subject).sort()).toEqual([`Hồ sơ ${dossierId} đã được tiếp nhận`, `Hồ sơ ${dossierId}: đã cấp trích lục`].sort());
    const notifications = await env.prisma.notification.findMany({
      where: { idempotencyKey: { startsWith: `${dossierId}/` } },
      orderBy: { idempotencyKey: 'asc' },
    });
    expect(notifications.map((n) => ({ key: n.idempotencyKey, status: n.status, recipient: n.recipient }))).toEqual([
      // The keys of the definition's notify steps (`mail/<step>`).
      { key: `${dossierId}/mail/receipt`, status: 'SENT', recipient: CITIZEN.email },
      { key: `${dossierId}/mail/result`, status: 'SENT', recipient: CITIZEN.email },
    ]);
    expect(notifications.every((n) => n.messageId !== null && n.sentAt !== null)).toBe(true);

    // 6. The history has each step once; one task, decided once; one document. (The decision's line
    //    is written by the Update handler while the workflow already moves on to the issue, so
    //    `approve` and `issued` are compared as a set, not in order.)
    const lines = issued.history.map((e) => `${e.step}:${e.outcome}`);
    expect(lines.slice(0, 4)).toEqual(['receive:received', 'verify-applicant:verified', 'registry-lookup:found', 'verify-and-sign:task-opened']);
    expect([...lines].sort()).toEqual(
      ['receive:received', 'verify-applicant:verified', 'registry-lookup:found', 'verify-and-sign:task-opened', 'verify-and-sign:approve', 'issue:issued'].sort(),
    );
    expect(issued.history.find((e) => e.outcome === 'approve')?.actor).toBe(`clerk:${CLERK.sub}`);
    expect(await env.prisma.dossierEvent.count({ where: { dossierId } })).toBe(6);
    const tasks = await env.prisma.task.findMany({ where: { dossierId } });
    expect(tasks.map((t) => ({ id: t.id, status: t.status, outcome: t.outcome, completedBy: t.completedBy }))).toEqual([
      { id: task.taskId, status: 'done', outcome: 'approve', completedBy: CLERK.sub },
    ]);
    expect(await env.prisma.issuedDocument.count({ where: { dossierId } })).toBe(1);

    // 7. Temporal's own account: the new worker replayed the history without a failed workflow task,
    //    and asked for each mail once.
    const history = await env.temporal.client.workflow.getHandle(dossierId).fetchHistory();
    const events = history.events ?? [];
    expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
    const scheduled = events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
    expect(scheduled.filter((name) => name === 'notifyApplicant')).toHaveLength(2);
    expect(scheduled.filter((name) => name === 'issueDefinedDocument')).toHaveLength(1);
    expect(second.output()).not.toMatch(/nondetermin/i);
  }, 300_000);
});
