import { CivilStatusKind, PrismaClient, RecordStorage, StaffRole, createPrismaClient } from '../../prisma/client';
import { getDemoDirectory, seedDemoData } from '../../prisma/seed';
import { PERSONS, STAFF, normalizeBusinessName } from '../../prisma/seed-data';
import { TestDatabase, createTestDatabase } from '../support/database';

const PIN_FORMAT = /^\d{12}$/;

describe('normalizeBusinessName', () => {
  it('strips accents, maps đ to D, collapses whitespace and upper-cases', () => {
    expect(normalizeBusinessName('  Công ty TNHH  Đầu tư\tHoàng Phúc ')).toBe('DAU TU HOANG PHUC');
    expect(normalizeBusinessName('Hộ kinh doanh Bánh mì Hoàng Long')).toBe('BANH MI HOANG LONG');
  });
});

describe('demo seed', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let firstRun: { seeded: boolean };

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    firstRun = await seedDemoData(prisma);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('seeds an empty database', () => {
    expect(firstRun).toEqual({ seeded: true });
  });

  it('builds a unit tree with the city as its only root, every unit reachable from it', async () => {
    const units = await prisma.unit.findMany();
    const roots = units.filter((u) => u.parentCode === null);
    expect(roots.map((u) => [u.code, u.kind])).toEqual([['HCMC', 'CITY']]);

    const reached = new Set<string>(['HCMC']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const u of units) {
        if (u.parentCode !== null && reached.has(u.parentCode) && !reached.has(u.code)) {
          reached.add(u.code);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual(units.map((u) => u.code).sort());
    expect(units.filter((u) => u.kind === 'WARD').length).toBeGreaterThanOrEqual(5);
    expect(units.filter((u) => u.kind === 'DISTRICT')).toEqual([]);
    expect(units.every((u) => u.email?.endsWith('@dichvucong.example'))).toBe(true);
  });

  it('gives every unit at least one clerk and one supervisor', async () => {
    const units = await prisma.unit.findMany({ include: { staff: true } });
    for (const unit of units) {
      const roles = new Set(unit.staff.map((s) => s.role));
      expect({ unit: unit.code, clerk: roles.has(StaffRole.clerk), supervisor: roles.has(StaffRole.supervisor) }).toEqual({
        unit: unit.code,
        clerk: true,
        supervisor: true,
      });
    }
    const officers = await prisma.staff.count({ where: { unitCode: 'HCMC-PC08', role: StaffRole.officer } });
    expect(officers).toBeGreaterThanOrEqual(1);
  });

  it('has electronic records of every kind and paper-archive births and marriages', async () => {
    const groups = await prisma.civilStatusRecord.groupBy({ by: ['kind', 'storage'], _count: { _all: true } });
    const count = (kind: CivilStatusKind, storage: RecordStorage) =>
      groups.find((g) => g.kind === kind && g.storage === storage)?._count._all ?? 0;
    for (const kind of Object.values(CivilStatusKind)) {
      expect({ kind, electronic: count(kind, RecordStorage.ELECTRONIC) > 0 }).toEqual({ kind, electronic: true });
    }
    expect(count(CivilStatusKind.BIRTH, RecordStorage.PAPER_ARCHIVE)).toBeGreaterThan(0);
    expect(count(CivilStatusKind.MARRIAGE, RecordStorage.PAPER_ARCHIVE)).toBeGreaterThan(0);

    const paper = await prisma.civilStatusRecord.findMany({ where: { storage: RecordStorage.PAPER_ARCHIVE } });
    expect(paper.every((r) => r.bookNumber !== null && r.pageNumber !== null)).toBe(true);
  });

  it('uses 12-digit PINs that encode the birth year and sex', async () => {
    const persons = await prisma.person.findMany();
    expect(persons.length).toBeGreaterThanOrEqual(20);
    for (const p of persons) {
      expect(p.pin).toMatch(PIN_FORMAT);
      const year = p.dateOfBirth.getUTCFullYear();
      const centuryAndSex = (year >= 2000 ? 2 : 0) + (p.sex === 'FEMALE' ? 1 : 0);
      expect(p.pin.slice(3, 6)).toBe(`${centuryAndSex}${String(year % 100).padStart(2, '0')}`);
    }
  });

  it('refers only to seeded persons and wards', async () => {
    const pins = new Set((await prisma.person.findMany({ select: { pin: true } })).map((p) => p.pin));
    const wards = new Set(
      (await prisma.unit.findMany({ where: { kind: 'WARD' }, select: { code: true } })).map((u) => u.code),
    );
    const records = await prisma.civilStatusRecord.findMany();
    for (const r of records) {
      expect(r.partyPins.length).toBeGreaterThan(0);
      for (const pin of r.partyPins) expect({ record: r.id, pin, known: pins.has(pin) }).toEqual({ record: r.id, pin, known: true });
      if (r.subjectPin !== null) expect(r.partyPins).toContain(r.subjectPin);
      expect(wards.has(r.registrationUnitCode)).toBe(true);
    }
    const persons = await prisma.person.findMany();
    expect(persons.every((p) => p.residenceUnitCode !== null && wards.has(p.residenceUnitCode))).toBe(true);

    const businesses = await prisma.business.findMany();
    for (const b of businesses) {
      expect(b.enterpriseCode).toMatch(/^\d{10}$/);
      expect(pins.has(b.legalRepresentativePin)).toBe(true);
      expect(b.normalizedName).toBe(normalizeBusinessName(b.name));
      // Enterprises register with the city's business registration office, household businesses at a ward.
      if (b.kind !== 'HOUSEHOLD_BUSINESS') expect(b.registrationUnitCode).toBe('HCMC-DOF');
      else expect(wards.has(b.registrationUnitCode)).toBe(true);
    }
  });

  it('leaves a seeded database alone when seeding again', async () => {
    const before = await counts(prisma);
    await expect(seedDemoData(prisma)).resolves.toEqual({ seeded: false });
    expect(await counts(prisma)).toEqual(before);
  });

  it('lists the citizens and staff a newcomer can try, read from the database', async () => {
    const directory = await getDemoDirectory(prisma);

    expect(directory.citizens.map((c) => c.pin)).toEqual(PERSONS.map((p) => p.pin).sort());
    const an = directory.citizens.find((c) => c.fullName === 'Nguyễn Văn An');
    expect(an).toEqual({
      pin: '079088004127',
      fullName: 'Nguyễn Văn An',
      email: 'nguyen.van.an@example.com',
      residenceUnitCode: 'W-BEN-THANH',
    });

    const members = directory.staff.flatMap((g) => g.members.map((m) => m.id));
    expect(members.sort()).toEqual(STAFF.map((s) => s.id).sort());
    const benThanh = directory.staff.find((g) => g.unitCode === 'W-BEN-THANH');
    expect(benThanh?.unitName).toBe('Phường Bến Thành');
    // Clerk, the ward's police officer, supervisor: in that order.
    expect(benThanh?.members.map((m) => m.role)).toEqual(['clerk', 'officer', 'supervisor']);

    expect(directory.units[0]).toEqual({ code: 'HCMC', name: 'Thành phố Hồ Chí Minh', kind: 'CITY', parentCode: null });
    expect(Object.keys(directory.civilStatusRecords).sort()).toEqual(Object.values(CivilStatusKind).sort());
    expect(directory.civilStatusRecords.BIRTH).toContainEqual({
      id: 'HT-BIRTH-2019-000123',
      registrationUnitCode: 'W-BEN-THANH',
      storage: 'ELECTRONIC',
      subjectPin: '079219003461',
      partyPins: ['079219003461', '079088004127', '079190012583'],
    });
    expect(directory.businesses.length).toBeGreaterThanOrEqual(6);
    expect(directory.vehicles.length).toBeGreaterThanOrEqual(8);

    // The listing is a pure function of the database.
    expect(await getDemoDirectory(prisma)).toEqual(directory);
  });

  it('reflects what the database holds, not the seed constants', async () => {
    await prisma.staff.update({ where: { id: 'clerk.w-vung-tau' }, data: { active: false } });
    try {
      const directory = await getDemoDirectory(prisma);
      const vungTau = directory.staff.find((g) => g.unitCode === 'W-VUNG-TAU');
      expect(vungTau?.members.map((m) => m.id)).toEqual(['officer.w-vung-tau', 'supervisor.w-vung-tau']);
    } finally {
      await prisma.staff.update({ where: { id: 'clerk.w-vung-tau' }, data: { active: true } });
    }
  });
});

async function counts(prisma: PrismaClient): Promise<Record<string, number>> {
  return {
    units: await prisma.unit.count(),
    staff: await prisma.staff.count(),
    persons: await prisma.person.count(),
    records: await prisma.civilStatusRecord.count(),
    businesses: await prisma.business.count(),
    vehicles: await prisma.vehicle.count(),
  };
}

describe('demo seed started by several processes at once', () => {
  let db: TestDatabase;
  const clients: PrismaClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    for (let i = 0; i < 4; i++) clients.push(createPrismaClient(db.url));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.$disconnect()));
    await db?.drop();
  });

  it('seeds once: the others wait, find the data and leave it', async () => {
    const results = await Promise.all(clients.map((c) => seedDemoData(c)));
    expect(results.map((r) => r.seeded).sort()).toEqual([false, false, false, true]);
    expect(await clients[0]!.unit.count()).toBeGreaterThan(0);
  });
});
