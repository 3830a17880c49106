import { CITY_UTC_OFFSET_MINUTES } from '../../common/calendar';

/**
 * A moment as the city's staff read it: `27/11/2026 16:05 (GMT+7)` (Asia/Ho_Chi_Minh, which has no
 * daylight saving, so a fixed offset is exact). Pure: supervision's reasons and the workflows' mail
 * use the same wording. Machine-readable times stay ISO-8601 in their own fields.
 */
export function formatCityTime(instant: string | Date): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const local = new Date(at.getTime() + CITY_UTC_OFFSET_MINUTES * 60_000).toISOString();
  const [date, time] = [local.slice(0, 10), local.slice(11, 16)];
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year} ${time} (GMT+${CITY_UTC_OFFSET_MINUTES / 60})`;
}

/** An instant as ISO-8601 with the city's offset (`2026-11-27T16:05:00.000+07:00`), for answers people may also read. */
export function cityIso(instant: Date): string {
  const local = new Date(instant.getTime() + CITY_UTC_OFFSET_MINUTES * 60_000).toISOString();
  const hours = String(Math.floor(CITY_UTC_OFFSET_MINUTES / 60)).padStart(2, '0');
  const minutes = String(CITY_UTC_OFFSET_MINUTES % 60).padStart(2, '0');
  return `${local.slice(0, 23)}+${hours}:${minutes}`;
}
