import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { embeddedSystemEnv } from '../support/embedded-system';

// `npm start` on the embedded defaults, then the embedded Temporal dev server killed with SIGKILL:
// while it is away a filing answers 503 problem+json with Retry-After within seconds; the dev
// server comes back by itself (same port, same SQLite file); the filing retried with its
// Idempotency-Key completes the same dossier; every dossier completes with each mail sent once.
const ROOT = path.join(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const WAIT_MS = 90_000;
// How long the dev server is kept from coming back: its port is held by a listener that drops every
// connection, so the supervisor's restarts fail until it is released (the restart itself takes ~1 s).
const OUTAGE_MS = 8_000;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startSystem(env: NodeJS.ProcessEnv): Started {
  const child = spawn(TSX, ['system/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, describe: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS} ms. ${describe()}`);
    await sleep(250);
  }
}

/** The pid of the process listening on 127.0.0.1:port (the dev server), as `ss` shows it. */
function pidListeningOn(port: number): number | undefined {
  const out = execFileSync('ss', ['-Htlnp', `sport = :${port}`], { encoding: 'utf8' });
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : undefined;
}

/** Holds 127.0.0.1:port once the killed server has let go of it; every connection is dropped. */
async function holdPort(port: number): Promise<net.Server> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const server = net.createServer((socket) => socket.destroy());
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      return server;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

/** The pid of the last log line with this message. */
function pidOf(output: string, msg: string): number | undefined {
  const lines = output.split('\n').filter((l) => l.includes(`"msg":"${msg}"`));
  const last = lines.at(-1);
  return last ? (JSON.parse(last) as { pid?: number }).pid : undefined;
}

/** The demo's civil-status example, its citizen's and its ward clerk's tokens, and a caller of the API. */
async function signInDemo(api: string) {
  const demo = (await (await fetch(`${api}/api/v1/dev/demo`)).json()) as {
    citizens: Array<{ pin: string; email?: string }>;
    examples: Record<string, { as: { sub: string; role: string }; body: { unitCode: string } & Record<string, unknown> }>;
  };
  const example = demo.examples['civil-status-extract']!;
  const token = async (claims: object) =>
    ((await (await fetch(`${api}/api/v1/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims) })).json()) as { token: string }).token;
  const citizen = await token(example.as);
  const unit = example.body.unitCode;
  const clerk = await token({ sub: `clerk.${unit.toLowerCase()}`, role: 'clerk', unit });
  const call = (method: string, url: string, bearer: string, body?: unknown, key?: string) =>
    fetch(`${api}/api/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { demo, example, citizen, clerk, call };
}

describe('the embedded Temporal dev server killed (SIGKILL) under npm start', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let api: string;
  let temporalPort: number;
  let held: net.Server | undefined;
  let system: Started | undefined;

  // Each case on ports and a data directory of its own: the one before may still hold its ports a moment.
  beforeEach(async () => {
    const embedded = await embeddedSystemEnv('procedures-faults-temporal-');
    ({ dataDir, env } = embedded);
    env = { ...env, LOG_LEVEL: 'info', RATE_LIMIT_FILINGS: '0' };
    api = `http://127.0.0.1:${embedded.ports.api}`;
    temporalPort = embedded.ports.temporal;
  });

  afterEach(async () => {
    held?.close();
    held = undefined;
    if (system && system.child.exitCode === null) {
      system.child.kill('SIGINT');
      await Promise.race([system.exited, sleep(30_000)]);
      if (system.child.exitCode === null) system.child.kill('SIGKILL');
    }
    system = undefined;
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('answers 503 while it is away, restarts it, and completes every dossier once', async () => {
    system = startSystem(env);
    const s = system;
    await waitUntil('system ready', async () => {
      if (s.child.exitCode !== null) throw new Error(`system exited early:\n${s.output()}`);
      return s.output().includes('system ready') ? true : undefined;
    }, s.output);

    const { demo, example, citizen, clerk, call } = await signInDemo(api);
    const file = (key: string) => call('POST', '/dossiers', citizen, example.body, key);

    // 1. A dossier filed while everything runs.
    const before = await file('faults-temporal-before');
    expect(before.status).toBe(201);
    const beforeId = ((await before.json()) as { dossierId: string }).dossierId;

    // 2. The dev server dies without any chance to clean up.
    const pid = pidListeningOn(temporalPort);
    expect(pid).toEqual(expect.any(Number));
    process.kill(pid!, 'SIGKILL');
    const killedAt = Date.now();
    held = await holdPort(temporalPort);
    const release = sleep(OUTAGE_MS).then(() => held?.close());

    // 3. A filing while it is away: 503 problem+json with Retry-After, within a few seconds.
    const during = await file('faults-temporal-during');
    const answeredInMs = Date.now() - killedAt;
    const problem = (await during.json()) as { status: number; type: string };
    expect({ status: during.status, contentType: during.headers.get('content-type'), retryAfter: during.headers.get('retry-after') }).toEqual({
      status: 503,
      contentType: expect.stringContaining('application/problem+json'),
      retryAfter: expect.stringMatching(/^\d+$/),
    });
    expect(problem.status).toBe(503);
    expect(answeredInMs).toBeLessThan(6_000);
    const readyz = await fetch(`${api}/readyz`);
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as { checks: Record<string, { ok: boolean }> }).checks.temporal?.ok).toBe(false);
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    await release;
    const releasedAt = Date.now();

    // 4. The dev server is back by itself, on the same port with the same SQLite file.
    await waitUntil('the dev server restarted', async () => (s.output().includes('embedded Temporal dev server restarted') ? true : undefined), s.output);
    const backInMs = Date.now() - releasedAt;
    expect(pidOf(s.output(), 'embedded Temporal dev server restarted')).toBe(pidListeningOn(temporalPort));
    expect(pidListeningOn(temporalPort)).not.toBe(pid);
    await waitUntil('ready again', async () => ((await fetch(`${api}/readyz`)).status === 200 ? true : undefined));

    // 5. The failed filing retried with its key: 201, and a repeat gives the same dossier.
    const retried = await waitUntil('the retried filing accepted', async () => {
      const res = await file('faults-temporal-during');
      return res.status === 201 ? ((await res.json()) as { dossierId: string }) : undefined;
    });
    const again = (await (await file('faults-temporal-during')).json()) as { dossierId: string };
    expect(again.dossierId).toBe(retried.dossierId);
    const mine = (await (await call('GET', '/dossiers', citizen)).json()) as Array<{ dossierId: string }>;
    const listed = mine.map((d) => d.dossierId).sort();
    expect(listed).toEqual([beforeId, retried.dossierId].sort());

    // 6. Both complete: the clerk approves each, each is issued, each mail once.
    for (const dossierId of [beforeId, retried.dossierId]) {
      const task = await waitUntil(`the task of ${dossierId}`, async () => {
        const tasks = (await (await call('GET', '/tasks', clerk)).json()) as Array<{ taskId: string; dossierId: string; status: string }>;
        return tasks.find((t) => t.dossierId === dossierId && t.status === 'open');
      }, s.output);
      expect((await call('POST', `/tasks/${task.taskId}/claim`, clerk)).status).toBe(200);
      expect((await call('POST', `/tasks/${task.taskId}/complete`, clerk, { outcome: 'approve' })).status).toBe(200);
    }
    for (const dossierId of [beforeId, retried.dossierId]) {
      await waitUntil(`${dossierId} issued`, async () => {
        const d = (await (await call('GET', `/dossiers/${dossierId}`, citizen)).json()) as { status: string };
        return d.status === 'issued' ? d : undefined;
      });
    }
    const email = demo.citizens.find((c) => c.pin === example.as.sub)?.email;
    expect(email).toEqual(expect.any(String));
    const mails = async () => (await (await fetch(`${api}/api/v1/dev/mailbox?limit=500&to=${encodeURIComponent(email!)}`)).json()) as Array<{ subject: string }>;
    for (const dossierId of [beforeId, retried.dossierId]) {
      const subjects = await waitUntil(`the mails of ${dossierId}`, async () => {
        const found = (await mails()).filter((m) => m.subject.includes(dossierId)).map((m) => m.subject);
        return found.length >= 2 ? found : undefined;
      });
      // Filed with no Accept-Language: the citizen's mails are Vietnamese.
      expect(subjects.sort()).toEqual([`Hồ sơ ${dossierId} đã được tiếp nhận`, `Hồ sơ ${dossierId}: đã cấp trích lục`].sort());
    }
    process.stdout.write(`faults-temporal: 503 after ${answeredInMs} ms; dev server back ${backInMs} ms after its port was free\n`);

    system.child.kill('SIGINT');
    expect(await system.exited).toBe(0);
  }, 120_000);

  // A clerk's decision sent as the dev server dies: Temporal either holds the workflow's acceptance
  // of the Update (then the dossier goes on), or the task is still in the inbox to be done again.
  // Never a task shown done while the workflow still waits for it: its row is written by an activity,
  // scheduled only once the workflow task that accepts the Update is stored.
  it('a decision sent as Temporal dies is taken whole or left in the inbox, never half-taken', async () => {
    system = startSystem(env);
    const s = system;
    await waitUntil('system ready', async () => (s.output().includes('system ready') ? true : undefined), s.output);
    const { example, citizen, clerk, call } = await signInDemo(api);
    /** The dossier's task still in the inbox: open, or claimed and not yet done. */
    const taskInInbox = async (dossierId: string, statuses = ['open', 'claimed']) => {
      const tasks = (await (await call('GET', '/tasks', clerk)).json()) as Array<{ taskId: string; dossierId: string; status: string }>;
      return tasks.find((t) => t.dossierId === dossierId && statuses.includes(t.status));
    };
    const statusOf = async (dossierId: string) => ((await (await call('GET', `/dossiers/${dossierId}`, citizen)).json()) as { status: string }).status;

    // Kills at several instants after the decision is sent: before it reaches Temporal, while the
    // worker runs the workflow task, after the acceptance is stored.
    const killAfterMs = [0, 10, 30, 60, 120];
    const answers: Array<{ dossierId: string; taskId: string; status: number }> = [];
    for (const [round, delay] of killAfterMs.entries()) {
      const filed = await call('POST', '/dossiers', citizen, example.body, `decision-kill-${round}`);
      expect(filed.status).toBe(201);
      const { dossierId } = (await filed.json()) as { dossierId: string };
      const task = await waitUntil(`the task of ${dossierId}`, () => taskInInbox(dossierId, ['open']), s.output);
      expect((await call('POST', `/tasks/${task.taskId}/claim`, clerk)).status).toBe(200);

      const pid = pidListeningOn(temporalPort);
      const answer = call('POST', `/tasks/${task.taskId}/complete`, clerk, { outcome: 'approve' });
      await sleep(delay);
      process.kill(pid!, 'SIGKILL');
      // Kept away long enough for the API to give up on the Update (it answers 503 then).
      held = await holdPort(temporalPort);
      const { status } = await answer;
      held.close();
      answers.push({ dossierId, taskId: task.taskId, status });
      expect([200, 503]).toContain(status);
      await waitUntil('the dev server back', async () => (pidListeningOn(temporalPort) !== undefined && pidListeningOn(temporalPort) !== pid ? true : undefined), s.output);
      await waitUntil('ready again', async () => ((await fetch(`${api}/readyz`)).status === 200 ? true : undefined));
    }

    // Each decision that did not answer 200 either landed (the dossier goes on) or is still in the
    // inbox with the dossier waiting for it; done again, it is taken. Every dossier is issued.
    for (const { dossierId, taskId, status } of answers) {
      if (status !== 200) {
        const state = await waitUntil(`${dossierId}: decided or back in the inbox`, async () => {
          const dossierStatus = await statusOf(dossierId);
          if (dossierStatus !== 'awaiting-signature') return 'decided';
          return (await taskInInbox(dossierId)) ? 'in the inbox' : undefined;
        });
        if (state === 'in the inbox') expect((await call('POST', `/tasks/${taskId}/complete`, clerk, { outcome: 'approve' })).status).toBe(200);
      }
      await waitUntil(`${dossierId} issued`, async () => ((await statusOf(dossierId)) === 'issued' ? true : undefined));
    }
    process.stdout.write(`faults-temporal: decisions sent as Temporal died answered ${answers.map((a) => a.status).join(', ')}\n`);

    system.child.kill('SIGINT');
    expect(await system.exited).toBe(0);
  }, 240_000);
});
