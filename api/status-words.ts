import type { Bilingual } from '../common/bilingual';
import type { ProcedureDefinition } from '../procedures/define';

/**
 * Statuses in words, for the problems that name one ("Hồ sơ … đã ở trạng thái “Đã hủy”"): the
 * shared lifecycle's and the tasks' from here, a procedure's own from its labels. An unknown status
 * stays as it is. (The procedure is handed in: this module is below the registry, which loads the
 * procedures' routes.)
 */
const LIFECYCLE: Record<string, Bilingual> = {
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  'awaiting-supplement': { vi: 'Chờ bổ sung hồ sơ', en: 'Awaiting a supplement' },
  'awaiting-response': { vi: 'Chờ trả lời', en: 'Awaiting a response' },
  refused: { vi: 'Từ chối', en: 'Refused' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
  lapsed: { vi: 'Hết hạn, đã đóng', en: 'Lapsed' },
};

const TASK_STATUSES: Record<string, Bilingual> = {
  open: { vi: 'Đang mở', en: 'Open' },
  claimed: { vi: 'Đã có người nhận', en: 'Claimed' },
  done: { vi: 'Đã xong', en: 'Done' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};

/** What names a procedure's statuses. */
export type StatusLabels = Pick<ProcedureDefinition, 'labels'>;

/** A dossier's status in words. */
export function statusWords(status: string, procedure?: StatusLabels): Bilingual {
  const vi = procedure?.labels.vi[status];
  if (vi !== undefined) return { vi, en: procedure?.labels.en[status] ?? status };
  return LIFECYCLE[status] ?? { vi: status, en: status };
}

export function taskStatusWords(status: string): Bilingual {
  return TASK_STATUSES[status] ?? { vi: status, en: status };
}

/**
 * A step in words: its label in the first of a procedure's versions (newest first) that names it,
 * since a dossier may be at a step a later version dropped; an unknown step as it is.
 */
export function stepWords(step: string, versions: readonly StatusLabels[]): Bilingual {
  const named = versions.find((v) => v.labels.vi[step] !== undefined);
  if (!named) return { vi: step, en: step };
  return { vi: named.labels.vi[step] ?? step, en: named.labels.en[step] ?? step };
}
