import { fill, workingDuration } from '../../web/messages';

// The wording both browser apps share: a countdown's length and a message's placeholders.
describe('working time in words (web/messages)', () => {
  const words = { day: (n: number) => `${n} ngày`, hour: (n: number) => `${n} giờ`, minute: (n: number) => `${n} phút` };
  const DAY = 8 * 60;

  it('words days of office hours, hours and minutes, leaving out what is zero', () => {
    expect(workingDuration(2 * DAY + 3 * 60 + 5, DAY, words)).toBe('2 ngày 3 giờ 5 phút');
    expect(workingDuration(DAY + 30, DAY, words)).toBe('1 ngày 30 phút');
    expect(workingDuration(3 * 60, DAY, words)).toBe('3 giờ');
  });

  it('words late time by its size, and no time at all as 0 minutes', () => {
    expect(workingDuration(-(DAY + 60), DAY, words)).toBe('1 ngày 1 giờ');
    expect(workingDuration(0, DAY, words)).toBe('0 phút');
  });

  it('fills named placeholders and leaves an unknown one to be seen', () => {
    expect(fill('còn {t} làm việc', { t: '2 giờ' })).toBe('còn 2 giờ làm việc');
    expect(fill('HTTP {status}', {})).toBe('HTTP {status}');
  });
});
