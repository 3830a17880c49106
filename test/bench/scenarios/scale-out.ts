import { concurrently, freshDatabase, rssMb, row, sleep, startSeparateSystem, type Row } from '../harness';

const WAITING = Number(process.env.BENCH_MEMORY_DOSSIERS ?? 10_000);

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
    rows.push(row(scenario, 'RSS of the API, idle', rssMb(system.apiPids()[0]!), 'MB'));
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
    rows.push(row(scenario, `RSS of the API with ${open} dossiers waiting`, rssMb(system.apiPids()[0]!), 'MB'));
    const temporalPid = system.temporal.pids()[0];
    if (temporalPid) rows.push(row(scenario, `RSS of the Temporal dev server`, rssMb(temporalPid), 'MB'));
  } finally {
    await system.stop();
    await database.drop();
  }
  return rows;
}
