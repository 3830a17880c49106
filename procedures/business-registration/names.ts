import { foldVietnamese } from '../../common/text';

/**
 * When two business names conflict (procedures/business-registration/README.md): identical, or differing only by diacritics, case,
 * spacing, punctuation, the kind word ("Công ty TNHH", "Hộ kinh doanh"…) or a number. Pure (no
 * Node APIs): the workflow bundle may import it as well as the activities.
 */

const COMPANY = ['Công ty', 'Cty'];
const LLC = ['trách nhiệm hữu hạn', 'TNHH'];
const LLC_MEMBERS = [
  '',
  'một thành viên',
  '1 thành viên',
  'MTV',
  '1TV',
  'hai thành viên',
  '2 thành viên',
  'hai thành viên trở lên',
  '2 thành viên trở lên',
  '2TV',
];
const JOINT_STOCK = ['cổ phần', 'CP'];

/**
 * The words naming a kind of business, as people write them at the start of a name: the legal
 * forms of the Law on Enterprises 2020 in full and abbreviated, and the household business.
 */
export const BUSINESS_KIND_WORDS: readonly string[] = [
  ...COMPANY.flatMap((company) => LLC.flatMap((llc) => LLC_MEMBERS.map((members) => `${company} ${llc} ${members}`.trim()))),
  ...COMPANY.flatMap((company) => JOINT_STOCK.map((jsc) => `${company} ${jsc}`)),
  'CTCP',
  ...COMPANY.map((company) => `${company} hợp danh`),
  // A bare "Công ty" after the specific forms: "Công ty An Phát" is "Công ty TNHH An Phát".
  ...COMPANY,
  'Doanh nghiệp tư nhân',
  'DNTN',
  'Hộ kinh doanh cá thể',
  'Hộ kinh doanh',
  'HKD',
];

/** Accents and case folded, punctuation out, one space between words; digits stay (see below). */
function foldedWords(text: string): string {
  return (
    foldVietnamese(text.normalize('NFKC'))
      // An apostrophe joins ("Ken's" is "KENS"); any other character but a letter or a digit separates words.
      .replace(/['’`´]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

const withoutDigits = (words: string): string => words.replace(/\p{N}+/gu, ' ').replace(/ +/g, ' ').trim();

// Longest first, so "CONG TY TNHH MTV" is taken whole rather than as "CONG TY" and a leftover.
const KIND_PREFIXES: readonly string[] = [...new Set(BUSINESS_KIND_WORDS.map(foldedWords))].sort((a, b) => b.length - a.length);

/**
 * Removes the kind words at the start, several if several were written. Digits are still there at
 * this point, so "1 thành viên" / "1TV" is matched as a kind word while "Công ty TNHH TV Media"
 * keeps its "TV".
 */
function stripKindWords(words: string): string {
  let rest = words;
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const prefix of KIND_PREFIXES) {
      if (rest === prefix || rest.startsWith(`${prefix} `)) {
        rest = rest.slice(prefix.length).trim();
        stripped = true;
        break;
      }
    }
  }
  return rest;
}

/**
 * The key under which two business names conflict: accents folded (đ → D), upper case, digits and
 * punctuation dropped, spaces collapsed, the kind words at the start removed. "Công ty TNHH Phở
 * Hòa 2" and "Hộ kinh doanh PHO HOA" both give "PHO HOA". A name that is nothing but a kind word
 * keeps it, so the key is never empty.
 */
export function normalizeBusinessName(name: string): string {
  const words = foldedWords(name);
  return withoutDigits(stripKindWords(words)) || withoutDigits(words);
}

/** Whether a proposed name conflicts with a registered one. */
export function businessNamesConflict(a: string, b: string): boolean {
  return normalizeBusinessName(a) === normalizeBusinessName(b);
}
