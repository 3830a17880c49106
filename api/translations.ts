import type { Bilingual } from '../common/bilingual';

/**
 * The Vietnamese of English words the API answers with but does not write itself: the messages in
 * the schemas of the shared field types (common/schemas.ts) and of the procedures written as code,
 * and the checks of their routes. Those schemas are plain zod, shared with the workflow bundle,
 * where a message is one string: the API knows its Vietnamese by the English words. A schema of the
 * API's own says both at once with `bilingual`. Words not known here fall back to the Vietnamese of
 * the zod issue's kind (`issue-messages.ts`), or stay English.
 */
const KNOWN = new Map<string, string>();

/** A schema message in both languages: zod gets the English, the answer says the Vietnamese on request. */
export function bilingual(message: Bilingual): string {
  KNOWN.set(message.en, message.vi);
  return message.en;
}

const UNFIT: Record<string, string> = {
  'control characters': 'ký tự điều khiển',
  'a lone surrogate (half of a UTF-16 pair)': 'nửa cặp UTF-16 đứng riêng (lone surrogate)',
};

/** English words with data in them: a pattern and its Vietnamese. */
const PATTERNS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => string]> = [
  [/^must not contain (.+)$/, (m) => `không được chứa ${UNFIT[m[1]!] ?? m[1]}`],
  [/^field names must not contain (.+)$/, (m) => `tên trường không được chứa ${UNFIT[m[1]!] ?? m[1]}`],
  [/^no such ward (.+)$/, (m) => `không có phường, xã ${m[1]}`],
  [/^no fine is set for violation code (.+)$/, (m) => `chưa có mức phạt cho mã vi phạm ${m[1]}`],
  [/^at most (\d+) items a batch; nothing was created$/, (m) => `mỗi lô có tối đa ${m[1]} mục; chưa mục nào được tạo`],
  [/^at most (\d+) items$/, (m) => `tối đa ${m[1]} mục`],
  [/^duplicate of items\.(\d+)$/, (m) => `trùng với items.${m[1]}`],
  [/^must be at most (\d+)$/, (m) => `tối đa là ${m[1]}`],
  // Publishing a procedure definition (common/procedure-definitions.ts).
  [
    /^(\S+) version (\d+) is already published with other content \(hash (\S+), published (\S+) by (.+)\); a published version never changes: publish the change as version (\d+)$/,
    (m) => `${m[1]} phiên bản ${m[2]} đã được công bố với nội dung khác (hash ${m[3]}, công bố ${m[4]} bởi ${m[5]}); một phiên bản đã công bố không bao giờ thay đổi: hãy công bố thay đổi thành phiên bản ${m[6]}`,
  ],
  [
    /^(\S+) version (\d+) is older than its latest published version (\d+): publish it as version (\d+)$/,
    (m) => `${m[1]} phiên bản ${m[2]} cũ hơn phiên bản đã công bố mới nhất ${m[3]}: hãy công bố thành phiên bản ${m[4]}`,
  ],
];

// common/schemas.ts and procedures/traffic-fine (schemas shared with the workflows).
for (const [en, vi] of [
  ['must be a 12-digit personal identification number', 'phải là số định danh cá nhân gồm 12 chữ số'],
  ['must be a unit code such as W-BEN-THANH', 'phải là mã đơn vị, ví dụ W-BEN-THANH'],
  ['must be a date YYYY-MM-DD', 'phải là một ngày có thật, dạng YYYY-MM-DD'],
  ['must be an e-mail address', 'phải là một địa chỉ email'],
  ['a reason of at least 3 characters is required', 'cần nêu lý do, ít nhất 3 ký tự'],
  ['must be a Vietnamese plate number such as 51A-123.45 or 59X1-234.56', 'phải là biển số xe Việt Nam, ví dụ 51A-123.45 hoặc 59X1-234.56'],
  ['must be a sha256 as 64 hexadecimal digits', 'phải là mã sha256 gồm 64 chữ số hệ thập lục phân'],
  ['must be a violation code such as RED-LIGHT-CAR', 'phải là mã hành vi vi phạm, ví dụ RED-LIGHT-CAR'],
  ['must be an ISO-8601 date-time with its offset', 'phải là ngày giờ ISO 8601 có múi giờ, ví dụ 2026-12-07T17:00:00+07:00'],
  ['give at least one image', 'cần ít nhất một hình ảnh'],
  ['give at least one item', 'cần ít nhất một mục'],
  ['must not be in the future', 'không được ở thời điểm tương lai'],
] as const) {
  KNOWN.set(en, vi);
}

/** The Vietnamese of these English words, when known. */
export function vietnameseOf(english: string): string | undefined {
  const known = KNOWN.get(english);
  if (known !== undefined) return known;
  for (const [pattern, vi] of PATTERNS) {
    const match = pattern.exec(english);
    if (match) return vi(match);
  }
  return undefined;
}
