import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { pgTransact, publishShippedDefinitions, type ShippedResult } from '../common/procedure-definitions';
import { PROCEDURES, RETIRED_MODULES } from '../procedures';
import { DEFINED_PROCEDURES } from '../procedures/definitions';
import { ADAPTER_SPECS } from '../procedures/adapter-specs';
import { deadlineDefaults } from '../procedures/define';

/**
 * Applies the SQL migrations committed under prisma/migrations, in name order, recording each in
 * `_prisma_migrations` exactly as Prisma Migrate does, so `prisma migrate deploy` / `status` agree
 * with us wherever Prisma's schema engine is available. (Here it is not, hence this runner.)
 *
 * Each migration runs in one transaction together with its bookkeeping row: PostgreSQL DDL is
 * transactional, so a failure leaves neither half-applied tables nor a half-written record.
 */
export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
/** The procedure definitions the engine ships (one JSON document per procedure version), published after the migrations. */
export const SHIPPED_DEFINITIONS_DIR = path.join(__dirname, '../procedures/definitions');

// The same advisory lock key Prisma Migrate takes, so the two never run at once on one database.
const PRISMA_MIGRATE_LOCK = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
  /** Applied migrations whose file changed since: Prisma warns about these too. */
  modified: string[];
  /** Shipped procedure definitions published now (`id@version`); those published before are not listed. */
  published: string[];
}

export interface MigrationOptions {
  /** Where the shipped procedure definitions are (default `procedures/definitions/`). */
  definitionsDir?: string;
}

/**
 * Applies pending migrations, then inserts what the code ships where missing: the definitions'
 * deadline defaults, and every shipped procedure definition whose (id, version) is not published.
 * A shipped definition that is invalid, or differs from the published (id, version), throws an
 * error naming its file: the start stops.
 */
export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR, options: MigrationOptions = {}): Promise<MigrationResult> {
  const migrations = await readMigrations(dir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    try {
      const result = await applyPending(client, migrations);
      await seedDeadlineDefaults(client);
      const shipped = await publishShipped(client, options.definitionsDir ?? SHIPPED_DEFINITIONS_DIR);
      return { ...result, published: shipped.filter((s) => s.outcome === 'published').map((s) => `${s.id}@${s.version}`) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]);
    }
  } finally {
    await client.end();
  }
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function applyPending(client: Client, migrations: Migration[]): Promise<Omit<MigrationResult, 'published'>> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );
  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed.length > 0) {
    throw new Error(
      `Migration ${failed.map((r) => r.migration_name).join(', ')} failed earlier and was not rolled back; ` +
        'resolve it (prisma migrate resolve) before starting again.',
    );
  }
  const done = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
  const result: Omit<MigrationResult, 'published'> = { applied: [], alreadyApplied: [], modified: [] };
  for (const migration of migrations) {
    const checksum = done.get(migration.name);
    if (checksum !== undefined) {
      result.alreadyApplied.push(migration.name);
      if (checksum !== migration.checksum) result.modified.push(migration.name);
      continue;
    }
    await applyOne(client, migration);
    result.applied.push(migration.name);
  }
  return result;
}

/**
 * The deadline defaults each procedure's definition declares become DeadlineSetting rows where none
 * exists yet (a row an operator edited stays as it is): a new procedure needs no data migration.
 * The first definition to name a row gives its default: the registry's before a retired module's.
 */
async function seedDeadlineDefaults(client: Client): Promise<void> {
  const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('"DeadlineSetting"') IS NOT NULL AS exists`);
  if (!rows[0]?.exists) return;
  // Every version shipped as data has its own settings (a dossier keeps its version's deadlines), and a
  // retired procedure's code keeps its own keys (such as `dossier-archive`): its runs still open plan with them.
  const procedures = [...PROCEDURES.all, ...DEFINED_PROCEDURES, ...RETIRED_MODULES.map((m) => m.definition)];
  for (const row of procedures.flatMap((p) => deadlineDefaults(p))) {
    await client.query(
      `INSERT INTO "DeadlineSetting" ("procedure", "step", "mode", "workingDays", "cutoffTime", "endOfDayTime", "remindBeforeMinutes", "secondEscalationAfterWorkingDays")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [row.procedure, row.step, row.mode, row.workingDays, row.cutoffTime, row.endOfDayTime, row.remindBeforeMinutes, row.secondEscalationAfterWorkingDays],
    );
  }
}

/** The shipped procedure definitions, published where absent (common/procedure-definitions.ts). */
async function publishShipped(client: Client, dir: string): Promise<ShippedResult[]> {
  const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('"ProcedureDefinition"') IS NOT NULL AS exists`);
  if (!rows[0]?.exists) return [];
  return publishShippedDefinitions(pgTransact(client), dir, ADAPTER_SPECS);
}

async function applyOne(client: Client, migration: Migration): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query(
      'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`Migration ${migration.name} failed`, { cause: error });
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL: required to apply migrations');
    process.exit(1);
  }
  applyMigrations(url).then(
    (r) => console.log(JSON.stringify({ msg: 'migrations', applied: r.applied, alreadyApplied: r.alreadyApplied.length, published: r.published })),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
