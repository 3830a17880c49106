import { createPayloadCodec } from '../common/payload-codec';
import { requireExternal } from '../common/config';
import { createLogger } from '../common/logger';
import { createPrismaClient } from '../prisma/client';
import { applyMigrations } from '../prisma/migrate';
import { refreshPublishedProcedures } from './services/published-procedures';
import { Lifecycle, loadConfigOrExit, runMain } from '../system/lifecycle';
import { createMailer } from '../system/mailer';
import { readinessChecks } from '../system/readiness';
import { connectClient } from '../system/temporal-connection';
import { reportUnsupportedRuns } from '../system/unsupported-runs';
import { createApp } from './app';
import { listen } from './server';

/**
 * The API as a process of its own (`npm run api`): needs TEMPORAL_ADDRESS, DATABASE_URL and
 * SMTP_URL (SMTP only for /readyz). It applies pending migrations before it listens.
 */
const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: 'api' });
const lifecycle = new Lifecycle(logger);
const payloadCodec = createPayloadCodec({ keys: config.payloads.keys, devMode: config.devMode });

runMain(logger, lifecycle, async () => {
  requireExternal(config, ['temporal', 'database', 'smtp']);
  const migrations = await applyMigrations(config.database.url!);
  logger.info({ applied: migrations.applied, published: migrations.published }, 'database migrated');
  const prisma = createPrismaClient(config.database.url!, { maxConnections: config.database.poolSize });
  lifecycle.add('prisma', () => prisma.$disconnect());
  const mailer = createMailer(config.smtp.url!);
  lifecycle.add('mailer', async () => mailer.close());
  const temporal = await connectClient(config.temporal, config.temporal.address!, payloadCodec);
  lifecycle.add('temporal client', () => temporal.connection.close());
  await reportUnsupportedRuns(temporal, logger);
  // Versions published at run time (before this start) are offered from the first request.
  await refreshPublishedProcedures(prisma);
  const app = createApp({ config, logger, prisma, temporal, readiness: readinessChecks({ temporal, prisma, mailer }), payloadCodec });
  const server = await listen(app, config.http.host, config.http.port);
  lifecycle.add('api', () => server.close());
  logger.info({ url: `${server.url}/api/v1` }, 'api listening');
});
