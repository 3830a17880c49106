import type { Request, Response } from 'express';
import { DEFAULT_LANGUAGE, LANGUAGES, type Bilingual, type Language } from '../common/bilingual';
import { vietnameseOf } from './translations';

/**
 * The language a reader reads, from an Accept-Language header: the one of ours they weigh highest
 * (q-values; `en-GB` counts as `en`), Vietnamese when they name neither or weigh both alike.
 */
export function languageOfHeader(header: string | undefined): Language {
  let best: { language: Language; q: number } | undefined;
  for (const range of (header ?? '').split(',')) {
    const [tag = '', ...params] = range.trim().toLowerCase().split(';');
    const primary = tag.split('-')[0];
    const language = LANGUAGES.find((l) => l === primary);
    if (!language) continue;
    const q = qualityOf(params);
    if (q > 0 && (!best || q > best.q)) best = { language, q };
  }
  return best?.language ?? DEFAULT_LANGUAGE;
}

function qualityOf(params: readonly string[]): number {
  const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
  if (!q) return 1;
  const value = Number(q.slice(2));
  return Number.isFinite(value) ? value : 0;
}

/** The language of an answer: English when the client asks for it (`Accept-Language`), Vietnamese otherwise. */
export function requestLanguage(req: Pick<Request, 'get'>): Language {
  return languageOfHeader(req.get('Accept-Language'));
}

/**
 * The language of a 200 answer whose words are for people (supervision's reasons): the request's,
 * said in `Content-Language`, with `Vary: Accept-Language` so that a cache keeps one per language.
 */
export function answerLanguage(req: Pick<Request, 'get'>, res: Pick<Response, 'setHeader' | 'vary'>): Language {
  const language = requestLanguage(req);
  res.setHeader('Content-Language', language);
  res.vary('Accept-Language');
  return language;
}

/**
 * What a problem says: a text in both languages, or English words written elsewhere (a workflow's
 * failure, a schema of a procedure) that `translations.ts` knows the Vietnamese of.
 */
export type Message = string | Bilingual;

/** `message` in `language`. English words without a known Vietnamese stay as they are. */
export function render(message: Message, language: Language): string {
  if (typeof message !== 'string') return message[language];
  return language === 'en' ? message : (vietnameseOf(message) ?? message);
}
