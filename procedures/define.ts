import type { z } from 'zod';
import type { Language } from '../common/bilingual';
import type { DeadlinePolicy } from '../common/calendar';
import type { Bilingual } from '../common/bilingual';

/**
 * The shape of a procedure: what one folder under procedures/ declares. Everything else (the API's
 * filing and outcome validation, the OpenAPI document, the deadline settings seeded into the
 * database, the workflow's update validators, the test fakes) is derived from these objects, so a
 * rule is stated once. Pure zod and data: the workflow bundle imports it too.
 */

/** A step's deadline defaults, as a `DeadlineSetting` row holds them (the row, once seeded, wins). */
export function deadline(policy: Pick<DeadlinePolicy, 'mode' | 'workingDays' | 'remindBeforeMinutes'> & Partial<DeadlinePolicy>): DeadlinePolicy {
  return { cutoffTime: '15:00', endOfDayTime: '17:00', secondEscalationAfterWorkingDays: 2, ...policy };
}

/** Each outcome of a human step and the schema of the data it carries. */
export type Outcomes = Record<string, z.ZodType<Record<string, unknown>>>;

export interface StepDefinition<O extends Outcomes = Outcomes> {
  /** The step's key: task rows, deadline settings and history lines name it. */
  id: string;
  title: string;
  outcomes: O;
  /** Outcomes that decide the dossier: once one is accepted, the owner can no longer cancel. */
  decisions: readonly string[];
  /** Who works on it (the inbox it lands in). */
  role: 'clerk' | 'officer';
  deadline: DeadlinePolicy;
}

export function step<const O extends Outcomes>(
  id: string,
  spec: Omit<StepDefinition<O>, 'id' | 'decisions'> & { decisions: ReadonlyArray<keyof O & string> },
): StepDefinition<O> {
  return { id, ...spec };
}

/** What the workflow receives when a task is completed: the outcome and its parsed data, typed per outcome. */
export type Decision<S extends StepDefinition> = {
  [K in keyof S['outcomes'] & string]: {
    taskId: string;
    outcome: K;
    data: z.output<S['outcomes'][K]>;
    note?: string;
    completedBy: string;
  };
}[keyof S['outcomes'] & string];

/** The languages people read: Vietnamese first, English on request. */
export { LANGUAGES, type Language } from '../common/bilingual';

/** Applicants' answers a procedure may wait for, each through its own endpoint and Update. */
export const ANSWER_KINDS = ['supplement', 'respond'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** Statuses every procedure shares: the lifecycle around its own steps. */
export const LIFECYCLE_STATUSES = ['received', 'awaiting-supplement', 'awaiting-response', 'refused', 'cancelled', 'lapsed'] as const;
export const LIFECYCLE_CLOSED_STATUSES = ['refused', 'cancelled', 'lapsed'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/** History outcomes the shared machinery records, whatever the procedure. */
export type MachineryOutcome =
  | 'received'
  | 'task-opened'
  | 'reminder-sent'
  | `escalated-level-${number}`
  | 'escalated-by-hand'
  | 'reassigned'
  | `${AnswerKind}-requested`
  | `${AnswerKind}-received`
  | 'cancelled'
  | 'refused'
  | 'lapsed';

/** The statuses a procedure's dossier can take: the lifecycle's and its own (a typo fails `tsc`). */
export type StatusOf<P extends Pick<ProcedureDefinition, 'statuses'>> = LifecycleStatus | P['statuses'][number];

/** The outcomes of a procedure's human steps. */
export type DecisionOutcome<S extends Record<string, StepDefinition>> = { [K in keyof S]: keyof S[K]['outcomes'] & string }[keyof S];

/** The history outcomes a procedure's dossier can record: the machinery's, its own events and its steps' decisions. */
export type OutcomeOf<P extends Pick<ProcedureDefinition, 'events' | 'steps'>> = MachineryOutcome | P['events'][number] | DecisionOutcome<P['steps']>;

/** Registries a filing field can reference: any unit, a ward, a line of business (VSIC code). */
export type LookupKind = 'unit' | 'ward' | 'business-line';

export interface FilingContext {
  /** Who files: a citizen's personal identification number. */
  filerPin: string;
  /** The unit the dossier is filed at. */
  unit: { code: string; kind: string };
}

export interface ProcedureDefinition<F extends z.ZodObject = z.ZodObject, S extends Record<string, StepDefinition> = Record<string, StepDefinition>> {
  id: string;
  title: string;
  /** Three letters that start its dossier codes (`CSE-261123-7K3M9Q`). */
  codePrefix: string;
  /** The Temporal workflow type that runs one dossier. */
  workflowType: string;
  /** `data` of `POST /dossiers`. */
  filing: F;
  /**
   * Rules on a well-formed filing, checked before anything is stored: a message refuses it (422),
   * in both languages, or English words the API knows the Vietnamese of (api/translations.ts).
   */
  admissible(filing: z.output<F>, context: FilingContext): string | Bilingual | undefined;
  /**
   * Filing fields that name registry rows (`a.b` paths; an array's every item): the API checks they
   * exist before anything is stored and answers 400 naming each unknown one.
   */
  lookups?: ReadonlyArray<{ field: string; kind: LookupKind }>;
  /**
   * What of the filing the workflow is given: only the facts that steer it, never personal data
   * (activities read that from the dossier's row). Everything else stays in the database.
   */
  facts(filing: z.output<F>): object;
  /** The citizens who own the dossier: they see it; the filer also acts on it. */
  owners(filing: z.output<F>, filerPin: string): string[];
  steps: S;
  /** Deadlines that are not a task's: `dossier` (the dossier's own, planned at filing) and others. */
  deadlines: { dossier: DeadlinePolicy } & Record<string, DeadlinePolicy>;
  /** Statuses of its own steps, in order (declared `as const`: the workflow may advance to these only). */
  statuses: readonly string[];
  /** What people read, per language, by id: its own id (its name), steps, statuses, outcomes, events and fields. */
  labels: Record<Language, Record<string, string>>;
  /** History outcomes its workflow records besides the machinery's and its steps' decisions (`as const`). */
  events: readonly string[];
  /**
   * The key of its deadline settings when not its id: each published version of a procedure as data
   * after the first has its own (`<id>@<version>`), so a dossier keeps the deadlines of the version it was filed under.
   */
  deadlineKey?: string;
  /** Those of its statuses that close a dossier (besides refused, cancelled, lapsed). */
  closedStatuses: readonly string[];
  /** The answers it may ask the applicant for (`POST /dossiers/{id}/<kind>`). */
  answers: readonly AnswerKind[];
  /**
   * Who opens its dossiers: citizens through `POST /dossiers` (the default), or the administration
   * through routes of its own (traffic fines: `POST /violations`), which `POST /dossiers` does not offer.
   */
  openedBy?: 'citizen' | 'administration';
  /** For a procedure published as data: the version and hash new filings are pinned to. */
  published?: { version: number; hash: string };
  /**
   * What the citizens' catalog says of it beyond its labels (a procedure published as data: its
   * document's legal basis and the kinds of unit it is filed at).
   */
  about?: { legalBasis?: Record<Language, string>; filedAt?: readonly string[] };
  /** A filing a newcomer can post as it is, and who to post it as (the demo data has what it needs). */
  example: { as: { sub: string; role: 'citizen' | 'system' }; body: { procedure: string; unitCode: string; data: z.input<F> } };
}

/** Every deadline a procedure declares, keyed by step, as DeadlineSetting rows. */
export function deadlineDefaults(procedure: ProcedureDefinition): Array<{ procedure: string; step: string } & DeadlinePolicy> {
  const byStep: Record<string, DeadlinePolicy> = { ...procedure.deadlines };
  for (const s of Object.values(procedure.steps)) byStep[s.id] = s.deadline;
  return Object.entries(byStep).map(([stepId, policy]) => ({ procedure: deadlineKeyOf(procedure), step: stepId, ...policy }));
}

/** Under which procedure key its deadline settings are kept (`DeadlineSetting.procedure`). */
export function deadlineKeyOf(procedure: Pick<ProcedureDefinition, 'id' | 'deadlineKey'>): string {
  return procedure.deadlineKey ?? procedure.id;
}

/** The step a task belongs to, or undefined for a step the procedure does not have. */
export function findStep(procedure: ProcedureDefinition, stepId: string): StepDefinition | undefined {
  return Object.values(procedure.steps).find((s) => s.id === stepId);
}

/**
 * A task's outcome data checked against its step's schema: the API answers 400 with the issues, the
 * workflow's Update validator refuses the completion with them. Absent data is an empty object.
 */
export function parseOutcome(
  step: StepDefinition,
  outcome: string,
  data: unknown,
): { ok: true; data: Record<string, unknown> } | { ok: false; unknownOutcome: boolean; issues: z.core.$ZodIssue[] } {
  const schema = step.outcomes[outcome];
  if (!schema) return { ok: false, unknownOutcome: true, issues: [] };
  const parsed = schema.safeParse(data ?? {});
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, unknownOutcome: false, issues: parsed.error.issues };
}

/**
 * A supplement checked against what was asked: only the requested fields of the filing may change,
 * and the filing with the answer applied must be valid as at filing. Issues are paths of `data`.
 */
export function parseSupplement(
  filing: z.ZodObject,
  current: Record<string, unknown>,
  requested: readonly string[],
  answer: Record<string, unknown>,
): { ok: true; changes: Record<string, unknown>; filing: Record<string, unknown> } | { ok: false; issues: Array<{ path: string; message: string }> } {
  const issues: Array<{ path: string; message: string }> = [];
  for (const key of Object.keys(answer)) {
    if (!requested.includes(key)) issues.push({ path: key, message: `was not asked for (asked: ${requested.join(', ')})` });
  }
  if (Object.keys(answer).length === 0) issues.push({ path: '(data)', message: `give at least one of ${requested.join(', ')}` });
  if (issues.length > 0) return { ok: false, issues };
  const parsed = filing.safeParse({ ...current, ...answer });
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(data)', message: i.message })) };
  }
  const result = parsed.data as Record<string, unknown>;
  return { ok: true, filing: result, changes: Object.fromEntries(Object.keys(answer).map((k) => [k, result[k]])) };
}

/**
 * A supplement as the workflow can check it without the filing it does not hold: only the fields
 * asked for, each valid on its own by the filing's schema (the API checks the whole filing with the
 * answer applied: `parseSupplement`). Gives the parsed changes, or what is wrong.
 */
export function parseSupplementFields(filing: z.ZodObject, requested: readonly string[], data: Record<string, unknown>): Record<string, unknown> | string {
  const problems: string[] = [];
  const changes: Record<string, unknown> = {};
  const shape: Record<string, z.ZodType> = filing.shape;
  if (Object.keys(data).length === 0) problems.push(`give at least one of ${requested.join(', ')}`);
  for (const [field, value] of Object.entries(data)) {
    const schema = shape[field];
    if (!requested.includes(field) || !schema) {
      problems.push(`${field}: was not asked for (asked: ${requested.join(', ')})`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) changes[field] = parsed.data;
    else problems.push(...parsed.error.issues.map((i) => `${[field, ...i.path.map(String)].join('.')}: ${i.message}`));
  }
  return problems.length > 0 ? problems.join('; ') : changes;
}

/** Issues as one line for a failure message: `reason: too short; record.partyPins: required`. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> | string; message: string }>): string {
  return issues
    .map((i) => {
      const path = typeof i.path === 'string' ? i.path : i.path.map(String).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

export interface ProcedureRegistry {
  all: readonly ProcedureDefinition[];
  /** Procedure ids, for enums in the API's schemas. */
  ids: [string, ...string[]];
  get(id: string): ProcedureDefinition | undefined;
  /** The procedures citizens file through `POST /dossiers`. */
  citizenFiled: readonly [ProcedureDefinition, ...ProcedureDefinition[]];
  /** Every status any procedure's dossier can have, and those that close a dossier. */
  statuses: [string, ...string[]];
  closedStatuses: readonly string[];
  /** Bumped on every change: what is built from the registry (the API's routes, its OpenAPI document) is rebuilt when it moves. */
  revision: number;
  /**
   * A procedure published as data, new or in a newer version: it replaces the entry of its id from
   * now on (new filings take it; running dossiers keep the definition they were filed under).
   * A procedure written as code is never replaced.
   */
  publish(definition: ProcedureDefinition): void;
  /**
   * A step as the newest version that has it defines it: a task of a dossier still running on an
   * older version is claimed and decided by its own step (the workflow checks the decision again
   * against the version the dossier is pinned to).
   */
  findStep(procedureId: string, stepId: string): StepDefinition | undefined;
  /** Every version the registry has held of a procedure, newest first. */
  versions(procedureId: string): readonly ProcedureDefinition[];
}

/** The registry's lists, derived once per revision. */
function derive(procedures: readonly ProcedureDefinition[]) {
  const ids = procedures.map((p) => p.id);
  // The shared lifecycle's statuses come first ('received' leads), then each procedure's own.
  const statuses = [...new Set([...LIFECYCLE_STATUSES, ...procedures.flatMap((p) => p.statuses)])];
  const citizenFiled = procedures.filter((p) => (p.openedBy ?? 'citizen') === 'citizen');
  if (citizenFiled.length === 0) throw new Error('No procedure is filed by citizens');
  return {
    byId: new Map(procedures.map((p) => [p.id, p])),
    ids: [ids[0]!, ...ids.slice(1)] as [string, ...string[]],
    citizenFiled: [citizenFiled[0]!, ...citizenFiled.slice(1)] as [ProcedureDefinition, ...ProcedureDefinition[]],
    statuses: [LIFECYCLE_STATUSES[0], ...statuses.slice(1)] as [string, ...string[]],
    closedStatuses: [...new Set([...LIFECYCLE_CLOSED_STATUSES, ...procedures.flatMap((p) => p.closedStatuses)])],
  };
}

export function procedureRegistry(initial: readonly ProcedureDefinition[], isReplaceable: (p: ProcedureDefinition) => boolean = () => false): ProcedureRegistry {
  if (initial.length === 0) throw new Error('No procedure is registered');
  let procedures = [...initial];
  let lists = derive(procedures);
  const replaced = new Map<string, ProcedureDefinition[]>();
  const versions = (id: string) => [...(lists.byId.has(id) ? [lists.byId.get(id)!] : []), ...(replaced.get(id) ?? [])];
  return {
    get all() {
      return procedures;
    },
    get ids() {
      return lists.ids;
    },
    get citizenFiled() {
      return lists.citizenFiled;
    },
    get statuses() {
      return lists.statuses;
    },
    get closedStatuses() {
      return lists.closedStatuses;
    },
    get: (id) => lists.byId.get(id),
    revision: 0,
    publish(definition) {
      const current = lists.byId.get(definition.id);
      if (current && !isReplaceable(current)) throw new Error(`Procedure ${definition.id} is written as code: a definition cannot replace it`);
      if (current) replaced.set(definition.id, [current, ...(replaced.get(definition.id) ?? [])]);
      const next = current ? procedures.map((p) => (p.id === definition.id ? definition : p)) : [...procedures, definition];
      lists = derive(next);
      procedures = next;
      this.revision += 1;
    },
    versions,
    findStep: (procedureId, stepId) => versions(procedureId).map((p) => findStep(p, stepId)).find((step) => step !== undefined),
  };
}
