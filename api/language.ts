import type { Request } from 'express';
import type { Language, Localized } from '../common/localized';
import { vietnameseOf } from './translations';

/**
 * The language of an answer: English when the client asks for it (`Accept-Language: en`, `en-US`,
 * q-values weighed: `vi;q=0.5, en` is English), Vietnamese otherwise (absent, `vi`, `*`, any other
 * language).
 */
export function requestLanguage(req: Pick<Request, 'acceptsLanguages'>): Language {
  return req.acceptsLanguages('vi', 'en') === 'en' ? 'en' : 'vi';
}

/**
 * What a problem says: a text in both languages, or English words written elsewhere (a workflow's
 * failure, a schema of a procedure) that `translations.ts` knows the Vietnamese of.
 */
export type Message = string | Localized;

/** `message` in `language`. English words without a known Vietnamese stay as they are. */
export function render(message: Message, language: Language): string {
  if (typeof message !== 'string') return message[language];
  return language === 'en' ? message : (vietnameseOf(message) ?? message);
}
