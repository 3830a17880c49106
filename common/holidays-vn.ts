import { addCalendarDays, type CalendarRule } from './calendar';

/**
 * Vietnam's national days off (and make-up working Saturdays) for the public sector, 2025-2027.
 *
 * The calendar is data, not code: migration 20261123010100_calendar_and_deadline_data loads exactly
 * these rows into "CalendarDay" with scope '*' (a test keeps the two equal), and each year's
 * government announcement is applied by adding or changing CalendarDay rows, not by editing this file.
 *
 * Sources, Labour Code 2019 art. 112 (1 Jan; Tết 5 days; Hung Kings 10/3 lunar; 30 Apr; 1 May;
 * 2 Sep + one adjacent day; a holiday on a weekend is taken on the next working day) as applied by:
 * - 2025: Notice 6150/TB-BLĐTBXH (3 Dec 2024): Tết 25 Jan-2 Feb; Fri 2 May swapped with Sat 26 Apr;
 *   National Day 1-2 Sep.
 * - 2026: Notice 9441/TB-BNV (16 Oct 2025): Tết 14-22 Feb; National Day 1-2 Sep, Mon 31 Aug swapped
 *   with Sat 22 Aug. The Government agreed on 25 Dec 2025 to swap Fri 2 Jan with Sat 10 Jan.
 * - 2027: not announced when this was written: the statutory days, marked "(expected)".
 * Not included: Vietnam Culture Day (24 Nov), a day off in principle (Politburo Resolution 80-NQ/TW)
 * but not in the Labour Code when this was written; add its rows once it is enacted.
 *
 * Whole Tết blocks are listed, weekend days included, as they are announced; other weekend days only
 * where the holiday itself falls on one.
 */
function block(from: string, to: string, name: string): CalendarRule[] {
  const days: CalendarRule[] = [];
  for (let date = from; date <= to; date = addCalendarDays(date, 1)) days.push({ date, working: false, name });
  return days;
}

const off = (date: string, name: string): CalendarRule => ({ date, working: false, name });
const makeUp = (date: string, name: string): CalendarRule => ({ date, working: true, name });

export const VIETNAM_PUBLIC_HOLIDAYS_2025_2027: CalendarRule[] = [
  // 2025 (announced)
  off('2025-01-01', 'Tết Dương lịch'),
  ...block('2025-01-25', '2025-02-02', 'Tết Nguyên Đán'),
  off('2025-04-07', 'Giỗ Tổ Hùng Vương'),
  makeUp('2025-04-26', 'Làm bù cho thứ Sáu 02/05/2025'),
  off('2025-04-30', 'Ngày Chiến thắng'),
  off('2025-05-01', 'Ngày Quốc tế Lao động'),
  off('2025-05-02', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)'),
  off('2025-09-01', 'Quốc khánh'),
  off('2025-09-02', 'Quốc khánh'),

  // 2026 (announced)
  off('2026-01-01', 'Tết Dương lịch'),
  off('2026-01-02', 'Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)'),
  makeUp('2026-01-10', 'Làm bù cho thứ Sáu 02/01/2026'),
  ...block('2026-02-14', '2026-02-22', 'Tết Nguyên Đán'),
  off('2026-04-26', 'Giỗ Tổ Hùng Vương'),
  off('2026-04-27', 'Giỗ Tổ Hùng Vương (nghỉ bù)'),
  off('2026-04-30', 'Ngày Chiến thắng'),
  off('2026-05-01', 'Ngày Quốc tế Lao động'),
  makeUp('2026-08-22', 'Làm bù cho thứ Hai 31/08/2026'),
  off('2026-08-31', 'Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)'),
  off('2026-09-01', 'Quốc khánh'),
  off('2026-09-02', 'Quốc khánh'),

  // 2027 (expected under the Labour Code; Lunar New Year's Day is Sat 6 Feb, Hung Kings' day Fri 16 Apr)
  off('2027-01-01', 'Tết Dương lịch (expected)'),
  ...block('2027-02-04', '2027-02-10', 'Tết Nguyên Đán (expected)'),
  off('2027-04-16', 'Giỗ Tổ Hùng Vương (expected)'),
  off('2027-04-30', 'Ngày Chiến thắng (expected)'),
  off('2027-05-01', 'Ngày Quốc tế Lao động (expected)'),
  off('2027-05-03', 'Ngày Quốc tế Lao động (nghỉ bù) (expected)'),
  off('2027-09-02', 'Quốc khánh (expected)'),
  off('2027-09-03', 'Quốc khánh (expected)'),
];
