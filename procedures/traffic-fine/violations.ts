import { createHash, randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { localDateOf } from '../../common/calendar';
import { planDeadlinesFromDb } from '../../common/deadline-store';
import { ENGINE_VERSION, SearchAttributes } from '../../common/temporal';
import { foldVietnamese } from '../../common/text';
import { Prisma, type PrismaClient } from '../../prisma/client';
import { Evidence, factsOf, normalizePlate, TRAFFIC_POLICE, trafficFine } from './definition';
import type { DossierStart } from '../../workflows/shared/types';
import type { FiledDossier } from '../../api/procedure-routes';
import type { FieldError } from '../../api/problem';

/**
 * Opening traffic cases from evidence. The same evidence (images, plate, time, place) is one case:
 * its fingerprint is unique in the database, and the case's code (its workflow id) derives from it,
 * so a repost, a retry or two identical batches at once insert one row and start one workflow.
 */

/**
 * Items of a batch handled at once: row insert and workflow start each wait on a round trip, and
 * the starts (not the inserts) take most of the time while the cases already started run: 32
 * accepted 1,000 in 14 s where 16 took 20 s (embedded system, bench).
 */
export const BATCH_CONCURRENCY = 32;
export const MAX_BATCH = 1000;
/** Cameras' clocks may run a little ahead: evidence "from the future" beyond this is refused. */
const CLOCK_SKEW_MS = 5 * 60_000;
const START_DEADLINE_MS = 5_000;
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface ViolationDeps {
  prisma: PrismaClient;
  temporal: Client;
  publicBaseUrl: string;
  taskQueue: string;
}

/** A case as a filing answers it, and whether this request opened it. */
export interface OpenedCase extends FiledDossier {
  /** False when the same evidence had already opened this case. */
  created: boolean;
}

/** sha256 of the sorted image hashes, the normalised plate, the instant (UTC) and the place (ward, folded words). */
export function fingerprintOf(evidence: Evidence): string {
  const images = [...new Set(evidence.evidence.map((i) => i.sha256.toLowerCase()))].sort();
  const plate = normalizePlate(evidence.plateNumber) ?? (evidence.plateNumber ?? '').toUpperCase().replace(/[\s.-]/g, '');
  const at = new Date(evidence.capturedAt).toISOString();
  const place = `${evidence.location.unitCode}|${foldVietnamese(evidence.location.description)}`;
  return createHash('sha256').update(JSON.stringify([images, plate, at, place])).digest('hex');
}

/** `TFN-261120-7K3M9Q`: the capture date (UTC+7) and six characters of the fingerprint. No personal data. */
export function caseIdFor(fingerprint: string, capturedAt: Date, random = false): string {
  const date = localDateOf(capturedAt).replace(/-/g, '').slice(2);
  const bytes = random ? randomBytes(6) : Buffer.from(fingerprint.slice(0, 12), 'hex');
  return `${trafficFine.codePrefix}-${date}-${Array.from(bytes, (b) => CODE_ALPHABET[b % 32]).join('')}`;
}

/**
 * Field errors of one evidence item beyond its shape: a ward that is not one, a violation code
 * without a fine, a capture time in the future. `known` holds the registries' rows, read once per request.
 */
export function evidenceProblems(evidence: Evidence, known: { wards: Set<string>; codes: Set<string> }, prefix: string, now = Date.now()): FieldError[] {
  const errors: FieldError[] = [];
  if (!known.wards.has(evidence.location.unitCode)) errors.push({ path: `${prefix}location.unitCode`, message: `no such ward ${evidence.location.unitCode}` });
  if (!known.codes.has(evidence.violationCode)) errors.push({ path: `${prefix}violationCode`, message: `no fine is set for violation code ${evidence.violationCode}` });
  if (Date.parse(evidence.capturedAt) > now + CLOCK_SKEW_MS) errors.push({ path: `${prefix}capturedAt`, message: 'must not be in the future' });
  return errors;
}

/** The wards and violation codes some evidence names, as the registries hold them. */
export async function knownReferences(prisma: PrismaClient, items: readonly Evidence[]): Promise<{ wards: Set<string>; codes: Set<string> }> {
  const [wards, codes] = await Promise.all([
    prisma.unit.findMany({ where: { code: { in: [...new Set(items.map((i) => i.location.unitCode))] }, kind: 'WARD' }, select: { code: true } }),
    prisma.violationCode.findMany({ where: { code: { in: [...new Set(items.map((i) => i.violationCode))] } }, select: { code: true } }),
  ]);
  return { wards: new Set(wards.map((w) => w.code)), codes: new Set(codes.map((c) => c.code)) };
}

interface CaseRow {
  id: string;
  status: string;
  receivedAt: Date;
  dueAt: Date;
  created: boolean;
}

/**
 * Opens the case of each evidence item (at most BATCH_CONCURRENCY at once); the notice deadline
 * of a capture date is planned once per request.
 */
export async function openCases(deps: ViolationDeps, items: readonly Evidence[]): Promise<OpenedCase[]> {
  const plans = new Map<string, Promise<Date>>();
  const noticeDue = (capturedAt: Date) => {
    const day = localDateOf(capturedAt);
    let plan = plans.get(day);
    if (!plan) {
      // Calendar days from the capture date: the same instant for every capture of that day.
      plan = planDeadlinesFromDb(deps.prisma, { procedure: trafficFine.id, step: 'dossier', unitCode: TRAFFIC_POLICE, from: capturedAt }).then((p) => p.dueAt);
      plans.set(day, plan);
    }
    return plan;
  };
  const results: OpenedCase[] = new Array<OpenedCase>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await openCase(deps, items[i]!, noticeDue);
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, items.length) }, worker));
  return results;
}

async function openCase(deps: ViolationDeps, evidence: Evidence, noticeDue: (capturedAt: Date) => Promise<Date>): Promise<OpenedCase> {
  const fingerprint = fingerprintOf(evidence);
  const capturedAt = new Date(evidence.capturedAt);
  const dueAt = await noticeDue(capturedAt);
  const row = await insertOrGet(deps.prisma, evidence, fingerprint, capturedAt, dueAt);
  // A case still `received` may have lost its start (an API that died in between): start it; the
  // id refuses a second run, also of a closed case.
  if (row.created || row.status === 'received') await startCase(deps, row, evidence);
  return {
    dossierId: row.id,
    procedure: trafficFine.id,
    status: row.status,
    unitCode: TRAFFIC_POLICE,
    receivedAt: row.receivedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    created: row.created,
  };
}

const isUniqueViolation = (error: unknown) =>
  (error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2002' || (error.code === 'P2010' && /23505/.test(JSON.stringify(error.meta ?? {}) + error.message)))) ||
  (error instanceof Error && /23505|unique constraint/i.test(error.message));

/**
 * One statement inserts the case's facts, gated by the unique fingerprint, and its dossier row
 * only when the facts were inserted: an identical insert racing it waits on the index and inserts
 * nothing. Then the case as it stands. A code taken by another fingerprint (six characters of it
 * can collide) gets a random code.
 */
async function insertOrGet(prisma: PrismaClient, evidence: Evidence, fingerprint: string, capturedAt: Date, dueAt: Date): Promise<CaseRow> {
  const plate = normalizePlate(evidence.plateNumber);
  const data = JSON.stringify(evidence);
  const receivedAt = new Date();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const id = caseIdFor(fingerprint, capturedAt, attempt > 0);
    try {
      const inserted = await prisma.$queryRaw<CaseRow[]>`
        WITH v AS (
          INSERT INTO "Violation" ("dossierId", "fingerprint", "plateNumber", "violationCode", "capturedAt", "locationUnitCode")
          VALUES (${id}, ${fingerprint}, ${plate}, ${evidence.violationCode}, ${capturedAt}, ${evidence.location.unitCode})
          ON CONFLICT ("fingerprint") DO NOTHING
          RETURNING "dossierId"
        ), d AS (
          INSERT INTO "Dossier" ("id", "procedure", "status", "unitCode", "applicantPin", "ownerPins", "data", "currentStep", "receivedAt", "dueAt", "updatedAt")
          SELECT v."dossierId", ${trafficFine.id}, 'received', ${TRAFFIC_POLICE}, NULL, ARRAY[]::TEXT[], ${data}::jsonb, 'receive', ${receivedAt}, ${dueAt}, now()
          FROM v
          RETURNING "id", "status", "receivedAt", "dueAt"
        )
        SELECT "id", "status", "receivedAt", "dueAt", true AS "created" FROM d`;
      if (inserted[0]) return inserted[0];
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const existing = await prisma.violation.findUnique({
      where: { fingerprint },
      select: { dossier: { select: { id: true, status: true, receivedAt: true, dueAt: true } } },
    });
    if (existing) return { ...existing.dossier, created: false };
  }
  throw new Error(`No free case code for evidence ${fingerprint.slice(0, 12)}`);
}

async function startCase(deps: ViolationDeps, row: CaseRow, evidence: Evidence): Promise<void> {
  const start: DossierStart<object> = {
    dossierId: row.id,
    unitCode: TRAFFIC_POLICE,
    receivedAt: row.receivedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    request: factsOf(evidence),
    publicBaseUrl: deps.publicBaseUrl,
  };
  try {
    await deps.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      deps.temporal.workflow.start(trafficFine.workflowType, {
        taskQueue: deps.taskQueue,
        workflowId: row.id,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [start],
        typedSearchAttributes: [
          { key: SearchAttributes.procedure, value: trafficFine.id },
          { key: SearchAttributes.unitCode, value: TRAFFIC_POLICE },
          { key: SearchAttributes.dossierStatus, value: 'received' },
          { key: SearchAttributes.dueAt, value: row.dueAt },
          { key: SearchAttributes.engineVersion, value: ENGINE_VERSION },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
