import { WORKER_MODULES } from '../procedures';
import { createSharedActivities, type ActivityDeps } from './shared';

export { createSharedActivities, SHARED_ACTIVITY_SYSTEMS, type ActivityDeps, type SharedActivities } from './shared';

/** Every activity the worker registers: the shared ones and each procedure's own (from the registry). */
export function createActivities(deps: ActivityDeps) {
  const all: Record<string, (...args: never[]) => Promise<unknown>> = { ...createSharedActivities(deps) };
  for (const { definition, createActivities: create } of WORKER_MODULES) {
    for (const [name, fn] of Object.entries(create(deps))) {
      if (name in all) throw new Error(`Activity ${name} of ${definition.id} is already registered`);
      all[name] = fn;
    }
  }
  return all;
}
