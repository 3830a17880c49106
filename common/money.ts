/**
 * An amount of đồng as people read it: `19.000.000 ₫` (dots between thousands, the sign after),
 * in Vietnamese and English texts alike. Pure: workflow code formats fines with it.
 */
export function formatVnd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(amount)));
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}
