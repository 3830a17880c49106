import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations } from '../../prisma/migrate';

/**
 * Integration tests run against a real PostgreSQL server: TEST_DATABASE_URL, or a local server
 * with the postgres/postgres account that `.ci/run` sets up. Each test file gets a database of its
 * own, migrated the same way `npm start` migrates, and dropped afterwards.
 */
export const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Integration tests need a PostgreSQL server at ${new URL(serverUrl).host} ` +
        '(set TEST_DATABASE_URL, or run `bash .ci/run` once to install and start one)',
      { cause: error },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(serverUrl, name);
  if (options.migrate ?? true) await applyMigrations(url);
  return {
    url,
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
