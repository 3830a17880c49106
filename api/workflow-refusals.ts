import type { Bilingual } from '../common/bilingual';
import { formatCalendarDate } from '../common/local-time';
import { FailureTypes } from '../workflows/shared/messages';
import { formatAmount } from './messages';
import { statusWords, type StatusLabels } from './status-words';
import { vietnameseOf } from './translations';

/**
 * A workflow's refusal of an Update in both languages. The workflow's validators say why in
 * English (an ApplicationFailure of a type of `FailureTypes`); their words, and the data in them
 * (ids, a status, dates, amounts, the fields of an answer), are read here to say the same in
 * Vietnamese. Words not known here get the Vietnamese of their failure type: the workflows' words
 * may change without breaking the answer (no workflow command depends on them).
 */
export function refusalMessage(type: string, english: string, procedure?: StatusLabels): Bilingual {
  const vi = vietnameseSentence(english, procedure) ?? (type === FailureTypes.invalidAnswer ? `Câu trả lời không hợp lệ: ${issueList(english)}` : undefined);
  return { en: english, vi: vi ?? BY_TYPE[type] ?? 'Yêu cầu không được chấp nhận' };
}

const BY_TYPE: Record<string, string> = {
  [FailureTypes.dossierClosed]: 'Hồ sơ đã kết thúc',
  [FailureTypes.dossierDecided]: 'Hồ sơ đã có quyết định, không thể hủy được nữa',
  [FailureTypes.decisionInProgress]: 'Quyết định về hồ sơ đang được ghi nhận; vui lòng thử lại sau ít phút',
  [FailureTypes.taskNotOpen]: 'Công việc không còn mở',
  [FailureTypes.notAwaiting]: 'Hồ sơ không ở bước chờ câu trả lời này',
  [FailureTypes.invalidOutcome]: 'Kết quả không có trong bước này',
  [FailureTypes.invalidTaskData]: 'Dữ liệu của kết quả không hợp lệ',
  [FailureTypes.invalidAnswer]: 'Câu trả lời không hợp lệ',
};

type Sentence = readonly [RegExp, (m: RegExpExecArray, procedure?: StatusLabels) => string];
const inStatus = (id: string, status: string, procedure?: StatusLabels) => `Hồ sơ ${id} đã ở trạng thái “${statusWords(status, procedure).vi}”`;

const SENTENCES: readonly Sentence[] = [
  [/^(?:Dossier|Case) (\S+) is already (\S+)$/, (m, p) => inStatus(m[1]!, m[2]!, p)],
  [/^Dossier (\S+) has been decided and can no longer be cancelled$/, (m) => `Hồ sơ ${m[1]} đã có quyết định, không thể hủy được nữa`],
  [/^A decision on dossier (\S+) is being recorded; try again shortly$/, (m) => `Quyết định về hồ sơ ${m[1]} đang được ghi nhận; vui lòng thử lại sau ít phút`],
  [/^Task (\S+) is not open$/, (m) => `Công việc ${m[1]} không còn mở`],
  [/^Dossier (\S+) is not waiting for a supplement$/, (m) => `Hồ sơ ${m[1]} không ở bước chờ bổ sung`],
  [/^Dossier (\S+) is not waiting for a respond$/, (m) => `Hồ sơ ${m[1]} không ở bước chờ trả lời`],
  [/^Case (\S+) is not waiting for an answer from the owner \((\S+)\)$/, (m, p) => `Hồ sơ ${m[1]} không ở bước chờ chủ phương tiện trả lời (“${statusWords(m[2]!, p).vi}”)`],
  [/^Dossier (\S+) is (\S+)$/, (m, p) => inStatus(m[1]!, m[2]!, p)],
  [/^The case was disputed once and the violation upheld: pay the fine$/, () => 'Vụ việc đã được khiếu nại một lần và vi phạm được giữ nguyên: hãy nộp phạt'],
  [
    /^The notice went unanswered and the vehicle is published: only paying the fine settles the case now$/,
    () => 'Thông báo vi phạm không được trả lời và phương tiện đã bị công khai: nay chỉ nộp phạt mới kết thúc được vụ việc',
  ],
  [/^payBy must be between (\d{4}-\d\d-\d\d) and (\d{4}-\d\d-\d\d)$/, (m) => `payBy phải trong khoảng từ ${formatCalendarDate(m[1]!)} đến ${formatCalendarDate(m[2]!)}`],
  [/^The amount must be the whole balance of the fine: (\d+) VND$/, (m) => `Số tiền phải bằng toàn bộ số tiền phạt còn phải nộp: ${formatAmount(Number(m[1]))}`],
  [/^The amount (\d+) VND is not the balance (\d+) VND$/, (m) => `Số tiền ${formatAmount(Number(m[1]))} không bằng số tiền phạt còn phải nộp ${formatAmount(Number(m[2]))}`],
  [/^Outcome must be one of (.+)$/, (m) => `Kết quả phải là một trong: ${m[1]}`],
  [/^The data of outcome (\S+) is invalid: (.+)$/, (m) => `Dữ liệu của kết quả ${m[1]} không hợp lệ: ${issueList(m[2]!)}`],
];

function vietnameseSentence(english: string, procedure?: StatusLabels): string | undefined {
  for (const [pattern, vi] of SENTENCES) {
    const match = pattern.exec(english);
    if (match) return vi(match, procedure);
  }
  return undefined;
}

/**
 * An answer's issues as a workflow lists them (`describeIssues`, `parseSupplementFields`):
 * `reason: Too small…; x: was not asked for (asked: a, b)`, each message in Vietnamese, the paths as they are.
 */
function issueList(issues: string): string {
  return issues
    .split('; ')
    .map((issue) => {
      const at = issue.indexOf(': ');
      if (at < 0) return vietnameseOfIssueText(issue);
      return `${issue.slice(0, at)}: ${vietnameseOfIssueText(issue.slice(at + 2))}`;
    })
    .join('; ');
}

/** zod's default English (as a workflow writes it into a line) and the answers' own checks. */
const ISSUE_WORDS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => string]> = [
  [/^give at least one of (.+)$/, (m) => `cần ít nhất một trong: ${m[1]}`],
  [/^was not asked for \(asked: (.+)\)$/, (m) => `không thuộc các trường được yêu cầu (${m[1]})`],
  [/^Invalid input: expected \w+, received undefined$/, () => 'là trường bắt buộc'],
  [/^Too small: expected string to have >=(\d+) characters?$/, (m) => `phải có ít nhất ${m[1]} ký tự`],
  [/^Too big: expected string to have <=(\d+) characters?$/, (m) => `không được dài quá ${m[1]} ký tự`],
  [/^Too small: expected number to be >=(\S+)$/, (m) => `phải lớn hơn hoặc bằng ${m[1]}`],
  [/^Too big: expected number to be <=(\S+)$/, (m) => `phải nhỏ hơn hoặc bằng ${m[1]}`],
  [/^Invalid option: expected one of (.+)$/, (m) => `phải là một trong: ${m[1]!.split('|').join(', ')}`],
];

/** An issue's message as a line of text carries it (zod's default English, or words `translations.ts` knows) in Vietnamese. */
export function vietnameseOfIssueText(english: string): string {
  const known = vietnameseOf(english);
  if (known !== undefined) return known;
  for (const [pattern, vi] of ISSUE_WORDS) {
    const match = pattern.exec(english);
    if (match) return vi(match);
  }
  return 'không hợp lệ';
}
