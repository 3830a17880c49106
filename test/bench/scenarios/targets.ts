import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { summariseProfiles } from '../cpu-profile';
import { startSeparateSystem, startTemporalTarget, type SeparateSystem, type TemporalTargetName } from '../deployment';
import { concurrently, cpuRows, cpuSampler, explains, freshDatabase, row, sleep, startBare, type Bare, type ProcessGroup, type Row, type SystemUnderTest } from '../harness';
import { filingToTask, postDossiers } from './filing';
import { civilStatusLifecycle, costRows, lifecycles } from './lifecycles';

const CLIENTS = Number(process.env.BENCH_LIFECYCLE_CLIENTS ?? 16);
const SCALE_SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 20);
const PROFILE_SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 20);

/** Scenarios run on each Temporal target, on the README's cluster recipe (API and workers as processes, PostgreSQL). */
export const TARGET_SCENARIOS = ['filing-to-task', 'post-dossiers', 'lifecycles', 'scale-out', 'worker-profile'] as const;
export type TargetScenario = (typeof TARGET_SCENARIOS)[number];
/** Scale-out and the profile are measured where they mean something: on the server that scales. */
const CLUSTER_ONLY = new Set<TargetScenario>(['scale-out', 'worker-profile']);

/**
 * Starts the target's Temporal server, a fresh engine database, one API and one worker process and
 * the bare baseline's worker on the same server, then runs the scenarios asked for.
 */
export async function onTarget(target: TemporalTargetName, wanted: TargetScenario[], log: (m: string) => void): Promise<Row[]> {
  const scenarios = wanted.filter((s) => target === 'cluster' || !CLUSTER_ONLY.has(s));
  if (scenarios.length === 0) return [];
  const temporal = await startTemporalTarget(target, log);
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let system: SeparateSystem | undefined;
  let bare: Bare | undefined;
  const rows: Row[] = [];
  try {
    database = await freshDatabase(`engine_${target.replace('-', '_')}`);
    log(`${target}: starting the API and a worker`);
    system = await startSeparateSystem({ databaseUrl: database.url, workers: 1, temporal });
    bare = await startBare(temporal.address);
    const bareProcesses: ProcessGroup[] = [
      { name: 'worker process(es)', pids: () => bare!.pids() },
      { name: 'Temporal server', pids: () => temporal.pids() },
      ...(target === 'cluster' ? [{ name: "PostgreSQL: Temporal's databases", pids: () => temporal.persistencePids() }] : []),
    ];
    for (const scenario of scenarios) {
      log(`${scenario} @${target}`);
      const name = `${scenario} @${target}`;
      const t = performance.now();
      try {
        if (scenario === 'filing-to-task') rows.push(...rename(await filingToTask(system, bare), name));
        if (scenario === 'post-dossiers') rows.push(...rename(await postDossiers(system, bare), name));
        if (scenario === 'lifecycles') rows.push(...(await lifecycles(name, system, bare, bareProcesses)));
        if (scenario === 'scale-out') rows.push(...(await scaleOut(name, system, bare)));
        if (scenario === 'worker-profile') rows.push(...(await workerProfile(name, system, bare)));
      } catch (error) {
        log(`${name} failed: ${String(error)}`);
        rows.push(row(name, `failed: ${String(error).slice(0, 200)}`, null, ''));
      }
      rows.push(row(name, 'scenario time', (performance.now() - t) / 1000, 's'));
      await sleep(2_000);
    }
  } finally {
    await bare?.close();
    await system?.stop();
    await temporal.stop();
    await database?.drop();
  }
  return rows;
}

const rename = (rows: Row[], scenario: string): Row[] => rows.map((r) => ({ ...r, scenario }));

/** Lifecycles for SCALE_SECONDS from CLIENTS clients spread over the given API processes. */
async function lifecyclesThrough(systems: SystemUnderTest[], bare: Bare, clerk: string, tag: string) {
  let done = 0;
  let n = 0;
  const window = await concurrently(CLIENTS, SCALE_SECONDS, 100_000, async (client) => {
    await civilStatusLifecycle(systems[client % systems.length]!, bare, clerk, `${tag}-${(n += 1)}`);
    done += 1;
  });
  return { done, perSecond: done / window.elapsedS };
}

/**
 * Scale-out as the README's recipe deploys it: lifecycles/s with 1 and 2 worker processes and 1 and
 * 2 API processes (the clients spread over the APIs), with each process's CPU.
 */
async function scaleOut(scenario: string, system: SeparateSystem, bare: Bare): Promise<Row[]> {
  const unit = String(system.examples['civil-status-extract']!.body.unitCode);
  const clerk = await system.token({ sub: `clerk.${unit.toLowerCase()}`, role: 'clerk', unit });
  const run = Date.now().toString(36);
  await civilStatusLifecycle(system, bare, clerk, `scale-${run}-warm`);
  await system.addApi();
  const both = [system, await system.throughApi(1)];
  const rows: Row[] = [];
  const phases: Array<{ workers: number; apis: number }> = [
    { workers: 1, apis: 1 },
    { workers: 1, apis: 2 },
    { workers: 2, apis: 2 },
    { workers: 2, apis: 1 },
  ];
  for (const phase of phases) {
    if (phase.workers > system.workerPids().length) await system.addWorker();
    const label = `${phase.workers} worker${phase.workers > 1 ? 's' : ''}, ${phase.apis} API${phase.apis > 1 ? 's' : ''}`;
    const cpu = cpuSampler(system.processes);
    const { done, perSecond } = await lifecyclesThrough(both.slice(0, phase.apis), bare, clerk, `scale-${run}-${phase.workers}${phase.apis}`);
    const usage = cpu();
    rows.push(row(scenario, `lifecycles per second, ${label}, ${CLIENTS} clients`, perSecond, '/s'));
    rows.push(...cpuRows(`${scenario} (${label})`, usage));
    const total = Object.values(usage.percent).reduce((a, b) => a + b, 0);
    rows.push(row(`${scenario} (${label})`, 'CPU: all processes (the machine has 200%)', total, '% of a core'));
    rows.push(...costRows(`${scenario} (${label})`, 'engine', usage, done).slice(-1));
    await sleep(2_000);
  }
  return rows;
}

/**
 * A CPU profile of a worker under load: one worker started with `--cpu-prof` takes the load alone
 * for PROFILE_SECONDS, then stops (writing its profiles); the worker's start (bundling) is cut off.
 */
async function workerProfile(scenario: string, system: SeparateSystem, bare: Bare): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'procedures-bench-profile-'));
  try {
    const spawnedAt = performance.now();
    const profiled = await system.addWorker(['--cpu-prof', '--cpu-prof-dir', dir]);
    for (const pid of system.workerPids().filter((p) => p !== profiled)) await system.stopWorker(pid);
    const unit = String(system.examples['civil-status-extract']!.body.unitCode);
    const clerk = await system.token({ sub: `clerk.${unit.toLowerCase()}`, role: 'clerk', unit });
    const run = Date.now().toString(36);
    await civilStatusLifecycle(system, bare, clerk, `profile-${run}-warm`);
    const loadFrom = performance.now() - spawnedAt;
    const { perSecond } = await lifecyclesThrough([system], bare, clerk, `profile-${run}`);
    await system.stopWorker(profiled);
    const summary = await summariseProfiles(dir, loadFrom);
    explains[`${scenario}: worker CPU profile (self time, load window only)`] = [
      `busy ${summary.busyMs.toFixed(0)} ms in ${PROFILE_SECONDS} s at ${perSecond.toFixed(2)} lifecycles/s; threads: ${summary.threads.map((t) => `${t.file} ${t.busyMs.toFixed(0)} ms`).join(', ')}`,
      'by area:',
      ...summary.areas.map((a) => `  ${(100 * a.share).toFixed(1)}%  ${a.ms.toFixed(0)} ms  ${a.name}`),
      'by function:',
      ...summary.functions.map((f) => `  ${(100 * f.share).toFixed(1)}%  ${f.ms.toFixed(0)} ms  ${f.name}`),
    ].join('\n');
    return [
      row(scenario, 'lifecycles per second while profiled (1 worker)', perSecond, '/s'),
      ...summary.areas.slice(0, 8).map((a) => row(scenario, `worker CPU by area: ${a.name}`, 100 * a.share, '% of its busy time')),
      ...summary.functions.slice(0, 8).map((f) => row(scenario, `worker CPU by function: ${f.name}`, 100 * f.share, '% of its busy time')),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
