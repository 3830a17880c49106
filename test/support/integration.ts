import type { Worker } from '@temporalio/worker';
import type { Transporter } from 'nodemailer';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { loadConfig, type Config } from '../../common/config';
import { createLogger } from '../../common/logger';
import { seedDemoData } from '../../prisma/seed';
import { readinessChecks } from '../../system/readiness';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { createMailer } from '../../system/mailer';
import { createProceduresWorker } from '../../worker';
import { createTestDatabase, type TestDatabase } from './database';
import { startTestSmtp, type TestSmtp } from './smtp';
import { connectDevServer, testPayloadCodec, workflowBundle, type DevServerConnections } from './temporal';

export const MAIL_FROM = 'Procedures test <no-reply@procedures.test>';

export interface IntegrationEnv {
  db: TestDatabase;
  prisma: PrismaClient;
  smtp: TestSmtp;
  mailer: Transporter;
  temporal: DevServerConnections;
  /** Starts a worker with the real activities on this file's task queue; stopped by `stop()`. */
  startWorker(): Promise<Worker>;
  /** Dev-mode configuration whose task queue is this file's. */
  config: Config;
  /** The API on these real parts (supertest takes it as is). */
  createApi(overrides?: Partial<Config>): Express;
  stop(): Promise<void>;
}

/**
 * Everything real, for one test file: a fresh PostgreSQL database, a loopback SMTP server and the
 * shared Temporal dev server; workers run the real activities against them.
 */
/** A signing key for APIs built in production mode (`id:base64` of a 32-byte Ed25519 seed). */
const TEST_DOCUMENT_SIGNING_KEYS = `test:${Buffer.alloc(32, 7).toString('base64')}`;

export async function startIntegrationEnv(options: { seed?: boolean } = {}): Promise<IntegrationEnv> {
  const [db, smtp, temporal] = await Promise.all([createTestDatabase(), startTestSmtp(), connectDevServer()]);
  const prisma = createPrismaClient(db.url);
  const mailer = createMailer(smtp.url);
  if (options.seed) await seedDemoData(prisma);
  // No filing limit: the suites file many dossiers per citizen (test/integration/api-hardening.test.ts tests the limits).
  const base = loadConfig({ NODE_ENV: 'development', TEMPORAL_TASK_QUEUE: temporal.taskQueue, PUBLIC_BASE_URL: 'http://procedures.test', RATE_LIMIT_FILINGS: '0' });
  const workers: Array<{ worker: Worker; run: Promise<void> }> = [];
  return {
    db,
    prisma,
    smtp,
    mailer,
    temporal,
    config: base,
    createApi(overrides = {}) {
      const merged = { ...base, ...overrides };
      // Production runs with its document signing keys configured: a test key stands in for them.
      const config = merged.devMode || merged.documents.signingKeys ? merged : { ...merged, documents: { ...merged.documents, signingKeys: TEST_DOCUMENT_SIGNING_KEYS } };
      return createApp({
        config,
        logger: testLogger,
        prisma,
        temporal: temporal.client,
        readiness: readinessChecks({ temporal: temporal.client, prisma, mailer }),
        payloadCodec: testPayloadCodec,
      });
    },
    async startWorker() {
      const worker = await createProceduresWorker({
        payloadCodec: testPayloadCodec,
        connection: temporal.nativeConnection,
        namespace: 'default',
        taskQueue: temporal.taskQueue,
        workflowBundle: workflowBundle(),
        prisma,
        mailer,
        mailFrom: MAIL_FROM,
      });
      workers.push({ worker, run: worker.run() });
      return worker;
    },
    async stop() {
      for (const { worker, run } of workers) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await run;
      }
      mailer.close();
      await prisma.$disconnect();
      await Promise.all([temporal.close(), smtp.stop()]);
      await db.drop();
    },
  };
}

export const testLogger = createLogger({ level: 'silent' });
