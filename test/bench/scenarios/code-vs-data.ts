import { newDossierId, openDossier } from '../../../api/services/dossiers';
import { loadConfig } from '../../../common/config';
import { databaseDeadlines } from '../../../common/deadline-store';
import { createPayloadCodec } from '../../../common/payload-codec';
import { createPrismaClient } from '../../../prisma/client';
import { PROCEDURES } from '../../../procedures';
import { civilStatusExtract as handWritten } from '../../../procedures/civil-status-extract/definition';
import type { ProcedureDefinition } from '../../../procedures/define';
import { connectClient } from '../../../system/temporal-connection';
import { percentile, row, sleep, type Bare, type Row, type SystemUnderTest } from '../harness';

const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 40);
const SETTLE_MS = 300;
const BARE_3 = { activities: 3 };

/**
 * The civil-status extract as data against its retired hand-written workflow, in one system: each
 * sample opens a dossier of one and of the other the way `POST /dossiers` does (the row, then the
 * workflow's start: `openDossier`, from the bench's process on the system's own database and Temporal),
 * then waits for its task in `GET /tasks`; a bare workflow of 3 activities follows each pair. The
 * retired workflow can no longer be filed through the API, which offers the document only.
 */
export async function codeVsData(system: SystemUnderTest, bare: Bare): Promise<Row[]> {
  const scenario = 'code-vs-data';
  if (!system.databaseUrl) throw new Error('code-vs-data needs the system on PostgreSQL (its database URL)');
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', TEMPORAL_ADDRESS: system.temporalAddress, DATABASE_URL: system.databaseUrl });
  const prisma = createPrismaClient(system.databaseUrl);
  const temporal = await connectClient(config.temporal, system.temporalAddress, createPayloadCodec({ keys: config.payloads.keys, devMode: config.devMode }));
  const deps = { prisma, temporal, deadlines: databaseDeadlines(prisma), publicBaseUrl: 'http://bench.test', taskQueue: config.temporal.taskQueue };
  const asData = PROCEDURES.get(handWritten.id)!;
  const example = system.examples[handWritten.id]!;
  const { unitCode, data } = example.body as { unitCode: string; data: Record<string, unknown> };
  const supervisor = await system.token({ sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' });

  async function taskLatency(procedure: ProcedureDefinition): Promise<number> {
    const dossierId = newDossierId(procedure, new Date());
    const applicantPin = example.as.sub;
    await openDossier(deps, { procedure, dossierId, unitCode, applicantPin, ownerPins: [applicantPin], request: data, freshId: true, language: 'en' });
    const opened = performance.now();
    for (;;) {
      const tasks = (await (await fetch(`${system.api}/tasks?limit=500`, { headers: { authorization: `Bearer ${supervisor}` } })).json()) as Array<{ dossierId: string }>;
      if (tasks.some((t) => t.dossierId === dossierId)) return performance.now() - opened;
      if (performance.now() - opened > 60_000) throw new Error(`the task of ${dossierId} did not appear within 60 s`);
      await sleep(10);
    }
  }

  const bareLatency = async () => {
    const handle = await bare.start(BARE_3);
    const started = performance.now();
    await handle.result();
    return performance.now() - started;
  };

  try {
    // Warm both workflows and the baseline.
    await taskLatency(handWritten);
    await taskLatency(asData);
    await bareLatency();
    const code: number[] = [];
    const asDataTimes: number[] = [];
    const bare3: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      // Alternate which goes first, so neither always follows the other's tail.
      const order = i % 2 === 0 ? [handWritten, asData] : [asData, handWritten];
      for (const procedure of order) {
        (procedure === handWritten ? code : asDataTimes).push(await taskLatency(procedure));
        await sleep(SETTLE_MS);
      }
      bare3.push(await bareLatency());
      await sleep(SETTLE_MS);
    }
    const p50 = (xs: number[]) => percentile(xs, 50);
    return [
      row(scenario, 'civil-status extract as data: p50 (goal ≤ 1.1× the hand-written one)', p50(asDataTimes), 'ms', p50(code)),
      row(scenario, 'civil-status extract as data: p50 (goal ≤ 1.2× bare 3 activities)', p50(asDataTimes), 'ms', p50(bare3)),
      row(scenario, 'civil-status extract hand-written (retired): p50', p50(code), 'ms', p50(bare3)),
      row(scenario, 'civil-status extract as data: p95', percentile(asDataTimes, 95), 'ms', percentile(code, 95)),
      row(scenario, 'bare workflow, 3 activities: p50', p50(bare3), 'ms'),
    ];
  } finally {
    await temporal.connection.close();
    await prisma.$disconnect();
  }
}
