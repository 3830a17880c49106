/**
 * What people read comes in the system's two languages: Vietnamese, the default, and English on
 * request. Field paths, codes and `type` URIs are for machines and stay as they are.
 */
export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';

/** One text in both languages. */
export interface Localized {
  vi: string;
  en: string;
}

export function isLanguage(value: unknown): value is Language {
  return value === 'vi' || value === 'en';
}

/** Whether `value` is a text in both languages (as a zod issue's `params` or a procedure document carries it). */
export function isLocalized(value: unknown): value is Localized {
  return typeof value === 'object' && value !== null && 'vi' in value && 'en' in value && typeof value.vi === 'string' && typeof value.en === 'string';
}
