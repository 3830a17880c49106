import type { Request } from 'express';
import { requestLanguage } from '../language';
import { z } from '../openapi';
import type { Language } from './document-view';

/** `?lang=vi|en`: the reader's choice, ahead of what the browser's Accept-Language says. */
export const LanguageQuery = z.object({ lang: z.enum(['vi', 'en']).optional().openapi({ description: 'The language of the page or copy; by default the one `Accept-Language` prefers, else Vietnamese' }) });

/** The language a document is shown in: the query's, else English only when the reader prefers it, else Vietnamese. */
export function readerLanguage(req: Request, lang?: Language): Language {
  return lang ?? requestLanguage(req);
}
