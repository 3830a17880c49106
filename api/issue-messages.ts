import type { core } from 'zod';
import { isBilingual, type Bilingual } from '../common/bilingual-schemas';
import { vietnameseOf } from './translations';
import { z } from './zod';

/**
 * A zod issue's message in both languages. English: zod's own words, or the schema's message.
 * Vietnamese: a procedure document's rule says it (`params.text`); a schema's own message is looked
 * up (`translations.ts`); otherwise it is written here from the issue's kind and figures, in plain
 * words ("phải có ít nhất 3 ký tự"), since zod's Vietnamese locale names types as code does
 * ("mong đợi string").
 */
export function issueMessage(issue: core.$ZodIssue): Bilingual {
  if (issue.code === 'custom' && isBilingual(issue.params?.text)) return issue.params.text;
  const en = issue.message;
  const ownWords = en !== zodEnglish(issue);
  return { vi: (ownWords ? vietnameseOf(en) : undefined) ?? vietnameseOfIssue(issue), en };
}

const english = z.locales.en().localeError;

/** What zod says of the issue by default (a schema's own message differs). */
function zodEnglish(issue: core.$ZodIssue): string | undefined {
  // A finished issue is what the locale was given, less `input` when it was not kept; its type asks
  // for the input's type per kind of issue, which the locale's words do not depend on.
  const said = english({ ...issue, input: issue.input } as core.$ZodRawIssue);
  return typeof said === 'string' ? said : said?.message;
}

const TYPES: Record<string, string> = {
  string: 'một chuỗi ký tự',
  number: 'một số',
  int: 'một số nguyên',
  bigint: 'một số nguyên',
  boolean: 'true hoặc false',
  object: 'một đối tượng',
  array: 'một danh sách (mảng)',
  date: 'một ngày',
  null: 'null',
};

const FORMATS: Record<string, string> = {
  email: 'phải là một địa chỉ email hợp lệ',
  datetime: 'phải là ngày giờ ISO 8601 có múi giờ, ví dụ 2026-12-07T17:00:00+07:00',
  date: 'phải là một ngày có thật, dạng YYYY-MM-DD',
  time: 'phải là giờ dạng HH:MM',
  url: 'phải là một URL hợp lệ',
  uuid: 'phải là một UUID',
};

/** A missing field: zod kept the input (`reportInput`), or says "received undefined". */
function isMissing(issue: core.$ZodIssueInvalidType): boolean {
  return 'input' in issue ? issue.input === undefined : /received undefined$/.test(issue.message);
}

const shown = (value: unknown) => (typeof value === 'string' ? `"${value}"` : String(value));

function tooSmall(issue: core.$ZodIssueTooSmall): string {
  const n = String(issue.minimum);
  switch (issue.origin) {
    case 'string':
      return issue.minimum === 1 ? 'không được để trống' : `phải có ít nhất ${n} ký tự`;
    case 'array':
    case 'set':
      return issue.minimum === 1 ? 'phải có ít nhất một mục' : `phải có ít nhất ${n} mục`;
    case 'date':
      return `không được trước ${n}`;
    default:
      return issue.inclusive ? `phải lớn hơn hoặc bằng ${n}` : `phải lớn hơn ${n}`;
  }
}

function tooBig(issue: core.$ZodIssueTooBig): string {
  const n = String(issue.maximum);
  switch (issue.origin) {
    case 'string':
      return `không được dài quá ${n} ký tự`;
    case 'array':
    case 'set':
      return `có tối đa ${n} mục`;
    case 'date':
      return `không được sau ${n}`;
    default:
      return issue.inclusive ? `phải nhỏ hơn hoặc bằng ${n}` : `phải nhỏ hơn ${n}`;
  }
}

function invalidFormat(issue: core.$ZodIssueInvalidStringFormat): string {
  if (issue.format === 'starts_with' && 'prefix' in issue) return `phải bắt đầu bằng "${issue.prefix}"`;
  if (issue.format === 'ends_with' && 'suffix' in issue) return `phải kết thúc bằng "${issue.suffix}"`;
  return FORMATS[issue.format] ?? 'không đúng định dạng';
}

/** Vietnamese for the issue's kind and figures. */
export function vietnameseOfIssue(issue: core.$ZodIssue): string {
  // Nothing given where a value is needed (zod kept the input): whatever the schema, it is required.
  if (issue.code !== 'custom' && 'input' in issue && issue.input === undefined) return 'là trường bắt buộc';
  switch (issue.code) {
    case 'invalid_type':
      return isMissing(issue) ? 'là trường bắt buộc' : `phải là ${TYPES[issue.expected] ?? `kiểu ${issue.expected}`}`;
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'invalid_format':
      return invalidFormat(issue);
    case 'not_multiple_of':
      return `phải là bội số của ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'trường không được chấp nhận';
    case 'invalid_value':
      return issue.values.length === 1 ? `phải là ${shown(issue.values[0])}` : `phải là một trong: ${issue.values.map(shown).join(', ')}`;
    case 'invalid_union':
      return 'không khớp với dạng nào được chấp nhận';
    case 'invalid_key':
      return 'có khóa không hợp lệ';
    case 'invalid_element':
      return 'có phần tử không hợp lệ';
    default:
      return 'không hợp lệ';
  }
}
