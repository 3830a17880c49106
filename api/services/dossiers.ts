import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { DEFAULT_LANGUAGE, type Bilingual, type Language } from '../../common/bilingual';
import { planDeadlinesFrom, type DeadlineSource } from '../../common/deadline-store';
import { receivedDossierRow } from '../../common/dossier-rows';
import { ENGINE_VERSION, SearchAttributes } from '../../common/temporal';
import { unitNamesIn, withUnitNames } from '../../common/unit-names';
import type { Dossier, Prisma, PrismaClient, Task } from '../../prisma/client';
import { PROCEDURES } from '../../procedures';
import { deadlineKeyOf, type LookupKind, type ProcedureDefinition } from '../../procedures/define';
import { Awaiting, type DossierStart } from '../../workflows/shared/types';
import type { Caller } from '../auth';
import type { FiledDossier } from '../procedure-routes';
import { say } from '../messages';
import { problems, type FieldError } from '../problem';
import { inScope, unitScope, type UnitScope } from '../scope';
import { proceduresOf, stepWorker, tasksOf, worksOnProcedure, worksOnStep } from '../step-roles';
import type { Reservation } from './idempotency';
import type { ReferenceData } from './reference-data';

/** How long starting a dossier's workflow may take before the filing answers 503. */
const START_DEADLINE_MS = 5_000;

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `CSE-261123-7K3M9Q`: procedure, filing date (UTC+7), random part. No personal data. */
export function newDossierId(procedure: Pick<ProcedureDefinition, 'codePrefix'>, at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600_000).toISOString();
  const date = `${local.slice(2, 4)}${local.slice(5, 7)}${local.slice(8, 10)}`;
  const random = Array.from(randomBytes(6), (b) => CODE_ALPHABET[b % 32]).join('');
  return `${procedure.codePrefix}-${date}-${random}`;
}

export interface FilingDeps {
  prisma: PrismaClient;
  temporal: Client;
  /** Deadline settings and calendars (the API's are kept a short while: `reference-data.ts`). */
  deadlines: DeadlineSource;
  publicBaseUrl: string;
  taskQueue: string;
}


export interface DossierOpening {
  procedure: ProcedureDefinition;
  dossierId: string;
  unitCode: string;
  /** Who filed (a citizen), or null for a case the administration opens with no owner yet. */
  applicantPin: string | null;
  /** Every citizen who owns it: sees it in `GET /dossiers` (the filer, a business's founders...). */
  ownerPins: readonly string[];
  /** The filing, as validated by the procedure's schema. */
  request: Record<string, unknown>;
  /** The language the applicant reads their mails in. */
  language?: 'vi' | 'en';
  /** The id was reserved by this very request (not a retry): no row can exist yet, none is looked for. */
  freshId?: boolean;
  /** The row was written by this very request with its Idempotency-Key (`reserveKeyAndDossier`): only the start is left. */
  written?: { receivedAt: Date; dueAt: Date };
}

/**
 * Opens a dossier of any procedure: plans its deadline from the stored settings, writes the
 * dossier's row (the filing, its owners), then starts its workflow with the dossier's id and the
 * filing's facts only. No workflow runs without its stored dossier; a repeat with the same dossier
 * id (an idempotent retry) finds the row and the workflow already there.
 */
export async function openDossier(deps: FilingDeps, opening: DossierOpening): Promise<FiledDossier> {
  const { procedure, dossierId, unitCode, written } = opening;
  // A dossier id reserved just now has no row yet (or the one it wrote): only a retry needs to look for one.
  const existing = opening.freshId || written ? null : await deps.prisma.dossier.findUnique({ where: { id: dossierId } });
  const receivedAt = written?.receivedAt ?? existing?.receivedAt ?? new Date();
  const dueAt =
    written?.dueAt ?? existing?.dueAt ?? (await planDeadlinesFrom(deps.deadlines, { procedure: deadlineKeyOf(procedure), step: 'dossier', unitCode, from: receivedAt })).dueAt;
  // The row this request wrote counts as inserted; otherwise insert-if-absent (a concurrent retry may have written it).
  let inserted = written ? 1 : 0;
  if (!written && !existing) {
    ({ count: inserted } = await deps.prisma.dossier.createMany({ skipDuplicates: true, data: receivedDossierRow({ ...opening, procedure: procedure.id, receivedAt, dueAt }) }));
  }
  const start: DossierStart<object> = {
    dossierId,
    unitCode,
    receivedAt: receivedAt.toISOString(),
    dueAt: dueAt.toISOString(),
    request: procedure.facts(opening.request),
    publicBaseUrl: deps.publicBaseUrl,
    ...(opening.language ? { language: opening.language } : {}),
  };
  try {
    // Bounded: with Temporal away the filing answers 503 within seconds (the row stays, and a retry
    // with the same Idempotency-Key starts the workflow of this same dossier).
    await deps.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () => deps.temporal.workflow.start(procedure.workflowType, {
      taskQueue: deps.taskQueue,
      workflowId: dossierId,
      args: [start],
      typedSearchAttributes: [
        { key: SearchAttributes.procedure, value: procedure.id },
        { key: SearchAttributes.unitCode, value: unitCode },
        { key: SearchAttributes.dossierStatus, value: 'received' },
        { key: SearchAttributes.dueAt, value: dueAt },
        { key: SearchAttributes.engineVersion, value: ENGINE_VERSION },
      ],
    }));
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  // The row this request wrote is what it answers with; another request's (a retry's) is read back.
  const row = inserted === 1 ? { id: dossierId, status: 'received', unitCode, receivedAt, dueAt } : await deps.prisma.dossier.findUniqueOrThrow({ where: { id: dossierId } });
  return {
    dossierId: row.id,
    procedure: procedure.id,
    status: row.status,
    unitCode: row.unitCode,
    receivedAt: row.receivedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
  };
}

/**
 * Reserves an Idempotency-Key for a new dossier and writes the dossier's row, in one statement: the
 * row exactly as `openDossier` writes it, only when the key was free. True when both were written,
 * false when the key was taken (by a first request, or one racing this one: it waits for that one).
 */
export async function reserveKeyAndDossier(
  prisma: PrismaClient,
  reservation: Reservation,
  opening: Omit<DossierOpening, 'dossierId' | 'freshId' | 'written'> & { receivedAt: Date; dueAt: Date },
): Promise<boolean> {
  const row = receivedDossierRow({ ...opening, procedure: opening.procedure.id, dossierId: reservation.resourceId });
  const written = await prisma.$executeRaw`
    WITH reserved AS (
      INSERT INTO "IdempotencyRecord" ("callerSub", "key", "route", "requestHash", "resourceId")
      VALUES (${reservation.callerSub}, ${reservation.key}, ${reservation.route}, ${reservation.requestHash}, ${reservation.resourceId})
      ON CONFLICT ("callerSub", "key") DO NOTHING
      RETURNING "resourceId"
    )
    INSERT INTO "Dossier" ("id", "procedure", "status", "unitCode", "applicantPin", "ownerPins", "data", "currentStep", "receivedAt", "dueAt", "updatedAt")
    SELECT reserved."resourceId", ${row.procedure}, ${row.status}, ${row.unitCode}, ${opening.applicantPin}, ${[...opening.ownerPins]}::text[],
      ${JSON.stringify(opening.request)}::jsonb, ${row.currentStep}, ${opening.receivedAt}, ${opening.dueAt}, now()
    FROM reserved`;
  return written === 1;
}

/** Values at a dotted path of a filing, with their own paths (an array's every item). */
function valuesAt(value: unknown, path: string[], prefix: string[] = []): Array<{ path: string; value: string }> {
  if (Array.isArray(value)) return value.flatMap((item, i) => valuesAt(item, path, [...prefix, String(i)]));
  if (path.length === 0) return typeof value === 'string' ? [{ path: prefix.join('.'), value }] : [];
  if (!value || typeof value !== 'object') return [];
  const [head, ...rest] = path;
  return valuesAt((value as Record<string, unknown>)[head!], rest, [...prefix, head!]);
}

const LOOKUP_MESSAGES: Record<LookupKind, (code: string) => Bilingual> = { unit: say.noSuchUnit, ward: say.noSuchWard, 'business-line': say.noSuchBusinessLine };

/** Checks the registry rows a filing names (units, wards, lines of business): each unknown one is a FieldError. */
export async function unknownReferences(references: ReferenceData, procedure: ProcedureDefinition, filing: object, pathPrefix: string): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const lookup of procedure.lookups ?? []) {
    const refs = valuesAt(filing, lookup.field.split('.'));
    if (refs.length === 0) continue;
    const known = await knownCode(references, lookup.kind);
    for (const ref of refs) {
      if (!known(ref.value)) errors.push({ path: `${pathPrefix}${ref.path}`, message: LOOKUP_MESSAGES[lookup.kind](ref.value) });
    }
  }
  return errors;
}

async function knownCode(references: ReferenceData, kind: LookupKind): Promise<(code: string) => boolean> {
  if (kind === 'business-line') {
    const lines = await references.businessLines();
    return (code) => lines.has(code);
  }
  const units = await references.units();
  return kind === 'ward' ? (code) => units.get(code) === 'WARD' : (code) => units.has(code);
}

export const isClosed = (status: string) => PROCEDURES.closedStatuses.includes(status);

/** A citizen owns a dossier they filed, or one they are named owner of (a business's founders). */
export function ownedBy(pin: string): Prisma.DossierWhereInput {
  return { OR: [{ applicantPin: pin }, { ownerPins: { has: pin } }] };
}

/**
 * Who sees a dossier: its owner; staff of a unit handling it (the receiving unit, or one with a task
 * on it) and supervisors above those units; the system role. Clerks and officers handle only their
 * own steps (`step-roles.ts`): the receiving unit counts for them when the procedure has a step of
 * their role, a task's unit when the task is of their role. Everyone else gets 404, as if it did not
 * exist.
 */
export async function loadVisibleDossier(
  prisma: PrismaClient,
  caller: Caller,
  dossierId: string,
): Promise<{ dossier: Dossier & { tasks: Task[] }; scope: UnitScope; isOwner: boolean; isFiler: boolean }> {
  const dossier = await prisma.dossier.findUnique({ where: { id: dossierId }, include: { tasks: { orderBy: { createdAt: 'asc' } } } });
  const notFound = problems.notFound(say.noDossier(dossierId));
  if (!dossier) throw notFound;
  const isFiler = caller.role === 'citizen' && dossier.applicantPin === caller.sub;
  const isOwner = isFiler || (caller.role === 'citizen' && dossier.ownerPins.includes(caller.sub));
  if (caller.role === 'citizen') {
    if (!isOwner) throw notFound;
    return { dossier, scope: { kind: 'units', codes: [] }, isOwner, isFiler };
  }
  const scope = await unitScope(prisma, caller);
  const role = stepWorker(caller);
  const handlingUnits = [
    ...(worksOnProcedure(role, dossier.procedure) ? [dossier.unitCode] : []),
    ...dossier.tasks.filter((t) => worksOnStep(role, t)).map((t) => t.unitCode),
  ];
  if (!handlingUnits.some((u) => inScope(scope, u))) throw notFound;
  return { dossier, scope, isOwner, isFiler };
}

/** The dossiers a staff member or the system role sees, as `loadVisibleDossier` decides for one. */
export function visibleToStaff(caller: Caller, scope: UnitScope): Prisma.DossierWhereInput {
  if (scope.kind === 'all') return {};
  const units = { in: scope.codes };
  const role = stepWorker(caller);
  if (!role) return { OR: [{ unitCode: units }, { tasks: { some: { unitCode: units } } }] };
  return { OR: [{ unitCode: units, procedure: { in: proceduresOf(role) } }, { tasks: { some: { unitCode: units, ...tasksOf(role) } } }] };
}

export function dossierSummary(d: Dossier, now = new Date()) {
  return {
    dossierId: d.id,
    procedure: d.procedure,
    status: d.status,
    unitCode: d.unitCode,
    receivedAt: d.receivedAt.toISOString(),
    dueAt: d.dueAt.toISOString(),
    overdue: !isClosed(d.status) && d.dueAt < now,
    currentStep: d.currentStep,
  };
}

/**
 * A dossier as its page shows it; the history's notes in the reader's language (`api/language.ts`):
 * Vietnamese by default, English when asked for and the engine wrote it (older lines have one text).
 */
export async function dossierDetail(prisma: PrismaClient, d: Dossier & { tasks: Task[] }, language: Language = DEFAULT_LANGUAGE) {
  const now = new Date();
  const events = await prisma.dossierEvent.findMany({ where: { dossierId: d.id }, orderBy: { id: 'asc' } });
  const notes = events.map((e) => noteIn(e, language));
  // Units by name: the engine writes their codes.
  const units = await unitNamesIn(prisma, notes);
  return {
    ...dossierSummary(d, now),
    history: events.map((e, i) => ({ at: e.at.toISOString(), step: e.step, actor: e.actor, outcome: e.outcome, note: notes[i] === null ? null : withUnitNames(notes[i]!, units) })),
    result: (d.result as Record<string, unknown> | null) ?? null,
    awaiting: d.awaiting === null ? null : Awaiting.parse(d.awaiting),
    openTasks: d.tasks
      .filter((t) => t.status === 'open' || t.status === 'claimed')
      .map((t) => ({ taskId: t.id, step: t.step, unitCode: t.unitCode, dueAt: t.dueAt.toISOString(), overdue: t.dueAt < now })),
  };
}

/** A history line's note in a language: its English when asked for and written, else the note as stored. */
export function noteIn(event: { note: string | null; noteEn: string | null }, language: Language): string | null {
  return language === 'en' ? (event.noteEn ?? event.note) : event.note;
}
