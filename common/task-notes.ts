import type { Bilingual } from './bilingual';
import { formatLocalTime } from './local-time';

/**
 * The `task-opened` history line's note: the step's title, the unit whose inbox has it, and its due
 * instant. The workflow writes it (workflows/shared/texts.ts) when it planned the deadline itself;
 * the store activity that plans the deadline and opens the task in one call (`openPlannedTask`)
 * writes it once it knows the due instant. Pure: the workflow bundle imports it too.
 */
export function taskOpenedNote(title: Bilingual, unitCode: string, dueAt: string): Bilingual {
  const due = formatLocalTime(dueAt);
  return { vi: `${title.vi} tại ${unitCode}, hạn ${due}`, en: `${title.en} at ${unitCode}, due ${due}` };
}
