import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TASK_QUEUE } from '../../common/temporal';
import { platformCheckWorkflow } from '../../workflows';
import { embeddedSystemEnv } from '../support/embedded-system';
import { testPayloadCodec } from '../support/temporal';

// `npm start` as a newcomer runs it: every part embedded (Temporal dev server, PGlite, SMTP), then
// Ctrl-C, then a second start that must find every workflow and row of the first.
const ROOT = path.join(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');


interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startSystem(env: NodeJS.ProcessEnv): Started {
  const child = spawn(TSX, ['system/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(started: Started, text: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`system exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGINT');
  return started.exited;
}

describe('npm start on the embedded defaults', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let api: string;
  let temporalAddress: string;
  let uiPort: number;
  const running: Started[] = [];

  beforeAll(async () => {
    const system = await embeddedSystemEnv('procedures-start-');
    ({ dataDir, env } = system);
    uiPort = system.ports.temporalUi;
    api = `http://127.0.0.1:${system.ports.api}`;
    temporalAddress = `127.0.0.1:${system.ports.temporal}`;
  });

  afterAll(async () => {
    for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('comes up, runs a workflow end to end, stops on Ctrl-C and keeps everything across a restart', async () => {
    const first = startSystem(env);
    running.push(first);
    await waitForOutput(first, 'system ready');

    const ready = await fetch(`${api}/readyz`);
    expect(ready.status).toBe(200);
    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(ui.status).toBe(200);
    const demo = (await (await fetch(`${api}/api/v1/dev/demo`)).json()) as { citizens: Array<{ pin: string }> };
    expect(demo.citizens.length).toBeGreaterThan(0);

    const connection = await Connection.connect({ address: temporalAddress });
    // The system encrypts payloads with the dev key: a client without it could not read the result.
    const client = new Client({ connection, dataConverter: { payloadCodecs: [testPayloadCodec] } });
    const workflowId = `platform-check-${randomUUID()}`;
    const recipient = `ops-${randomUUID().slice(0, 8)}@city.example`;
    await client.workflow.execute(platformCheckWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [{ recipient, note: 'start test' }],
    });
    const mailbox = async () => (await (await fetch(`${api}/api/v1/dev/mailbox?to=${recipient}`)).json()) as unknown[];
    expect(await mailbox()).toHaveLength(1);
    await connection.close();

    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('"part":"embedded postgres","msg":"stopped"');
    expect(first.output()).not.toContain(demo.citizens[0]!.pin);

    const second = startSystem(env);
    running.push(second);
    await waitForOutput(second, 'system ready');
    expect(second.output()).toContain('database already has data: no seed');
    const again = await Connection.connect({ address: temporalAddress });
    const description = await new Client({ connection: again }).workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(await mailbox()).toHaveLength(1);
    await again.close();
    expect(await stop(second)).toBe(0);
  });

  it('stops at start-up with a message naming a wrong variable', async () => {
    const bad = startSystem({ ...env, PORT: 'eighty', SMTP_URL: 'http://mail' });
    running.push(bad);
    expect(await bad.exited).toBe(78);
    expect(bad.output()).toMatch(/PORT: /);
    expect(bad.output()).toMatch(/SMTP_URL: must be a URL starting with smtp:/);
  });
});
