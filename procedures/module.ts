import type { Bilingual } from '../common/bilingual';
import type { ActivityDeps } from '../activities/shared';
import type { ProcedureRoutes } from '../api/procedure-routes';
import type { TaskShownBuilder } from '../common/task-shown';
import type { ProcedureDefinition } from './define';

type ActivityFunction = (...args: never[]) => Promise<unknown>;

/** A body a newcomer can post as it is (dev mode's `GET /dev/demo`), and who to post it as. */
export interface DemoExample {
  as: { sub: string; role: 'citizen' | 'system' };
  /** Where to post it: `/dossiers` when absent. */
  path?: string;
  body: object;
}

/**
 * Everything a procedure brings to the server side, from its own folder: its definition, its
 * activities with the system each talks to, and HTTP routes of its own. Its workflow is the workflow
 * bundle's (`workflows/index.ts`): the API and these modules never load workflow code.
 */
export interface ProcedureModule<A extends Record<string, ActivityFunction> = Record<string, ActivityFunction>> {
  definition: ProcedureDefinition;
  createActivities(deps: ActivityDeps): A;
  /** Which system each of its activities talks to, in words of each language: supervision names it when a call keeps failing. */
  systems: { [K in keyof A]: Bilingual };
  routes?: ProcedureRoutes;
  /** What the person deciding one of its tasks sees (`GET /tasks/{taskId}`: `shown`), when its context does not say it all. */
  taskShown?: TaskShownBuilder;
  /** Demo bodies beyond the definition's own example (dev mode); keyed by what the demo directory calls them. */
  examples?: Record<string, DemoExample>;
}

/** Declares a procedure's server side, its activity names checked against `systems` (a missing one fails `tsc`). */
export function procedureModule<A extends Record<string, ActivityFunction>>(module: ProcedureModule<A>): ProcedureModule {
  return module;
}
