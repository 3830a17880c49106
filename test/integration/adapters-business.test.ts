import { randomInt } from 'node:crypto';
import { createAdapterActivities, type AdapterCall } from '../../activities/adapters';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { seedDemoData } from '../../prisma/seed';
import { PIN } from '../../prisma/seed-data';
import { PUBLISHED_DOCUMENTS } from '../../procedures/definitions';
import type { Step } from '../../procedures/document';
import { createTestDatabase, type TestDatabase } from '../support/database';

// The business registry's adapters (activities/adapters-business.ts), the founders' check with
// `identify`, and the certificate template, against a real PostgreSQL with the demo data, called
// with the steps of the published business registration (procedures/definitions/business-registration.json).
// What they answer goes into Temporal's history: codes, counts, positions, last 4 digits; no person's name.

const doc = PUBLISHED_DOCUMENTS.find((p) => p.document.id === 'business-registration')!.document;
const checkOf = (id: string) => doc.steps[id] as Extract<Step, { kind: 'check' }>;
const issue = doc.steps.issue as Extract<Step, { kind: 'issue' }>;

const UNKNOWN_PIN = '079099999999';
const LETTERS = 'ABCDEGHIKLMNOPQRSTUVXY';
const freshName = () => `Công ty TNHH Cà phê ${Array.from({ length: 8 }, () => LETTERS[randomInt(LETTERS.length)]).join('')}`;

function filing(overrides: Record<string, unknown> = {}) {
  return { ...doc.example!.data, proposedName: freshName(), ...overrides };
}

describe('the business registry adapters', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let adapters: ReturnType<typeof createAdapterActivities>;
  let sequence = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    await seedDemoData(prisma);
    adapters = createAdapterActivities({ prisma });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  async function dossier(data: Record<string, unknown>): Promise<string> {
    sequence += 1;
    const id = `BRG-261202-T${String(sequence).padStart(5, '0')}`;
    const receivedAt = new Date();
    await prisma.dossier.create({
      data: {
        id,
        procedure: doc.id,
        status: 'received',
        unitCode: 'HCMC-DOF',
        applicantPin: PIN.doThiThanhHuong,
        ownerPins: [PIN.doThiThanhHuong],
        data: data as object,
        currentStep: 'receive',
        receivedAt,
        dueAt: receivedAt,
      },
    });
    return id;
  }

  const call = (step: string, dossierId: string, results: AdapterCall['results'] = {}): AdapterCall => {
    const check = checkOf(step);
    return { dossierId, procedure: doc.id, step, adapter: check.adapter, input: check.input, results, persons: doc.filing.persons };
  };

  describe('population.verify-persons with identify', () => {
    it('names the unknown person by role, position within it and the last 4 digits of the number only', async () => {
      const founders = [{ pin: PIN.doThiThanhHuong, capitalShare: 300_000_000 }, { pin: UNKNOWN_PIN, capitalShare: 200_000_000 }];
      await expect(adapters.runAdapter(call('verify-founders', await dossier(filing({ founders }))))).resolves.toEqual({
        outcome: 'unknown-person',
        result: { checked: 2, person: 1, position: 2, pinEnding: '9999' },
      });
      const representative = await dossier(filing({ legalRepresentativePin: '079199990001' }));
      await expect(adapters.runAdapter(call('verify-founders', representative))).resolves.toEqual({
        outcome: 'unknown-person',
        result: { checked: 3, person: 2, position: 1, pinEnding: '0001' },
      });
      await expect(adapters.runAdapter(call('verify-founders', await dossier(filing())))).resolves.toEqual({ outcome: 'verified', result: { checked: 3 } });
    });
  });

  describe('business-registry.check-name', () => {
    it('finds a registered business whose name conflicts (public: its name and enterprise code)', async () => {
      const id = await dossier(filing({ proposedName: 'CONG TY CO PHAN thuong mai - dich vu An Phat' }));
      await expect(adapters.runAdapter(call('name-check', id))).resolves.toEqual({
        outcome: 'conflict',
        result: { count: 1, conflicts: [{ enterpriseCode: '0312458796', name: 'Công ty TNHH Thương mại Dịch vụ An Phát' }] },
      });
    });

    it('finds none for a free name', async () => {
      await expect(adapters.runAdapter(call('name-check', await dossier(filing())))).resolves.toEqual({ outcome: 'no-conflict', result: { count: 0, conflicts: [] } });
    });

    it('fails for good on a document that gives it no name', async () => {
      const id = await dossier(filing());
      await expect(adapters.runAdapter({ ...call('name-check', id), input: {} })).rejects.toEqual(expect.objectContaining({ type: 'AdapterInput', nonRetryable: true }));
    });
  });

  describe('business-registry.register', () => {
    it('registers once per dossier at the unit the document computes, and refuses a name taken meanwhile', async () => {
      const data = filing();
      const id = await dossier(data);
      const first = await adapters.runAdapter(call('register', id));
      expect(first).toEqual({ outcome: 'registered', result: { enterpriseCode: expect.stringMatching(/^03\d{8}$/), registeredOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } });
      expect(await adapters.runAdapter(call('register', id))).toEqual(first);
      const business = await prisma.business.findUniqueOrThrow({ where: { dossierId: id } });
      expect(business).toMatchObject({ registrationUnitCode: 'HCMC-DOF', name: data.proposedName });

      // Another dossier for the same name (its name check found none before the first registered).
      const second = await dossier({ ...data, proposedName: data.proposedName.toUpperCase() });
      await expect(adapters.runAdapter(call('register', second))).resolves.toEqual({ outcome: 'name-taken', result: {} });
    });

    it('registers a household business at the ward of its head office', async () => {
      const id = await dossier(filing({ kind: 'HOUSEHOLD_BUSINESS', proposedName: `Hộ kinh doanh ${freshName().slice(20)}`, headOffice: { unitCode: 'W-THU-DUC', street: '9 Võ Văn Ngân' } }));
      await expect(adapters.runAdapter(call('register', id))).resolves.toMatchObject({ outcome: 'registered' });
      expect(await prisma.business.findUniqueOrThrow({ where: { dossierId: id } })).toMatchObject({ registrationUnitCode: 'W-THU-DUC', kind: 'HOUSEHOLD_BUSINESS' });
    });

    it('gives 20 dossiers registered at once 20 distinct codes', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, () => dossier(filing())));
      const outcomes = await Promise.all(ids.map((id) => adapters.runAdapter(call('register', id))));
      const codes = outcomes.map((o) => o.result.enterpriseCode);
      expect(outcomes.every((o) => o.outcome === 'registered')).toBe(true);
      expect(new Set(codes).size).toBe(20);
    });
  });

  describe('the business-registration-certificate template', () => {
    it("issues the certificate as the code did: the registry's entry, names, birth dates and addresses from the population data", async () => {
      const data = filing();
      const id = await dossier(data);
      const registered = await adapters.runAdapter(call('register', id));
      const request = { dossierId: id, procedure: doc.id, template: issue.template, title: issue.title, fields: issue.fields, results: { register: { ...registered.result, outcome: 'registered' } } };
      const first = await adapters.issueDefinedDocument(request);
      expect(await adapters.issueDefinedDocument(request)).toEqual(first);
      const stored = await prisma.issuedDocument.findUniqueOrThrow({ where: { code: first.code } });
      const huong = { fullName: 'Đỗ Thị Thanh Hương', dateOfBirth: '1979-05-27', address: '7 Trần Quang Khải, Phường Tân Định, Thành phố Hồ Chí Minh' };
      expect(stored).toMatchObject({ dossierId: id, kind: 'business-registration/LIMITED_LIABILITY_COMPANY' });
      expect(stored.content).toMatchObject({
        title: 'Enterprise registration certificate',
        enterpriseCode: registered.result.enterpriseCode,
        name: data.proposedName,
        headOffice: '12 Nguyễn Huệ, Phường Bến Thành, Thành phố Hồ Chí Minh',
        charterCapital: 500_000_000,
        founders: [huong, expect.objectContaining({ fullName: 'Nguyễn Văn An' })],
        legalRepresentative: huong,
      });
    });
  });
});
