import type { Bilingual } from '../../common/bilingual';
import { formatLocalTime } from '../../common/local-time';
import { formatDuration } from '../../common/text';
import type { Dossier, PrismaClient, Task } from '../../prisma/client';
import { PROCEDURES } from '../../procedures';
import { stepWords } from '../status-words';

/**
 * Why a dossier is on a supervisor's overdue or at-risk list, in words of each language (the route
 * answers in the request's): steps by the procedure's labels, units by their names, times in the
 * city's local time. Ids (the task's, a staff member's) stay as they are: the console links them.
 */

/** What a reason reads of a task and of a dossier. */
type LateTask = Pick<Task, 'id' | 'procedure' | 'step' | 'unitCode' | 'assignee' | 'dueAt' | 'escalationLevel'>;
type DueDossier = Pick<Dossier, 'procedure' | 'currentStep' | 'dueAt'>;

/** A unit's name by its code, for the units a list names; a unit without a row is named by its code. */
export type UnitNames = ReadonlyMap<string, string>;

/** The names of the units of the dossiers' open tasks: one query per list. */
export async function unitNamesOf(prisma: PrismaClient, dossiers: ReadonlyArray<{ tasks: ReadonlyArray<Pick<Task, 'unitCode'>> }>): Promise<UnitNames> {
  const codes = [...new Set(dossiers.flatMap((d) => d.tasks.map((t) => t.unitCode)))];
  if (codes.length === 0) return new Map();
  const units = await prisma.unit.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } });
  return new Map(units.map((u) => [u.code, u.name]));
}

/** A dossier's step in words, from its procedure's labels (any version of it). */
export function dossierStep(d: Pick<Dossier, 'procedure' | 'currentStep'>): Bilingual {
  return stepWords(d.currentStep, PROCEDURES.versions(d.procedure));
}

function lateTaskReason(t: LateTask, now: Date, units: UnitNames): Bilingual {
  const step = stepWords(t.step, PROCEDURES.versions(t.procedure));
  const unit = units.get(t.unitCode) ?? t.unitCode;
  const due = formatLocalTime(t.dueAt);
  const late = now.getTime() - t.dueAt.getTime();
  const escalated = t.escalationLevel > 0;
  return {
    vi:
      `Công việc “${step.vi}” (${t.id}) tại ${unit} trễ hạn ${formatDuration(late, 'vi')} ` +
      `(hạn ${due}, ${t.assignee ? `do ${t.assignee} nhận` : 'chưa có người nhận'}${escalated ? `, đã chuyển cấp trên mức ${t.escalationLevel}` : ''})`,
    en:
      `Task “${step.en}” (${t.id}) at ${unit} is late by ${formatDuration(late, 'en')} ` +
      `(due ${due}, ${t.assignee ? `claimed by ${t.assignee}` : 'not claimed'}${escalated ? `, escalated to level ${t.escalationLevel}` : ''})`,
  };
}

/** Each late open task, or the dossier itself when none of its tasks is late. */
export function overdueReason(d: DueDossier & { tasks: readonly LateTask[] }, now: Date, units: UnitNames): Bilingual {
  const late = d.tasks.filter((t) => t.dueAt < now).map((t) => lateTaskReason(t, now, units));
  if (late.length > 0) return { vi: late.map((r) => r.vi).join('; '), en: late.map((r) => r.en).join('; ') };
  const step = dossierStep(d);
  const by = now.getTime() - d.dueAt.getTime();
  const due = formatLocalTime(d.dueAt);
  return {
    vi: `Hồ sơ trễ hạn ${formatDuration(by, 'vi')} (hạn ${due}) tại bước “${step.vi}”`,
    en: `Dossier is late by ${formatDuration(by, 'en')} (due ${due}) at step “${step.en}”`,
  };
}

/** At risk: due within the window. */
export function dueSoonReason(d: DueDossier, now: Date): Bilingual {
  const step = dossierStep(d);
  const left = d.dueAt.getTime() - now.getTime();
  const due = formatLocalTime(d.dueAt);
  return {
    vi: `Còn ${formatDuration(left, 'vi')} đến hạn (${due}), tại bước “${step.vi}”`,
    en: `Due in ${formatDuration(left, 'en')} (${due}), at step “${step.en}”`,
  };
}
