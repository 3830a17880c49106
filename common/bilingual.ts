import { z } from 'zod';

/**
 * Texts the engine writes for people (mails, history notes, reasons) in the two languages they read:
 * Vietnamese by default, English on request. Pure zod: the workflow bundle composes these, the
 * activities and the API pick the reader's language from them.
 */

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';

export function isLanguage(value: unknown): value is Language {
  return value === 'vi' || value === 'en';
}

/** One text in both languages. */
export const Bilingual = z.object({ vi: z.string(), en: z.string() });
export type Bilingual = z.infer<typeof Bilingual>;

/**
 * A text for people as activities receive it: both languages (the reader's is picked where the
 * reader is known), or one string: what a person typed (the same in both), or what runs recorded
 * before texts had two languages.
 */
export const PeopleText = z.union([z.string(), Bilingual]);
/** Whether `value` is a text in both languages (as a zod issue's `params` or a procedure document carries it). */
export function isBilingual(value: unknown): value is Bilingual {
  return Bilingual.safeParse(value).success;
}

export type PeopleText = z.infer<typeof PeopleText>;

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
