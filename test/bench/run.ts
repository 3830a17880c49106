/**
 * `npm run bench [scenario...]`: named scenarios, each bounded in time, on loopback only. Without
 * a name it runs the quick set (a few minutes); `npm run bench -- --list` names them all. Each
 * scenario with a Temporal baseline measures it in the same run on the same server (a bare workflow
 * of no-op activities on the bench's own worker, see bare-workflows.ts) and prints the ratio.
 *
 * Prints one table and writes bench/results/latest.json and a dated copy: rows
 * {scenario, figure, value, unit, baseline, ratio}, baseline and ratio null where none applies.
 */
import { execSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TEMPORAL_TARGETS, type TemporalTargetName } from './deployment';
import { explains, freshDatabase, ROOT, row, startBare, startEmbeddedSystem, type Bare, type Row, type SystemUnderTest } from './harness';
import { codeVsData } from './scenarios/code-vs-data';
import { cityScale } from './scenarios/city-scale';
import { lifecycles } from './scenarios/lifecycles';
import { memory } from './scenarios/memory';
import { onTarget, type TargetScenario } from './scenarios/targets';
import { measureTrafficBatch } from './traffic-batch';

type Needs = 'targets' | 'embedded' | 'postgres' | 'none';

interface Scenario {
  name: string;
  quick: boolean;
  /**
   * The system the scenario drives: the README's cluster recipe on each Temporal target in turn
   * (`targets`), the embedded one (PGlite), the same on a fresh PostgreSQL database, or its own.
   */
  needs: Needs;
  what: string;
  run(system: SystemUnderTest | undefined, bare: Bare | undefined): Promise<Row[]>;
}

const need = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('scenario started without its system');
  return value;
};

const onTargets = (): Promise<Row[]> => Promise.reject(new Error('run per target by main'));

const SCENARIOS: Scenario[] = [
  { name: 'filing-to-task', quick: true, needs: 'targets', what: 'filing → task in GET /tasks per procedure, vs a bare workflow of 3 activities', run: onTargets },
  { name: 'post-dossiers', quick: true, needs: 'targets', what: 'POST /dossiers p99 under 16 clients, vs a bare workflow.start', run: onTargets },
  { name: 'lifecycles', quick: true, needs: 'targets', what: 'whole civil-status lifecycles/s vs the same bare shape; CPU ms per lifecycle of each process', run: onTargets },
  { name: 'scale-out', quick: true, needs: 'targets', what: 'cluster target: lifecycles/s with 1 and 2 worker processes and 1 and 2 API processes', run: onTargets },
  { name: 'worker-profile', quick: true, needs: 'targets', what: "cluster target: a CPU profile of one worker under load, its top items", run: onTargets },
  { name: 'traffic-batch', quick: false, needs: 'embedded', what: 'a batch of 1,000 traffic-fine evidence items: accepted, then every case waiting for an officer; a year at that pace', run: (s) => trafficBatch('traffic-batch', need(s)) },
  { name: 'lifecycles-embedded', quick: false, needs: 'embedded', what: 'whole civil-status lifecycles/s on the embedded system (npm start: one process, PGlite, dev server)', run: (s, b) => lifecycles('lifecycles-embedded', need(s), need(b)) },
  { name: 'code-vs-data', quick: false, needs: 'postgres', what: 'civil-status extract as data vs its retired hand-written workflow: opening → task, vs a bare workflow of 3 activities', run: (s, b) => codeVsData(need(s), need(b)) },
  { name: 'traffic-batch-postgres', quick: false, needs: 'postgres', what: 'the traffic-fine batch of 1,000 on a fresh real PostgreSQL database', run: (s) => trafficBatch('traffic-batch-postgres', need(s)) },
  { name: 'city-scale', quick: false, needs: 'none', what: '12.8M registry records, 100k open and 1M closed dossiers on PostgreSQL: lookups, listings, stats', run: () => cityScale() },
  { name: 'memory', quick: false, needs: 'none', what: 'RSS of the worker and the API with 10,000 dossiers waiting for clerks', run: () => memory() },
];

/** The Temporal servers the `targets` scenarios run on, in order (BENCH_TARGETS=dev,cluster narrows them). */
function targetsWanted(): TemporalTargetName[] {
  const names = (process.env.BENCH_TARGETS ?? 'dev,dev-wal,cluster').split(',').map((t) => t.trim());
  const unknown = names.filter((t) => !(t in TEMPORAL_TARGETS));
  if (unknown.length > 0) throw new Error(`unknown BENCH_TARGETS ${unknown.join(', ')}; known: ${Object.keys(TEMPORAL_TARGETS).join(', ')}`);
  return names as TemporalTargetName[];
}

/** The traffic-fine batch ingest (test/bench/traffic-batch.ts), as rows of the named scenario. */
async function trafficBatch(scenario: string, system: SystemUnderTest): Promise<Row[]> {
  const figures = await measureTrafficBatch(system.api);
  return figures.map((f) => row(scenario, f.figure, f.value, f.unit));
}

function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [r.scenario, r.figure, r.value === null ? '—' : String(r.value), r.unit, r.baseline === null ? '' : String(r.baseline), r.ratio === null ? '' : `${r.ratio}×`]);
  const head = ['scenario', 'figure', 'value', 'unit', 'baseline', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i >= 2 && i !== 3 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${cells.map(line).join('\n')}\n`);
}

function machineRows(when: string): Row[] {
  const [one, five] = os.loadavg();
  return [row('machine', `load average 1 min / 5 min (${when})`, `${one!.toFixed(2)} / ${five!.toFixed(2)}`, `on ${os.cpus().length} cores`)];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--list')) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(22)} ${s.quick ? 'quick' : '     '}  ${s.what}\n`);
    return;
  }
  const unknown = args.filter((a) => !SCENARIOS.some((s) => s.name === a));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const selected = args.length > 0 ? SCENARIOS.filter((s) => args.includes(s.name)) : SCENARIOS.filter((s) => s.quick);
  const startedAt = new Date();
  const rows: Row[] = [...machineRows('start')];
  const log = (m: string) => process.stderr.write(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)}s] ${m}\n`);

  const onTargetsWanted = selected.filter((s) => s.needs === 'targets').map((s) => s.name as TargetScenario);
  if (onTargetsWanted.length > 0) {
    for (const target of targetsWanted()) {
      log(`target ${target}: ${TEMPORAL_TARGETS[target]}`);
      try {
        rows.push(row(`target ${target}`, TEMPORAL_TARGETS[target], null, ''), ...(await onTarget(target, onTargetsWanted, log)));
      } catch (error) {
        log(`target ${target} failed: ${String(error)}`);
        rows.push(row(`target ${target}`, `failed: ${String(error).slice(0, 200)}`, null, ''));
      }
    }
  }
  for (const needs of ['embedded', 'postgres', 'none'] as Needs[]) {
    const group = selected.filter((s) => s.needs === needs);
    if (group.length === 0) continue;
    let system: SystemUnderTest | undefined;
    let bare: Bare | undefined;
    let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
    try {
      if (needs !== 'none') {
        if (needs === 'postgres') database = await freshDatabase('lifecycles');
        log(`starting the ${needs} system`);
        system = await startEmbeddedSystem({ databaseUrl: database?.url });
        bare = await startBare(system.temporalAddress);
      }
      for (const scenario of group) {
        log(`${scenario.name}: ${scenario.what}`);
        const t = performance.now();
        try {
          rows.push(...(await scenario.run(system, bare)));
        } catch (error) {
          log(`${scenario.name} failed: ${String(error)}`);
          rows.push(row(scenario.name, `failed: ${String(error).slice(0, 200)}`, null, ''));
        }
        rows.push(row(scenario.name, 'scenario time', (performance.now() - t) / 1000, 's'));
      }
    } finally {
      await bare?.close();
      await system?.stop();
      await database?.drop();
    }
  }
  rows.push(...machineRows('end'));
  printTable(rows);
  const commit = (() => {
    if (process.env.BENCH_COMMIT) return process.env.BENCH_COMMIT;
    try {
      return execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    } catch {
      return null;
    }
  })();
  const results = { startedAt: startedAt.toISOString(), seconds: Math.round((Date.now() - startedAt.getTime()) / 1000), commit, node: process.version, cpus: os.cpus().length, scenarios: selected.map((s) => s.name), rows, explain: explains };
  const dir = path.join(ROOT, 'bench/results');
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  await writeFile(path.join(dir, 'latest.json'), json);
  await writeFile(path.join(dir, `${stamp}.json`), json);
  log(`results in bench/results/latest.json and ${stamp}.json`);
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
