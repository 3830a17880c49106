import { patched, proxyActivities } from '@temporalio/workflow';
import type { SharedActivities } from '../activities';
import { apply, truthy, type RulesLogic } from 'json-logic-js';
import type { Bilingual, PeopleText } from '../common/bilingual';
import { formatLocalTime } from '../common/local-time';
import type { Decision, ProcedureDefinition, StepDefinition } from '../procedures/define';
import { deadlineKeyOf, parseSupplementFields } from '../procedures/define';
import { amendFacts, dossierDeadlineKey, INTERPRETER_EVENTS, RECEIVE_STEP, valueAt, type DefinedRequest } from '../procedures/defined';
import type { ProcedureDocument, Step, Text, UnitRef } from '../procedures/document';
import type { StepResults } from '../activities/adapters';
import { notifications, REGISTRY_CALLS, registries, store } from './shared/activity-stubs';
import { nowIso } from './shared/clock';
import { DossierRun } from './shared/dossier-run';
import { TASK_IN_ONE_CALL, type HumanTaskOptions } from './shared/human-tasks';
import type { RowFields } from './shared/run-context';
import { interpretedDocument } from './interpreted-documents';
import { filedNote, waitTexts } from './shared/texts';
import { documentLinks, portalLink } from './shared/links';
import type { Awaiting, DossierEventInput, DossierOutcome, DossierStart } from './shared/types';

/**
 * The interpreter: one workflow that runs any procedure published as data (procedures/document.ts),
 * on the shared machinery like the procedures written in TypeScript: human tasks with their
 * deadlines, reminders and escalations, the applicant's supplements, cancellation, refusal and
 * supervision's handlers all come from `DossierRun`.
 *
 * The dossier is pinned to the document it was filed under: the workflow's input carries it
 * (`request.definition`), and the run follows it step by step from `start`, one step at a time:
 *
 * - check: the adapter (activity `runAdapter`) answers an outcome and a result without personal
 *   data, kept as `results[step] = {outcome, ...result}` and recorded in the history;
 * - task: a human task at the unit the step names; its decision (recorded by the machinery) picks the next step;
 * - await-applicant: asks for the fields the named task's last decision listed (`items`), then the
 *   office's own deadline starts again from the answer;
 * - issue: the document with its verification code (activity `issueDefinedDocument`);
 * - notify: a mail to the applicant in their language (both, for the notification activity to pick,
 *   when the run does not know it) or to a unit's staff in Vietnamese;
 * - branch: the first case whose JSON Logic condition over `{facts, results}` holds;
 * - end: closes the dossier with its status; `refused` refuses it with the reason the deciding
 *   person gave (their outcome's `reason`), else the end step's own.
 *
 * Every call is an ordinary activity made one after the other (only a mail to the applicant goes out
 * beside the run, since MAIL_ASIDE), so a replay makes the same commands.
 */
export type DefinedProcedureInput = DossierStart<DefinedRequest>;

/** A document that cannot be followed (it passed `checkDocument`, so a bug): the workflow task fails and the dossier shows as stuck. */
export class DefinitionError extends Error {}

/** Steps in a row with nobody to wait for (checks, branches, mails) before the run is taken for a loop. */
const MAX_UNATTENDED_STEPS = 100;

/**
 * `{{link}}/document`, as documents published before the portal wrote the download link: the
 * download is on the dossier's portal page, which `{{link}}` is.
 */
const DOWNLOAD_LINK = /\{\{\s*link\s*\}\}\/document\b/g;

/** `{{name}}` in a mail's subject and text. */
const PLACEHOLDER = /\{\{\s*(dossierId|dueAt|documentCode|link|reason|(?:results|facts|result)\.[A-Za-z0-9.-]+)\s*\}\}/g;

interface IssuedDocument {
  documentCode: string;
  issuedAt: string;
  verifyUrl: string;
  downloadUrl: string;
  /** The issue step's `result` values (an enterprise code). */
  [key: string]: unknown;
}

export async function definedProcedureWorkflow(input: DefinedProcedureInput): Promise<DossierOutcome> {
  const interpreted = interpretedDocument(input.request.definition);
  if ('problem' in interpreted) throw new DefinitionError(`Dossier ${input.dossierId}: the document it was filed under is not a procedure document: ${interpreted.problem}`);
  const { doc, definition } = interpreted;
  const run = new DossierRun(input.dossierId, definition, input.unitCode, { language: input.language });
  const interpreter = new Interpreter(run, doc, definition, input);
  return run.execute(() => interpreter.follow());
}

/** The patch after which a mail to the applicant goes out beside the run (docs/versioning.md). */
export const MAIL_ASIDE = 'defined-procedure-mail-aside';

/**
 * The patch after which steps make fewer calls one after the other: a check writes nothing of its own
 * (its status is in the search attribute, its outcome's line is held for the next write:
 * `DossierRun.hold`), the `received` line goes out beside the first call, and a task's status is
 * written while its deadline is planned. The row's status may lag one check behind meanwhile.
 */
export const LEAN_STEPS = 'defined-procedure-lean-steps';

class Interpreter {
  private readonly results: StepResults = {};
  /** Each task's last decision: an await-applicant step asks for what it lists. */
  private readonly decisions: Record<string, Decision<StepDefinition>> = {};
  private readonly visits: Record<string, number> = {};
  private adapterCallCount = 0;
  private facts: Record<string, unknown>;
  /** The dossier's due instant as the applicant was told it (`{{dueAt}}`). */
  private dueAt: string;
  private issued?: IssuedDocument;
  private received = false;
  /** Row fields for the next write (a decision's instant, the deadline restarted after a supplement). */
  private pending: Omit<RowFields, 'status' | 'currentStep'> = {};
  /** The step that led here and who took it: a refusing end step names them, with their reason. */
  private cause: { step: string; actor: string; reason?: string } = { step: RECEIVE_STEP, actor: 'system' };
  private readonly calls: { registries: typeof registries; store: typeof store; notifications: typeof notifications };

  constructor(
    private readonly run: DossierRun<ProcedureDefinition>,
    private readonly doc: ProcedureDocument,
    private readonly definition: ProcedureDefinition,
    private readonly input: DefinedProcedureInput,
  ) {
    this.facts = input.request.facts ?? {};
    this.dueAt = input.dueAt;
    // Wrapped: a call that returns after the owner cancelled ends the run there.
    this.calls = { registries: run.calls(registries), store: run.calls(store), notifications: run.calls(notifications) };
  }

  /** Follows the document from its start until an end step closes the dossier. */
  async follow(): Promise<DossierOutcome> {
    let current = this.doc.start;
    let unattended = 0;
    for (;;) {
      const step = this.doc.steps[current];
      if (!step) throw new DefinitionError(`${this.doc.id} v${this.doc.version}: no step ${current}`);
      this.visits[current] = (this.visits[current] ?? 0) + 1;
      unattended = step.kind === 'task' || step.kind === 'await-applicant' ? 0 : unattended + 1;
      if (unattended > MAX_UNATTENDED_STEPS) {
        throw new DefinitionError(`${this.doc.id} v${this.doc.version}: ${MAX_UNATTENDED_STEPS} steps in a row without a task or a wait, at ${current}: a loop`);
      }
      const next = await this.take(current, step);
      if (typeof next !== 'string') return next;
      current = next;
    }
  }

  /** Takes one step: the id of the next, or the run's outcome at an end. */
  private async take(id: string, step: Step): Promise<string | DossierOutcome> {
    switch (step.kind) {
      case 'check':
        return this.check(id, step);
      case 'task':
        return this.task(id, step);
      case 'await-applicant':
        return this.awaitApplicant(id, step);
      case 'issue':
        return this.issue(id, step);
      case 'notify':
        return this.notify(id, step);
      case 'branch':
        return this.branch(step);
      case 'end':
        return this.end(id, step);
    }
  }

  private async check(id: string, step: Extract<Step, { kind: 'check' }>): Promise<string> {
    const lean = patched(LEAN_STEPS);
    if (lean) this.run.enter(step.status, id, this.pending.dueAt);
    else await this.advance(step.status, id);
    // The `received` line, when not written yet, is written (with this status) while the adapter runs.
    const received = lean ? this.ensureReceived({ status: step.status, currentStep: id }) : Promise.resolve();
    const { dossierId } = this.input;
    const answer = this.adapterCalls(step.adapter, lean).runAdapter({
      dossierId,
      procedure: this.doc.id,
      step: id,
      adapter: step.adapter,
      input: step.input,
      results: this.results,
      persons: this.doc.filing.persons,
    });
    let answered: Awaited<typeof answer>;
    try {
      answered = await answer;
    } finally {
      await received;
    }
    const { outcome, result } = answered;
    const chosen = step.outcomes[outcome];
    if (!chosen) throw new DefinitionError(`${step.adapter} answered ${outcome}, which step ${id} does not handle`);
    this.results[id] = { ...result, outcome };
    const historyStep = step.historyStep ?? id;
    const event = { step: historyStep, actor: 'system', outcome, note: this.checkNote(chosen, result) };
    // Since LEAN_STEPS the outcome's line goes with the next write (the next step's status, the task's opening).
    if (lean) this.run.hold(event);
    else await this.run.record(event);
    this.cause = { step: historyStep, actor: 'system' };
    return chosen.next;
  }

  /**
   * The stub a check calls its adapter through. Since LEAN_STEPS each call's activity id names the
   * adapter (`population.verify-persons#1`): supervision tells which system a stuck dossier waits on.
   */
  private adapterCalls(adapter: string, lean: boolean): typeof registries {
    if (!lean) return this.calls.registries;
    this.adapterCallCount += 1;
    return this.run.calls(proxyActivities<SharedActivities>({ ...REGISTRY_CALLS, activityId: `${adapter}#${this.adapterCallCount}` }));
  }

  /**
   * A check's history note: its outcome's own (with the result filled in), else the label and the
   * result; none when the outcome's `noteWhen` does not hold of the result.
   */
  private checkNote(chosen: { label: Text; note?: Text; noteWhen?: unknown }, result: Record<string, unknown>): Bilingual | undefined {
    if (chosen.noteWhen !== undefined && !truthy(apply(chosen.noteWhen as RulesLogic, { result }))) return undefined;
    if (chosen.note) return this.fillBoth(chosen.note, { result });
    const found = Object.entries(result).map(([key, value]) => `${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    return { vi: [chosen.label.vi, ...found].join('; '), en: [chosen.label.en, ...found].join('; ') };
  }

  private async task(id: string, step: Extract<Step, { kind: 'task' }>): Promise<string> {
    let dossierDeadline: HumanTaskOptions<StepDefinition>['dossierDeadline'];
    if (step.dossierDeadline) {
      // The office is given more time from here on (a verification, an archive search): the dossier's due date moves with the status.
      const from = step.dossierDeadlineFrom === 'receipt' ? this.input.receivedAt : nowIso();
      const deadline = { procedure: deadlineKeyOf(this.definition), step: dossierDeadlineKey(id), unitCode: this.input.unitCode, from };
      // Since TASK_IN_ONE_CALL the call that opens the task plans it and writes it with the status.
      if (patched(TASK_IN_ONE_CALL)) {
        dossierDeadline = {
          deadline,
          planned: (dueAt) => {
            this.dueAt = dueAt;
            this.run.moveDueAt(dueAt);
          },
        };
      } else {
        const plan = await this.calls.store.planDeadlines(deadline);
        this.dueAt = plan.dueAt;
        this.pending.dueAt = plan.dueAt;
      }
    }
    const definition = this.definition.steps[id];
    if (!definition) throw new DefinitionError(`no task step ${id} in the definition`);
    let alongside: (() => Promise<void>) | undefined;
    let enters: HumanTaskOptions<StepDefinition>['enters'];
    // Since LEAN_STEPS the status is written with the task's opening: beside its deadline's plan, or
    // since TASK_IN_ONE_CALL by the call that opens it (HumanTasks takes the one its patch says).
    if (patched(LEAN_STEPS)) {
      alongside = () => this.advance(step.status, id);
      enters = () => this.entering(step.status, id);
    } else await this.advance(step.status, id);
    const unitCode = await this.unitOf(step.unit);
    const context = this.contextOf(step.shows, step.context);
    const decision = await this.run.humanTask(definition, {
      unitCode,
      ...(context ? { context } : {}),
      ...(alongside ? { alongside } : {}),
      ...(enters ? { enters } : {}),
      ...(dossierDeadline ? { dossierDeadline } : {}),
    });
    this.decisions[id] = decision;
    const chosen = step.outcomes[decision.outcome]!;
    const reason = typeof decision.data.reason === 'string' && decision.data.reason.trim() !== '' ? decision.data.reason : undefined;
    this.cause = { step: id, actor: `${step.role}:${decision.completedBy}`, reason };
    if (chosen.decides) this.pending.decidedAt = nowIso();
    return chosen.next;
  }

  private async awaitApplicant(id: string, step: Extract<Step, { kind: 'await-applicant' }>): Promise<string> {
    await this.ensureReceived();
    const { dossierId } = this.input;
    const items = itemsOf(this.decisions[step.itemsFrom]?.data);
    if (items.length === 0) throw new DefinitionError(`${id}: the last decision of ${step.itemsFrom} lists no items to ask for`);
    const requested = items.map((i) => i.field);
    const asked = waitTexts.askedItems(this.definition, items);
    const changes = await this.run.waits.waitFor('supplement', {
      items,
      deadlineStep: id,
      parse: (data) => parseSupplementFields(this.definition.filing, requested, data),
      describe: {
        subject: { vi: `Hồ sơ ${dossierId}: đề nghị bổ sung`, en: `Dossier ${dossierId}: please supplement your application` },
        request: { vi: `${step.title.vi}: ${asked.vi}.`, en: `${step.title.en}: ${asked.en}.` },
      },
    });
    this.facts = amendFacts(this.doc, this.facts, changes);
    // The office's time starts again from the completed dossier.
    const plan = await this.calls.store.planDeadlines({ procedure: deadlineKeyOf(this.definition), step: 'dossier', unitCode: this.input.unitCode, from: nowIso() });
    this.dueAt = plan.dueAt;
    this.pending.dueAt = plan.dueAt;
    this.cause = { step: id, actor: 'citizen' };
    return step.next;
  }

  private async issue(id: string, step: Extract<Step, { kind: 'issue' }>): Promise<string> {
    await this.advance(step.status, id);
    const { dossierId, publicBaseUrl } = this.input;
    const document = await this.calls.store.issueDefinedDocument({
      dossierId,
      procedure: this.doc.id,
      template: step.template,
      title: step.title,
      fields: step.fields,
      results: this.results,
    });
    this.issued = {
      ...this.evaluate(step.result ?? {}),
      documentCode: document.code,
      issuedAt: document.issuedAt,
      ...documentLinks(publicBaseUrl, dossierId, document.code),
    };
    this.results[id] = { outcome: INTERPRETER_EVENTS.issued, documentCode: document.code, issuedAt: document.issuedAt };
    const note = { vi: `${step.title.vi}, mã xác thực ${document.code}`, en: `${step.title.en}, verification code ${document.code}` };
    const event = { step: id, actor: 'system', outcome: INTERPRETER_EVENTS.issued, note } as const;
    this.cause = { step: id, actor: 'system' };
    // Issued, the dossier is done: it closes with the document, and the mails after it go from a closed dossier.
    if (step.closes) await this.run.close(step.closes, event, { result: { ...this.issued }, ...this.takePending() });
    else await this.run.record(event);
    return step.next;
  }

  private async notify(id: string, step: Extract<Step, { kind: 'notify' }>): Promise<string> {
    // Since LEAN_STEPS the `received` line waits for the next write: a mail needs no line before it.
    if (!patched(LEAN_STEPS)) await this.ensureReceived();
    const visit = this.visits[id] ?? 1;
    // One mail per step and visit: a retried activity sends nothing twice, a loop sends each round's.
    const key = visit > 1 ? `mail/${id}/${visit}` : `mail/${id}`;
    const subject = this.fillBoth(step.subject);
    const text = this.fillBoth(step.text);
    // The applicant reads their language (the run picks it, or the notification activity); the office's staff read Vietnamese.
    if (step.to === 'applicant') {
      const sent = this.run.notifyApplicant(key, subject, text);
      // Since MAIL_ASIDE the run goes on while the mail is out (mails still go one after the other, and
      // the run ends only once each is out): a receipt no longer holds up the first check, nor does an
      // SMTP outage. Runs recorded before it waited for each mail.
      if (!patched(MAIL_ASIDE)) await sent;
    } else {
      const unitCode = await this.unitOf(step.to.unit);
      await this.calls.notifications.notifyUnitStaff({ unitCode, roles: step.to.roles, key: `${this.input.dossierId}/${key}`, subject: subject.vi, text: text.vi });
    }
    return step.next;
  }

  private branch(step: Extract<Step, { kind: 'branch' }>): string {
    for (const c of step.cases) if (truthy(this.evaluateOne(c.when))) return c.next;
    return step.otherwise;
  }

  private async end(id: string, step: Extract<Step, { kind: 'end' }>): Promise<DossierOutcome> {
    await this.ensureReceived();
    const { dossierId } = this.input;
    if (step.status === 'refused') this.run.refuse(this.cause.step, this.cause.actor, this.refusalReason(step.reason));
    // An issue step closed it already (`closes`): the end only finishes the run.
    if (this.run.closed) return this.run.finish({ dossierId, status: step.status, ...(this.issued ? { documentCode: this.issued.documentCode } : {}) });
    const label = this.doc.statuses[step.status]?.label;
    const result = this.issued ? { ...this.issued } : {};
    await this.run.close(step.status, { step: id, actor: 'system', outcome: INTERPRETER_EVENTS.closed, note: label ?? step.status }, { result, ...this.takePending() });
    return this.run.finish({ dossierId, status: step.status, ...(this.issued ? { documentCode: this.issued.documentCode } : {}) });
  }

  /**
   * What a refused applicant is told: the end step's reason with `{{reason}}` (the deciding person's)
   * filled in; without the placeholder, the deciding person's reason when they gave one, else the step's.
   */
  private refusalReason(text: Text | undefined): PeopleText {
    const given = this.cause.reason;
    if (!text) return given ?? { vi: 'Hồ sơ không được chấp thuận.', en: 'Refused.' };
    const mentions = (t: string) => /\{\{\s*reason\s*\}\}/.test(t);
    if (given !== undefined && !mentions(text.vi) && !mentions(text.en)) return given;
    return this.fillBoth(text);
  }

  /** Expressions over what the workflow holds: `{facts, results, visits}`. */
  private evaluateOne(expression: unknown): unknown {
    return apply(expression as RulesLogic, { facts: this.facts, results: this.results, visits: this.visits });
  }

  private evaluate(expressions: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(expressions).map(([key, expression]) => [key, this.evaluateOne(expression)]));
  }

  // -------------------------------------------------------------------------------------------

  /** A new status and step; the dossier's first write carries its `received` line. */
  private async advance(status: string, step: string): Promise<void> {
    await this.run.advance(status, step, this.takePending(), this.receivedEvent());
  }

  /**
   * A new status and step for a call that writes the dossier itself (a task opened in one call): in
   * the search attributes now; the row's fields and the lines (the `received` line on the run's first
   * write) for the call to write.
   */
  private entering(status: string, step: string): { fields: RowFields; earlier: DossierEventInput[] } {
    const fields = this.takePending();
    this.run.enter(status, step, fields.dueAt);
    const received = this.receivedEvent();
    return { fields: { status, currentStep: step, ...fields }, earlier: this.run.takeLines(received) };
  }

  /** Before a step that writes no status: the `received` line, if the run has not written it yet. */
  private async ensureReceived(fields: Pick<RowFields, 'status' | 'currentStep'> = {}): Promise<void> {
    const event = this.receivedEvent();
    if (event) await this.run.record(event, { ...this.takePending(), ...fields });
  }

  private receivedEvent() {
    if (this.received) return undefined;
    this.received = true;
    const actor = this.doc.openedBy === 'administration' ? 'system' : 'citizen';
    return { step: RECEIVE_STEP, actor, outcome: 'received', note: filedNote(this.input.unitCode) } as const;
  }

  private takePending(): Omit<RowFields, 'status' | 'currentStep'> {
    const fields = this.pending;
    this.pending = {};
    return fields;
  }

  /** The unit a task or a mail goes to. */
  private async unitOf(ref: UnitRef): Promise<string> {
    switch (ref.from) {
      case 'filing-unit':
        return this.input.unitCode;
      case 'fixed':
        return ref.unitCode;
      case 'fact':
        return unitCode(valueAt(this.facts, ref.fact), `the fact ${ref.fact}`);
      case 'result':
        return unitCode(valueAt(this.results[ref.step], ref.path), `results.${ref.step}.${ref.path}`);
      case 'unit-above':
        return (await this.calls.store.unitAbove({ unitCode: this.input.unitCode })).unitCode;
      case 'expression':
        return unitCode(this.evaluateOne(ref.value), 'the unit expression');
    }
  }

  /**
   * What a task shows: the `shows` list as the document gives it (the API resolves the filing's
   * fields, which the workflow does not hold) and the earlier results it names.
   */
  private contextOf(shows: readonly string[], named: Record<string, unknown> = {}): Record<string, unknown> | undefined {
    if (shows.length === 0 && Object.keys(named).length === 0) return undefined;
    const values = this.evaluate(named);
    if (shows.length === 0) return values;
    const results: Record<string, unknown> = {};
    for (const path of shows) {
      if (!path.startsWith('results.')) continue;
      const [stepId = '', ...rest] = path.slice('results.'.length).split('.');
      const value = rest.length > 0 ? valueAt(this.results[stepId], rest.join('.')) : this.results[stepId];
      if (value !== undefined) results[path.slice('results.'.length)] = value;
    }
    return { ...values, shows: [...shows], results };
  }

  /** Both languages of a text, each with its placeholders filled in. */
  private fillBoth(text: Text, extra: { result?: Record<string, unknown> } = {}): Bilingual {
    return { vi: this.fill(text.vi, extra), en: this.fill(text.en, extra) };
  }

  /** A text's placeholders filled in: the dossier's, a refusal's `{{reason}}`, and values the workflow holds (never personal data). */
  private fill(template: string, extra: { result?: Record<string, unknown> } = {}): string {
    const { dossierId, publicBaseUrl } = this.input;
    const values: Record<string, string> = {
      dossierId,
      dueAt: formatLocalTime(this.dueAt),
      documentCode: this.issued?.documentCode ?? '',
      link: portalLink(publicBaseUrl, dossierId),
      reason: this.cause.reason ?? '',
    };
    const scope = { facts: this.facts, results: this.results, result: extra.result ?? {} };
    return template.replace(DOWNLOAD_LINK, '{{link}}').replace(PLACEHOLDER, (_match, name: string) => values[name] ?? asText(valueAt(scope, name)));
  }
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : Array.isArray(value) ? value.map(asText).join(', ') : JSON.stringify(value);
}

function unitCode(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new DefinitionError(`${what} names no unit (got ${JSON.stringify(value ?? null)})`);
  return value;
}

/** The `items` of a decision's data: what a supplement asks for. */
function itemsOf(data: Record<string, unknown> | undefined): Awaiting['items'] {
  const items = data?.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item: unknown) => {
    const { field, problem } = (item ?? {}) as { field?: unknown; problem?: unknown };
    return typeof field === 'string' && typeof problem === 'string' ? [{ field, problem }] : [];
  });
}
