import { z } from 'zod';

/**
 * The schemas of texts for people in their two languages (common/bilingual.ts): what payloads between
 * the API and the workflows carry. Apart from common/bilingual.ts, which the workflows import and
 * which must not load zod: each workflow holds its own instance of every module it loads
 * (workflows/index.ts), and zod alone is half a megabyte of it.
 */

/** One text in both languages. */
export const Bilingual = z.object({ vi: z.string(), en: z.string() });
export type Bilingual = z.infer<typeof Bilingual>;

/**
 * A text for people as activities receive it: both languages (the reader's is picked where the
 * reader is known), or one string: what a person typed (the same in both), or what runs recorded
 * before texts had two languages.
 */
export const PeopleText = z.union([z.string(), Bilingual]);
export type PeopleText = z.infer<typeof PeopleText>;

/** Whether `value` is a text in both languages (as a zod issue's `params` or a procedure document carries it). */
export function isBilingual(value: unknown): value is Bilingual {
  return Bilingual.safeParse(value).success;
}
