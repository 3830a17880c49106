import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { createPayloadCodec } from '../../../common/payload-codec';
import { PRELOADED_WORKFLOW_MODULES, WORKFLOWS_PATH } from '../../../worker/workflow-bundle';
import { freePort } from '../../../system/ports';
import { startSeparateSystem, type SeparateSystem } from '../deployment';
import { concurrently, freshDatabase, percentile, rssMb, row, sleep, type Row } from '../harness';

const DOSSIERS = Number(process.env.BENCH_MEMORY_DOSSIERS ?? 10_000);
/** Dossiers whose clerk's task is completed, of those evicted from the worker's cache and of those in it. */
const SAMPLES = Number(process.env.BENCH_MEMORY_SAMPLES ?? 40);
/** The worker's default cache of workflows (common/config.ts, WORKER_MAX_CACHED_WORKFLOWS). */
const DEFAULT_CACHE = 250;
/** Dossiers waiting at the first heap figure: the first workflows' one-time costs are paid by then. */
const WARM = 20;
const FILING_CLIENTS = 16;

const EventType = temporal.api.enums.v1.EventType;

/**
 * Memory of a worker holding many dossiers that wait for their clerks: civil-status extracts filed
 * through the API, each run by the interpreter (`definedProcedureWorkflow`) up to its clerk's task;
 * the API and one worker as separate processes on a fresh PostgreSQL database, the worker with its
 * default cache (the 250 workflows that moved last are kept, the others evicted).
 *
 * - MB per cached workflow: the worker runs with the inspector on loopback. The heap of its workflow
 *   thread (where the SDK runs every workflow) after a full GC, with WARM dossiers waiting and with the
 *   cache full: the difference over the difference in workflows cached, as counted in the thread. The
 *   same for the worker's RSS (after a full GC of both threads), which adds what the SDK's core holds.
 * - RSS of the worker and of the API once DOSSIERS wait, as found.
 * - An evicted dossier when it next moves: a clerk completes the task of dossiers evicted from the
 *   cache (their workflow is rebuilt from its history first) and of dossiers in it, one at a time,
 *   alternately. Per dossier, the time of POST /tasks/{id}/complete, and the decision's workflow task
 *   in its history (started to completed: the worker's time, history fetch and replay included).
 *   And the evicted dossiers' histories replayed on the workflow code in this process.
 */
export async function memory(): Promise<Row[]> {
  const scenario = 'memory';
  const inspectorPort = await freePort();
  const database = await freshDatabase('memory');
  const system = await startSeparateSystem({
    databaseUrl: database.url,
    workers: 1,
    workerNodeArgs: [`--inspect=127.0.0.1:${inspectorPort}`],
  }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const rows: Row[] = [];
  const pg = new PgClient({ connectionString: database.url });
  let inspector: InspectedWorker | undefined;
  try {
    await pg.connect();
    const workerPid = system.workerPids()[0]!;
    rows.push(row(scenario, 'RSS of the worker, idle', rssMb(workerPid), 'MB'), row(scenario, 'RSS of the API, idle', rssMb(system.apiPids()[0]!), 'MB'));
    inspector = await InspectedWorker.connect(inspectorPort);
    const filed: string[] = [];
    /** The worker's figures after a full GC of both its threads. */
    const collected = async () => {
      const thread = await inspector!.workflowThread();
      await inspector!.mainThread();
      return { ...thread, rssMb: rssMb(workerPid) };
    };

    await fileDossiers(system, filed, WARM);
    await openTasks(pg, WARM);
    const warm = await collected();
    const fill = Math.min(DOSSIERS, DEFAULT_CACHE + 50);
    await fileDossiers(system, filed, fill);
    await openTasks(pg, fill);
    const full = await collected();
    const more = full.cached - warm.cached;
    rows.push(
      row(scenario, `MB per cached workflow: the workflow thread's heap after a full GC with ${full.cached} workflows cached − with ${warm.cached}, over ${more}`, (full.heapMb - warm.heapMb) / more, 'MB'),
      row(scenario, `RSS per cached workflow: the worker's RSS after a full GC, the same two points`, (full.rssMb - warm.rssMb) / more, 'MB'),
      row(scenario, `heap of the workflow thread after a full GC, ${warm.cached} cached`, warm.heapMb, 'MB'),
    );

    const started = performance.now();
    await fileDossiers(system, filed, DOSSIERS);
    const open = await openTasks(pg, DOSSIERS);
    rows.push(row(scenario, `${DOSSIERS} filings through the API (the last ${DOSSIERS - fill})`, (performance.now() - started) / 1000, 's'));
    await sleep(5_000);
    rows.push(
      row(scenario, 'dossiers waiting for a clerk (open tasks)', open, 'count'),
      row(scenario, `RSS of the worker with ${open} dossiers waiting, default cache`, rssMb(workerPid), 'MB'),
      row(scenario, `RSS of the API with ${open} dossiers waiting`, rssMb(system.apiPids()[0]!), 'MB'),
    );
    const temporalMb = system.temporal.pids().reduce((sum, pid) => sum + rssMb(pid), 0);
    if (temporalMb > 0) rows.push(row(scenario, `RSS of the Temporal server (${system.temporal.target})`, temporalMb, 'MB'));
    const end = await collected();
    rows.push(
      row(scenario, `RSS of the worker after a full GC, ${end.cached} cached`, end.rssMb, 'MB'),
      row(scenario, `heap of the workflow thread after a full GC, ${end.cached} cached`, end.heapMb, 'MB'),
    );
    inspector.close();
    inspector = undefined;

    // The dossiers filed first were evicted long ago; the last ones are in the cache.
    const inCache = new Set(end.workflowIds);
    const evicted = filed.filter((id) => !inCache.has(id)).slice(0, SAMPLES);
    const cached = filed.filter((id) => inCache.has(id)).slice(-SAMPLES);
    const connection = await Connection.connect({ address: system.temporalAddress });
    try {
      const client = new Client({ connection });
      if (evicted.length > 0) rows.push(...(await replayRows(scenario, client, evicted)));
      rows.push(...(await decisionRows(scenario, system, client, { evicted, cached })));
    } finally {
      await connection.close();
    }
  } finally {
    inspector?.close();
    await pg.end().catch(() => undefined);
    await system.stop();
    await database.drop();
  }
  return rows;
}

/** Files civil-status extracts through the API until `filed` holds `total` dossier ids, in the order they were filed. */
async function fileDossiers(system: SeparateSystem, filed: string[], total: number): Promise<void> {
  const example = system.examples['civil-status-extract']!;
  const run = Date.now().toString(36);
  let n = 0;
  if (filed.length >= total) return;
  await concurrently(FILING_CLIENTS, 3_600, total - filed.length, async () => {
    const res = await system.file(example, `mem-${run}-${(n += 1)}`);
    const body = (await res.json()) as { dossierId?: string };
    if (res.status !== 201 || !body.dossierId) throw new Error(`POST /dossiers answered ${res.status}`);
    filed.push(body.dossierId);
  });
}

/** Waits (at most 30 minutes) until `total` clerk's tasks are open, then a moment for the worker to settle. */
async function openTasks(pg: PgClient, total: number): Promise<number> {
  const deadline = Date.now() + 30 * 60_000;
  let open = 0;
  while (Date.now() < deadline) {
    open = Number((await pg.query<{ n: string }>(`SELECT count(*) AS n FROM "Task" WHERE status = 'open'`)).rows[0]!.n);
    if (open >= total) break;
    await sleep(1_000);
  }
  await sleep(2_000);
  return open;
}

/**
 * The clerk's task of each dossier completed (approved), one at a time, alternately evicted and
 * cached: the time POST /tasks/{id}/complete takes, and the worker's time on the decision's workflow
 * task (started to completed in the history: the task the Update was accepted in).
 */
async function decisionRows(scenario: string, system: SeparateSystem, client: Client, samples: { evicted: string[]; cached: string[] }): Promise<Row[]> {
  const unit = String(system.examples['civil-status-extract']!.body.unitCode);
  const clerk = await system.token({ sub: `clerk.${unit.toLowerCase()}`, role: 'clerk', unit });
  const complete = async (dossierId: string): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${system.api}/tasks/${dossierId}-T1/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clerk}`, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve' }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`completing ${dossierId}-T1 answered ${res.status}: ${text}`);
    return performance.now() - started;
  };
  const api = { evicted: [] as number[], cached: [] as number[] };
  for (let i = 0; i < Math.max(samples.evicted.length, samples.cached.length); i += 1) {
    const [evicted, cached] = [samples.evicted[i], samples.cached[i]];
    if (evicted) api.evicted.push(await complete(evicted));
    if (cached) api.cached.push(await complete(cached));
  }
  const rows: Row[] = [];
  for (const which of ['evicted', 'cached'] as const) {
    const ms = api[which];
    if (ms.length === 0) continue;
    const task = await Promise.all(samples[which].map((id) => decisionTaskMs(client, id)));
    const of = which === 'evicted' ? 'evicted from the cache' : 'in the cache';
    rows.push(
      row(scenario, `the decision's workflow task, dossier ${of}: p50 (${task.length} dossiers)`, percentile(task, 50), 'ms'),
      row(scenario, `the decision's workflow task, dossier ${of}: p95`, percentile(task, 95), 'ms'),
      row(scenario, `POST /tasks/{id}/complete, dossier ${of}: p50 (${ms.length} dossiers)`, percentile(ms, 50), 'ms'),
      row(scenario, `POST /tasks/{id}/complete, dossier ${of}: p95`, percentile(ms, 95), 'ms'),
    );
  }
  return rows;
}

/** Started to completed of the workflow task in which the dossier's (first) Update was accepted. */
async function decisionTaskMs(client: Client, dossierId: string): Promise<number> {
  const events = (await client.workflow.getHandle(dossierId).fetchHistory()).events ?? [];
  const accepted = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  const [started, completed] = [events[accepted - 2], events[accepted - 1]];
  if (started?.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED || completed?.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
    throw new Error(`${dossierId}: no workflow task before its Update's acceptance`);
  }
  return tsToMs(completed.eventTime) - tsToMs(started.eventTime);
}

/**
 * The evicted dossiers' histories (as they waited) replayed on the workflow code in this process with
 * the SDK's replayer, one after the other: the rebuilding alone, with the replayer's own cost per history.
 */
async function replayRows(scenario: string, client: Client, dossierIds: string[]): Promise<Row[]> {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  } catch {
    // Installed already (by another scenario of the same run).
  }
  const histories = await Promise.all(dossierIds.map(async (workflowId) => ({ workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() })));
  const events = histories.map((h) => h.history.events?.length ?? 0);
  const options = {
    workflowsPath: WORKFLOWS_PATH,
    bundlerOptions: { preloadModules: PRELOADED_WORKFLOW_MODULES },
    dataConverter: { payloadCodecs: [createPayloadCodec({ keys: undefined, devMode: true })] },
  };
  const ms: number[] = [];
  // The first history also pays for bundling and for the worker's first workflow: not counted.
  let last = performance.now();
  for await (const result of Worker.runReplayHistories(options, [{ ...histories[0]!, workflowId: `${histories[0]!.workflowId}-first` }, ...histories])) {
    if (result.error) throw result.error;
    const now = performance.now();
    ms.push(now - last);
    last = now;
  }
  ms.shift();
  return [
    row(scenario, `replay of an evicted dossier's history (${percentile(events, 50)} events) in this process: p50 (${ms.length} dossiers)`, percentile(ms, 50), 'ms'),
    row(scenario, `replay of an evicted dossier's history in this process: p95`, percentile(ms, 95), 'ms'),
  ];
}

/** What the inspector answers. */
interface Answer {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/**
 * The worker process's inspector (it runs with --inspect on loopback), attached to its workflow
 * thread too: the SDK runs the workflows in a worker thread of their own (one V8 heap), in one reusable
 * context whose cache of workflows is `ReusableVMWorkflowCreator.workflowByRunId`.
 */
class InspectedWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  /** Worker threads by inspector session: the URL of each thread's script. */
  private readonly threads = new Map<string, string>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => this.receive(JSON.parse(String(event.data)) as Answer));
  }

  static async connect(port: number): Promise<InspectedWorker> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
    const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error('inspector: no connection')), { once: true });
    });
    const inspected = new InspectedWorker(socket);
    await inspected.call('NodeWorker.enable', { waitForDebuggerOnStart: false });
    const deadline = Date.now() + 10_000;
    while (inspected.workflowSession() === undefined && Date.now() < deadline) await sleep(100);
    if (inspected.workflowSession() === undefined) throw new Error('inspector: the worker has no workflow thread');
    return inspected;
  }

  /** The workflow thread's heap after a full GC, and the workflows in its cache. */
  async workflowThread(): Promise<{ heapMb: number; cached: number; workflowIds: string[] }> {
    const session = this.workflowSession()!;
    await this.callThread(session, 'HeapProfiler.collectGarbage');
    await this.callThread(session, 'HeapProfiler.collectGarbage');
    const usage = await this.callThread(session, 'Runtime.getHeapUsage');
    const cache = `process.getBuiltinModule('node:module').createRequire(${JSON.stringify(this.threads.get(session))})('./reusable-vm.js').ReusableVMWorkflowCreator.workflowByRunId`;
    const evaluated = await this.callThread(session, 'Runtime.evaluate', {
      expression: `JSON.stringify([...${cache}.values()].map((w) => w.activator.info.workflowId))`,
      returnByValue: true,
    });
    const workflowIds = JSON.parse(String((evaluated.result as { value: unknown }).value)) as string[];
    return { heapMb: Number(usage.usedSize) / 2 ** 20, cached: workflowIds.length, workflowIds };
  }

  /** The main thread's heap after a full GC. */
  async mainThread(): Promise<{ heapMb: number }> {
    await this.call('HeapProfiler.collectGarbage');
    const usage = await this.call('Runtime.getHeapUsage');
    return { heapMb: Number(usage.usedSize) / 2 ** 20 };
  }

  close(): void {
    this.socket.close();
  }

  private workflowSession(): string | undefined {
    return [...this.threads.entries()].find(([, url]) => url.includes('workflow-worker-thread'))?.[0];
  }

  private call(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return this.answer(id);
  }

  /** A call in a worker thread's session: its answer comes back as a message from that thread. */
  private callThread(sessionId: string, method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params });
    this.socket.send(JSON.stringify({ id: this.nextId++, method: 'NodeWorker.sendMessageToWorker', params: { sessionId, message } }));
    return this.answer(id);
  }

  private answer(id: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private receive(answer: Answer): void {
    if (answer.method === 'NodeWorker.attachedToWorker') {
      const { sessionId, workerInfo } = answer.params as { sessionId: string; workerInfo: { url: string } };
      this.threads.set(sessionId, workerInfo.url);
      return;
    }
    if (answer.method === 'NodeWorker.receivedMessageFromWorker') {
      this.receive(JSON.parse(String(answer.params!.message)) as Answer);
      return;
    }
    if (answer.id === undefined) return;
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (answer.error) waiting.reject(new Error(`inspector: ${answer.error.message}`));
    else waiting.resolve(answer.result ?? {});
  }
}
