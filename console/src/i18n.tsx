import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { formatLocalTime } from '../../common/local-time';
import { fill, workingDuration } from '../../web/messages';
import { ApiProblem, setApiLanguage } from './api';
import { DOCUMENT_KINDS, en, SHARED_EN_NAMES, SHARED_VI_NAMES, vi, type Key } from './messages';

/** Vietnamese by default, English by the switch; every time shown in the city's zone. */
export type Lang = 'vi' | 'en';
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A procedure's names as its catalog entry gives them: per language, by id (its steps, statuses, outcomes, events, fields). */
export interface ProcedureNames {
  id: string;
  labels: Record<Lang, Record<string, string>>;
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: Key, params?: Record<string, string | number>): string;
  /**
   * A step, outcome, status or field id as a person reads it: the procedure's own name for it when
   * `procedure` is given (two procedures may use one id, e.g. `issue`, for different things), else
   * the shared lifecycle's; a procedure's id alone names the procedure.
   */
  name(id: string, procedure?: string): string;
  /** The procedures' own names, from their definitions (the catalog the console loads at sign-in). */
  learnNames(procedures: readonly ProcedureNames[]): void;
  /** A kind of issued document (`civil-status-extract/BIRTH`) by its paper's title. */
  documentKind(kind: string): string;
  time(iso: string): string;
  date(iso: string): string;
  workingTime(minutes: number, perDay: number): string;
  /** A reason in words from the API, with its UTC instants shown in the city's local time. */
  localize(text: string): string;
  percent(rate: number | null): string;
  /** What went wrong, as the API worded it (its `detail`, then each field's message), or the console's words when it said nothing. */
  problem(error: unknown): string;
}

const I18nContext = createContext<I18n | null>(null);
const LANG_KEY = 'console.lang';
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

function storedLang(): Lang {
  const lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
  setApiLanguage(lang);
  document.documentElement.lang = lang;
  return lang;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  const [names, setNames] = useState<ReadonlyMap<string, ProcedureNames['labels']>>(new Map());
  const learnNames = useCallback((procedures: readonly ProcedureNames[]) => setNames(new Map(procedures.map((p) => [p.id, p.labels]))), []);
  const value = useMemo<I18n>(() => {
    const dict = lang === 'vi' ? vi : en;
    const shared = lang === 'vi' ? SHARED_VI_NAMES : SHARED_EN_NAMES;
    const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
    const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
    const t: I18n['t'] = (key, params) => fill(dict[key], params);
    // Day first, then the time, in either language and whatever the browser's zone: 30/11/2026 17:00.
    const time = formatLocalTime;
    return {
      lang,
      setLang(next) {
        localStorage.setItem(LANG_KEY, next);
        document.documentElement.lang = next;
        setApiLanguage(next);
        setLangState(next);
      },
      t,
      name: (id, procedure) => (procedure ? names.get(procedure)?.[lang][id] : undefined) ?? names.get(id)?.[lang][id] ?? shared[id] ?? id,
      learnNames,
      documentKind: (kind) => DOCUMENT_KINDS[kind]?.[lang] ?? kind,
      time,
      date: (iso) => dateFormat.format(new Date(iso)),
      workingTime(minutes, perDay) {
        const words = { day: (n: number) => t('countdown.day', { n }), hour: (n: number) => t('countdown.hour', { n }), minute: (n: number) => t('countdown.minute', { n }) };
        return t(minutes >= 0 ? 'countdown.left' : 'countdown.late', { t: workingDuration(minutes, perDay, words) });
      },
      localize: (text) => text.replace(ISO_INSTANT, (iso) => time(iso)),
      percent: (rate) => (rate === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate)),
      problem(error) {
        if (!(error instanceof ApiProblem)) return t('common.networkError');
        const said = error.problem.detail || error.problem.title;
        return [said || t('common.httpError', { status: error.status }), ...error.errors.map((e) => e.message)].join(' — ');
      },
    };
  }, [lang, names, learnNames]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
