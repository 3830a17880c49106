import os from 'node:os';
import { concurrently, cpuRows, cpuSampler, row, sleep, type Bare, type CpuUse, type ProcessGroup, type Row, type SystemUnderTest, BENCH_CLIENTS } from '../harness';

const CLIENTS = Number(process.env.BENCH_LIFECYCLE_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_LIFECYCLE_SECONDS ?? 20);

/**
 * What a civil-status extract ran before the lean path: 13 activities to the clerk's task, 2 in
 * the decision's Update, 4 after it (issue, close, mail). The bare baseline keeps this shape.
 */
export const BARE_LIFECYCLE = { activities: 13, updateActivities: 2, afterUpdate: 4 };

/**
 * One whole civil-status dossier: filed by the citizen, approved by the ward's clerk as soon as the
 * task is there (its id is the dossier's code and T1), issued and mailed (the workflow's result).
 */
export async function civilStatusLifecycle(system: SystemUnderTest, bare: Bare, clerk: string, key: string): Promise<void> {
  const example = system.examples['civil-status-extract']!;
  const res = await system.file(example, key);
  if (res.status !== 201) throw new Error(`POST /dossiers answered ${res.status}: ${await res.text()}`);
  const { dossierId } = (await res.json()) as { dossierId: string };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const done = await fetch(`${system.api}/tasks/${dossierId}-T1/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clerk}`, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve' }),
    });
    const text = await done.text();
    if (done.status === 200) break;
    if (done.status !== 404 || Date.now() > deadline) throw new Error(`completing ${dossierId}-T1 answered ${done.status}: ${text}`);
    // A clerk looks again a moment later; a tighter loop would spend the system's CPU on 404s.
    await sleep(100);
  }
  const outcome = (await bare.client.workflow.getHandle(dossierId).result()) as { status: string };
  if (outcome.status !== 'issued') throw new Error(`dossier ${dossierId} ended ${outcome.status}`);
}

/** Lifecycles per second the machine's cores would give if every process could use them all. */
function ceiling(usage: CpuUse, completed: number): number {
  const perLifecycle = Object.values(usage.ms).reduce((a, b) => a + b, 0) / Math.max(1, completed);
  return (os.cpus().length * 1000) / perLifecycle;
}

/**
 * Rows of CPU milliseconds per completed lifecycle, per process group; the total is the system's
 * (the bench's clients stand for the citizens' and clerks' browsers, shown apart).
 */
export function costRows(scenario: string, what: string, usage: CpuUse, completed: number): Row[] {
  const total = Object.entries(usage.ms).reduce((sum, [name, ms]) => (name === BENCH_CLIENTS ? sum : sum + ms), 0);
  return [
    ...Object.entries(usage.ms).map(([name, ms]) => row(scenario, `${what}: CPU ms per lifecycle, ${name}`, ms / Math.max(1, completed), 'ms')),
    row(scenario, `${what}: CPU ms per lifecycle, all processes but the bench's clients`, total / Math.max(1, completed), 'ms'),
  ];
}

/**
 * Whole lifecycles per second from CLIENTS concurrent citizen-and-clerk pairs for SECONDS, against
 * a bare workflow of the same shape (activities, then an Update, then activities) driven alike; with
 * the CPU of each process over each window, in % of a core (where it tops out) and in milliseconds
 * per completed lifecycle (the cost, which travels between machines).
 */
export async function lifecycles(scenario: string, system: SystemUnderTest, bare: Bare, bareProcesses: ProcessGroup[] = []): Promise<Row[]> {
  const unit = String(system.examples['civil-status-extract']!.body.unitCode);
  const clerk = await system.token({ sub: `clerk.${unit.toLowerCase()}`, role: 'clerk', unit });
  const run = Date.now().toString(36);
  let n = 0;
  await civilStatusLifecycle(system, bare, clerk, `life-${run}-warm`);

  let bareDone = 0;
  const bareCpu = cpuSampler(bareProcesses);
  const bareWindow = await concurrently(CLIENTS, SECONDS, 100_000, async () => {
    const handle = await bare.start(BARE_LIFECYCLE);
    await handle.executeUpdate('approve');
    await handle.result();
    bareDone += 1;
  });
  const bareUsage = bareCpu();
  await sleep(2_000);

  let done = 0;
  let failed = 0;
  let firstError: string | undefined;
  const cpu = cpuSampler(system.processes);
  const window = await concurrently(CLIENTS, SECONDS, 100_000, async () => {
    try {
      await civilStatusLifecycle(system, bare, clerk, `life-${run}-${(n += 1)}`);
      done += 1;
    } catch (error) {
      failed += 1;
      firstError ??= String(error);
    }
  });
  const usage = cpu();
  if (firstError) console.error(`${scenario}: ${failed} failed, first: ${firstError}`);
  const perSecond = done / window.elapsedS;
  return [
    row(scenario, `lifecycles per second, ${CLIENTS} clients (goal ≥ 2× the bare workflow of the same shape)`, perSecond, '/s', bareDone / bareWindow.elapsedS),
    row(scenario, 'mean time of one lifecycle', (CLIENTS * window.elapsedS * 1000) / Math.max(1, done), 'ms', (CLIENTS * bareWindow.elapsedS * 1000) / Math.max(1, bareDone)),
    row(scenario, 'failed lifecycles', failed, 'count'),
    ...cpuRows(scenario, usage),
    ...costRows(scenario, 'engine', usage, done),
    ...costRows(scenario, 'bare workflow', bareUsage, bareDone),
    row(scenario, `ceiling on this machine's ${os.cpus().length} cores from the CPU cost (clients included)`, ceiling(usage, done), '/s', ceiling(bareUsage, bareDone)),
  ];
}
