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

/** A duration as people read it in history notes and supervision reasons: `45 min`, `3 h 20 min`, `2 days 4 h`. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days ${hours % 24} h`;
}
