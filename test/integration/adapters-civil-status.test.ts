import { createAdapterActivities, type AdapterCall } from '../../activities/adapters';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { seedDemoData } from '../../prisma/seed';
import { PIN } from '../../prisma/seed-data';
import { createActivities as createCivilStatusActivities } from '../../procedures/civil-status-extract/activities';
import { PUBLISHED_DOCUMENTS } from '../../procedures/definitions';
import type { Step } from '../../procedures/document';
import { createTestDatabase, type TestDatabase } from '../support/database';

// The civil-status extract's adapters (activities/adapters-civil-status.ts) and document template
// (activities/templates/civil-status-extract.ts) against a real PostgreSQL with the demo data,
// called with the published document's own steps: what they answer carries no personal data.

const extract = PUBLISHED_DOCUMENTS.find((p) => p.document.id === 'civil-status-extract')!.document;
const checkOf = (id: string) => extract.steps[id] as Extract<Step, { kind: 'check' }>;
const issueStep = extract.steps.issue as Extract<Step, { kind: 'issue' }>;

/** No 12-digit identification number, nor any name, in what goes into the workflow's history. */
const IDENTIFICATION_NUMBER = /\d{12}/;

describe("the civil-status extract's adapters and template", () => {
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

  async function dossier(applicantPin: string, data: Record<string, unknown>, unitCode = 'W-BEN-THANH'): Promise<string> {
    sequence += 1;
    const id = `CSE-261202-C${String(sequence).padStart(5, '0')}`;
    const receivedAt = new Date();
    await prisma.dossier.create({
      data: { id, procedure: extract.id, status: 'received', unitCode, applicantPin, ownerPins: [applicantPin], data: data as object, currentStep: 'receive', receivedAt, dueAt: receivedAt },
    });
    return id;
  }

  const call = (step: string, dossierId: string, results: AdapterCall['results'] = {}): AdapterCall => {
    const check = checkOf(step);
    return { dossierId, procedure: extract.id, step, adapter: check.adapter, input: check.input, results, persons: extract.filing.persons };
  };

  /** The archive clerk's completed task, as the machinery writes it. */
  async function archiveTask(dossierId: string, record: Record<string, unknown>, n = 1): Promise<void> {
    const at = new Date();
    await prisma.task.create({
      data: {
        id: `${dossierId}-T${n}`,
        dossierId,
        procedure: extract.id,
        step: 'archive-search',
        unitCode: 'W-SAI-GON',
        status: 'done',
        outcomes: ['found', 'not-found'],
        createdAt: at,
        dueAt: at,
        completedAt: at,
        completedBy: 'clerk.w-sai-gon',
        outcome: 'found',
        data: { record } as object,
      },
    });
  }

  describe('civil-status.locate-record', () => {
    it('finds an electronic record and says whether it names the applicant, nothing personal', async () => {
      const mine = await dossier(PIN.nguyenVanAn, { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' });
      const found = await adapters.runAdapter(call('registry-lookup', mine));
      expect(found).toEqual({ outcome: 'found', result: { entitled: true, recordId: 'HT-BIRTH-2019-000123', registrationUnitCode: 'W-BEN-THANH' } });
      const stranger = await dossier(PIN.vuDucThang, { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' });
      await expect(adapters.runAdapter(call('registry-lookup', stranger))).resolves.toMatchObject({ outcome: 'found', result: { entitled: false } });
      expect(JSON.stringify(found)).not.toMatch(IDENTIFICATION_NUMBER);
    });

    it('tells a record only in the paper books, with the unit holding the book', async () => {
      const lan = await dossier(PIN.voThiLan, { kind: 'BIRTH', recordRef: 'HT-BIRTH-1948-000031' }, 'W-TAN-DINH');
      await expect(adapters.runAdapter(call('registry-lookup', lan))).resolves.toEqual({
        outcome: 'paper-archive-only',
        result: { entitled: true, recordId: 'HT-BIRTH-1948-000031', holdingUnitCode: 'W-SAI-GON' },
      });
    });

    it('says whether a record it cannot find can be searched for in the archive, and where', async () => {
      const named = await dossier(PIN.huynhVanTam, { kind: 'BIRTH', subjectPin: PIN.huynhVanTam, registrationUnitCode: 'W-THU-DUC', bookNumber: 'KS-1950/02' }, 'W-BINH-THANH');
      await expect(adapters.runAdapter(call('registry-lookup', named))).resolves.toEqual({ outcome: 'not-found', result: { archiveSearchable: true, holdingUnitCode: 'W-THU-DUC' } });
      const vague = await dossier(PIN.huynhVanTam, { kind: 'BIRTH' }, 'W-BINH-THANH');
      await expect(adapters.runAdapter(call('registry-lookup', vague))).resolves.toEqual({ outcome: 'not-found', result: { archiveSearchable: false, holdingUnitCode: 'W-BINH-THANH' } });
    });
  });

  describe('civil-status.digitise-record', () => {
    const entry = (pin: string) => ({ registeredOn: '1950-06-30', bookNumber: 'KS-1950/02', pageNumber: 12, subjectPin: pin, partyPins: [pin], details: { childName: 'Huỳnh Văn Tám' } });

    it("registers what the archive clerk read from the task's row once per dossier, and says whether it names the applicant", async () => {
      const id = await dossier(PIN.huynhVanTam, { kind: 'BIRTH', subjectPin: PIN.huynhVanTam, registrationUnitCode: 'W-THU-DUC', bookNumber: 'KS-1950/02' }, 'W-BINH-THANH');
      await archiveTask(id, entry(PIN.huynhVanTam));
      const results = { 'registry-lookup': { outcome: 'not-found', archiveSearchable: true, holdingUnitCode: 'W-THU-DUC' } };
      const first = await adapters.runAdapter(call('digitise', id, results));
      expect(first).toEqual({ outcome: 'digitised', result: { recordId: `HT-BIRTH-D-${id}`, entitled: true } });
      // A retry writes nothing twice.
      await expect(adapters.runAdapter(call('digitise', id, results))).resolves.toEqual(first);
      expect(await prisma.civilStatusRecord.count({ where: { id: `HT-BIRTH-D-${id}` } })).toBe(1);
      expect(await prisma.civilStatusRecord.findUnique({ where: { id: `HT-BIRTH-D-${id}` }, select: { registrationUnitCode: true, storage: true, bookNumber: true } })).toEqual({
        registrationUnitCode: 'W-THU-DUC',
        storage: 'ELECTRONIC',
        bookNumber: 'KS-1950/02',
      });
      expect(JSON.stringify(first)).not.toMatch(IDENTIFICATION_NUMBER);
    });

    it('fills in a paper record the look-up found and switches it to electronic; a record naming others is not the applicant’s', async () => {
      const lan = await dossier(PIN.voThiLan, { kind: 'BIRTH', recordRef: 'HT-BIRTH-1948-000031' }, 'W-TAN-DINH');
      await archiveTask(lan, { registeredOn: '1948-02-20', bookNumber: 'KS-1948/01', pageNumber: 31, subjectPin: PIN.voThiLan, partyPins: [PIN.voThiLan], details: { childName: 'Võ Thị Lan' } });
      const results = { 'registry-lookup': { outcome: 'paper-archive-only', entitled: true, recordId: 'HT-BIRTH-1948-000031', holdingUnitCode: 'W-SAI-GON' } };
      await expect(adapters.runAdapter(call('digitise', lan, results))).resolves.toEqual({ outcome: 'digitised', result: { recordId: 'HT-BIRTH-1948-000031', entitled: true } });
      expect(await prisma.civilStatusRecord.findUnique({ where: { id: 'HT-BIRTH-1948-000031' }, select: { storage: true, pageNumber: true } })).toEqual({ storage: 'ELECTRONIC', pageNumber: 31 });

      const other = await dossier(PIN.huynhVanTam, { kind: 'BIRTH', registrationUnitCode: 'W-SAI-GON', bookNumber: 'KS-1960/01' }, 'W-SAI-GON');
      await archiveTask(other, entry(PIN.voThiLan));
      const answer = await adapters.runAdapter(call('digitise', other, { 'registry-lookup': { outcome: 'not-found', archiveSearchable: true, holdingUnitCode: 'W-SAI-GON' } }));
      expect(answer).toMatchObject({ outcome: 'digitised', result: { entitled: false } });
    });

    it('fails without retrying when no archive search of the dossier was completed', async () => {
      const id = await dossier(PIN.huynhVanTam, { kind: 'BIRTH', registrationUnitCode: 'W-THU-DUC', bookNumber: 'KS-1950/03' }, 'W-BINH-THANH');
      await expect(adapters.runAdapter(call('digitise', id, { 'registry-lookup': { outcome: 'not-found', holdingUnitCode: 'W-THU-DUC' } }))).rejects.toEqual(
        expect.objectContaining({ type: 'ArchiveEntryMissing', nonRetryable: true }),
      );
    });
  });

  describe('the civil-status-extract template', () => {
    it('issues the extract the code issued: the same kind and content', async () => {
      const byDocument = await dossier(PIN.nguyenVanAn, { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' });
      const issued = await adapters.issueDefinedDocument({
        dossierId: byDocument,
        procedure: extract.id,
        template: issueStep.template,
        title: issueStep.title,
        fields: issueStep.fields,
        results: { 'registry-lookup': { outcome: 'found', entitled: true, recordId: 'HT-BIRTH-2019-000123', registrationUnitCode: 'W-BEN-THANH' } },
      });
      const byCode = await dossier(PIN.nguyenVanAn, { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' });
      const coded = await createCivilStatusActivities({ prisma }).issueCivilStatusExtract({ dossierId: byCode, recordId: 'HT-BIRTH-2019-000123' });
      const [a, b] = await Promise.all([issued.code, coded.code].map((code) => prisma.issuedDocument.findUniqueOrThrow({ where: { code }, select: { kind: true, content: true } })));
      expect(a).toEqual(b);
      expect(a).toMatchObject({ kind: 'civil-status-extract/BIRTH', content: { recordId: 'HT-BIRTH-2019-000123', kind: 'BIRTH' } });
    });

    it('takes the digitised record over the look-up’s', async () => {
      const id = await dossier(PIN.voThiLan, { kind: 'BIRTH', recordRef: 'HT-BIRTH-1948-000031' }, 'W-TAN-DINH');
      const issued = await adapters.issueDefinedDocument({
        dossierId: id,
        procedure: extract.id,
        template: issueStep.template,
        title: issueStep.title,
        fields: issueStep.fields,
        results: { 'registry-lookup': { outcome: 'not-found' }, digitise: { outcome: 'digitised', recordId: 'HT-BIRTH-1948-000031', entitled: true } },
      });
      const row = await prisma.issuedDocument.findUniqueOrThrow({ where: { code: issued.code }, select: { content: true } });
      expect(row.content).toMatchObject({ recordId: 'HT-BIRTH-1948-000031' });
    });
  });
});
