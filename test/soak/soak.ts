import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { createPayloadCodec } from '../../common/payload-codec';
import { createPrismaClient } from '../../prisma/client';
import { applyMigrations } from '../../prisma/migrate';
import { seedDemoData } from '../../prisma/seed';
import { freePort } from '../../system/ports';
import { Casebook, type DossierCase } from './casebook';
import { CitizenGaveUp, CLOSED_STATUSES, fileWithKey, Slots, type CitizenContext } from './citizen';
import { serverDatabase, throwawayCluster, type SoakDatabase } from './database';
import { ApplicantDeadlines } from './deadlines';
import { FaultInjector } from './faults';
import { GaveUp, HttpLedger, SoakApi } from './http';
import { closedCount, databaseAccount, listWorkflows, onlyFailingWorkflowTasksLeft, runningWorkflows, whyOpen, type OpenWorkflow } from './inventory';
import { MailSink } from './mail-sink';
import type { SoakOptions } from './options';
import { PATHS, type SoakPath } from './paths';
import { letters } from './paths/path';
import { apiReady, EngineProcess, WORKER_READY } from './processes';
import { replayEveryHistory } from './replay';
import { buildResult, type SoakResult } from './report';
import { Desk, STAFF, StuckWatch } from './staff';
import { TemporalDevServer } from './temporal-server';

/**
 * A soak run: the engine deployed as separate processes (an API, workers with a small workflow
 * cache) on a PostgreSQL of the soak's own, a Temporal dev server it owns and an SMTP sink; N
 * dossiers along every path of every procedure, filed and driven by citizens and staff through the
 * HTTP API only, while workers, Temporal and the database are killed and brought back; then a
 * settle period, the account of what the engine holds, and every history replayed.
 */

type Log = (line: string) => void;

/** What the engine's processes are given: this machine's environment without the engine's own settings. */
function engineEnvironment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(TEMPORAL_|DATABASE_|SMTP_|PAYLOAD_KEYS|PORT$|HOST$|PUBLIC_BASE_URL|JWT_|RATE_LIMIT_|WORKER_|LOG_LEVEL|NODE_ENV|EMBEDDED_)/.test(name)),
  );
  return { ...inherited, NODE_ENV: 'development', ...settings };
}

/** The engine's parts, in the order they are stopped. */
class Deployment {
  workers: EngineProcess[] = [];
  api?: EngineProcess;
  temporal?: TemporalDevServer;
  sink?: MailSink;
  database?: SoakDatabase;

  async stopEngine(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
    await this.api?.stop();
  }

  async stopAll(): Promise<void> {
    await this.stopEngine();
    await this.temporal?.stop();
    await this.sink?.stop();
    await this.database?.destroy();
  }
}

async function deploy(options: SoakOptions, runDir: string, log: Log): Promise<{ deployment: Deployment; apiBase: string }> {
  const deployment = new Deployment();
  try {
    log(`database: ${options.database === 'cluster' ? 'a throwaway PostgreSQL cluster' : 'a fresh database on the shared server'}`);
    const database = options.database === 'cluster' ? await throwawayCluster(runDir) : await serverDatabase();
    deployment.database = database;
    await applyMigrations(database.url);
    const prisma = createPrismaClient(database.url, { maxConnections: 2 });
    await seedDemoData(prisma);
    await prisma.$disconnect();

    const sink = new MailSink();
    await sink.start();
    deployment.sink = sink;
    const temporal = new TemporalDevServer(await freePort(), path.join(runDir, 'temporal.sqlite'), path.join(runDir, 'temporal.log'));
    await temporal.start();
    deployment.temporal = temporal;

    const apiPort = await freePort();
    const env = engineEnvironment({
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: database.url,
      SMTP_URL: sink.url,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATA_DIR: runDir,
      // Real clients file more than 10 a minute here, and staff ask for tokens from one address.
      RATE_LIMIT_FILINGS: '0',
      RATE_LIMIT_DEV_TOKENS: '0',
      RATE_LIMIT_VERIFICATIONS: '0',
    });
    const apiHost = `http://127.0.0.1:${apiPort}`;
    deployment.api = new EngineProcess('api', 'api/main.ts', { ...env, LOG_LEVEL: 'warn' }, path.join(runDir, 'api.log'));
    await deployment.api.start(apiReady(apiHost));
    log(`api ready at ${apiHost}; starting ${options.workers} workers (cache ${options.workerCache})`);
    deployment.workers = Array.from(
      { length: options.workers },
      (_, i) =>
        new EngineProcess(`worker-${i + 1}`, 'worker/main.ts', { ...env, LOG_LEVEL: 'info', WORKER_MAX_CACHED_WORKFLOWS: String(options.workerCache) }, path.join(runDir, `worker-${i + 1}.log`)),
    );
    await Promise.all(deployment.workers.map((w) => w.start(WORKER_READY)));
    return { deployment, apiBase: `${apiHost}/api/v1` };
  } catch (error) {
    await deployment.stopAll().catch(() => undefined);
    throw error;
  }
}

async function violationFines(databaseUrl: string): Promise<Map<string, number>> {
  const db = new PgClient({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ code: string; fineAmount: number }>(`SELECT code, "fineAmount" FROM "ViolationCode"`);
    return new Map(rows.map((r) => [r.code, r.fineAmount]));
  } finally {
    await db.end();
  }
}

/** One dossier from filing to the end of its citizen's part: `answered` once its filing was answered (or given up). */
function drive(path: SoakPath, dossier: DossierCase, ctx: CitizenContext): { answered: Promise<void>; finished: Promise<void> } {
  let answer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  const finished = (async () => {
    await ctx.slots.acquire();
    try {
      // The soak stopped before this citizen's turn came (only when the run is cut short).
      if (ctx.signal.aborted) return void (dossier.filingError = 'not filed: the soak stopped first');
      const plan = path.plan(dossier.n, ctx);
      dossier.filer = plan.filer;
      if (plan.actor) dossier.actor = plan.actor;
      let dossierId: string;
      try {
        dossierId = await fileWithKey(ctx, plan.filer, plan.route, plan.body, `soak-${ctx.run}-${dossier.n}`);
      } catch (error) {
        if (!(error instanceof CitizenGaveUp || error instanceof GaveUp)) throw error;
        dossier.filingError = error.message;
        return;
      }
      ctx.casebook.filed(dossier, dossierId, plan.decide);
      answer();
      if (plan.afterFiling) await plan.afterFiling(dossierId, dossier);
      dossier.citizenDone = true;
    } catch (error) {
      dossier.citizenError = error instanceof Error ? error.message : String(error);
    } finally {
      answer();
      ctx.slots.release();
    }
  })();
  return { answered, finished };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The soak's clients of the deployed engine: citizens, staff, a supervisor, the deadline keeper. */
class Clients {
  readonly ledger = new HttpLedger();
  readonly api: SoakApi;
  readonly casebook = new Casebook();
  readonly desks: Desk[];
  readonly stuckWatch: StuckWatch;
  readonly deadlines: ApplicantDeadlines;
  readonly stopCitizens = new AbortController();
  /** Each citizen's part, to its end. */
  readonly drivers: Array<Promise<void>> = [];
  /** Each filing, until answered (or given up). */
  readonly filings: Array<Promise<void>> = [];

  constructor(apiBase: string, databaseUrl: string, options: SoakOptions) {
    this.api = new SoakApi(apiBase, this.ledger);
    this.desks = STAFF.map((staff) => new Desk(this.api, staff, this.casebook));
    this.stuckWatch = new StuckWatch(this.api);
    this.deadlines = new ApplicantDeadlines(databaseUrl, options.applicantMinutes);
  }

  async start(): Promise<void> {
    await this.deadlines.apply();
    this.deadlines.start();
    this.desks.forEach((d) => d.start());
    this.stuckWatch.start();
  }

  /** Citizens stop waiting; staff finish what they hold. */
  async stop(): Promise<void> {
    this.stopCitizens.abort();
    await Promise.all(this.drivers);
    await Promise.all([...this.desks.map((d) => d.stop()), this.stuckWatch.stop(), this.deadlines.stop()]);
  }
}

export async function runSoak(options: SoakOptions, log: Log = (line) => console.log(line)): Promise<SoakResult> {
  const startedAt = new Date();
  const say: Log = (line) => log(`[soak ${String(Math.round((Date.now() - startedAt.getTime()) / 1000)).padStart(5)} s] ${line}`);
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'soak-'));
  say(`run directory ${runDir}`);
  let deployment: Deployment | undefined;
  let clients: Clients | undefined;
  let connection: Connection | undefined;
  try {
    const deployed = await deploy(options, runDir, say);
    deployment = deployed.deployment;
    connection = await Connection.connect({ address: deployment.temporal!.address });
    const temporal = new Client({ connection, dataConverter: { payloadCodecs: [createPayloadCodec({ keys: undefined, devMode: true })] } });
    clients = new Clients(deployed.apiBase, deployment.database!.url, options);
    await clients.start();
    const injector = await fileUnderFaults(options, deployment, clients, say);
    await settle(options, deployment.database!.url, temporal, clients.casebook, say);
    await clients.stop();
    return await account(options, startedAt, deployment, clients, injector, temporal, say);
  } finally {
    clients?.stopCitizens.abort();
    for (const desk of clients?.desks ?? []) void desk.stop();
    await connection?.close().catch(() => undefined);
    await deployment?.stopAll().catch((error: unknown) => say(`teardown: ${String(error)}`));
    if (options.keepRunDir) say(`run directory kept: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * The fault phase: N filings spread evenly over it (each citizen then goes on along its path), and
 * the faults spread evenly over it too; it lasts N / filingRate seconds, or longer when the faults
 * need it (faultGapSeconds between two).
 */
async function fileUnderFaults(options: SoakOptions, deployment: Deployment, clients: Clients, say: Log): Promise<FaultInjector> {
  const database = deployment.database!;
  const { casebook } = clients;
  const ctx: CitizenContext = {
    api: clients.api,
    casebook,
    slots: new Slots(options.concurrency),
    run: letters(Math.floor(Date.now() / 1000), 7),
    fines: await violationFines(database.url),
    applicantMinutes: options.applicantMinutes,
    signal: clients.stopCitizens.signal,
  };
  const injector = new FaultInjector(
    { workers: deployment.workers, temporal: deployment.temporal!, database },
    { workerKills: options.workerKills, temporalRestarts: options.temporalRestarts, databaseOutageSeconds: database.canStop ? options.databaseOutageSeconds : 0 },
    options.restartDelaySeconds * 1000,
    say,
  );
  const phaseMs = Math.max(options.dossiers / Math.max(options.filingRate, 0.01), injector.planned.length * options.faultGapSeconds) * 1000;
  say(`${options.dossiers} dossiers over ${Math.round(phaseMs / 1000)} s with ${injector.planned.length} faults (${injector.planned.join(', ') || 'none'})`);
  const start = Date.now();
  const faulting = injector.run(start, phaseMs, options.faultGapSeconds * 1000, clients.stopCitizens.signal);

  const progress =
    options.progressSeconds > 0
      ? setInterval(() => {
          void closedCount(database.url, casebook.filedIds(), CLOSED_STATUSES)
            .catch(() => -1)
            .then((closed) => {
              const statuses = ['503', '409', '500'].map((s) => `${s}×${clients.ledger.byStatus.get(s) ?? 0}`).join(' ');
              say(
                `filed ${casebook.filedIds().length}/${casebook.cases.length}/${options.dossiers} · closed ${closed < 0 ? '?' : closed} · ` +
                  `faults ${injector.done.length}/${injector.planned.length} · mail ${deployment.sink!.deliveries.length} · ${statuses}`,
              );
            });
        }, options.progressSeconds * 1000)
      : undefined;
  try {
    for (let n = 0; n < options.dossiers; n += 1) {
      const at = start + (n * phaseMs) / options.dossiers;
      if (Date.now() < at) await sleep(at - Date.now());
      const path = PATHS[n % PATHS.length]!;
      const dossier = casebook.add({ n, path: path.id, expected: path.expected, filer: { sub: '', role: 'citizen' }, decisions: [], deviations: [], citizenDone: false });
      const driver = drive(path, dossier, ctx);
      clients.drivers.push(driver.finished);
      clients.filings.push(driver.answered);
    }
    await faulting;
    // The settle period starts once every filing was answered, however far behind the engine is.
    await Promise.all(clients.filings);
  } finally {
    if (progress) clearInterval(progress);
  }
  return injector;
}

/**
 * Until every filed dossier is closed and no workflow runs, or the settle time is up, or all that
 * still runs are workflows whose workflow task keeps failing (they will not move without a fix).
 */
async function settle(options: SoakOptions, databaseUrl: string, temporal: Client, casebook: Casebook, say: Log): Promise<void> {
  say('filing and faults done: settling');
  const until = Date.now() + options.settleSeconds * 1000;
  for (;;) {
    const ids = casebook.filedIds();
    const allAnswered = casebook.cases.every((c) => c.dossierId !== undefined || c.filingError !== undefined);
    const closed = await closedCount(databaseUrl, ids, CLOSED_STATUSES).catch(() => -1);
    const running = await runningWorkflows(temporal).catch(() => -1);
    if (allAnswered && closed === ids.length && running === 0) return;
    if (Date.now() > until) return say(`settle time up: ${closed}/${ids.length} closed, ${running} workflows running`);
    if (allAnswered && running > 0 && closed + running >= ids.length && (await onlyFailingWorkflowTasksLeft(temporal).catch(() => false))) {
      return say(`settled but for ${running} workflow(s) whose workflow task keeps failing: ${closed}/${ids.length} closed`);
    }
    await sleep(5000);
  }
}

/** What the engine holds, why what is open is open, and every history replayed. */
async function account(
  options: SoakOptions,
  startedAt: Date,
  deployment: Deployment,
  clients: Clients,
  injector: FaultInjector,
  temporal: Client,
  say: Log,
): Promise<SoakResult> {
  say('taking the account: database, Temporal');
  const warnings: string[] = [];
  if (clients.deadlines.clamped > 0) {
    warnings.push(`the applicant's deadline was clamped at 23:59 local ${clients.deadlines.clamped} times: waits opened then end at midnight or the next day`);
  }
  const database = await databaseAccount(deployment.database!.url);
  const runs = await listWorkflows(temporal);
  const open = new Map<string, OpenWorkflow>();
  for (const r of runs.filter((r) => r.status === 'RUNNING')) open.set(r.workflowId, await whyOpen(temporal, r.workflowId));
  const workerLogs = {
    nondeterminismLines: deployment.workers.reduce((sum, w) => sum + w.nondeterminismLines, 0),
    workerStarts: deployment.workers.reduce((sum, w) => sum + w.starts, 0),
  };
  // The replay's bundle and workers take the CPU the engine no longer needs.
  await deployment.stopEngine();
  say(`replaying ${runs.length} histories`);
  const replay = await replayEveryHistory(temporal, options.workflowBundle);
  const sink = deployment.sink!;
  return buildResult({
    options,
    startedAt,
    paths: PATHS,
    cases: clients.casebook.cases,
    database,
    runs,
    open,
    mail: { delivered: sink.deliveries.length, sameMessageTwice: sink.sameMessageTwice(), sameSubjectTwice: sink.sameSubjectTwice() },
    http: clients.ledger.summary(),
    staff: { refusals: clients.desks.flatMap((d) => d.refusals), mostStuck: clients.stuckWatch.mostStuck, lastStuck: clients.stuckWatch.lastStuck },
    faults: { planned: injector.planned, done: injector.done },
    replay,
    workerLogs,
    engineErrors: { api: deployment.api?.errors ?? [], workers: deployment.workers.flatMap((w) => w.errors) },
    warnings,
  });
}
