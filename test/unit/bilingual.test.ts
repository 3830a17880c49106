import { languageOfHeader } from '../../api/language';
import { noteIn } from '../../api/services/dossiers';
import { textIn } from '../../common/bilingual';
import { PeopleText } from '../../common/bilingual-schemas';
import { formatVnd } from '../../common/money';
import { formatDuration } from '../../common/text';
import { CitizenMail } from '../../workflows/shared/types';

describe('formatVnd: amounts as people read them', () => {
  it.each([
    [19_000_000, '19.000.000 ₫'],
    [500_000, '500.000 ₫'],
    [900, '900 ₫'],
    [0, '0 ₫'],
    [1_234_567_890, '1.234.567.890 ₫'],
    [-5_000, '-5.000 ₫'],
  ])('%d is %s', (amount, text) => {
    expect(formatVnd(amount)).toBe(text);
  });
});

describe('languageOfHeader: the reader language from Accept-Language', () => {
  it.each([
    [undefined, 'vi'],
    ['', 'vi'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    ['en;q=0.5,vi;q=0.8', 'vi'],
    ['vi;q=0.2, en;q=0.7', 'en'],
    ['fr-FR,fr;q=0.9', 'vi'],
    ['fr, en;q=0.3', 'en'],
    ['en;q=0', 'vi'],
    ['*', 'vi'],
  ])('%p reads %s', (header, language) => {
    expect(languageOfHeader(header)).toBe(language);
  });
});

describe('texts in two languages', () => {
  it('picks the language of a pair; a plain string (a person’s words, an old run) is the same in each', () => {
    const pair = { vi: 'Hồ sơ đã hết hiệu lực', en: 'The dossier lapsed' };
    expect(textIn(pair, 'vi')).toBe('Hồ sơ đã hết hiệu lực');
    expect(textIn(pair, 'en')).toBe('The dossier lapsed');
    expect(textIn('Tôi đã tìm được bản chính', 'en')).toBe('Tôi đã tìm được bản chính');
  });

  it('a citizen mail takes a string (runs recorded before) or a pair, and nothing else', () => {
    expect(CitizenMail.parse({ dossierId: 'D', key: 'k', subject: 'old', text: 'old' })).toMatchObject({ subject: 'old' });
    expect(CitizenMail.parse({ dossierId: 'D', key: 'k', subject: { vi: 'a', en: 'b' }, text: { vi: 'c', en: 'd' } })).toMatchObject({ text: { vi: 'c', en: 'd' } });
    expect(PeopleText.safeParse({ vi: 'only one' }).success).toBe(false);
  });

  it('a history note: Vietnamese by default, its English on request, the one text of an older line either way', () => {
    const both = { note: 'Tiếp nhận tại W-BEN-THANH', noteEn: 'Filed at W-BEN-THANH' };
    expect(noteIn(both, 'vi')).toBe('Tiếp nhận tại W-BEN-THANH');
    expect(noteIn(both, 'en')).toBe('Filed at W-BEN-THANH');
    expect(noteIn({ note: 'Filed at W-BEN-THANH', noteEn: null }, 'en')).toBe('Filed at W-BEN-THANH');
    expect(noteIn({ note: null, noteEn: null }, 'en')).toBeNull();
  });

  it('a duration in Vietnamese words', () => {
    expect(formatDuration(45 * 60_000, 'vi')).toBe('45 phút');
    expect(formatDuration(200 * 60_000, 'vi')).toBe('3 giờ 20 phút');
    expect(formatDuration(52 * 3_600_000, 'vi')).toBe('2 ngày 4 giờ');
    expect(formatDuration(52 * 3_600_000)).toBe('2 days 4 h');
  });
});
