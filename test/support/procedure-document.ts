import type { ProcedureDocumentInput } from '../../procedures/document';

/**
 * A small valid procedure definition document (format `procedure/1`): the applicant's identity is
 * checked against the population data (`population.verify-persons`), a ward clerk reviews, a
 * certificate is issued, the dossier ends. A fresh object each call, for tests to bend.
 */
const prefixes = new Map<string, string>();
/** A dossier-code prefix of its own per procedure id (`TAA`, `TAB`…): two procedures never share one. */
function prefixOf(id: string): string {
  if (!prefixes.has(id)) {
    const n = prefixes.size;
    prefixes.set(id, `T${String.fromCharCode(65 + Math.floor(n / 26) % 26)}${String.fromCharCode(65 + (n % 26))}`);
  }
  return prefixes.get(id)!;
}

export function smallDocument(id = 'test-certificate', version = 1): ProcedureDocumentInput {
  const text = (vi: string, en: string) => ({ vi, en });
  return {
    format: 'procedure/1',
    id,
    version,
    title: text('Giấy xác nhận thử nghiệm', 'Test certificate'),
    legalBasis: text('Thông tư thử nghiệm 01/2026', 'Test circular 01/2026'),
    codePrefix: prefixOf(id),
    filedAt: ['WARD'],
    filing: {
      schema: {
        type: 'object',
        properties: { applicantPin: { type: 'string', pattern: '^\\d{12}$', title: 'Số định danh cá nhân' } },
        required: ['applicantPin'],
        additionalProperties: false,
      },
      persons: [{ pin: 'applicantPin', role: text('Người yêu cầu', 'Applicant') }],
    },
    deadlines: { dossier: { mode: 'working-days', days: 3, remindBeforeMinutes: 240 } },
    statuses: {
      checking: { label: text('Đang kiểm tra', 'Checking') },
      'in-review': { label: text('Đang xem xét', 'In review') },
      issuing: { label: text('Đang cấp', 'Issuing') },
      issued: { label: text('Đã cấp', 'Issued'), closes: true },
    },
    start: 'verify',
    steps: {
      verify: {
        kind: 'check',
        status: 'checking',
        title: text('Xác thực danh tính', 'Verify identity'),
        adapter: 'population.verify-persons',
        outcomes: {
          verified: { next: 'review', label: text('Đã xác thực', 'Verified') },
          'unknown-person': { next: 'refuse', label: text('Không tìm thấy', 'Unknown person') },
          mismatch: { next: 'refuse', label: text('Không khớp', 'Mismatch') },
        },
      },
      review: {
        kind: 'task',
        status: 'in-review',
        title: text('Xem xét và ký', 'Review and sign'),
        role: 'clerk',
        unit: { from: 'filing-unit' },
        deadline: { mode: 'same-day-cutoff', remindBeforeMinutes: 60 },
        shows: ['filing.applicantPin', 'results.verify'],
        outcomes: {
          approve: { label: text('Duyệt', 'Approve'), decides: true, next: 'issue' },
          refuse: {
            label: text('Từ chối', 'Refuse'),
            decides: true,
            schema: { type: 'object', properties: { reason: { type: 'string', minLength: 3 } }, required: ['reason'] },
            next: 'refuse',
          },
        },
      },
      issue: { kind: 'issue', status: 'issuing', title: text('Cấp giấy xác nhận', 'Issue the certificate'), template: 'test-certificate', next: 'done' },
      done: { kind: 'end', status: 'issued' },
      refuse: { kind: 'end', status: 'refused', reason: text('Không đủ điều kiện', 'Not eligible') },
    },
  };
}

/**
 * A copy of `doc` with the value at a dotted path replaced (`undefined`: the key removed), e.g.
 * `changed(doc, 'steps.verify.adapter', 'population.unknown')`.
 */
export function changed<T>(doc: T, path: string, value: unknown): T {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop()!;
  let node = copy;
  for (const key of keys) {
    if (!node[key] || typeof node[key] !== 'object') throw new Error(`changed: no object at ${key} of ${path}`);
    node = node[key] as Record<string, unknown>;
  }
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy as T;
}
