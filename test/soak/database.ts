import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../../system/ports';

/**
 * The soak's PostgreSQL. `cluster`: a throwaway cluster of its own (initdb + pg_ctl, data under the
 * run directory, on a free port), which it can stop (`pg_ctl stop -m fast`, which ends every
 * session) and start again: the database outage. `server`: a fresh database on the server of
 * TEST_DATABASE_URL, shared with others, which is never stopped.
 */
export interface SoakDatabase {
  url: string;
  /** False on a shared server: no outage there. */
  canStop: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes it (the cluster's files go with the run directory). */
  destroy(): Promise<void>;
}

const run = promisify(execFile);

/** The binaries of the newest PostgreSQL installed (Debian's layout), or SOAK_PG_BIN. */
function postgresBin(): string {
  if (process.env.SOAK_PG_BIN) return process.env.SOAK_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin/pg_ctl'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('No PostgreSQL binaries under /usr/lib/postgresql: set SOAK_PG_BIN, or use SOAK_DATABASE=server');
  return path.join(root, newest, 'bin');
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
const asRoot = () => process.getuid?.() === 0;

async function pgCommand(bin: string, command: string, args: string[]): Promise<string> {
  const file = path.join(bin, command);
  const { stdout } = asRoot() ? await run('runuser', ['-u', 'postgres', '--', file, ...args]) : await run(file, args);
  return stdout;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: group } = await run('id', ['-g', 'postgres']);
  return { uid: Number(stdout.trim()), gid: Number(group.trim()) };
}

export async function throwawayCluster(runDir: string): Promise<SoakDatabase> {
  const bin = postgresBin();
  const home = path.join(runDir, 'postgres');
  const dataDir = path.join(home, 'data');
  await mkdir(home, { recursive: true });
  if (asRoot()) {
    // The postgres user must reach its directory through the run directory.
    await chmod(runDir, 0o755);
    const { uid, gid } = await postgresIds();
    await chown(home, uid, gid);
  }
  await pgCommand(bin, 'initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    await pgCommand(bin, 'pg_ctl', ['-D', dataDir, '-l', path.join(home, 'postgres.log'), '-o', options, '-w', '-t', '60', 'start']);
  };
  const stop = async () => {
    await pgCommand(bin, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  await start();
  const admin = new Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE soak');
  await admin.end();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/soak`,
    canStop: true,
    start,
    stop,
    destroy: () => stop().catch(() => undefined),
  };
}

/** A fresh database on the shared server of TEST_DATABASE_URL (never stopped); dropped by `destroy`. */
export async function serverDatabase(): Promise<SoakDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
  const name = `soak_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const refuse = () => Promise.reject(new Error('the shared server is never stopped'));
  return { url: url.toString(), canStop: false, stop: refuse, start: refuse, destroy: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
