/**
 * The words both apps say alike (the language switch, signing in and out, loading), so a change of
 * wording reaches both; each app's dictionary spreads them into its own.
 */
export const WEB_VI = {
  'lang.switch': 'English',
  'nav.signOut': 'Đăng xuất',
  'signIn.title': 'Đăng nhập',
  'signIn.token': 'Mã truy cập (token) do hệ thống định danh cấp',
  'signIn.tokenHint': 'Dán mã truy cập nhận từ hệ thống định danh của thành phố.',
  'signIn.useToken': 'Dùng mã này',
  'common.loading': 'Đang tải…',
};

export const WEB_EN: Record<keyof typeof WEB_VI, string> = {
  'lang.switch': 'Tiếng Việt',
  'nav.signOut': 'Sign out',
  'signIn.title': 'Sign in',
  'signIn.token': 'Access token from the identity provider',
  'signIn.tokenHint': "Paste the access token the city's identity provider gave you.",
  'signIn.useToken': 'Use this token',
  'common.loading': 'Loading…',
};

/** A message with its `{name}` placeholders filled (an unknown one left as it is, to be seen). */
export function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

/** How a length of working time is worded: `n` days, hours, minutes in the page's language. */
export interface DurationWords {
  day(n: number): string;
  hour(n: number): string;
  minute(n: number): string;
}

/**
 * Working minutes (their size only, late or left) in days of `perDay` minutes, hours and minutes,
 * leaving out what is zero: `2 ngày 3 giờ`; nothing at all is `0 phút`.
 */
export function workingDuration(minutes: number, perDay: number, words: DurationWords): string {
  const abs = Math.abs(minutes);
  const days = Math.floor(abs / perDay);
  const hours = Math.floor((abs % perDay) / 60);
  const mins = abs % 60;
  return [days > 0 ? words.day(days) : '', hours > 0 ? words.hour(hours) : '', mins > 0 || (days === 0 && hours === 0) ? words.minute(mins) : '']
    .filter(Boolean)
    .join(' ');
}
