import { createAdapterActivities, type AdapterCall } from '../../activities/adapters';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { seedDemoData } from '../../prisma/seed';
import { PIN } from '../../prisma/seed-data';
import { createActivities as createCivilStatusActivities } from '../../procedures/civil-status-extract/activities';
import { PUBLISHED_DOCUMENTS } from '../../procedures/definitions';
import type { ProcedureDocument, Step } from '../../procedures/document';
import { createTestDatabase, type TestDatabase } from '../support/database';

// The adapters of procedures published as data (activities/adapters.ts) against a real PostgreSQL
// with the demo data, called with the published documents' own steps: their input expressions are
// evaluated over the stored filing, and what they answer carries no personal data.

const documentOf = (id: string): ProcedureDocument => PUBLISHED_DOCUMENTS.find((p) => p.document.id === id)!.document;
const marital = documentOf('marital-status-certificate');
const birth = documentOf('birth-registration');
const checkOf = (doc: ProcedureDocument, id: string) => doc.steps[id] as Extract<Step, { kind: 'check' }>;

const BIRTH_FILING = birth.example!.data;

describe('the adapters of procedures published as data', () => {
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

  /** A dossier row as the API writes it on filing; its id. */
  async function dossier(doc: ProcedureDocument, applicantPin: string, data: Record<string, unknown>, unitCode = 'W-BEN-THANH'): Promise<string> {
    sequence += 1;
    const id = `${doc.codePrefix}-261202-T${String(sequence).padStart(5, '0')}`;
    const receivedAt = new Date();
    await prisma.dossier.create({
      data: { id, procedure: doc.id, status: 'received', unitCode, applicantPin, ownerPins: [applicantPin], data: data as object, currentStep: 'receive', receivedAt, dueAt: receivedAt },
    });
    return id;
  }

  /** The call the interpreter makes for a check step of a document. */
  const call = (doc: ProcedureDocument, step: string, dossierId: string, results: AdapterCall['results'] = {}): AdapterCall => {
    const check = checkOf(doc, step);
    return { dossierId, procedure: doc.id, step, adapter: check.adapter, input: check.input, results, persons: doc.filing.persons };
  };

  const failure = (type: string) => expect.objectContaining({ type, nonRetryable: true });

  describe('population.verify-persons', () => {
    it("verifies the birth registration's parents, and names an unknown one by position only", async () => {
      const known = await dossier(birth, PIN.nguyenVanAn, BIRTH_FILING);
      await expect(adapters.runAdapter(call(birth, 'verify-parents', known))).resolves.toEqual({ outcome: 'verified', result: { checked: 2 } });

      const unknownMother = await dossier(birth, PIN.nguyenVanAn, { ...BIRTH_FILING, motherPin: '079199999999' });
      await expect(adapters.runAdapter(call(birth, 'verify-parents', unknownMother))).resolves.toEqual({ outcome: 'unknown-person', result: { checked: 1, person: 1 } });

      // A father the filing leaves out is not checked.
      const motherOnly = await dossier(birth, PIN.tranThiBichNgoc, { ...BIRTH_FILING, fatherPin: undefined });
      await expect(adapters.runAdapter(call(birth, 'verify-parents', motherOnly))).resolves.toEqual({ outcome: 'verified', result: { checked: 1 } });
    });

    it('verifies the filer with what they declared (the marital-status certificate)', async () => {
      const right = await dossier(marital, PIN.phanQuocBao, { purpose: 'OTHER', applicant: { fullName: 'phan quoc bao' } });
      await expect(adapters.runAdapter(call(marital, 'verify-applicant', right))).resolves.toEqual({ outcome: 'verified', result: { checked: 1 } });
      const wrong = await dossier(marital, PIN.phanQuocBao, { purpose: 'OTHER', applicant: { fullName: 'Phan Quốc Bảo Anh' } });
      await expect(adapters.runAdapter(call(marital, 'verify-applicant', wrong))).resolves.toEqual({
        outcome: 'mismatch',
        result: { checked: 1, person: 'applicant', mismatch: 'name' },
      });
      const unknown = await dossier(marital, '079199999998', { purpose: 'OTHER' });
      await expect(adapters.runAdapter(call(marital, 'verify-applicant', unknown))).resolves.toEqual({ outcome: 'unknown-person', result: { checked: 1, person: 'applicant' } });
    });
  });

  describe('civil-status.marital-status', () => {
    const statusOf = async (pin: string) => adapters.runAdapter(call(marital, 'check-marital', await dossier(marital, pin, { purpose: 'MARRIAGE' })));

    it('single, married, widowed, from the MARRIAGE and DEATH records', async () => {
      await expect(statusOf(PIN.phanQuocBao)).resolves.toEqual({ outcome: 'single', result: { marriages: 0 } });
      await expect(statusOf(PIN.nguyenVanAn)).resolves.toEqual({ outcome: 'married', result: { marriages: 1, marriageRecordId: 'HT-MARRIAGE-2016-000842' } });
      // Her husband's death is registered (a paper-archive marriage counts too).
      await expect(statusOf(PIN.voThiLan)).resolves.toEqual({
        outcome: 'widowed',
        result: { marriages: 1, marriageRecordId: 'HT-MARRIAGE-1968-000017', deathRecordId: 'HT-DEATH-2021-003390' },
      });
    });

    it('divorced when the latest marriage notes its dissolution', async () => {
      await prisma.civilStatusRecord.create({
        data: {
          id: 'HT-MARRIAGE-2010-TEST01',
          kind: 'MARRIAGE',
          registrationUnitCode: 'W-THU-DUC',
          registeredOn: new Date('2010-05-01'),
          storage: 'ELECTRONIC',
          partyPins: [PIN.vuDucThang, '079180000001'],
          details: { husbandName: 'Vũ Đức Thắng', wifeName: 'X', registeredOn: '2010-05-01', divorcedOn: '2018-09-12' },
        },
      });
      await expect(statusOf(PIN.vuDucThang)).resolves.toEqual({ outcome: 'divorced', result: { marriages: 1, marriageRecordId: 'HT-MARRIAGE-2010-TEST01' } });
    });
  });

  describe('civil-status.find-record', () => {
    it("finds a record as the civil-status extract's look-up does, without personal data", async () => {
      const id = await dossier(marital, PIN.nguyenVanAn, { purpose: 'OTHER' });
      const find = (input: Record<string, unknown>) => adapters.runAdapter({ ...call(marital, 'check-marital', id), adapter: 'civil-status.find-record', input });
      await expect(find({ kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' })).resolves.toEqual({
        outcome: 'found',
        result: { recordId: 'HT-BIRTH-2019-000123', registrationUnitCode: 'W-BEN-THANH', storage: 'ELECTRONIC', entitled: true },
      });
      // By the person: two children's births name him.
      await expect(find({ kind: 'BIRTH' })).resolves.toEqual({ outcome: 'ambiguous', result: {} });
      await expect(find({ kind: 'DEATH', subjectPin: '079199999999', registrationUnitCode: 'W-SAI-GON' })).resolves.toEqual({
        outcome: 'not-found',
        result: { holdingUnitCode: 'W-SAI-GON' },
      });
      await expect(find({ kind: 'WEDDING' })).rejects.toEqual(failure('AdapterInput'));
    });
  });

  describe('civil-status.register-birth', () => {
    it('writes the BIRTH record once per dossier, which the civil-status extract then finds for a parent', async () => {
      const id = await dossier(birth, PIN.nguyenVanAn, BIRTH_FILING);
      const answer = { outcome: 'registered', result: { recordId: `HT-BIRTH-${id}`, registrationUnitCode: 'W-BEN-THANH' } };
      await expect(adapters.runAdapter(call(birth, 'register', id))).resolves.toEqual(answer);
      // A retry writes nothing twice.
      await expect(adapters.runAdapter(call(birth, 'register', id))).resolves.toEqual(answer);
      expect(await prisma.civilStatusRecord.count({ where: { id: `HT-BIRTH-${id}` } })).toBe(1);

      const record = await prisma.civilStatusRecord.findUniqueOrThrow({ where: { id: `HT-BIRTH-${id}` } });
      expect(record).toMatchObject({ kind: 'BIRTH', storage: 'ELECTRONIC', registrationUnitCode: 'W-BEN-THANH', subjectPin: null, partyPins: [PIN.nguyenVanAn, PIN.tranThiBichNgoc] });
      expect(record.details).toEqual({
        childName: 'Nguyễn Minh Thư',
        sex: 'FEMALE',
        dateOfBirth: '2026-11-20',
        placeOfBirth: 'Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh',
        fatherName: 'Nguyễn Văn An',
        motherName: 'Trần Thị Bích Ngọc',
      });

      const lookup = await createCivilStatusActivities({ prisma }).findCivilStatusRecord({ kind: 'BIRTH', recordRef: `HT-BIRTH-${id}`, applicantPin: PIN.tranThiBichNgoc });
      expect(lookup).toEqual({ outcome: 'found', recordId: `HT-BIRTH-${id}`, storage: 'ELECTRONIC', registrationUnitCode: 'W-BEN-THANH', entitled: true });
    });

    it('refuses an input it cannot register', async () => {
      const id = await dossier(birth, PIN.nguyenVanAn, { ...BIRTH_FILING, child: { fullName: 'A B' } });
      await expect(adapters.runAdapter(call(birth, 'register', id))).rejects.toEqual(failure('AdapterInput'));
    });
  });

  it('issues the document of an issue step once per dossier, its fields evaluated over the filing and the results', async () => {
    const id = await dossier(birth, PIN.nguyenVanAn, BIRTH_FILING);
    const issue = birth.steps['issue-certificate'] as Extract<Step, { kind: 'issue' }>;
    const request = {
      dossierId: id,
      procedure: birth.id,
      template: issue.template,
      title: issue.title,
      fields: issue.fields,
      results: { register: { outcome: 'registered', recordId: `HT-BIRTH-${id}`, registrationUnitCode: 'W-BEN-THANH' } },
    };
    const first = await adapters.issueDefinedDocument(request);
    expect(await adapters.issueDefinedDocument(request)).toEqual(first);
    const stored = await prisma.issuedDocument.findUniqueOrThrow({ where: { code: first.code } });
    expect(stored).toMatchObject({ dossierId: id, kind: 'birth-registration/birth-certificate' });
    expect(stored.content).toEqual({
      title: 'Giấy khai sinh',
      titleEn: 'Birth certificate',
      template: 'birth-certificate',
      issuedBy: 'W-BEN-THANH',
      fields: {
        recordId: `HT-BIRTH-${id}`,
        registeredAt: 'W-BEN-THANH',
        childName: 'Nguyễn Minh Thư',
        sex: 'FEMALE',
        dateOfBirth: '2026-11-20',
        placeOfBirth: 'Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh',
        motherPin: PIN.tranThiBichNgoc,
        fatherPin: PIN.nguyenVanAn,
      },
    });
  });

  it('finds the unit above a unit; an unknown adapter or unit fails for good', async () => {
    const ward = await prisma.unit.findUniqueOrThrow({ where: { code: 'W-BEN-THANH' }, select: { parentCode: true } });
    await expect(adapters.unitAbove({ unitCode: 'W-BEN-THANH' })).resolves.toEqual({ unitCode: ward.parentCode });
    await expect(adapters.unitAbove({ unitCode: 'W-NOWHERE' })).rejects.toEqual(failure('UnknownUnit'));
    const id = await dossier(birth, PIN.nguyenVanAn, BIRTH_FILING);
    await expect(adapters.runAdapter({ ...call(birth, 'register', id), adapter: 'civil-status.guess' })).rejects.toEqual(failure('UnknownAdapter'));
  });
});
