import type { Bilingual, PeopleText } from './bilingual-schemas';

/**
 * Texts the engine writes for people (mails, history notes, reasons) in the two languages they read:
 * Vietnamese by default, English on request. Pure, and without zod (the schemas of these texts are
 * in common/bilingual-schemas.ts): the workflow bundle composes these, the activities and the API
 * pick the reader's language from them.
 */

export type { Bilingual, PeopleText } from './bilingual-schemas';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';

export function isLanguage(value: unknown): value is Language {
  return value === 'vi' || value === 'en';
}

/** The text in a language: a plain string is the same in each. */
export function textIn(text: PeopleText, language: Language): string {
  return typeof text === 'string' ? text : text[language];
}

/** Both languages of a text (a plain string stands for both). */
export function bothOf(text: PeopleText): Bilingual {
  return typeof text === 'string' ? { vi: text, en: text } : text;
}

/** A text composed in each language from the parts' forms in that language. */
export function compose(build: (language: Language, part: (text: PeopleText) => string) => string): Bilingual {
  return { vi: build('vi', (t) => textIn(t, 'vi')), en: build('en', (t) => textIn(t, 'en')) };
}
