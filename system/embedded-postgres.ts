import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL without a server install: PGlite (PostgreSQL compiled to WebAssembly) persisted under
 * the data directory and served over the PostgreSQL wire protocol on loopback, so the engine reaches
 * it through node-postgres exactly as it reaches a real server.
 *
 * PGlite is one session: the socket server queues queries from all connections and, while one
 * connection is inside a transaction, serves only that connection. Code must therefore never wait on
 * a second connection from inside a transaction.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number }): Promise<EmbeddedPostgres> {
  const dir = path.join(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port, maxConnections: 64 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${options.port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
