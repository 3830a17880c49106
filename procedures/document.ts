import { z } from 'zod';
import { isViewName, VIEW_PREFIX, VIEW_SPECS, type ViewSpec } from './view-specs';

/**
 * A procedure as data: the document the administration publishes, one zod schema (also served as
 * JSON Schema for editors). One interpreter workflow runs any published version of it; a dossier is
 * pinned at filing to `{id, version, hash}`. Pure: the workflow bundle imports it.
 *
 * Texts people read are `{vi, en}`. Expressions (a branch's condition, an adapter's input, an issued
 * document's fields) are JSON Logic over `{facts, results}` (the workflow) or `{filing, results}`
 * (an activity, which reads the filing from the database, and also sees the filer as
 * `applicant.pin`): data, never code.
 */

export const FORMAT = 'procedure/1';

// Fields added to the format after documents were published are optional without a default: a
// document that does not use them parses, and hashes, exactly as before.

export const Text = z.strictObject({ vi: z.string().trim().min(1), en: z.string().trim().min(1) });
export type Text = z.infer<typeof Text>;

const Id = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, starting with a letter');
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM');
/** A path into the filing's data: `applicantPin`, `record.partyPins`. */
const FieldPath = z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, 'must be a field path such as record.subjectPin');
/** A JSON Schema (draft 2020-12 subset), compiled when the definition is checked. */
const JsonSchema = z.record(z.string(), z.unknown());
/** A JSON Logic expression. */
const Expression = z.union([z.record(z.string(), z.unknown()), z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown())]);

export const DeadlineSpec = z
  .strictObject({
    /** `same-day-cutoff`: the receipt day's end (the next working day's after the cut-off); `working-days`; `calendar-days`. */
    mode: z.enum(['same-day-cutoff', 'working-days', 'calendar-days']),
    days: z.number().int().min(0).max(400).default(0),
    remindBeforeMinutes: z.number().int().min(0).max(60 * 24 * 60),
    cutoffTime: HHMM.default('15:00'),
    endOfDayTime: HHMM.default('17:00'),
    secondEscalationAfterWorkingDays: z.number().int().min(0).max(60).default(2),
  })
  .refine((d) => d.mode === 'same-day-cutoff' || d.days > 0, { path: ['days'], message: 'must be at least 1 unless mode is same-day-cutoff' })
  .refine((d) => d.cutoffTime <= d.endOfDayTime, { path: ['cutoffTime'], message: 'must not be after endOfDayTime' });
export type DeadlineSpec = z.output<typeof DeadlineSpec>;

/** Where a task lands: the filing unit, a unit named in the filing or by an earlier result, a fixed unit, or the one above the filing unit. */
export const UnitRef = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('filing-unit') }),
  z.strictObject({ from: z.literal('unit-above') }),
  z.strictObject({ from: z.literal('fixed'), unitCode: z.string().regex(/^[A-Z0-9-]{2,40}$/) }),
  z.strictObject({ from: z.literal('fact'), fact: FieldPath }),
  z.strictObject({ from: z.literal('result'), step: Id, path: FieldPath }),
  /** A unit code computed from what the workflow holds: JSON Logic over `{facts, results}` (e.g. an office by the kind of business). */
  z.strictObject({ from: z.literal('expression'), value: Expression }),
]);
export type UnitRef = z.infer<typeof UnitRef>;

const Next = Id;

/** A call to an outside system through a named adapter; its outcome picks the next step. */
const CheckStep = z.strictObject({
  kind: z.literal('check'),
  status: Id,
  title: Text,
  adapter: z.string().regex(/^[a-z-]+\.[a-z-]+$/, 'must name an adapter such as population.verify-persons'),
  /** The adapter's input: JSON Logic over `{filing, results}`, evaluated by the activity. */
  input: z.record(z.string(), Expression).default({}),
  outcomes: z.record(
    Id,
    z.strictObject({
      next: Next,
      label: Text,
      /** The history line's note, with `{{result.<key>}}` from the adapter's result (default: the label and the result). */
      note: Text.optional(),
      /**
       * The note is written only when this holds (JSON Logic over `{result}`, the adapter's result);
       * otherwise the line has none: nothing is told of a record the applicant is not entitled to.
       */
      noteWhen: Expression.optional(),
    }),
  ),
  /** The step the history line names, when the check belongs to another (a digitisation recorded under the archive search). */
  historyStep: Id.optional(),
});

export const TaskOutcome = z.strictObject({
  label: Text,
  /** JSON Schema of the outcome's data; absent: no data. */
  schema: JsonSchema.optional(),
  /** Once accepted, the dossier is decided: the owner can no longer cancel. */
  decides: z.boolean().default(false),
  next: Next,
});

/** A human step for a role at a unit, with a deadline in working time, reminders and escalation. */
const TaskStep = z.strictObject({
  kind: z.literal('task'),
  status: Id,
  title: Text,
  role: z.enum(['clerk', 'officer']),
  unit: UnitRef,
  deadline: DeadlineSpec,
  /**
   * The dossier's own deadline planned anew when the task opens (from then), when the law gives the
   * office more time for it (a verification): its setting is keyed `<step>/dossier`.
   */
  dossierDeadline: DeadlineSpec.optional(),
  /** Where the dossier's new deadline counts from: when the task opens (default), or the filing's receipt. */
  dossierDeadlineFrom: z.enum(['task', 'receipt']).optional(),
  /**
   * What the person deciding sees: filing fields (`filing.<path>`), earlier results (`results.<step>`)
   * and registry views (`view:<name>`, procedures/view-specs.ts) the API reads for the dossier.
   */
  shows: z
    .array(z.string().regex(/^((filing|results)\.[A-Za-z0-9.-]+|view:[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*)$/, 'must be filing.<field>, results.<step> or view:<name>'))
    .default([]),
  /** Named values the task shows besides: JSON Logic over `{facts, results, visits}` (`visits.<step>`: the how-many-th time a step runs). */
  context: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/), Expression).optional(),
  outcomes: z.record(Id, TaskOutcome),
});

/** Asks the applicant for the filing fields a task's outcome named (`items: [{field, problem}]`), then returns to `next`. */
const AwaitApplicantStep = z.strictObject({
  kind: z.literal('await-applicant'),
  title: Text,
  /** The task whose outcome data lists what is asked. */
  itemsFrom: Id,
  deadline: DeadlineSpec,
  next: Next,
});

/** Issues a document of a named template with a verification code. */
const IssueStep = z.strictObject({
  kind: z.literal('issue'),
  status: Id,
  title: Text,
  template: Id,
  /** What the document says: JSON Logic over `{filing, results}`, evaluated by the issuing activity. */
  fields: z.record(z.string(), Expression).default({}),
  /**
   * The dossier closes with this status as the document is issued (its history line is the closing
   * one); the steps after it only mail, then end with the same status.
   */
  closes: Id.optional(),
  /** Values the dossier's result carries besides the document's (an enterprise code): JSON Logic over `{facts, results}`. */
  result: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/), Expression).optional(),
  next: Next,
});

/**
 * A mail from a template: `{{dossierId}}`, `{{dueAt}}`, `{{documentCode}}`, `{{link}}`,
 * `{{results.<step>.<path>}}` and `{{facts.<path>}}` are filled in. It goes in the applicant's language.
 */
const NotifyStep = z.strictObject({
  kind: z.literal('notify'),
  to: z.union([z.literal('applicant'), z.strictObject({ unit: UnitRef, roles: z.array(z.enum(['clerk', 'officer', 'supervisor'])).min(1) })]),
  subject: Text,
  text: Text,
  next: Next,
});

/** A branch on data the workflow may see (`facts`, `results`): the first case whose condition holds. */
const BranchStep = z.strictObject({
  kind: z.literal('branch'),
  cases: z.array(z.strictObject({ when: Expression, next: Next })).min(1),
  otherwise: Next,
});

/** Closes the dossier: with a status of the definition's, or `refused` with the reason the applicant is told. */
const EndStep = z.strictObject({
  kind: z.literal('end'),
  status: Id,
  /**
   * For `refused`: why, in words for the applicant. `{{reason}}` in it is the reason the deciding
   * person gave; without it their reason, when they gave one, is told instead. `{{results.…}}` as in a mail.
   */
  reason: Text.optional(),
});

export const Step = z.discriminatedUnion('kind', [CheckStep, TaskStep, AwaitApplicantStep, IssueStep, NotifyStep, BranchStep, EndStep]);
export type Step = z.output<typeof Step>;

export const ProcedureDocument = z.strictObject({
  format: z.literal(FORMAT),
  id: Id,
  version: z.number().int().min(1),
  title: Text,
  legalBasis: Text,
  /** Three letters that start its dossier codes. */
  codePrefix: z.string().regex(/^[A-Z]{3}$/, 'must be three capital letters'),
  openedBy: z.enum(['citizen', 'administration']).default('citizen'),
  /** The kinds of unit it is filed at. */
  filedAt: z.array(z.enum(['CITY', 'DEPARTMENT', 'DIVISION', 'DISTRICT', 'WARD'])).min(1),
  filing: z.strictObject({
    /** JSON Schema of `data` (with titles for forms). */
    schema: JsonSchema,
    /** Fields that name registry rows: the API checks they exist (400 naming each unknown one). */
    lookups: z.array(z.strictObject({ field: FieldPath, kind: z.enum(['unit', 'ward', 'business-line']) })).default([]),
    /** The people to verify against the population data, declared once: the `population.verify-persons` adapter reads them. */
    persons: z
      .array(z.strictObject({ pin: FieldPath, fullName: FieldPath.optional(), birthDate: FieldPath.optional(), role: Text }))
      .default([]),
    /** Fields besides the filer who own the dossier (identification numbers; arrays allowed). */
    owners: z.array(FieldPath).default([]),
    /** Fields the workflow may see, to branch on: never personal data. */
    facts: z.array(FieldPath).default([]),
    /** Rules across fields that JSON Schema cannot state: each must hold (JSON Logic over the filing), else 400 at its path. */
    rules: z.array(z.strictObject({ holds: Expression, path: FieldPath, message: Text })).optional(),
    /**
     * Who may file what, and where: each must hold (JSON Logic over `{filing, filer: {pin}, unit: {code,
     * kind}}`, the unit filed at), else 422 with its message (e.g. the filer must be among the founders).
     */
    admissible: z.array(z.strictObject({ holds: Expression, message: Text })).optional(),
  }),
  deadlines: z.strictObject({ dossier: DeadlineSpec }),
  statuses: z.record(Id, z.strictObject({ label: Text, closes: z.boolean().default(false) })),
  start: Id,
  steps: z.record(Id, Step),
  /** Names of filing fields and history events, by id, as people read them. */
  labels: z.record(z.string(), Text).default({}),
  /** The example a newcomer can post as it is (`GET /dev/demo`). */
  example: z.strictObject({ as: z.string(), unitCode: z.string(), data: z.record(z.string(), z.unknown()) }).optional(),
});
export type ProcedureDocument = z.output<typeof ProcedureDocument>;
export type ProcedureDocumentInput = z.input<typeof ProcedureDocument>;

/** Statuses the shared lifecycle gives every procedure; `refused`, `cancelled` and `lapsed` close a dossier. */
export const SHARED_END_STATUSES = ['refused', 'cancelled', 'lapsed'] as const;

/** What an adapter promises: its outcomes (for the checks of a definition) and the input keys it takes. */
export interface AdapterSpec {
  outcomes: readonly string[];
  input: readonly string[];
}

export interface DefinitionProblem {
  path: string;
  message: string;
}

/**
 * The rules a well-formed document must also keep, each problem with its path: every adapter known
 * and its outcomes covered, every `next` a step, every step reachable from `start`, every status
 * declared, every outcome schema a valid JSON Schema (`compiles`), an await-applicant after a task.
 */
export function checkDocument(
  doc: ProcedureDocument,
  adapters: Readonly<Record<string, AdapterSpec>>,
  compiles: (schema: Record<string, unknown>) => string | undefined,
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const at = (path: string, message: string) => problems.push({ path, message });
  const steps = doc.steps;
  const isStatus = (s: string) => s in doc.statuses || (SHARED_END_STATUSES as readonly string[]).includes(s);
  const schemaProblem = compiles(doc.filing.schema);
  if (schemaProblem) at('filing.schema', schemaProblem);
  if (!(doc.start in steps)) at('start', `no step ${doc.start}`);

  for (const [id, step] of Object.entries(steps)) {
    const here = `steps.${id}`;
    const needStep = (path: string, next: string) => {
      if (!(next in steps)) at(path, `no step ${next}`);
    };
    if ('status' in step && step.kind !== 'end' && !(step.status in doc.statuses)) at(`${here}.status`, `no status ${step.status} in statuses`);
    switch (step.kind) {
      case 'check': {
        const adapter = adapters[step.adapter];
        if (!adapter) {
          at(`${here}.adapter`, `unknown adapter ${step.adapter} (known: ${Object.keys(adapters).sort().join(', ')})`);
          break;
        }
        for (const outcome of adapter.outcomes) if (!(outcome in step.outcomes)) at(`${here}.outcomes`, `outcome ${outcome} of ${step.adapter} has no next step`);
        for (const outcome of Object.keys(step.outcomes)) if (!adapter.outcomes.includes(outcome)) at(`${here}.outcomes.${outcome}`, `${step.adapter} has no outcome ${outcome}`);
        for (const key of Object.keys(step.input)) if (!adapter.input.includes(key)) at(`${here}.input.${key}`, `${step.adapter} takes no input ${key}`);
        for (const [outcome, o] of Object.entries(step.outcomes)) needStep(`${here}.outcomes.${outcome}.next`, o.next);
        if (step.historyStep !== undefined && !(step.historyStep in steps)) at(`${here}.historyStep`, `no step ${step.historyStep}`);
        break;
      }
      case 'task':
        if (Object.keys(step.outcomes).length === 0) at(`${here}.outcomes`, 'a task needs at least one outcome');
        for (const [outcome, o] of Object.entries(step.outcomes)) {
          needStep(`${here}.outcomes.${outcome}.next`, o.next);
          const problem = o.schema && compiles(o.schema);
          if (problem) at(`${here}.outcomes.${outcome}.schema`, problem);
        }
        if (step.unit.from === 'result' && !(step.unit.step in steps)) at(`${here}.unit.step`, `no step ${step.unit.step}`);
        if (step.unit.from === 'fact' && !doc.filing.facts.includes(step.unit.fact)) at(`${here}.unit.fact`, `${step.unit.fact} is not among filing.facts`);
        if (step.dossierDeadlineFrom && !step.dossierDeadline) at(`${here}.dossierDeadlineFrom`, 'needs a dossierDeadline');
        step.shows.forEach((shown, i) => {
          const problem = viewProblem(step.shows, shown);
          if (problem) at(`${here}.shows.${i}`, problem);
        });
        break;
      case 'await-applicant': {
        const source = steps[step.itemsFrom];
        if (source?.kind !== 'task') at(`${here}.itemsFrom`, `${step.itemsFrom} is not a task`);
        needStep(`${here}.next`, step.next);
        break;
      }
      case 'issue':
        needStep(`${here}.next`, step.next);
        if (step.closes !== undefined) {
          const problem = closingProblem(doc, step.next, step.closes);
          if (problem) at(`${here}.closes`, problem);
        }
        break;
      case 'notify':
        needStep(`${here}.next`, step.next);
        break;
      case 'branch':
        step.cases.forEach((c, i) => needStep(`${here}.cases.${i}.next`, c.next));
        needStep(`${here}.otherwise`, step.otherwise);
        break;
      case 'end':
        if (!isStatus(step.status)) at(`${here}.status`, `no status ${step.status} in statuses`);
        if (step.status === 'refused' && !step.reason) at(`${here}.reason`, 'a refusal needs the reason the applicant is told');
        if (step.status !== 'refused' && step.status in doc.statuses && !doc.statuses[step.status]!.closes) at(`${here}.status`, `${step.status} does not close a dossier (closes: true)`);
        break;
    }
  }

  const reached = reachable(doc);
  for (const id of Object.keys(steps)) if (!reached.has(id)) at(`steps.${id}`, `no step leads to ${id}`);
  if (![...reached].some((id) => steps[id]?.kind === 'end')) at('steps', 'no end step is reachable');
  return problems;
}

/** A `view:<name>` entry of a task's `shows` naming no known view, or one whose id no shown result carries. */
function viewProblem(shows: readonly string[], shown: string): string | undefined {
  if (!shown.startsWith(VIEW_PREFIX)) return undefined;
  const name = shown.slice(VIEW_PREFIX.length);
  if (!isViewName(name)) return `unknown view ${name} (known: ${Object.keys(VIEW_SPECS).sort().join(', ')})`;
  const spec: ViewSpec = VIEW_SPECS[name];
  if (spec.resultKey && !shows.some((s) => s.startsWith('results.'))) return `view ${name} reads the ${spec.resultKey} of a result the step shows: name results.<step>`;
  return undefined;
}

/** An issue step that closes the dossier leads, through mails only, to an end with the status it closed with. */
function closingProblem(doc: ProcedureDocument, next: string, status: string): string | undefined {
  if (!doc.statuses[status]?.closes) return `${status} is not a status that closes a dossier (closes: true)`;
  const seen = new Set<string>();
  let id = next;
  for (let step = doc.steps[id]; step?.kind === 'notify' && !seen.has(id); step = doc.steps[id]) {
    seen.add(id);
    id = step.next;
  }
  const end = doc.steps[id];
  if (end?.kind !== 'end' || end.status !== status) return `after the document only mails may follow, then an end with status ${status}`;
  return undefined;
}

/** The steps a step may lead to. */
export function nextSteps(step: Step): string[] {
  switch (step.kind) {
    case 'check':
    case 'task':
      return Object.values(step.outcomes).map((o) => o.next);
    case 'branch':
      return [...step.cases.map((c) => c.next), step.otherwise];
    case 'end':
      return [];
    default:
      return [step.next];
  }
}

function reachable(doc: ProcedureDocument): Set<string> {
  const seen = new Set<string>();
  const queue = [doc.start];
  while (queue.length > 0) {
    const id = queue.pop()!;
    const step = doc.steps[id];
    if (seen.has(id) || !step) continue;
    seen.add(id);
    queue.push(...nextSteps(step));
  }
  return seen;
}
