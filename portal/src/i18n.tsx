import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { formatLocalDate, formatLocalTime } from '../../common/local-time';
import { fill, workingDuration } from '../../web/messages';
import { en, SHARED_NAMES, vi, type Key } from './dictionary';
import { languageStore, type Lang } from './language';
import type { Catalog } from './types';

export type { Lang } from './language';

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: Key, params?: Record<string, string | number>): string;
  /** A procedure, step, status, event or field id as a person reads it (the procedure's own names first). */
  name(id: string, procedure?: string): string;
  /** The procedures' own names, from the catalog. */
  learnNames(catalog: Catalog): void;
  /** `30/11/2026 17:00 (GMT+7)`, in the city's time whatever the browser's zone. */
  time(iso: string): string;
  date(iso: string): string;
  /** Working minutes in days (of `perDay` minutes), hours and minutes. */
  duration(minutes: number, perDay: number): string;
  /** Integer VND: `19.000.000 ₫`. */
  money(amount: number): string;
}

const I18nContext = createContext<I18n | null>(null);

/** An id nobody named, made readable: `in-review` → `In review`. */
function humanized(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

type Names = Record<Lang, Record<string, Record<string, string>>>;

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => languageStore.get());
  const [names, setNames] = useState<Names>({ vi: {}, en: {} });
  const learnNames = useCallback((catalog: Catalog) => {
    const of = (l: Lang) => Object.fromEntries(catalog.map((p) => [p.id, p.labels[l]]));
    setNames({ vi: of('vi'), en: of('en') });
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = lang === 'vi' ? vi : en;
    const t: I18n['t'] = (key, params) => fill(dict[key], params);
    const anyProcedure = (id: string) => Object.values(names[lang]).find((labels) => labels[id] !== undefined)?.[id];
    return {
      lang,
      setLang(next) {
        languageStore.set(next);
        document.documentElement.lang = next;
        setLangState(next);
      },
      t,
      name: (id, procedure) => (procedure ? names[lang][procedure]?.[id] : undefined) ?? SHARED_NAMES[lang][id] ?? anyProcedure(id) ?? humanized(id),
      learnNames,
      time: formatLocalTime,
      date: formatLocalDate,
      duration: (minutes, perDay) =>
        workingDuration(minutes, perDay, { day: (n) => t('time.day', { n }), hour: (n) => t('time.hour', { n }), minute: (n) => t('time.minute', { n }) }),
      money: (amount) => `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`,
    };
  }, [lang, names, learnNames]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

/** Personal identification numbers (12 digits) in a text, all but their last 4 digits hidden. */
export function maskPins(text: string): string {
  return text.replace(/\b\d{8}(\d{4})\b/g, '••••••••$1');
}
