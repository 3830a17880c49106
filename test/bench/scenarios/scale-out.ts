import { concurrently, cpuRows, cpuSampler, freshDatabase, rssMb, row, sleep, startBare, startSeparateSystem, type Row } from '../harness';
import { civilStatusLifecycle } from './lifecycles';

const CLIENTS = Number(process.env.BENCH_LIFECYCLE_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 30);
const WAITING = Number(process.env.BENCH_MEMORY_DOSSIERS ?? 10_000);

/**
 * Scale out: the API and the workers as separate processes (README, "Worker and API as separate
 * processes") on a fresh PostgreSQL database and a Temporal dev server of their own. Whole
 * civil-status lifecycles per second with one worker, then with a second one started.
 */
export async function scaleOut(): Promise<Row[]> {
  const scenario = 'scale-out';
  const database = await freshDatabase('scale');
  const system = await startSeparateSystem({ databaseUrl: database.url, workers: 1 }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const bare = await startBare(system.temporalAddress);
  const rows: Row[] = [];
  try {
    const unit = String(system.examples['civil-status-extract']!.body.unitCode);
    const clerk = await system.token({ sub: `clerk.${unit.toLowerCase()}`, role: 'clerk', unit });
    const run = Date.now().toString(36);
    let n = 0;
    await civilStatusLifecycle(system, bare, clerk, `scale-${run}-warm`);
    for (const workers of [1, 2]) {
      if (workers === 2) await system.addWorker();
      let done = 0;
      const cpu = cpuSampler(system.processes);
      const window = await concurrently(CLIENTS, SECONDS, 100_000, async () => {
        await civilStatusLifecycle(system, bare, clerk, `scale-${run}-${(n += 1)}`);
        done += 1;
      });
      rows.push(row(scenario, `lifecycles per second with ${workers} worker process(es), ${CLIENTS} clients`, done / window.elapsedS, '/s'));
      rows.push(...cpuRows(`${scenario} (${workers} worker${workers > 1 ? 's' : ''})`, cpu()));
      await sleep(2_000);
    }
  } finally {
    await bare.close();
    await system.stop();
    await database.drop();
  }
  return rows;
}

/**
 * Memory: RSS of the worker and of the API with WAITING civil-status dossiers waiting for their
 * clerks (filed through the API, each with its task open), separate processes on PostgreSQL.
 */
export async function memory(): Promise<Row[]> {
  const scenario = 'memory';
  const database = await freshDatabase('memory');
  const system = await startSeparateSystem({ databaseUrl: database.url, workers: 1 }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const rows: Row[] = [];
  try {
    const example = system.examples['civil-status-extract']!;
    rows.push(row(scenario, 'RSS of the worker, idle', rssMb(system.workerPids()[0]!), 'MB'));
    rows.push(row(scenario, 'RSS of the API, idle', rssMb(system.apiPid()), 'MB'));
    const run = Date.now().toString(36);
    let n = 0;
    const filing = await concurrently(16, 1_800, WAITING, async () => {
      const res = await system.file(example, `mem-${run}-${(n += 1)}`);
      await res.text();
      if (res.status !== 201) throw new Error(`POST /dossiers answered ${res.status}`);
    });
    rows.push(row(scenario, `${WAITING} filings through the API`, filing.elapsedS, 's'));
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    const deadline = Date.now() + 30 * 60_000;
    let open = 0;
    while (Date.now() < deadline) {
      open = Number((await pg.query<{ n: string }>(`SELECT count(*) AS n FROM "Task" WHERE status = 'open'`)).rows[0]!.n);
      if (open >= WAITING) break;
      await sleep(2_000);
    }
    await pg.end();
    await sleep(5_000);
    rows.push(row(scenario, 'dossiers waiting for a clerk (open tasks)', open, 'count'));
    rows.push(row(scenario, `RSS of the worker with ${open} dossiers waiting`, rssMb(system.workerPids()[0]!), 'MB'));
    rows.push(row(scenario, `RSS of the API with ${open} dossiers waiting`, rssMb(system.apiPid()), 'MB'));
    const temporalPid = system.temporalPid();
    if (temporalPid) rows.push(row(scenario, `RSS of the Temporal dev server`, rssMb(temporalPid), 'MB'));
  } finally {
    await system.stop();
    await database.drop();
  }
  return rows;
}
