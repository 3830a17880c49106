/**
 * The registry views a task step of a published definition may name in `shows` (`view:<name>`):
 * what the person deciding sees from the registries, read by the API for the task's dossier when the
 * task is opened (api/services/task-shown-views.ts implements exactly these). Any definition may name
 * any of them. Pure: no database code, so documents are checked with it wherever they are.
 */
export interface ViewSpec {
  /** What the view shows, for those writing definitions. */
  description: string;
  /** The view reads an id from the results the step also shows (`results.<step>` or `results.<step>.<key>`): this key. */
  resultKey?: string;
}

export const VIEW_SPECS = {
  'civil-status.record': {
    description:
      "The civil-status record whose id the results the step shows carry (recordId: the last of them in the order of shows, e.g. the look-up's, then the archive digitisation's): its kind, registration, book and page, and its details, identification numbers masked.",
    resultKey: 'recordId',
  },
  'population.applicant': {
    description: "The applicant (the dossier's filer) as the population data knows them: full name, date of birth, identification number masked (••••••••4127).",
  },
} as const satisfies Record<string, ViewSpec>;

export type ViewName = keyof typeof VIEW_SPECS;

export const VIEW_PREFIX = 'view:';

export const isViewName = (name: string): name is ViewName => Object.hasOwn(VIEW_SPECS, name);
