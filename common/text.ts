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
