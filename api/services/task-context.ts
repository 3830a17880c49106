import type { PrismaClient } from '../../prisma/client';
import { plainText, same, ShownLookups, type ShownField, type ShownTask } from '../../common/task-shown';
import { WORKER_MODULES } from '../../procedures';
import { valueAt } from '../../procedures/defined';
import { CONTEXT_LABELS, definedShown } from './task-shown-defined';

interface WithContext {
  dossierId: string;
  context: Record<string, unknown> | null;
}

/** The filing fields a task's context names in `shows` (`filing.<path>`): tasks of procedures published as data. */
function filingPathsShown(context: Record<string, unknown> | null): string[] {
  const shows = context?.shows;
  if (!Array.isArray(shows)) return [];
  return shows.filter((s): s is string => typeof s === 'string' && s.startsWith('filing.')).map((s) => s.slice('filing.'.length));
}

/**
 * Tasks as the person deciding sees them. A step of a procedure published as data names what it
 * shows (`shows`): the earlier results, which the workflow holds, are in the context it wrote
 * (`results`); the filing's fields, which the workflow never holds, are read here from the dossier's
 * row (as amended by supplements) and added under `context.filing`, by path. Other tasks are
 * returned as they are.
 */
export async function withFilingShown<V extends WithContext>(prisma: PrismaClient, views: V[]): Promise<V[]> {
  const wanting = [...new Set(views.filter((v) => filingPathsShown(v.context).length > 0).map((v) => v.dossierId))];
  if (wanting.length === 0) return views;
  const rows = await prisma.dossier.findMany({ where: { id: { in: wanting } }, select: { id: true, data: true } });
  const filings = new Map(rows.map((r) => [r.id, r.data]));
  return views.map((view) => {
    const paths = filingPathsShown(view.context);
    if (paths.length === 0) return view;
    const filing = filings.get(view.dossierId);
    const shown: Record<string, unknown> = {};
    for (const path of paths) {
      const value = valueAt(filing, path);
      if (value !== undefined) shown[path] = value;
    }
    return { ...view, context: { ...view.context, filing: shown } };
  });
}

/**
 * The labelled fields a task shows the person deciding it (`GET /tasks/{taskId}`): what its
 * procedure's module builds when it is written as code and has a builder (`taskShown`), what its step
 * names (`shows`: filing fields, results, registry views) when it is published as data, else its
 * context's values, each under its label.
 */
export async function shownOf(prisma: PrismaClient, task: ShownTask): Promise<ShownField[]> {
  const lookups = new ShownLookups(prisma);
  const builder = WORKER_MODULES.find((m) => m.definition.id === task.procedure)?.taskShown;
  const built = builder ? await builder(task, lookups) : null;
  if (built) return built;
  const defined = await definedShown(task, lookups);
  if (defined) return defined;
  return Object.entries(task.context ?? {}).map(([key, value]) => ({ key, label: CONTEXT_LABELS[key] ?? same(key), text: plainText(value) }));
}
