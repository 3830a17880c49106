import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { planDeadlinesFromDb } from '../../activities/calendar';
import { receivedDossierRow } from '../../activities/dossiers';
import { CLOSED_STATUSES, type DossierStatus, type Procedure } from '../../common/procedures';
import { SearchAttributes } from '../../common/temporal';
import type { Dossier, PrismaClient, Task } from '../../prisma/client';
import type { civilStatusExtractWorkflow } from '../../workflows';
import { WorkflowTypes } from '../../workflows/shared/messages';
import type { CivilStatusExtractRequest } from '../../workflows/shared/types';
import type { Caller } from '../auth';
import { problems } from '../problem';
import { inScope, unitScope, type UnitScope } from '../scope';

const PREFIX: Record<Procedure, string> = {
  'civil-status-extract': 'CSE',
  'business-registration': 'BRG',
  'traffic-fine': 'TFN',
};
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `CSE-261123-7K3M9Q`: procedure, filing date (UTC+7), random part. No personal data. */
export function newDossierId(procedure: Procedure, at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600_000).toISOString();
  const date = `${local.slice(2, 4)}${local.slice(5, 7)}${local.slice(8, 10)}`;
  const random = Array.from(randomBytes(6), (b) => CODE_ALPHABET[b % 32]).join('');
  return `${PREFIX[procedure]}-${date}-${random}`;
}

export interface FilingDeps {
  prisma: PrismaClient;
  temporal: Client;
  publicBaseUrl: string;
  taskQueue: string;
}

export interface FiledDossier {
  dossierId: string;
  procedure: Procedure;
  status: DossierStatus;
  unitCode: string;
  receivedAt: string;
  dueAt: string;
}

/**
 * Files a civil-status extract request: the workflow is started first (Temporal keeps it whatever
 * happens next), then the dossier row is written; the workflow writes the same row itself as its
 * first step, so an API that dies in between loses nothing.
 */
export async function fileCivilStatusExtract(
  deps: FilingDeps,
  input: { dossierId: string; applicantPin: string; unitCode: string; request: CivilStatusExtractRequest },
): Promise<FiledDossier> {
  const procedure = 'civil-status-extract';
  const existing = await deps.prisma.dossier.findUnique({ where: { id: input.dossierId } });
  const receivedAt = existing?.receivedAt ?? new Date();
  const dueAt = existing?.dueAt ?? (await planDeadlinesFromDb(deps.prisma, { procedure, step: 'dossier', unitCode: input.unitCode, from: receivedAt })).dueAt;
  const workflowInput = {
    dossierId: input.dossierId,
    unitCode: input.unitCode,
    applicantPin: input.applicantPin,
    receivedAt: receivedAt.toISOString(),
    dueAt: dueAt.toISOString(),
    request: input.request,
    publicBaseUrl: deps.publicBaseUrl,
  };
  try {
    await deps.temporal.workflow.start<typeof civilStatusExtractWorkflow>(WorkflowTypes.civilStatusExtract, {
      taskQueue: deps.taskQueue,
      workflowId: input.dossierId,
      args: [workflowInput],
      typedSearchAttributes: [
        { key: SearchAttributes.procedure, value: procedure },
        { key: SearchAttributes.unitCode, value: input.unitCode },
        { key: SearchAttributes.dossierStatus, value: 'received' },
        { key: SearchAttributes.dueAt, value: dueAt },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  // Insert-if-absent: the workflow's first activity, or a concurrent retry, may have written it.
  await deps.prisma.dossier.createMany({
    skipDuplicates: true,
    data: receivedDossierRow({ ...input, procedure, receivedAt, dueAt }),
  });
  const row = await deps.prisma.dossier.findUniqueOrThrow({ where: { id: input.dossierId } });
  return {
    dossierId: row.id,
    procedure,
    status: row.status as DossierStatus,
    unitCode: row.unitCode,
    receivedAt: row.receivedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
  };
}

export const isClosed = (status: string) => (CLOSED_STATUSES as readonly string[]).includes(status);

/**
 * Who sees a dossier: its owner; staff of a unit handling it (the receiving unit, or one with a task
 * on it) and supervisors above those units; the system role. Everyone else gets 404, as if it did
 * not exist.
 */
export async function loadVisibleDossier(
  prisma: PrismaClient,
  caller: Caller,
  dossierId: string,
): Promise<{ dossier: Dossier & { tasks: Task[] }; scope: UnitScope; isOwner: boolean }> {
  const dossier = await prisma.dossier.findUnique({ where: { id: dossierId }, include: { tasks: { orderBy: { createdAt: 'asc' } } } });
  const notFound = problems.notFound(`No dossier ${dossierId}`);
  if (!dossier) throw notFound;
  const isOwner = caller.role === 'citizen' && dossier.applicantPin === caller.sub;
  if (caller.role === 'citizen') {
    if (!isOwner) throw notFound;
    return { dossier, scope: { kind: 'units', codes: [] }, isOwner };
  }
  const scope = await unitScope(prisma, caller);
  const handlingUnits = [dossier.unitCode, ...dossier.tasks.map((t) => t.unitCode)];
  if (!handlingUnits.some((u) => inScope(scope, u))) throw notFound;
  return { dossier, scope, isOwner };
}

export function dossierSummary(d: Dossier, now = new Date()) {
  return {
    dossierId: d.id,
    procedure: d.procedure as Procedure,
    status: d.status as DossierStatus,
    unitCode: d.unitCode,
    receivedAt: d.receivedAt.toISOString(),
    dueAt: d.dueAt.toISOString(),
    overdue: !isClosed(d.status) && d.dueAt < now,
    currentStep: d.currentStep,
  };
}

export async function dossierDetail(prisma: PrismaClient, d: Dossier & { tasks: Task[] }) {
  const now = new Date();
  const events = await prisma.dossierEvent.findMany({ where: { dossierId: d.id }, orderBy: { id: 'asc' } });
  return {
    ...dossierSummary(d, now),
    history: events.map((e) => ({ at: e.at.toISOString(), step: e.step, actor: e.actor, outcome: e.outcome, note: e.note })),
    result: (d.result as Record<string, unknown> | null) ?? null,
    openTasks: d.tasks
      .filter((t) => t.status === 'open' || t.status === 'claimed')
      .map((t) => ({ taskId: t.id, step: t.step, unitCode: t.unitCode, dueAt: t.dueAt.toISOString(), overdue: t.dueAt < now })),
  };
}
