import { Prisma, type Dossier, type PrismaClient, type Task } from '../../prisma/client';
import { PROCEDURES } from '../../procedures';

/**
 * Which dossiers a supervisor's list holds (GET /supervision/dossiers): overdue, at risk, or the
 * candidates for stuck, in the caller's units, most urgent first. Why each is listed (the reason in
 * words, Temporal's verdict on the stuck ones) is the route's.
 */

// A dossier due within this window is at risk.
const AT_RISK_WINDOW_MS = 4 * 3600_000;
// Stuck candidates: no human step open, not waiting for the applicant, and no progress for this
// long (a dossier moving through its system calls is left alone). Whether one is stuck is then
// Temporal's answer: its pending calls and their failures (supervision-stuck.ts). A dossier whose
// workflow task keeps failing is stuck whatever it waits for: wedgedDossiers.
const STUCK_CANDIDATE_IDLE_MS = 15_000;
const STUCK_CANDIDATES = 500;

export interface ListingQuery {
  state: 'overdue' | 'at-risk' | 'stuck';
  now: Date;
  /** The caller's units; undefined for the whole tree. */
  units: string[] | undefined;
  procedure: string | undefined;
  limit: number;
}

export async function supervisedDossiers(prisma: PrismaClient, q: ListingQuery): Promise<Array<Dossier & { tasks: Task[] }>> {
  if (q.state !== 'stuck') return dueListing(prisma, { ...q, state: q.state });
  return prisma.dossier.findMany({
    where: {
      status: { notIn: [...PROCEDURES.closedStatuses] },
      ...(q.procedure ? { procedure: q.procedure } : {}),
      AND: [scopeFilter(q.units), stuckFilter(q.now)],
    },
    include: { tasks: { where: { status: { in: OPEN_TASK } } } },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    take: STUCK_CANDIDATES,
  });
}

/**
 * Dossiers whose workflow task keeps failing (ids from supervision-wedged.ts), in the caller's
 * units, of the procedure asked for: stuck whatever they wait for.
 */
export function wedgedDossiers(prisma: PrismaClient, ids: string[], q: ListingQuery): Promise<Array<Dossier & { tasks: Task[] }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return prisma.dossier.findMany({
    where: { id: { in: ids }, status: { notIn: [...PROCEDURES.closedStatuses] }, ...(q.procedure ? { procedure: q.procedure } : {}), AND: [scopeFilter(q.units)] },
    include: { tasks: { where: { status: { in: OPEN_TASK } } } },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    take: q.limit,
  });
}

const OPEN_TASK = ['open', 'claimed'];
/** Statuses of a dossier still in progress: listed as `status = ANY(…)`, which the (status, dueAt) index serves. */
/** Statuses of a dossier still running, whatever procedure (the registry may grow at run time). */
const openStatuses = () => PROCEDURES.statuses.filter((s) => !PROCEDURES.closedStatuses.includes(s));

/** The caller's units: a dossier of one of them, or with an open task at one of them. */
function scopeFilter(units: string[] | undefined): Prisma.DossierWhereInput {
  return units ? { OR: [{ unitCode: { in: units } }, { tasks: { some: { unitCode: { in: units }, status: { in: OPEN_TASK } } } }] } : {};
}

/** Waiting for a person (a clerk's task, the applicant's answer) is not being stuck. */
function stuckFilter(now: Date): Prisma.DossierWhereInput {
  return {
    updatedAt: { lt: new Date(now.getTime() - STUCK_CANDIDATE_IDLE_MS) },
    tasks: { none: { status: { in: OPEN_TASK } } },
    awaiting: { equals: Prisma.DbNull },
  };
}

/**
 * Overdue (the dossier or one of its open tasks past due) or at risk (due within the window), most
 * urgent first, in the caller's units (a dossier of theirs, or one with an open task at one of
 * them). At city scale the table holds a million closed dossiers and tens of thousands of open ones:
 * each way a dossier can qualify is its own arm, served by an index ((status, dueAt), (unitCode,
 * status) of Dossier and Task), ordered and cut to the page on its own; the arms' union is merged.
 * One query with ORs over the dossier, its tasks and the scope reads the whole table instead
 * (`npm run bench -- city-scale` prints both plans).
 */
export function dueListingQuery(q: ListingQuery & { state: 'overdue' | 'at-risk' }): Prisma.Sql {
  const due = (column: Prisma.Sql) =>
    q.state === 'overdue' ? Prisma.sql`${column} < ${q.now}` : Prisma.sql`${column} >= ${q.now} AND ${column} < ${new Date(q.now.getTime() + AT_RISK_WINDOW_MS)}`;
  const open = Prisma.sql`d.status = ANY(${openStatuses()}) ${q.procedure ? Prisma.sql`AND d.procedure = ${q.procedure}` : Prisma.empty}`;
  const inUnits = q.units ? Prisma.sql`AND d."unitCode" = ANY(${q.units})` : Prisma.empty;
  const page = Prisma.sql`ORDER BY d."dueAt", d.id LIMIT ${q.limit}`;
  const arms = [
    // The dossier itself is due.
    Prisma.sql`(SELECT d.id, d."dueAt" FROM "Dossier" d WHERE ${open} AND ${due(Prisma.sql`d."dueAt"`)} ${inUnits} ${page})`,
  ];
  if (q.state === 'overdue') {
    // One of its open tasks is late while the dossier itself is not yet.
    arms.push(Prisma.sql`(SELECT d.id, d."dueAt" FROM "Task" t JOIN "Dossier" d ON d.id = t."dossierId"
      WHERE t.status = ANY(${OPEN_TASK}) AND t."dueAt" < ${q.now} AND d."dueAt" >= ${q.now} AND ${open} ${inUnits} ${page})`);
  }
  if (q.units) {
    // A dossier of another unit with an open task at one of the caller's: late there, or due.
    const taskOrDossierDue = q.state === 'overdue' ? Prisma.sql`(t."dueAt" < ${q.now} OR d."dueAt" < ${q.now})` : due(Prisma.sql`d."dueAt"`);
    arms.push(Prisma.sql`(SELECT d.id, d."dueAt" FROM "Task" t JOIN "Dossier" d ON d.id = t."dossierId"
      WHERE t.status = ANY(${OPEN_TASK}) AND t."unitCode" = ANY(${q.units}) AND ${taskOrDossierDue} AND ${open} ${page})`);
  }
  return Prisma.sql`SELECT id FROM (${Prisma.join(arms, ' UNION ')}) c ORDER BY "dueAt", id LIMIT ${q.limit}`;
}

async function dueListing(prisma: PrismaClient, q: Parameters<typeof dueListingQuery>[0]): Promise<Array<Dossier & { tasks: Task[] }>> {
  const ids = await prisma.$queryRaw<Array<{ id: string }>>(dueListingQuery(q));
  const rows = await prisma.dossier.findMany({ where: { id: { in: ids.map((r) => r.id) } }, include: { tasks: { where: { status: { in: OPEN_TASK } } } } });
  const order = new Map(ids.map((r, i) => [r.id, i]));
  return rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}
