import { createPayloadCodec } from '../common/payload-codec';
import { mkdir } from 'node:fs/promises';
import { createApp } from '../api/app';
import { listen } from '../api/server';
import { createLogger } from '../common/logger';
import { applyMigrations } from '../prisma/migrate';
import { refreshPublishedProcedures } from '../api/services/published-procedures';
import { createPrismaClient, type PrismaClient } from '../prisma/client';
import { seedDemoData } from '../prisma/seed';
import { createProceduresWorker, installTemporalRuntime } from '../worker';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startEmbeddedSmtp } from './embedded-smtp';
import { storeDevMail } from './dev-mailbox';
import { startEmbeddedTemporal } from './embedded-temporal';
import { Lifecycle, loadConfigOrExit, runMain } from './lifecycle';
import { createMailer } from './mailer';
import { readinessChecks } from './readiness';
import { connectClient, connectWorker } from './temporal-connection';
import { reportUnsupportedRuns } from './unsupported-runs';

/**
 * `npm start`: the whole system in one process. Each of Temporal, PostgreSQL and SMTP is embedded
 * unless its variable (TEMPORAL_ADDRESS, DATABASE_URL, SMTP_URL) points at a real one; then the
 * migrations, the demo seed (dev mode, empty database only), the worker and the API.
 */
const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: 'system' });
const lifecycle = new Lifecycle(logger);
const payloadCodec = createPayloadCodec({ keys: config.payloads.keys, devMode: config.devMode });

async function main(): Promise<void> {
  await mkdir(config.dataDir, { recursive: true });
  installTemporalRuntime(logger);

  const [databaseUrl, temporalAddress] = await Promise.all([databaseUrlOrEmbedded(), temporalAddressOrEmbedded()]);

  const migrations = await applyMigrations(databaseUrl);
  logger.info({ applied: migrations.applied, modified: migrations.modified, published: migrations.published }, 'database migrated');
  // PGlite is one session behind its socket: statements of two connections would interleave, so the
  // embedded database gets exactly one connection. A real server gets a pool.
  const prisma = createPrismaClient(databaseUrl, { maxConnections: config.database.url ? config.database.poolSize : 1 });
  lifecycle.add('prisma', () => prisma.$disconnect());
  if (config.devMode) {
    const { seeded } = await seedDemoData(prisma);
    logger.info({ seeded }, seeded ? 'demo data seeded into the empty database' : 'database already has data: no seed');
  }

  const smtpUrl = config.smtp.url ?? (await startMailbox(prisma));
  const mailer = createMailer(smtpUrl);
  lifecycle.add('mailer', async () => mailer.close());

  const workerConnection = await connectWorker(config.temporal, temporalAddress);
  lifecycle.add('worker connection', () => workerConnection.close());
  const worker = await createProceduresWorker({
    payloadCodec,
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    prisma,
    mailer,
    mailFrom: config.smtp.from,
  });
  const workerRun = worker.run();
  lifecycle.add('worker', async () => {
    worker.shutdown();
    await workerRun;
  });

  const temporal = await connectClient(config.temporal, temporalAddress, payloadCodec);
  lifecycle.add('temporal client', () => temporal.connection.close());
  await reportUnsupportedRuns(temporal, logger);
  // Versions published at run time (before this start) are offered from the first request.
  await refreshPublishedProcedures(prisma);
  const app = createApp({ config, logger, prisma, temporal, readiness: readinessChecks({ temporal, prisma, mailer }), payloadCodec });
  const server = await listen(app, config.http.host, config.http.port);
  lifecycle.add('api', () => server.close());

  logger.info(
    {
      api: `${server.url}/api/v1`,
      docs: `${server.url}/api/v1/docs`,
      temporal: temporalAddress,
      temporalUi: config.temporal.address ? undefined : `http://127.0.0.1:${config.temporal.uiPort}`,
      mailbox: config.devMode && !config.smtp.url ? `${server.url}/api/v1/dev/mailbox` : undefined,
      mode: config.mode,
    },
    'system ready (Ctrl-C stops it)',
  );
  workerRun.catch((error: unknown) => {
    logger.fatal({ err: error }, 'worker stopped unexpectedly');
    void lifecycle.shutdown().then(() => process.exit(1));
  });
}

async function databaseUrlOrEmbedded(): Promise<string> {
  if (config.database.url) return config.database.url;
  const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.database.embeddedPort });
  lifecycle.add('embedded postgres', () => pg.stop());
  logger.info({ port: config.database.embeddedPort }, 'embedded PostgreSQL (PGlite) listening');
  return pg.url;
}

async function temporalAddressOrEmbedded(): Promise<string> {
  if (config.temporal.address) return config.temporal.address;
  const temporal = await startEmbeddedTemporal({
    dataDir: config.dataDir,
    port: config.temporal.embeddedPort,
    uiPort: config.temporal.uiPort,
    namespace: config.temporal.namespace,
    cliPath: config.temporal.cliPath,
    codecEndpoint: `http://127.0.0.1:${config.http.port}/api/v1/codec`,
    logger,
  });
  lifecycle.add('embedded temporal', () => temporal.stop());
  logger.info({ temporalAddress: temporal.address, ui: temporal.uiUrl, pid: temporal.pid() }, 'embedded Temporal dev server started');
  return temporal.address;
}

/** The embedded SMTP server keeps what it receives in the database, for GET /api/v1/dev/mailbox. */
async function startMailbox(prisma: PrismaClient): Promise<string> {
  const smtp = await startEmbeddedSmtp({
    port: config.smtp.embeddedPort,
    onMail: storeDevMail(prisma),
  });
  lifecycle.add('embedded smtp', () => smtp.stop());
  logger.info({ port: smtp.port }, 'embedded SMTP server listening');
  return smtp.url;
}

runMain(logger, lifecycle, main);
