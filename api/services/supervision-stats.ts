import { CITY_UTC_OFFSET_MINUTES, localDateOf } from '../../common/calendar';
import { Prisma, type PrismaClient } from '../../prisma/client';
import { PROCEDURES } from '../../procedures';
import { trafficFine } from '../../procedures/traffic-fine/definition';

/**
 * On-time figures per unit and procedure for a unit's subtree.
 *
 * Every figure counts the cohort of dossiers **received** in the window [from, to), attributed to
 * the unit that received them (the dossier's `unitCode`, answerable for it):
 * - `received` = `completed` + `withdrawn` + `open`;
 * - `completed`: closed with a result (issued, registered, refused, paid, dismissed); `onTime` when
 *   the office met every deadline of its own (`officeLate`: its tasks, a traffic notice's, the
 *   dossier's own while the applicant was never waited for), `late` otherwise (`completed` = `onTime` + `late`);
 * - `withdrawn`: cancelled or lapsed (no result is owed);
 * - `open`: not closed yet; `overdue`: open and past its due date now (`overdue <= open`);
 * - `onTimeRate` = `onTime / completed`, 4 decimals, null when nothing was completed.
 *
 * Rows: one per unit of the subtree and procedure with any dossier in that unit's subtree (the
 * root's rows always). A row's figures include the unit's whole subtree; `own` are its own
 * dossiers. They add up: for each procedure, a row = its `own` + the rows of its child units, and
 * the root's row = the sum of every row's `own`. `total` is the root's rows summed over procedures.
 *
 * The database aggregates (one GROUP BY over the index on (unitCode, receivedAt)); the roll-up over
 * the unit tree (hundreds of units) is done here.
 */
export interface Figures {
  received: number;
  completed: number;
  onTime: number;
  late: number;
  open: number;
  overdue: number;
  withdrawn: number;
  onTimeRate: number | null;
}

export interface StatsRow extends Figures {
  unitCode: string;
  unitName: string;
  parentCode: string | null;
  /** 0 for the root of the answer, 1 for its children... */
  depth: number;
  procedure: string;
  own: Figures;
}

export interface StatsAnswer {
  unitCode: string;
  procedure: string | null;
  from: string;
  to: string;
  asOf: string;
  rows: StatsRow[];
  total: Figures;
}

const WITHDRAWN = ['cancelled', 'lapsed'];
type Counts = Omit<Figures, 'onTimeRate'>;
const COUNT_KEYS = ['received', 'completed', 'onTime', 'late', 'open', 'overdue', 'withdrawn'] as const;

const zero = (): Counts => ({ received: 0, completed: 0, onTime: 0, late: 0, open: 0, overdue: 0, withdrawn: 0 });
function add(into: Counts, more: Counts): Counts {
  for (const key of COUNT_KEYS) into[key] += more[key];
  return into;
}
function withRate(c: Counts): Figures {
  return { ...c, onTimeRate: c.completed === 0 ? null : Math.round((c.onTime / c.completed) * 10_000) / 10_000 };
}

interface UnitNode {
  code: string;
  name: string;
  parentCode: string | null;
  depth: number;
}

/** The unit and everything below it, parents before children. */
async function subtreeOf(prisma: PrismaClient, root: string): Promise<UnitNode[]> {
  return prisma.$queryRaw<UnitNode[]>`
    WITH RECURSIVE tree AS (
      SELECT code, name, "parentCode", 0 AS depth FROM "Unit" WHERE code = ${root}
      UNION ALL
      SELECT u.code, u.name, u."parentCode", t.depth + 1 FROM "Unit" u JOIN tree t ON u."parentCode" = t.code
      WHERE t.depth < 16 -- a tree is a few levels deep; a cycle in the data must not loop forever
    )
    SELECT code, name, "parentCode", depth::int AS depth FROM tree ORDER BY depth, code`;
}

/** Start of a local calendar date (Asia/Ho_Chi_Minh) as an instant. */
export function startOfLocalDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CITY_UTC_OFFSET_MINUTES * 60_000);
}

/** A window bound: a local date (`to` then includes that whole day), or an instant with its offset. */
export function windowBound(value: string, end: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = startOfLocalDay(value);
    return end ? new Date(start.getTime() + 86_400_000) : start;
  }
  return new Date(value);
}

/** Without `from`: 1 January of the current local year; without `to`: now. */
export function defaultWindow(now: Date): { from: Date; to: Date } {
  return { from: startOfLocalDay(`${localDateOf(now).slice(0, 4)}-01-01`), to: now };
}

/**
 * A dossier (`d`, a "Dossier" row) the office was late on: the time its applicant or owner takes to
 * answer is theirs, so it counts the deadlines the office answers for, as the rows record them:
 * - a task (done, or withdrawn) finished after its due date;
 * - a traffic notice issued after its deadline: `calendar-days` from the capture date as the
 *   procedure's `dossier` setting says (the due date the case was opened with; the dossier's own
 *   moves to the owner's once the notice is out);
 * - the dossier closed after its due date, unless it ever waited for its applicant (a supplement
 *   asked, a notice answered): its due date is then the applicant's, and the office's share of the
 *   time is what its tasks measure.
 */
const OFFICE_OFFSET = Prisma.sql`(${CITY_UTC_OFFSET_MINUTES} * interval '1 minute')`;
const officeLate = Prisma.sql`(
  EXISTS (SELECT 1 FROM "Task" t WHERE t."dossierId" = d.id AND t.status IN ('done', 'cancelled') AND t."completedAt" > t."dueAt")
  OR EXISTS (
    SELECT 1 FROM "Violation" v JOIN "DeadlineSetting" s ON s.procedure = ${trafficFine.id} AND s.step = 'dossier'
    WHERE v."dossierId" = d.id AND v."noticeAt" > ((date_trunc('day', (v."capturedAt" AT TIME ZONE 'UTC') + ${OFFICE_OFFSET})
      + s."workingDays" * interval '1 day' + s."endOfDayTime"::time - ${OFFICE_OFFSET}) AT TIME ZONE 'UTC'))
  OR (COALESCE(d."closedAt", d."updatedAt") > d."dueAt"
    AND NOT EXISTS (SELECT 1 FROM "DossierEvent" e WHERE e."dossierId" = d.id AND e.outcome IN ('supplement-requested', 'respond-requested'))
    AND NOT EXISTS (SELECT 1 FROM "Violation" v WHERE v."dossierId" = d.id AND v."noticeAt" IS NOT NULL))
)`;

interface OwnRow extends Counts {
  unitCode: string;
  procedure: string;
}

export async function supervisionStats(
  prisma: PrismaClient,
  input: { root: string; procedure?: string; from: Date; to: Date; now: Date },
): Promise<StatsAnswer> {
  const units = await subtreeOf(prisma, input.root);
  const codes = units.map((u) => u.code);
  const closed = [...PROCEDURES.closedStatuses];
  const procedureFilter = input.procedure ? Prisma.sql`AND d.procedure = ${input.procedure}` : Prisma.empty;
  const own = await prisma.$queryRaw<OwnRow[]>`
    WITH cohort AS (
      SELECT d.*, (d.status = ANY(${closed}) AND NOT d.status = ANY(${WITHDRAWN})) AS completed
      FROM "Dossier" d
      WHERE d."unitCode" = ANY(${codes}) AND d."receivedAt" >= ${input.from} AND d."receivedAt" < ${input.to} ${procedureFilter}
    ), judged AS (
      SELECT "unitCode", procedure, status, "dueAt", completed, (completed AND ${officeLate}) AS late FROM cohort d
    )
    SELECT "unitCode", procedure,
      count(*)::int AS received,
      count(*) FILTER (WHERE completed)::int AS completed,
      count(*) FILTER (WHERE completed AND NOT late)::int AS "onTime",
      count(*) FILTER (WHERE late)::int AS late,
      count(*) FILTER (WHERE NOT status = ANY(${closed}))::int AS open,
      count(*) FILTER (WHERE NOT status = ANY(${closed}) AND "dueAt" < ${input.now})::int AS overdue,
      count(*) FILTER (WHERE status = ANY(${WITHDRAWN}))::int AS withdrawn
    FROM judged
    GROUP BY "unitCode", procedure`;

  const procedures = PROCEDURES.ids.filter((p) => !input.procedure || p === input.procedure);
  const key = (unit: string, procedure: string) => `${unit}\u0000${procedure}`;
  const ownBy = new Map(own.map((r) => [key(r.unitCode, r.procedure), r]));
  // Children before parents: each unit's subtree figures are its own plus its children's.
  const subtreeBy = new Map<string, Counts>();
  for (const unit of [...units].reverse()) {
    for (const procedure of procedures) {
      const figures = add(zero(), ownCounts(ownBy.get(key(unit.code, procedure))));
      const parentKey = unit.parentCode && key(unit.parentCode, procedure);
      subtreeBy.set(key(unit.code, procedure), add(figures, subtreeBy.get(key(unit.code, procedure)) ?? zero()));
      if (parentKey && unit.depth > 0) subtreeBy.set(parentKey, add(subtreeBy.get(parentKey) ?? zero(), subtreeBy.get(key(unit.code, procedure))!));
    }
  }
  const rows: StatsRow[] = [];
  for (const unit of depthFirst(units)) {
    for (const procedure of procedures) {
      const figures = subtreeBy.get(key(unit.code, procedure)) ?? zero();
      if (figures.received === 0 && unit.depth > 0) continue;
      rows.push({
        unitCode: unit.code,
        unitName: unit.name,
        parentCode: unit.parentCode,
        depth: unit.depth,
        procedure,
        ...withRate(figures),
        own: withRate(ownCounts(ownBy.get(key(unit.code, procedure)))),
      });
    }
  }
  const total = withRate(procedures.reduce((sum, p) => add(sum, subtreeBy.get(key(input.root, p)) ?? zero()), zero()));
  return {
    unitCode: input.root,
    procedure: input.procedure ?? null,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    asOf: input.now.toISOString(),
    rows,
    total,
  };
}

function ownCounts(row: OwnRow | undefined): Counts {
  if (!row) return zero();
  const { received, completed, onTime, late, open, overdue, withdrawn } = row;
  return { received, completed, onTime, late, open, overdue, withdrawn };
}

/** The tree in reading order: each unit followed by its subtree, siblings by code. */
function depthFirst(units: UnitNode[]): UnitNode[] {
  const children = new Map<string, UnitNode[]>();
  for (const u of units) if (u.depth > 0 && u.parentCode) children.set(u.parentCode, [...(children.get(u.parentCode) ?? []), u]);
  const out: UnitNode[] = [];
  const visit = (u: UnitNode) => {
    out.push(u);
    for (const c of children.get(u.code) ?? []) visit(c);
  };
  const root = units.find((u) => u.depth === 0);
  if (root) visit(root);
  return out;
}
