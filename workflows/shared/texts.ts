import { compose, type Bilingual, type Language, type PeopleText } from '../../common/bilingual';
import { formatLocalTime } from '../../common/local-time';
import { taskOpenedNote } from '../../common/task-notes';
import { formatDuration } from '../../common/text';
import type { AnswerKind } from '../../procedures/define';

/**
 * What the shared machinery writes for people, in both languages: the applicant's mails about the
 * dossier's end and the waits, the history notes, and the staff's mails (Vietnamese: staff read it).
 * Pure functions of their parameters, so a replay writes the same texts. Parameters that are a
 * person's own words (a reason typed by an officer) are the same in both languages.
 */

/** What of a procedure the texts name: its steps, fields and itself, by id, in each language. */
export interface Labelled {
  id: string;
  labels: Record<Language, Record<string, string>>;
}

/** The name people read for an id (a step, a field, the procedure itself); the id when none is given. */
export function labelOf(procedure: Labelled, id: string): Bilingual {
  return { vi: procedure.labels.vi[id] ?? id, en: procedure.labels.en[id] ?? id };
}

const ANSWER_WORDS: Record<AnswerKind, Bilingual> = {
  supplement: { vi: 'bổ sung hồ sơ', en: 'supplement' },
  respond: { vi: 'phản hồi', en: 'respond' },
};

/** The applicant's mails when the dossier ends before its result. */
export const endMails = {
  cancelled(dossierId: string, byOffice: boolean, reason: string | undefined): { subject: Bilingual; text: Bilingual } {
    return {
      subject: { vi: `Hồ sơ ${dossierId} đã được hủy`, en: `Dossier ${dossierId} cancelled` },
      text: byOffice
        ? { vi: `Hồ sơ ${dossierId} của bạn đã bị cơ quan giải quyết hủy.\nLý do: ${reason ?? ''}`, en: `Your dossier ${dossierId} was cancelled by the office.\nReason: ${reason ?? ''}` }
        : { vi: `Hồ sơ ${dossierId} của bạn đã được hủy theo yêu cầu của bạn.`, en: `Your dossier ${dossierId} was cancelled at your request.` },
    };
  },
  refused(dossierId: string, reason: PeopleText): { subject: Bilingual; text: Bilingual } {
    return {
      subject: { vi: `Hồ sơ ${dossierId}: từ chối giải quyết`, en: `Dossier ${dossierId}: request refused` },
      text: compose((l, t) => (l === 'vi' ? `Hồ sơ ${dossierId} của bạn bị từ chối giải quyết.\nLý do: ${t(reason)}` : `Your dossier ${dossierId} was refused.\nReason: ${t(reason)}`)),
    };
  },
  lapsed(dossierId: string, note: PeopleText): { subject: Bilingual; text: Bilingual } {
    return {
      subject: { vi: `Hồ sơ ${dossierId} đã hết hiệu lực`, en: `Dossier ${dossierId} lapsed` },
      text: compose((l, t) => (l === 'vi' ? `Hồ sơ ${dossierId} của bạn đã hết hiệu lực.\n${t(note)}` : `Your dossier ${dossierId} has lapsed.\n${t(note)}`)),
    };
  },
};

/** A wait for the applicant: the request, its reminder, the lapse, and the history notes. */
export const waitTexts = {
  requestedNote(request: PeopleText, dueAt: string): Bilingual {
    const due = formatLocalTime(dueAt);
    return compose((l, t) => (l === 'vi' ? `${t(request)} Hạn trả lời: ${due}.` : `${t(request)} Answer by ${due}.`));
  },
  requestMail(request: PeopleText, dueAt: string): Bilingual {
    const due = formatLocalTime(dueAt);
    return compose((l, t) =>
      l === 'vi' ? `${t(request)}\nVui lòng trả lời trước ${due}; sau thời hạn này hồ sơ hết hiệu lực.` : `${t(request)}\nPlease answer by ${due}; after that the dossier lapses.`,
    );
  },
  reminderSubject(subject: PeopleText): Bilingual {
    return compose((l, t) => (l === 'vi' ? `Nhắc nhở: ${t(subject)}` : `Reminder: ${t(subject)}`));
  },
  reminderMail(request: PeopleText, dueAt: string): Bilingual {
    const due = formatLocalTime(dueAt);
    return compose((l, t) =>
      l === 'vi' ? `${t(request)}\nHồ sơ sẽ hết hiệu lực nếu không nhận được trả lời trước ${due}.` : `${t(request)}\nThe dossier lapses if no answer arrives by ${due}.`,
    );
  },
  answerDueNote(dueAt: string): Bilingual {
    const due = formatLocalTime(dueAt);
    return { vi: `Hạn trả lời ${due}`, en: `Answer due ${due}` };
  },
  lapseNote(kind: AnswerKind, round: number, dueAt: string): Bilingual {
    const due = formatLocalTime(dueAt);
    return {
      vi: `Không nhận được trả lời cho yêu cầu ${ANSWER_WORDS[kind].vi} (lần ${round}) trước ${due}.`,
      en: `No answer to the ${ANSWER_WORDS[kind].en} request (round ${round}) by ${due}.`,
    };
  },
  /** The fields the applicant changed, by their names. */
  receivedNote(procedure: Labelled, round: number, fields: readonly string[]): Bilingual {
    const names = (l: Language) => fields.map((f) => labelOf(procedure, f)[l]).join(', ');
    return { vi: `Lần ${round}: đã sửa ${names('vi')}`, en: `Round ${round}: ${names('en')} changed` };
  },
  /** What a supplement asks for: each field by its name, with what is wrong with it (the clerk's words). */
  askedItems(procedure: Labelled, items: ReadonlyArray<{ field: string; problem: string }>): Bilingual {
    const list = (l: Language) => items.map((i) => `${labelOf(procedure, i.field)[l]} (${i.problem})`).join('; ');
    return { vi: list('vi'), en: list('en') };
  },
};

/** A human task's history notes (both languages) and its staff's mails (Vietnamese). */
export const taskTexts = {
  openedNote: taskOpenedNote,
  reminderMail(title: Bilingual, taskId: string, dossierId: string, dueAt: string): { subject: string; text: string } {
    const due = formatLocalTime(dueAt);
    return {
      subject: `Nhắc việc: ${title.vi} của hồ sơ ${dossierId} đến hạn ${due}`,
      text: `Công việc ${taskId} (${title.vi}) của hồ sơ ${dossierId} đến hạn ${due}. Vui lòng hoàn thành trước thời hạn.`,
    };
  },
  reminderNote(taskId: string, dueAt: string): Bilingual {
    const due = formatLocalTime(dueAt);
    return { vi: `Công việc ${taskId} đến hạn ${due}`, en: `Task ${taskId} due ${due}` };
  },
  /** How late a task is: `đã trễ 3 giờ 20 phút`, or that it has just reached its deadline. */
  lateness(lateMs: number): Bilingual {
    const late = { vi: formatDuration(lateMs, 'vi'), en: formatDuration(lateMs, 'en') };
    if (late.en === '0 min') return { vi: 'đã đến hạn', en: 'has reached its deadline' };
    return { vi: `đã trễ ${late.vi}`, en: `is late by ${late.en}` };
  },
  escalationMail(level: number, task: { taskId: string; title: Bilingual; unitCode: string; dueAt: string }, lateness: Bilingual, dossierId: string, procedure: Bilingual): { subject: string; text: string } {
    return {
      subject: `Chuyển cấp (mức ${level}): hồ sơ ${dossierId} quá hạn`,
      text:
        `Công việc ${task.taskId} (${task.title.vi}) tại ${task.unitCode} có hạn ${formatLocalTime(task.dueAt)} và ${lateness.vi}.\n` +
        `Hồ sơ ${dossierId} (${procedure.vi}) cần được quyết định.`,
    };
  },
  escalatedNote(title: Bilingual, unitCode: string, lateness: Bilingual, toUnitCode: string): Bilingual {
    return {
      vi: `${title.vi} tại ${unitCode} ${lateness.vi}: đã chuyển lãnh đạo ${toUnitCode}`,
      en: `${title.en} at ${unitCode} ${lateness.en}: escalated to the supervisors of ${toUnitCode}`,
    };
  },
};

/** Supervisors' actions: their history notes (both languages) and the escalation's mail (Vietnamese). */
export const supervisionTexts = {
  reassignedNote(title: Bilingual, fromUnitCode: string, to: string, reason: string | undefined): Bilingual {
    return {
      vi: `${title.vi}: chuyển từ ${fromUnitCode} sang ${to}${reason ? `. Lý do: ${reason}` : ''}`,
      en: `${title.en}: from ${fromUnitCode} to ${to}${reason ? `. Reason: ${reason}` : ''}`,
    };
  },
  escalationMail(e: { by: string; fromUnitCode: string; toUnitCode: string; note: string }, dossierId: string, procedure: Bilingual, at: string, waiting: string): { subject: string; text: string } {
    return {
      subject: `Chuyển cấp bởi ${e.by} (${e.fromUnitCode}): hồ sơ ${dossierId}`,
      text:
        `Lãnh đạo ${e.by} của ${e.fromUnitCode} đã chuyển hồ sơ ${dossierId} (${procedure.vi}) lên ${e.toUnitCode} ` +
        `lúc ${formatLocalTime(at)}.\nGhi chú: ${e.note}\nĐang chờ: ${waiting}.`,
    };
  },
  /** What the dossier waits on, for the escalation's mail: each open task, else the step. */
  waitingOn(open: ReadonlyArray<{ title: Bilingual; unitCode: string; dueAt: string }>, step: Bilingual): string {
    if (open.length === 0) return `bước ${step.vi}`;
    return open.map((t) => `${t.title.vi} tại ${t.unitCode}, hạn ${formatLocalTime(t.dueAt)}`).join('; ');
  },
  escalatedNote(fromUnitCode: string, toUnitCode: string, note: string): Bilingual {
    return { vi: `Chuyển cấp từ ${fromUnitCode} lên ${toUnitCode}: ${note}`, en: `Escalated from ${fromUnitCode} to ${toUnitCode}: ${note}` };
  },
};

/** The `received` line every run writes first. */
export function filedNote(unitCode: string): Bilingual {
  return { vi: `Tiếp nhận tại ${unitCode}`, en: `Filed at ${unitCode}` };
}
