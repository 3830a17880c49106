import type { Request } from 'express';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../common/bilingual';

/**
 * The language a request's reader reads, from its Accept-Language: the one of ours they weigh
 * highest (q-values; `en-GB` counts as `en`), Vietnamese when they name neither or weigh both alike.
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

export function languageOf(req: Pick<Request, 'get'>): Language {
  return languageOfHeader(req.get('Accept-Language'));
}
