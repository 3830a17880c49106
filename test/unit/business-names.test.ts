import { BUSINESSES } from '../../prisma/seed-data';
import { assertDistinctBusinessNames } from '../../prisma/seed';
import { BUSINESS_KIND_WORDS, businessNamesConflict, normalizeBusinessName } from '../../procedures/business-registration/names';

// procedures/business-registration/README.md: names conflict when identical or differing only by diacritics, case, spacing,
// punctuation, the kind word or a number.

describe('normalizeBusinessName', () => {
  it('folds accents (đ → D), case and spacing, and drops the kind word', () => {
    expect(normalizeBusinessName('Công ty TNHH Thương mại Dịch vụ An Phát')).toBe('THUONG MAI DICH VU AN PHAT');
    expect(normalizeBusinessName('  Công ty TNHH  Đầu tư\tHoàng Phúc ')).toBe('DAU TU HOANG PHUC');
    expect(normalizeBusinessName('Hộ kinh doanh Bánh mì Hoàng Long')).toBe('BANH MI HOANG LONG');
  });

  it('drops several kind words written one after the other', () => {
    expect(normalizeBusinessName('HKD - Hộ kinh doanh cá thể Phở Hòa')).toBe('PHO HOA');
  });

  it('keeps a name that is nothing but a kind word, so the key is never empty', () => {
    expect(normalizeBusinessName('Công ty TNHH')).toBe('CONG TY TNHH');
    expect(normalizeBusinessName('Hộ kinh doanh 68')).toBe('HO KINH DOANH');
  });

  it('lists the kind words in full and abbreviated', () => {
    expect(BUSINESS_KIND_WORDS).toEqual(
      expect.arrayContaining(['Công ty TNHH', 'Công ty trách nhiệm hữu hạn một thành viên', 'Công ty cổ phần', 'Công ty CP', 'Doanh nghiệp tư nhân', 'DNTN', 'Hộ kinh doanh', 'HKD']),
    );
  });
});

describe('business names that conflict', () => {
  const registered = 'Hộ kinh doanh Phở Hòa';

  it.each([
    ['identical', 'Hộ kinh doanh Phở Hòa'],
    ['without diacritics', 'Ho kinh doanh Pho Hoa'],
    ['diacritics placed the old way (hoà)', 'Hộ kinh doanh Phở Hoà'],
    ['in another case', 'HỘ KINH DOANH PHỞ HÒA'],
    ['spaced differently', '  Hộ   kinh doanh Phở\tHòa '],
    ['with punctuation', 'Hộ kinh doanh "Phở - Hòa".'],
    ['with a number', 'Hộ kinh doanh Phở Hòa 2'],
    ['with a number glued on', 'Hộ kinh doanh Phở Hòa24'],
    ['as "Công ty TNHH"', 'Công ty TNHH Phở Hòa'],
    ['as "Công ty trách nhiệm hữu hạn một thành viên"', 'Công ty trách nhiệm hữu hạn một thành viên Phở Hòa'],
    ['as "Công ty TNHH 2 thành viên trở lên"', 'Công ty TNHH 2 thành viên trở lên Phở Hòa'],
    ['as "Cty TNHH MTV"', 'Cty TNHH MTV Phở Hòa'],
    ['as "Công ty cổ phần"', 'Công ty cổ phần Phở Hòa'],
    ['as "CTCP"', 'CTCP Phở Hòa'],
    ['as "Doanh nghiệp tư nhân"', 'Doanh nghiệp tư nhân Phở Hòa'],
    ['as "DNTN"', 'DNTN Phở Hòa'],
    ['as "HKD"', 'HKD Phở Hòa'],
    ['with several variations at once', 'CONG TY CO PHAN pho-hoa 1975'],
  ])('%s: %s', (_variation, proposed) => {
    expect(businessNamesConflict(proposed, registered)).toBe(true);
  });

  it('finds the seeded An Phát trading company under another kind word and no accents', () => {
    expect(businessNamesConflict('CONG TY CO PHAN thuong mai - dich vu An Phat', 'Công ty TNHH Thương mại Dịch vụ An Phát')).toBe(true);
  });
});

describe('business names that do not conflict', () => {
  it.each([
    ['another word', 'Công ty TNHH Phở Hồng', 'Hộ kinh doanh Phở Hòa'],
    ['a word more', 'Công ty TNHH Phở Hòa Pasteur', 'Hộ kinh doanh Phở Hòa'],
    ['a word less', 'Công ty TNHH Thương mại An Phát', 'Công ty TNHH Thương mại Dịch vụ An Phát'],
    ['the words in another order', 'Công ty TNHH Phát An', 'Công ty TNHH An Phát'],
    ['a kind word that is not at the start', 'Công ty TNHH Dịch vụ Công ty Xanh', 'Công ty TNHH Dịch vụ Xanh'],
    ['letters, not a number ("TV" is a word here)', 'Công ty TNHH TV Media', 'Công ty TNHH Media'],
    ['"Thanh Hương" is not "Hòa"', 'Hộ kinh doanh Phở Thanh Hương', 'Hộ kinh doanh Phở Hòa'],
  ])('%s: %s / %s', (_difference, a, b) => {
    expect(businessNamesConflict(a, b)).toBe(false);
  });
});

describe('seeded businesses', () => {
  it('hold normalizeBusinessName(name) under distinct keys', () => {
    for (const b of BUSINESSES) expect(b.normalizedName).toBe(normalizeBusinessName(b.name));
    expect(new Set(BUSINESSES.map((b) => b.normalizedName)).size).toBe(BUSINESSES.length);
    expect(() => assertDistinctBusinessNames(BUSINESSES)).not.toThrow();
  });

  it('the seed refuses names that conflict, naming them', () => {
    const phoHoa = BUSINESSES.find((b) => b.name === 'Hộ kinh doanh Phở Hòa')!;
    const clash = { ...phoHoa, enterpriseCode: '0300000000', name: 'Công ty TNHH Phở Hòa', normalizedName: normalizeBusinessName('Công ty TNHH Phở Hòa') };
    expect(() => assertDistinctBusinessNames([...BUSINESSES, clash])).toThrow('Hộ kinh doanh Phở Hòa / Công ty TNHH Phở Hòa');
  });
});
