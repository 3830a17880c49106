import { createDossierActivities } from '../../activities/dossiers';
import { receivedDossierRow } from '../../common/dossier-rows';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { seedDemoData } from '../../prisma/seed';
import { createTestDatabase, type TestDatabase } from '../support/database';

// The dossier's history is an audit trail: who did what, when, at which unit, and nobody (the
// application included) can rewrite or remove a line of it.

describe('append-only dossier history (real PostgreSQL)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const dossierId = 'CSE-261124-AUDIT1';

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    await seedDemoData(prisma);
    const at = new Date('2026-11-24T02:00:00Z');
    await prisma.dossier.createMany({
      data: receivedDossierRow({ dossierId, procedure: 'civil-status-extract', unitCode: 'W-BEN-THANH', applicantPin: '079088004127', ownerPins: ['079088004127'], request: { kind: 'BIRTH' }, receivedAt: at, dueAt: at }),
    });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('records who, what, when and where; a retried write adds nothing', async () => {
    const { updateDossier } = createDossierActivities({ prisma });
    const event = { seq: 1, at: '2026-11-24T02:05:00.000Z', step: 'verify-and-sign', actor: 'clerk:clerk.w-ben-thanh', outcome: 'approve', unitCode: 'W-BEN-THANH' };
    await updateDossier({ dossierId, status: 'issuing', event });
    await updateDossier({ dossierId, status: 'issuing', event }); // the activity retried after a crash
    const rows = await prisma.dossierEvent.findMany({ where: { dossierId } });
    expect(rows).toEqual([
      expect.objectContaining({ id: `${dossierId}/0001`, actor: 'clerk:clerk.w-ben-thanh', outcome: 'approve', unitCode: 'W-BEN-THANH', at: new Date(event.at) }),
    ]);
  });

  it("refuses the application's own updates, deletes and truncation of the history", async () => {
    const id = `${dossierId}/0001`;
    await expect(prisma.dossierEvent.update({ where: { id }, data: { outcome: 'refuse' } })).rejects.toThrow(/append-only/);
    await expect(prisma.dossierEvent.delete({ where: { id } })).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe('TRUNCATE "DossierEvent"')).rejects.toThrow(/append-only|cannot truncate/i);
    expect(await prisma.dossierEvent.findUnique({ where: { id } })).toMatchObject({ outcome: 'approve' });
  });
});
