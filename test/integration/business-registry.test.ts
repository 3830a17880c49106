import { randomInt } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { seedDemoData } from '../../prisma/seed';
import { PIN } from '../../prisma/seed-data';
import {
  createBusinessRegistrationActivities,
  enterpriseCodeCheckDigit,
  isValidEnterpriseCode,
} from '../../procedures/business-registration/activities';
import { createTestDatabase, type TestDatabase } from '../support/database';

// The business-registration activities against a real PostgreSQL with the demo data: founders in the
// population data, the name check, enterprise codes (once per dossier, distinct under concurrency)
// and the certificate. Dossier rows are written directly, as the API would.

const UNKNOWN_PIN = '079099999999';
const UNKNOWN_REPRESENTATIVE_PIN = '079199990001';

// Names that differ by letters (not by a number or a kind word), so they never conflict with one another.
const LETTERS = 'ABCDEGHIKLMNOPQRSTUVXY';
const freshName = () => `Công ty TNHH Cà phê ${Array.from({ length: 8 }, () => LETTERS[randomInt(LETTERS.length)]).join('')}`;

function filing(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'LIMITED_LIABILITY_COMPANY',
    proposedName: freshName(),
    headOffice: { unitCode: 'W-BEN-THANH', street: '12 Nguyễn Huệ' },
    businessLines: ['5610', '4722'],
    charterCapital: 500_000_000,
    founders: [
      { pin: PIN.doThiThanhHuong, capitalShare: 300_000_000 },
      { pin: PIN.nguyenVanAn, capitalShare: 200_000_000 },
    ],
    legalRepresentativePin: PIN.doThiThanhHuong,
    ...overrides,
  };
}

describe('business registry activities', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let registry: ReturnType<typeof createBusinessRegistrationActivities>;
  let sequence = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    await seedDemoData(prisma);
    registry = createBusinessRegistrationActivities({ prisma });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  /** A dossier row as the API writes it on filing; its id. */
  async function dossier(data: unknown = filing()): Promise<string> {
    sequence += 1;
    const id = `BRG-261124-T${String(sequence).padStart(5, '0')}`;
    const receivedAt = new Date();
    await prisma.dossier.create({
      data: {
        id,
        procedure: 'business-registration',
        status: 'in-review',
        unitCode: 'HCMC-DOF',
        applicantPin: PIN.doThiThanhHuong,
        ownerPins: [PIN.doThiThanhHuong, PIN.nguyenVanAn],
        data: data as object,
        currentStep: 'review',
        receivedAt,
        dueAt: new Date(receivedAt.getTime() + 3 * 86_400_000),
      },
    });
    return id;
  }

  const failure = (type: string) => expect.objectContaining({ type, nonRetryable: true });

  describe('verifyFounders', () => {
    it('finds every founder and the representative in the population data', async () => {
      await expect(registry.verifyFounders({ dossierId: await dossier() })).resolves.toEqual({ unknown: [] });
    });

    it('names an unknown founder by position and the last digits of the ID only', async () => {
      const dossierId = await dossier(
        filing({
          founders: [{ pin: PIN.doThiThanhHuong }, { pin: PIN.nguyenVanAn }, { pin: UNKNOWN_PIN }],
          legalRepresentativePin: UNKNOWN_REPRESENTATIVE_PIN,
        }),
      );
      const result = await registry.verifyFounders({ dossierId });
      expect(result).toEqual({
        unknown: [
          { role: 'founder', position: 3, pinEnding: '9999' },
          { role: 'legal-representative', position: 0, pinEnding: '0001' },
        ],
      });
      // What goes into Temporal's history carries no full ID.
      expect(JSON.stringify(result)).not.toContain(UNKNOWN_PIN);
    });

    it('fails for good on a missing dossier or a malformed filing', async () => {
      await expect(registry.verifyFounders({ dossierId: 'BRG-000000-NOSUCH' })).rejects.toEqual(failure('DossierMissing'));
      const malformed = await dossier(filing({ founders: [{ pin: 'not a pin' }] }));
      await expect(registry.verifyFounders({ dossierId: malformed })).rejects.toEqual(failure('MalformedFiling'));
      await expect(registry.verifyFounders({ dossierId: await dossier(['not', 'a', 'filing']) })).rejects.toBeInstanceOf(ApplicationFailure);
    });
  });

  describe('checkBusinessName', () => {
    const phoHoa = { enterpriseCode: '4180042207', name: 'Hộ kinh doanh Phở Hòa' };

    it.each([
      ['identical', 'Hộ kinh doanh Phở Hòa'],
      ['diacritics', 'Ho kinh doanh Pho Hoa'],
      ['case', 'HỘ KINH DOANH PHỞ HÒA'],
      ['spacing', 'Hộ kinh doanh   Phở  Hòa'],
      ['punctuation', 'Hộ kinh doanh Phở-Hòa.'],
      ['the kind word', 'Công ty TNHH Phở Hòa'],
      ['a number', 'Hộ kinh doanh Phở Hòa 2'],
    ])('finds the registered name differing by %s', async (_variation, proposedName) => {
      const dossierId = await dossier(filing({ proposedName }));
      await expect(registry.checkBusinessName({ dossierId })).resolves.toEqual({ conflicts: [phoHoa] });
    });

    it('finds nothing for a free name', async () => {
      const dossierId = await dossier(filing({ proposedName: 'Công ty TNHH Cà phê Hạt Sương' }));
      await expect(registry.checkBusinessName({ dossierId })).resolves.toEqual({ conflicts: [] });
    });

    it('counts suspended and dissolved businesses: the registry keeps their names', async () => {
      const suspended = await dossier(filing({ proposedName: 'Công ty cổ phần Cà phê Kim Chi' }));
      await expect(registry.checkBusinessName({ dossierId: suspended })).resolves.toEqual({
        conflicts: [{ enterpriseCode: '4180031148', name: 'Hộ kinh doanh Cà phê Kim Chi' }],
      });
      const dissolved = await dossier(filing({ proposedName: 'Công ty cổ phần Đầu tư Hoàng Phúc' }));
      await expect(registry.checkBusinessName({ dossierId: dissolved })).resolves.toEqual({
        conflicts: [expect.objectContaining({ name: 'Công ty TNHH Đầu tư Hoàng Phúc' })],
      });
    });
  });

  describe('registerBusiness', () => {
    it('writes the business once per dossier: a retry gets the same code', async () => {
      const data = filing();
      const dossierId = await dossier(data);
      const first = await registry.registerBusiness({ dossierId, registrationUnitCode: 'HCMC-DOF' });
      const again = await registry.registerBusiness({ dossierId, registrationUnitCode: 'HCMC-DOF' });
      const racing = await Promise.all([1, 2].map(() => registry.registerBusiness({ dossierId, registrationUnitCode: 'HCMC-DOF' })));

      expect(first.enterpriseCode).toMatch(/^03\d{8}$/);
      expect(isValidEnterpriseCode(first.enterpriseCode)).toBe(true);
      expect(first.registeredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect([again, ...racing]).toEqual([first, first, first]);
      const rows = await prisma.business.findMany({ where: { dossierId } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        enterpriseCode: first.enterpriseCode,
        name: data.proposedName,
        kind: 'LIMITED_LIABILITY_COMPANY',
        address: '12 Nguyễn Huệ, Phường Bến Thành, Thành phố Hồ Chí Minh',
        legalRepresentativePin: PIN.doThiThanhHuong,
        registrationUnitCode: 'HCMC-DOF',
        status: 'ACTIVE',
        headOfficeUnitCode: 'W-BEN-THANH',
        charterCapital: 500_000_000n,
        businessLines: ['5610', '4722'],
        founderPins: [PIN.doThiThanhHuong, PIN.nguyenVanAn],
      });
    });

    it('gives 20 dossiers approved at once 20 distinct valid codes', async () => {
      const dossierIds = await Promise.all(Array.from({ length: 20 }, () => dossier()));
      const results = await Promise.all(dossierIds.map((dossierId) => registry.registerBusiness({ dossierId, registrationUnitCode: 'HCMC-DOF' })));
      const codes = results.map((r) => r.enterpriseCode);
      expect(new Set(codes).size).toBe(20);
      for (const code of codes) {
        expect(code).toMatch(/^03\d{8}$/);
        expect({ code, valid: isValidEnterpriseCode(code) }).toEqual({ code, valid: true });
      }
    });

    it('refuses for good a name another business took meanwhile', async () => {
      const first = await dossier(filing({ proposedName: 'Công ty TNHH Bếp Nhà Mây' }));
      const second = await dossier(filing({ proposedName: 'Hộ kinh doanh Bếp nhà mây 2', kind: 'HOUSEHOLD_BUSINESS' }));
      await registry.registerBusiness({ dossierId: first, registrationUnitCode: 'HCMC-DOF' });
      await expect(registry.registerBusiness({ dossierId: second, registrationUnitCode: 'W-BEN-THANH' })).rejects.toEqual(failure('BusinessNameTaken'));
      expect(await prisma.business.count({ where: { dossierId: second } })).toBe(0);
    });
  });

  describe('issueBusinessCertificate', () => {
    it('issues one certificate per dossier, with the names, birth dates and addresses of the population data', async () => {
      // What the filer typed does not reach the certificate: only IDs are filed.
      const data = filing({ businessLines: ['4711', '5610'] });
      const dossierId = await dossier(data);
      await expect(registry.issueBusinessCertificate({ dossierId })).rejects.toEqual(failure('BusinessMissing'));
      const { enterpriseCode } = await registry.registerBusiness({ dossierId, registrationUnitCode: 'HCMC-DOF' });

      const first = await registry.issueBusinessCertificate({ dossierId });
      const again = await registry.issueBusinessCertificate({ dossierId });

      expect(again).toEqual(first);
      expect(first.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      const documents = await prisma.issuedDocument.findMany({ where: { dossierId } });
      expect(documents).toHaveLength(1);
      expect(documents[0]).toMatchObject({ code: first.code, kind: 'business-registration/LIMITED_LIABILITY_COMPANY' });
      const huong = { fullName: 'Đỗ Thị Thanh Hương', dateOfBirth: '1979-05-27', address: '7 Trần Quang Khải, Phường Tân Định, Thành phố Hồ Chí Minh' };
      const an = { fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14', address: '45 Lê Thánh Tôn, Phường Bến Thành, Thành phố Hồ Chí Minh' };
      expect(documents[0]!.content).toEqual({
        title: 'Enterprise registration certificate',
        enterpriseCode,
        name: data.proposedName,
        kind: 'LIMITED_LIABILITY_COMPANY',
        headOffice: '12 Nguyễn Huệ, Phường Bến Thành, Thành phố Hồ Chí Minh',
        charterCapital: 500_000_000,
        businessLines: [
          { code: '4711', name: expect.stringContaining('Bán lẻ lương thực, thực phẩm') },
          { code: '5610', name: 'Nhà hàng và các dịch vụ ăn uống phục vụ lưu động' },
        ],
        founders: [huong, an],
        legalRepresentative: huong,
        registeredAt: 'Sở Tài chính — Phòng Đăng ký kinh doanh',
        registeredOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
    });
  });
});

describe('enterprise code check digit', () => {
  it('is the tax code check digit (weights 31, 29, 23, 19, 17, 13, 7, 5, 3; 10 − sum mod 11)', () => {
    // A real, published tax code.
    expect(isValidEnterpriseCode('0100233488')).toBe(true);
    expect(isValidEnterpriseCode('0100233480')).toBe(false);
    expect(enterpriseCodeCheckDigit('010023348')).toBe(8);
  });

  it('has none when the weighted sum is a multiple of 11: such serials are never codes', () => {
    const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
    const sum = (nine: string) => weights.reduce((total, w, i) => total + w * Number(nine[i]), 0);
    const serials = Array.from({ length: 100 }, (_, i) => `0318${String(i).padStart(5, '0')}`);
    const withoutDigit = serials.filter((nine) => sum(nine) % 11 === 0);
    expect(withoutDigit.length).toBeGreaterThan(0);
    for (const nine of serials) expect(enterpriseCodeCheckDigit(nine)).toBe(sum(nine) % 11 === 0 ? null : 10 - (sum(nine) % 11));
  });
});
