import type { ActivityDeps } from '../activities';
import { PROCEDURES } from '.';

type ActivityFunction = (...args: never[]) => Promise<unknown>;

interface ProcedureActivitiesModule {
  createActivities(deps: ActivityDeps): Record<string, ActivityFunction>;
}

/**
 * Every procedure's own activities, found by convention in `procedures/<id>/activities.ts` (which
 * exports `createActivities`), so adding a procedure needs no line here. Each procedure's workflow
 * types its activity stubs from its own module.
 */
export function createProcedureActivities(deps: ActivityDeps): Record<string, ActivityFunction> {
  const all: Record<string, ActivityFunction> = {};
  for (const procedure of PROCEDURES.all) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- found by the registry's ids, on purpose
    const module = require(`./${procedure.id}/activities`) as ProcedureActivitiesModule;
    for (const [name, fn] of Object.entries(module.createActivities(deps))) {
      if (name in all) throw new Error(`Activity ${name} of ${procedure.id} is already registered by another procedure`);
      all[name] = fn;
    }
  }
  return all;
}
