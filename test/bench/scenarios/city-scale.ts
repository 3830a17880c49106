import { Client as PgClient } from 'pg';
import { createActivities } from '../../../procedures/civil-status-extract/activities';
import { createPrismaClient } from '../../../prisma/client';
import { dueListingQuery } from '../../../api/services/supervision-listing';
import { startSeparateSystem } from '../deployment';
import { explains, freshDatabase, percentile, row, type Row } from '../harness';

/**
 * The registry at city scale, on a real PostgreSQL (a fresh database): RECORDS civil-status records
 * generated in the database itself (INSERT … SELECT generate_series, secondary indexes built after
 * the load), then 100,000 open and 1,000,000 closed dossiers; lookups as the activity makes them,
 * the supervision listings and the district statistics through the API (separate API process).
 */
const RECORDS = Number(process.env.BENCH_CITY_RECORDS ?? 12_800_000);
const OPEN_DOSSIERS = Number(process.env.BENCH_CITY_OPEN ?? 100_000);
const CLOSED_DOSSIERS = Number(process.env.BENCH_CITY_CLOSED ?? 1_000_000);
const CHUNK = 800_000;
const SAMPLES = 200;
const SCENARIO = 'city-scale';

/** Secondary indexes of the registry: dropped for the load, built after it (as a bulk load should). */
const RECORD_INDEXES: Array<[string, string]> = [
  ['CivilStatusRecord_kind_subjectPin_idx', 'CREATE INDEX "CivilStatusRecord_kind_subjectPin_idx" ON "CivilStatusRecord"("kind", "subjectPin")'],
  ['CivilStatusRecord_registrationUnitCode_idx', 'CREATE INDEX "CivilStatusRecord_registrationUnitCode_idx" ON "CivilStatusRecord"("registrationUnitCode")'],
  [
    'CivilStatusRecord_registrationUnitCode_bookNumber_pageNumbe_idx',
    'CREATE INDEX "CivilStatusRecord_registrationUnitCode_bookNumber_pageNumbe_idx" ON "CivilStatusRecord"("registrationUnitCode", "bookNumber", "pageNumber")',
  ],
  ['CivilStatusRecord_partyPins_idx', 'CREATE INDEX "CivilStatusRecord_partyPins_idx" ON "CivilStatusRecord" USING GIN ("partyPins")'],
];

const KINDS = ['BIRTH', 'MARRIAGE', 'DEATH', 'PARENT_CHILD_RECOGNITION'] as const;
const pin = (prefix: number, i: number) => String(prefix * 100_000_000_000 + i).padStart(12, '0');

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await fn();
  return [value, performance.now() - t];
}

export async function cityScale(): Promise<Row[]> {
  const database = await freshDatabase('city');
  const rows: Row[] = [];
  const system = await startSeparateSystem({ databaseUrl: database.url, workers: 0 }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const pg = new PgClient({ connectionString: database.url });
  await pg.connect();
  try {
    await pg.query("SET maintenance_work_mem = '512MB'");
    await pg.query('SET synchronous_commit = off');
    const wards = (await pg.query<{ code: string }>(`SELECT code FROM "Unit" WHERE kind = 'WARD' ORDER BY code`)).rows.map((r) => r.code);

    // ---- 12.8 million records
    for (const [name] of RECORD_INDEXES) await pg.query(`DROP INDEX IF EXISTS "${name}"`);
    const [, loadMs] = await timed(async () => {
      for (let from = 1; from <= RECORDS; from += CHUNK) {
        await pg.query(
          `INSERT INTO "CivilStatusRecord" (id, kind, "registrationUnitCode", "bookNumber", "pageNumber", "registeredOn", storage, "subjectPin", "partyPins", details)
           SELECT 'HT-BENCH-' || i,
                  (ARRAY['BIRTH','MARRIAGE','DEATH','PARENT_CHILD_RECOGNITION'])[1 + i % 4]::"CivilStatusKind",
                  ($3::text[])[1 + i % $4],
                  (i / $4 / 500)::text,
                  1 + (i / $4) % 500,
                  date '1950-01-01' + (i % 27000)::int,
                  (CASE WHEN i % 20 = 0 THEN 'PAPER_ARCHIVE' ELSE 'ELECTRONIC' END)::"RecordStorage",
                  lpad((100000000000 + i)::text, 12, '0'),
                  ARRAY[lpad((100000000000 + i)::text, 12, '0'), lpad((200000000000 + i)::text, 12, '0'), lpad((300000000000 + i)::text, 12, '0')],
                  '{}'::jsonb
           FROM generate_series($1::bigint, $2::bigint) AS i`,
          [from, Math.min(RECORDS, from + CHUNK - 1), wards, wards.length],
        );
      }
    });
    const [, indexMs] = await timed(async () => {
      for (const [, create] of RECORD_INDEXES) await pg.query(create);
      await pg.query('ANALYZE "CivilStatusRecord"');
    });
    rows.push(row(SCENARIO, `records loaded (INSERT … SELECT generate_series)`, RECORDS, 'records'));
    rows.push(row(SCENARIO, 'load time (rows)', loadMs / 1000, 's'));
    rows.push(row(SCENARIO, 'load time (secondary indexes, incl. GIN on partyPins)', indexMs / 1000, 's'));

    // ---- lookups, as the activity makes them
    const prisma = createPrismaClient(database.url, { maxConnections: 4 });
    const { findCivilStatusRecord } = createActivities({ prisma });
    const lookups: Record<string, number[]> = { 'by reference': [], 'by subject': [], 'by applicant (a party)': [], 'by unit, book, page': [] };
    for (let n = 0; n < SAMPLES; n += 1) {
      const i = 1 + Math.floor(Math.random() * RECORDS);
      const kind = KINDS[i % 4]!;
      const queries = {
        'by reference': { kind, applicantPin: pin(2, i), recordRef: `HT-BENCH-${i}` },
        'by subject': { kind, applicantPin: pin(2, i), subjectPin: pin(1, i) },
        'by applicant (a party)': { kind, applicantPin: pin(3, i) },
        'by unit, book, page': { kind, applicantPin: pin(2, i), subjectPin: pin(1, i), registrationUnitCode: wards[i % wards.length]!, bookNumber: String(Math.floor(i / wards.length / 500)), pageNumber: 1 + (Math.floor(i / wards.length) % 500) },
      };
      for (const [name, query] of Object.entries(queries)) {
        const [found, ms] = await timed(() => findCivilStatusRecord(query));
        if (found.outcome !== 'found') throw new Error(`lookup ${name} of record ${i} found nothing`);
        lookups[name]!.push(ms);
      }
    }
    const all = Object.values(lookups).flat();
    rows.push(row(SCENARIO, `record lookup p99, ${all.length} lookups (goal < 5 ms)`, percentile(all, 99), 'ms'));
    for (const [name, times] of Object.entries(lookups)) rows.push(row(SCENARIO, `record lookup ${name}: p50 / p99`, `${percentile(times, 50).toFixed(2)} / ${percentile(times, 99).toFixed(2)}`, 'ms'));
    await prisma.$disconnect();
    const i = Math.floor(RECORDS / 2);
    explains['lookup by subject'] = await explain(
      pg,
      `SELECT id, storage, "registrationUnitCode", "partyPins" FROM "CivilStatusRecord" WHERE kind = 'BIRTH' AND ("subjectPin" = '${pin(1, i)}' OR "partyPins" @> ARRAY['${pin(1, i)}'])`,
    );
    explains['lookup by applicant'] = await explain(pg, `SELECT id, kind, storage FROM "CivilStatusRecord" WHERE "partyPins" @> ARRAY['${pin(3, i)}']`);

    // ---- 100,000 open dossiers, each with its open task; due dates spread ±10 days around now
    const [, openMs] = await timed(async () => {
      await pg.query(
        `INSERT INTO "Dossier" (id, procedure, status, "unitCode", "applicantPin", data, "currentStep", "receivedAt", "dueAt", "updatedAt")
         SELECT 'CSE-OPEN-' || i, 'civil-status-extract', 'awaiting-signature', ($2::text[])[1 + i % $3], lpad((100000000000 + i)::text, 12, '0'),
                '{"kind":"BIRTH"}'::jsonb, 'verify-and-sign', now() - interval '1 day', now() + ((i % 2000) - 1000) * interval '15 minutes', now()
         FROM generate_series(1, $1::int) AS i`,
        [OPEN_DOSSIERS, wards, wards.length],
      );
      await pg.query(
        `INSERT INTO "Task" (id, "dossierId", procedure, step, "unitCode", status, outcomes, "createdAt", "dueAt")
         SELECT d.id || '-T1', d.id, d.procedure, 'verify-and-sign', d."unitCode", 'open', ARRAY['approve','refuse'], d."receivedAt", d."dueAt"
         FROM "Dossier" d WHERE d.id LIKE 'CSE-OPEN-%'`,
      );
    });
    // ---- 1,000,000 closed dossiers over two years
    const [, closedMs] = await timed(async () => {
      await pg.query(
        `INSERT INTO "Dossier" (id, procedure, status, "unitCode", "applicantPin", data, "currentStep", "receivedAt", "dueAt", "decidedAt", "closedAt", "updatedAt")
         SELECT 'CSE-DONE-' || i, 'civil-status-extract', CASE WHEN i % 10 = 0 THEN 'refused' ELSE 'issued' END, ($2::text[])[1 + i % $3],
                lpad((100000000000 + i)::text, 12, '0'), '{"kind":"BIRTH"}'::jsonb, 'closed',
                r, r + interval '1 day', r + interval '20 hours' + (i % 7) * interval '1 hour', r + interval '20 hours' + (i % 7) * interval '1 hour', r + interval '1 day'
         FROM (SELECT i, timestamptz '2025-01-01' + (i % 730) * interval '1 day' + (i % 24) * interval '1 hour' AS r FROM generate_series(1, $1::int) AS i) s`,
        [CLOSED_DOSSIERS, wards, wards.length],
      );
      await pg.query('ANALYZE "Dossier"');
      await pg.query('ANALYZE "Task"');
    });
    rows.push(row(SCENARIO, `${OPEN_DOSSIERS} open dossiers with their tasks: load time`, openMs / 1000, 's'));
    rows.push(row(SCENARIO, `${CLOSED_DOSSIERS} closed dossiers: load time`, closedMs / 1000, 's'));

    // ---- the supervision listing, through the API
    const ward = wards[0]!;
    const as = {
      city: await system.token({ sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' }),
      ward: await system.token({ sub: `supervisor.${ward.toLowerCase()}`, role: 'supervisor', unit: ward }),
    };
    for (const state of ['overdue', 'at-risk'] as const) {
      for (const [who, token] of Object.entries(as)) {
        const times: number[] = [];
        for (let n = 0; n < 30; n += 1) {
          const [res, ms] = await timed(() => fetch(`${system.api}/supervision/dossiers?state=${state}`, { headers: { authorization: `Bearer ${token}` } }));
          const body = await res.text();
          if (res.status !== 200) throw new Error(`GET /supervision/dossiers?state=${state} answered ${res.status}: ${body.slice(0, 200)}`);
          times.push(ms);
        }
        rows.push(row(SCENARIO, `${state} listing as the ${who}'s supervisor, p95 (goal < 200 ms)`, percentile(times, 95), 'ms'));
      }
    }
    // The listing's own query (api/routes/supervision.ts), as the API runs it for each scope.
    for (const [who, units] of [['city', undefined], ['ward', [ward]]] as const) {
      const listing = dueListingQuery({ state: 'overdue', now: new Date(), units: units ? [...units] : undefined, procedure: undefined, limit: 200 });
      explains[`overdue listing (${who})`] = await explain(pg, listing.text, listing.values);
    }

    // ---- statistics of a district (a ward) over a year: GET /supervision/stats, when it exists
    const statsUrl = `${system.api}/supervision/stats?unitCode=${ward}&procedure=civil-status-extract&from=2025-01-01&to=2025-12-31`;
    const probe = await fetch(statsUrl, { headers: { authorization: `Bearer ${as.city}` } });
    await probe.text();
    if (probe.status === 404) {
      rows.push(row(SCENARIO, 'stats of a district over a year: not available (GET /supervision/stats answers 404 in this build)', null, ''));
    } else {
      const times: number[] = [];
      for (let n = 0; n < 10; n += 1) {
        const [res, ms] = await timed(() => fetch(statsUrl, { headers: { authorization: `Bearer ${as.city}` } }));
        await res.text();
        if (res.status !== 200) throw new Error(`GET /supervision/stats answered ${res.status}`);
        times.push(ms);
      }
      rows.push(row(SCENARIO, `stats of a district over a year (${CLOSED_DOSSIERS} closed), p95 (goal < 500 ms)`, percentile(times, 95), 'ms'));
    }
    explains['district stats over a year (the aggregate the stats need)'] = await explain(
      pg,
      `SELECT "unitCode", procedure, count(*) AS received, count(*) FILTER (WHERE "closedAt" IS NOT NULL) AS completed,
              count(*) FILTER (WHERE "closedAt" <= "dueAt") AS on_time, count(*) FILTER (WHERE "closedAt" > "dueAt") AS late
         FROM "Dossier" WHERE "unitCode" = '${ward}' AND procedure = 'civil-status-extract'
          AND "receivedAt" >= '2025-01-01' AND "receivedAt" < '2026-01-01' GROUP BY 1, 2`,
    );
    const size = await pg.query<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
    rows.push(row(SCENARIO, 'database size', size.rows[0]!.size, ''));
  } finally {
    await pg.end();
    await system.stop();
    await database.drop();
  }
  return rows;
}

async function explain(pg: PgClient, sql: string, values: unknown[] = []): Promise<string> {
  const result = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values);
  return result.rows.map((r) => r['QUERY PLAN']).join('\n');
}
