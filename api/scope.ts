import type { PrismaClient } from '../prisma/client';
import type { Caller } from './auth';
import { say } from './messages';
import { problems } from './problem';

/**
 * Which units a caller acts for. Clerks and officers: their own unit. Supervisors: their unit and
 * everything below it in the unit tree (the tree is data, so this is a query, not a rule in code).
 * The `system` role (camera systems, batch jobs) is not tied to a unit. Citizens, inspectors
 * (of the vehicle-inspection authority, which reads inspection flags) and administrators (who
 * publish procedure definitions): none.
 */
export type UnitScope = { kind: 'all' } | { kind: 'units'; codes: string[] };

export async function unitScope(prisma: PrismaClient, caller: Caller): Promise<UnitScope> {
  if (caller.role === 'system') return { kind: 'all' };
  if (caller.role === 'citizen' || caller.role === 'inspector' || caller.role === 'administrator' || !caller.unit) return { kind: 'units', codes: [] };
  const unit = await prisma.unit.findUnique({ where: { code: caller.unit }, select: { code: true } });
  if (!unit) throw problems.forbidden(say.unitNotOfSystem(caller.unit));
  if (caller.role !== 'supervisor') return { kind: 'units', codes: [unit.code] };
  return { kind: 'units', codes: await subtree(prisma, unit.code) };
}

async function subtree(prisma: PrismaClient, root: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ code: string }>>`
    WITH RECURSIVE tree AS (
      SELECT code FROM "Unit" WHERE code = ${root}
      UNION
      SELECT u.code FROM "Unit" u JOIN tree t ON u."parentCode" = t.code
    )
    SELECT code FROM tree ORDER BY code`;
  return rows.map((r) => r.code);
}

export function inScope(scope: UnitScope, unitCode: string): boolean {
  return scope.kind === 'all' || scope.codes.includes(unitCode);
}
