import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../system/ports';

/**
 * A PostgreSQL server of the test's own (initdb, pg_ctl), for outage tests that stop it, end its
 * sessions or make it refuse connections: never the shared server other tests and people use.
 * PostgreSQL refuses to run as root, so as root its programs run as the `postgres` user.
 */
export interface ThrowawayPostgres {
  /** The engine's database on it, over TCP. */
  url: string;
  /** The same database over the server's Unix socket. */
  socketUrl: string;
  /** Runs statements on `database` (default: the maintenance database `postgres`). */
  admin(sql: string, database?: string): Promise<void>;
  /** A session of its own on `database`, for locks held while the test runs. */
  session(database?: string): Promise<Client>;
  /** `pg_ctl stop -m <mode>`: fast ends every session with 57P01 (admin_shutdown). */
  stop(mode: 'fast' | 'immediate'): void;
  start(): void;
  remove(): Promise<void>;
}

export const ENGINE_DATABASE = 'procedures';

function binDir(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function runAsPostgres(program: string, args: string[]): void {
  const bin = binDir() ? path.join(binDir(), program) : program;
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'runuser' : bin, asRoot ? ['-u', 'postgres', '--', bin, ...args] : args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'procedures-pg-'));
  // The server's user writes its data directory, socket and log here.
  await chmod(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  runAsPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => runAsPostgres('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  start();
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const session = async (database = 'postgres') => {
    const client = new Client({ connectionString: url(database) });
    client.on('error', () => undefined); // its session may be ended under it: that is the test
    await client.connect();
    return client;
  };
  const admin = async (sql: string, database?: string) => {
    const client = await session(database);
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${ENGINE_DATABASE}`);
  return {
    url: url(ENGINE_DATABASE),
    socketUrl: `postgresql://postgres@localhost:${port}/${ENGINE_DATABASE}?host=${encodeURIComponent(dir)}`,
    admin,
    session,
    stop: (mode) => runAsPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']),
    start,
    async remove() {
      try {
        runAsPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
