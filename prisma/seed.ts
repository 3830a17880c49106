import {
  BusinessKind,
  CivilStatusKind,
  Prisma,
  PrismaClient,
  RecordStorage,
  StaffRole,
  UnitKind,
  createPrismaClient,
} from './client';
import {
  BUSINESSES,
  CIVIL_STATUS_RECORDS,
  IsoDate,
  PERSONS,
  STAFF,
  SeedBusiness,
  SeedUnit,
  UNITS,
  VEHICLES,
} from './seed-data';

/**
 * Writes the demo data of prisma/seed-data.ts into an empty database, so the engine runs
 * self-contained. A database that already has units is someone's working data and is left alone.
 */

// Advisory lock held for the length of the seeding transaction, so two processes starting together
// (API and worker) cannot both find the database empty and both insert. Any constant key will do.
const SEED_LOCK = 7_902_025;

// Interactive transactions time out after 5 s by default; a cold, busy CI database can be slower.
const SEED_TRANSACTION_TIMEOUT_MS = 60_000;

export async function seedDemoData(prisma: PrismaClient): Promise<{ seeded: boolean }> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK}::bigint)`;
      if ((await tx.unit.count()) > 0) return { seeded: false };
      await insertDemoData(tx);
      return { seeded: true };
    },
    { timeout: SEED_TRANSACTION_TIMEOUT_MS, maxWait: SEED_TRANSACTION_TIMEOUT_MS },
  );
}

async function insertDemoData(tx: Prisma.TransactionClient): Promise<void> {
  await tx.unit.createMany({ data: parentsFirst(UNITS) });
  await tx.staff.createMany({ data: [...STAFF] });
  await tx.person.createMany({
    data: PERSONS.map((p) => ({ ...p, dateOfBirth: dateOnly(p.dateOfBirth) })),
  });
  await tx.civilStatusRecord.createMany({
    data: CIVIL_STATUS_RECORDS.map((r) => ({
      ...r,
      partyPins: [...r.partyPins],
      registeredOn: dateOnly(r.registeredOn),
    })),
  });
  assertDistinctBusinessNames(BUSINESSES);
  await tx.business.createMany({
    data: BUSINESSES.map((b) => ({ ...b, registeredOn: dateOnly(b.registeredOn) })),
  });
  await tx.vehicle.createMany({
    data: VEHICLES.map((v) => ({ ...v, registeredOn: dateOnly(v.registeredOn) })),
  });
}

/**
 * Seeded names must not conflict with one another (normalizedName is unique): say which ones do,
 * rather than let the insert fail on the index.
 */
export function assertDistinctBusinessNames(businesses: readonly SeedBusiness[]): void {
  const byKey = new Map<string, string[]>();
  for (const b of businesses) byKey.set(b.normalizedName, [...(byKey.get(b.normalizedName) ?? []), b.name]);
  const clashes = [...byKey.values()].filter((names) => names.length > 1);
  if (clashes.length > 0) throw new Error(`Seeded business names conflict: ${clashes.map((names) => names.join(' / ')).join('; ')}`);
}

/**
 * Orders the units so that each comes after its parent (the tree has a self-referencing foreign
 * key). Fails on a parent that is not in the list or on a cycle, which would be a data mistake.
 */
export function parentsFirst(units: readonly SeedUnit[]): SeedUnit[] {
  const known = new Set(units.map((u) => u.code));
  const placed = new Set<string>();
  const ordered: SeedUnit[] = [];
  let pending = [...units];
  while (pending.length > 0) {
    const ready = pending.filter((u) => u.parentCode === null || placed.has(u.parentCode));
    if (ready.length === 0) {
      const stuck = pending.map((u) => `${u.code} -> ${u.parentCode}`).join(', ');
      const missing = pending.filter((u) => u.parentCode !== null && !known.has(u.parentCode));
      throw new Error(`Unit tree is not a tree (${missing.length > 0 ? 'unknown parent' : 'cycle'}): ${stuck}`);
    }
    for (const u of ready) placed.add(u.code);
    ordered.push(...ready);
    pending = pending.filter((u) => !placed.has(u.code));
  }
  return ordered;
}

/** A `YYYY-MM-DD` date as the midnight-UTC Date Prisma expects for a DATE column. */
function dateOnly(date: IsoDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

// ---------------------------------------------------------------------------------------------
// What a newcomer can try

export interface DemoCitizen {
  pin: string;
  fullName: string;
  email: string | null;
  residenceUnitCode: string | null;
}

export interface DemoStaffMember {
  id: string;
  fullName: string;
  email: string;
  role: StaffRole;
}

export interface DemoUnitStaff {
  unitCode: string;
  unitName: string;
  members: DemoStaffMember[];
}

export interface DemoUnit {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
}

export interface DemoCivilStatusRecord {
  id: string;
  registrationUnitCode: string;
  storage: RecordStorage;
  subjectPin: string | null;
  partyPins: string[];
}

export interface DemoBusiness {
  enterpriseCode: string;
  name: string;
  kind: BusinessKind;
  legalRepresentativePin: string;
}

export interface DemoVehicle {
  plateNumber: string;
  ownerPin: string;
  vehicleType: string;
  /** The owner as the population data has it (a traffic case's notice goes there). */
  owner: { fullName: string; email: string | null; residenceUnitCode: string | null };
}

export interface DemoDirectory {
  citizens: DemoCitizen[];
  /** Units with at least one active staff member; members ordered clerk, officer, supervisor. */
  staff: DemoUnitStaff[];
  units: DemoUnit[];
  civilStatusRecords: Record<CivilStatusKind, DemoCivilStatusRecord[]>;
  businesses: DemoBusiness[];
  vehicles: DemoVehicle[];
}

/**
 * The identities and records present in the database (not in seed-data.ts, which may have been
 * edited or added to since), sorted by key in code-point order so the listing does not depend on
 * the database's collation.
 */
export async function getDemoDirectory(prisma: PrismaClient): Promise<DemoDirectory> {
  const [persons, units, staff, records, businesses, vehicles] = await Promise.all([
    prisma.person.findMany({ select: { pin: true, fullName: true, email: true, residenceUnitCode: true } }),
    prisma.unit.findMany({ select: { code: true, name: true, kind: true, parentCode: true } }),
    prisma.staff.findMany({
      where: { active: true },
      select: { id: true, fullName: true, email: true, role: true, unitCode: true },
    }),
    prisma.civilStatusRecord.findMany({
      select: { id: true, kind: true, registrationUnitCode: true, storage: true, subjectPin: true, partyPins: true },
    }),
    prisma.business.findMany({
      select: { enterpriseCode: true, name: true, kind: true, legalRepresentativePin: true },
    }),
    prisma.vehicle.findMany({
      select: { plateNumber: true, ownerPin: true, vehicleType: true, owner: { select: { fullName: true, email: true, residenceUnitCode: true } } },
    }),
  ]);
  return {
    citizens: sortBy(persons, (p) => p.pin),
    staff: staffByUnit(units, staff),
    units: sortBy(units, (u) => u.code),
    civilStatusRecords: recordsByKind(records),
    businesses: sortBy(businesses, (b) => b.enterpriseCode),
    vehicles: sortBy(vehicles, (v) => v.plateNumber),
  };
}

const ROLE_ORDER: readonly StaffRole[] = [StaffRole.clerk, StaffRole.officer, StaffRole.supervisor];

function staffByUnit(
  units: readonly DemoUnit[],
  staff: readonly (DemoStaffMember & { unitCode: string })[],
): DemoUnitStaff[] {
  const sorted = [...staff].sort(
    (a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || compare(a.id, b.id),
  );
  return sortBy(units, (u) => u.code)
    .map((unit) => ({
      unitCode: unit.code,
      unitName: unit.name,
      members: sorted
        .filter((s) => s.unitCode === unit.code)
        .map(({ id, fullName, email, role }) => ({ id, fullName, email, role })),
    }))
    .filter((group) => group.members.length > 0);
}

function recordsByKind(
  records: readonly (DemoCivilStatusRecord & { kind: CivilStatusKind })[],
): Record<CivilStatusKind, DemoCivilStatusRecord[]> {
  const byKind = Object.fromEntries(Object.values(CivilStatusKind).map((kind) => [kind, []])) as unknown as Record<
    CivilStatusKind,
    DemoCivilStatusRecord[]
  >;
  for (const { kind, ...record } of sortBy(records, (r) => r.id)) byKind[kind].push(record);
  return byKind;
}

function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => compare(key(a), key(b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// CLI: DATABASE_URL=… npx tsx prisma/seed.ts

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL: required to seed the demo data');
    process.exit(1);
  }
  const prisma = createPrismaClient(url);
  try {
    const result = await seedDemoData(prisma);
    console.log(JSON.stringify(result));
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
