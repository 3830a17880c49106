import { createPayloadCodec } from '../common/payload-codec';
import { requireExternal } from '../common/config';
import { createLogger } from '../common/logger';
import { createPrismaClient } from '../prisma/client';
import { Lifecycle, loadConfigOrExit, runMain } from '../system/lifecycle';
import { createMailer } from '../system/mailer';
import { connectWorker } from '../system/temporal-connection';
import { createProceduresWorker, installTemporalRuntime } from './index';

/**
 * The worker as a process of its own (`npm run worker`): needs TEMPORAL_ADDRESS, DATABASE_URL and
 * SMTP_URL. Run as many as the load needs; they share the task queue.
 */
const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: 'worker' });
const lifecycle = new Lifecycle(logger);
const payloadCodec = createPayloadCodec({ keys: config.payloads.keys, devMode: config.devMode });

runMain(logger, lifecycle, async () => {
  requireExternal(config, ['temporal', 'database', 'smtp']);
  installTemporalRuntime(logger);
  const prisma = createPrismaClient(config.database.url!, { maxConnections: config.database.poolSize });
  lifecycle.add('prisma', () => prisma.$disconnect());
  const mailer = createMailer(config.smtp.url!);
  lifecycle.add('mailer', async () => mailer.close());
  const connection = await connectWorker(config.temporal, config.temporal.address!);
  lifecycle.add('connection', () => connection.close());
  const worker = await createProceduresWorker({
    payloadCodec,
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    prisma,
    mailer,
    mailFrom: config.smtp.from,
  });
  const run = worker.run();
  lifecycle.add('worker', async () => {
    worker.shutdown();
    await run;
  });
  logger.info({ temporal: config.temporal.address, namespace: config.temporal.namespace }, 'worker polling');
  await run;
});
