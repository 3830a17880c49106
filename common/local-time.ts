/**
 * The one way a moment is written for people: `07/12/2026 17:00 (GMT+7)`, day first, in the city's
 * time (Asia/Ho_Chi_Minh), the zone named so that a reader elsewhere is not misled. Mail, history notes, supervision's reasons, the console and the portal all use
 * it; machine-readable fields stay ISO-8601. Pure (no Intl data): workflow code and the browser
 * import it too.
 *
 * Asia/Ho_Chi_Minh has been UTC+07:00 all year since 1975 (no daylight saving), so a fixed offset is exact.
 */
export const CITY_UTC_OFFSET_MINUTES = 420;

export function formatLocalTime(instant: string | Date): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const local = new Date(at.getTime() + CITY_UTC_OFFSET_MINUTES * 60_000).toISOString();
  const [year, month, day] = local.slice(0, 10).split('-');
  return `${day}/${month}/${year} ${local.slice(11, 16)} (GMT+${CITY_UTC_OFFSET_MINUTES / 60})`;
}

/** The city's calendar day of a moment, `07/12/2026`: the issue date printed on a document. */
export function formatLocalDate(instant: string | Date): string {
  return formatLocalTime(instant).slice(0, 10);
}

/** A calendar date as stored (`2019-05-10`, no zone: a birth date, a registration day) written day first. */
export function formatCalendarDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}
