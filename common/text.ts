import type { Language } from './bilingual';

/**
 * Vietnamese text as registries compare it: accents stripped (NFD, combining marks removed,
 * đ/Đ → D), whitespace collapsed, upper case. "Nguyễn  Văn An" and "NGUYEN VAN AN" are one name.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'D')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

const DURATION_WORDS = {
  en: { min: 'min', h: 'h', days: 'days' },
  vi: { min: 'phút', h: 'giờ', days: 'ngày' },
} as const;

/** A duration as people read it in history notes and supervision reasons: `45 min`, `3 h 20 min`, `2 days 4 h` (`2 ngày 4 giờ`). */
export function formatDuration(ms: number, language: Language = 'en'): string {
  const words = DURATION_WORDS[language];
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} ${words.min}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} ${words.h} ${minutes % 60} ${words.min}`;
  return `${Math.floor(hours / 24)} ${words.days} ${hours % 24} ${words.h}`;
}
