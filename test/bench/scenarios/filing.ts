import { randomBytes } from 'node:crypto';
import { concurrently, percentile, row, sleep, type Bare, type Example, type Row, type SystemUnderTest } from '../harness';

const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 20);
const CLIENTS = Number(process.env.BENCH_CONCURRENCY ?? 16);
const POST_SECONDS = Number(process.env.BENCH_POST_SECONDS ?? 10);
/** A pause between samples, so that neither measures the other's tail. */
const SETTLE_MS = 300;

/** The shape the filing-to-task goal is set against: a bare workflow of 3 sequential activities. */
const BARE_3 = { activities: 3 };
/** What the civil-status extract ran before its task appeared before the lean path: 13 activities. */
const BARE_13 = { activities: 13 };

async function bareLatency(bare: Bare, shape: { activities: number; local?: boolean }): Promise<number> {
  const handle = await bare.start(shape);
  const started = performance.now();
  await handle.result();
  return performance.now() - started;
}

/**
 * Filing → the clerk's task in GET /tasks, per procedure (its demo example), one dossier at a time,
 * each real sample followed by a bare one so both see the same load: time from the 201 to the task
 * listed, against a bare workflow of 3 activities from `start` returning to its result.
 */
export async function filingToTask(system: SystemUnderTest, bare: Bare): Promise<Row[]> {
  const scenario = 'filing-to-task';
  const supervisor = await system.token({ sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' });
  const rows: Row[] = [];
  // Warm both paths (bundles, caches, connections) before measuring.
  await bareLatency(bare, BARE_3);
  const bare3: number[] = [];
  const bare13: number[] = [];
  const bare13Local: number[] = [];
  for (const [procedure, example] of Object.entries(system.examples)) {
    // A batch is measured by the traffic-batch scenario; a single piece of evidence is a filing.
    if (example.path === '/violations/batch') continue;
    await taskLatency(system, supervisor, fresh(example));
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      latencies.push(await taskLatency(system, supervisor, fresh(example)));
      // What the dossier does after its task appears (the receipt mail going out) must not land on
      // the bare sample: that would slow the baseline and flatter the ratio.
      await sleep(SETTLE_MS);
      bare3.push(await bareLatency(bare, BARE_3));
      await sleep(SETTLE_MS);
    }
    const base = percentile(bare3, 50);
    rows.push(row(scenario, `${procedure}: p50 (goal ≤ 1.0× bare 3 activities on the cluster)`, percentile(latencies, 50), 'ms', base));
    rows.push(row(scenario, `${procedure}: p95`, percentile(latencies, 95), 'ms', percentile(bare3, 95)));
  }
  for (let i = 0; i < Math.ceil(SAMPLES / 2); i += 1) {
    bare13.push(await bareLatency(bare, BARE_13));
    bare13Local.push(await bareLatency(bare, { ...BARE_13, local: true }));
  }
  rows.push(row(scenario, 'bare workflow, 3 activities: p50', percentile(bare3, 50), 'ms'));
  rows.push(row(scenario, 'bare workflow, 13 activities: p50', percentile(bare13, 50), 'ms'));
  rows.push(row(scenario, 'bare workflow, 13 local activities: p50', percentile(bare13Local, 50), 'ms'));
  return rows;
}

/** The example to post once more: evidence gets new images, or it would be the same case again. */
function fresh(example: Example): Example {
  if (example.path !== '/violations') return example;
  return { ...example, body: { ...example.body, evidence: [{ sha256: randomBytes(32).toString('hex') }] } };
}

async function taskLatency(system: SystemUnderTest, supervisor: string, example: Example): Promise<number> {
  const res = await system.file(example);
  const filedAt = performance.now();
  if (res.status !== 201) throw new Error(`POST ${example.path ?? '/dossiers'} answered ${res.status}: ${await res.text()}`);
  const { dossierId } = (await res.json()) as { dossierId: string };
  for (;;) {
    const tasks = (await (await fetch(`${system.api}/tasks?limit=500`, { headers: { authorization: `Bearer ${supervisor}` } })).json()) as Array<{ dossierId: string }>;
    if (tasks.some((t) => t.dossierId === dossierId)) return performance.now() - filedAt;
    if (performance.now() - filedAt > 60_000) throw new Error(`the task of ${dossierId} did not appear within 60 s`);
    await sleep(10);
  }
}

/**
 * POST /dossiers (the civil-status example, each with its own Idempotency-Key) from CLIENTS
 * concurrent clients, against `workflow.start` of a bare workflow (3 activities) from as many.
 */
export async function postDossiers(system: SystemUnderTest, bare: Bare): Promise<Row[]> {
  const scenario = 'post-dossiers';
  const example = system.examples['civil-status-extract']!;
  const run = `${Date.now().toString(36)}`;
  const bareTimes: number[] = [];
  const bareRun = await concurrently(CLIENTS, POST_SECONDS, 3_000, async () => {
    const t = performance.now();
    await bare.start(BARE_3);
    bareTimes.push(performance.now() - t);
  });
  // Let the bare workflows finish before the system is measured.
  await sleep(3_000);
  const times: number[] = [];
  const failures: Record<string, number> = {};
  let n = 0;
  const realRun = await concurrently(CLIENTS, POST_SECONDS, 3_000, async () => {
    const t = performance.now();
    const res = await system.file(example, `bench-${run}-${(n += 1)}`);
    await res.text();
    if (res.status === 201) times.push(performance.now() - t);
    else failures[res.status] = (failures[res.status] ?? 0) + 1;
  });
  return [
    row(scenario, `p99 under ${CLIENTS} clients (goal ≤ 1.5× bare start p99)`, percentile(times, 99), 'ms', percentile(bareTimes, 99)),
    row(scenario, 'p50', percentile(times, 50), 'ms', percentile(bareTimes, 50)),
    row(scenario, 'accepted per second', times.length / realRun.elapsedS, '/s', bareTimes.length / bareRun.elapsedS),
    row(scenario, 'failed requests', Object.values(failures).reduce((a, b) => a + b, 0), Object.keys(failures).length ? `statuses ${Object.keys(failures).join(',')}` : 'count'),
  ];
}
