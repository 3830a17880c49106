import { apply, truthy, type RulesLogic } from 'json-logic-js';
import { z } from 'zod';
import type { AnswerKind, Language, ProcedureDefinition, StepDefinition } from './define';
import { deadlinePolicy, DEFINED_WORKFLOW_TYPE, dossierDeadlineKey, INTERPRETER_EVENTS, interpreterEvents, pickFacts, RECEIVE_STEP, valueAt, type DefinedRequest, type PinnedDefinition } from './defined';
import type { ProcedureDocument, Step, Text } from './document';

/**
 * A published document as the registry's entry (procedures/defined.ts): its filing and outcome
 * schemas compiled from their JSON Schemas with zod. Pure; the workflow bundle loads it only to
 * interpret a document the worker has not yet (workflows/interpreted-documents.ts).
 */

/** The shared lifecycle's closing statuses, which an end step may close with without declaring them. */
const LIFECYCLE_LABELS: Record<string, Text> = {
  refused: { vi: 'Từ chối', en: 'Refused' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
  lapsed: { vi: 'Hết hạn bổ sung', en: 'Lapsed' },
};

const EVENT_LABELS: Record<string, Text> = {
  [INTERPRETER_EVENTS.issued]: { vi: 'Đã cấp giấy tờ', en: 'Document issued' },
  [INTERPRETER_EVENTS.closed]: { vi: 'Kết thúc hồ sơ', en: 'Dossier closed' },
  [RECEIVE_STEP]: { vi: 'Tiếp nhận', en: 'Reception' },
};

/** A task's outcome without data. */
const NO_DATA_SCHEMA = { type: 'object', additionalProperties: false } as const;

/** A JSON Schema of an object as a zod object, or a clear error naming where it came from. */
export function objectSchema(schema: Record<string, unknown>, where: string): z.ZodObject {
  let compiled: z.ZodType;
  try {
    compiled = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw new Error(`${where} is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!(compiled instanceof z.ZodObject)) throw new Error(`${where} must describe an object (type: object, with its properties)`);
  return compiled;
}

/** The filing's rules across fields (`filing.rules`): each that does not hold is an issue at its path (a 400 naming it). */
function withRules(schema: z.ZodObject, rules: NonNullable<ProcedureDocument['filing']['rules']>): z.ZodObject {
  if (rules.length === 0) return schema;
  return schema.superRefine((data, ctx) => {
    for (const rule of rules) {
      // The message in both languages rides along (`params.text`): the API answers in the request's.
      if (!truthy(apply(rule.holds as RulesLogic, data))) ctx.addIssue({ code: 'custom', path: rule.path.split('.'), message: rule.message.en, params: { text: rule.message } });
    }
  });
}

/** What people read, per language: the procedure, its steps, statuses, outcomes, events and the document's own labels. */
function labelsOf(doc: ProcedureDocument, events: readonly string[]): Record<Language, Record<string, string>> {
  const texts: Record<string, Text> = { [doc.id]: doc.title, [RECEIVE_STEP]: EVENT_LABELS[RECEIVE_STEP]! };
  const add = (id: string, text: Text | undefined) => {
    if (text && !(id in texts)) texts[id] = text;
  };
  for (const [id, status] of Object.entries(doc.statuses)) add(id, status.label);
  for (const [id, step] of Object.entries(doc.steps)) {
    add(id, stepTitle(doc, step));
    if (step.kind === 'check' || step.kind === 'task') for (const [outcome, o] of Object.entries(step.outcomes)) add(outcome, o.label);
  }
  for (const event of events) add(event, EVENT_LABELS[event]);
  const all = { ...texts, ...doc.labels };
  return {
    vi: Object.fromEntries(Object.entries(all).map(([id, t]) => [id, t.vi])),
    en: Object.fromEntries(Object.entries(all).map(([id, t]) => [id, t.en])),
  };
}

/** A step's title; a branch has none, an end is named by its status, a notify by its subject. */
function stepTitle(doc: ProcedureDocument, step: Step): Text | undefined {
  switch (step.kind) {
    case 'branch':
      return undefined;
    case 'end':
      return doc.statuses[step.status]?.label ?? LIFECYCLE_LABELS[step.status];
    case 'notify':
      return step.subject;
    default:
      return step.title;
  }
}

/** Each task step as the shared machinery's human step: its outcomes' data schemas compiled from JSON Schema. */
function taskSteps(doc: ProcedureDocument): Record<string, StepDefinition> {
  const steps: Record<string, StepDefinition> = {};
  for (const [id, step] of Object.entries(doc.steps)) {
    if (step.kind !== 'task') continue;
    const outcomes = Object.fromEntries(
      Object.entries(step.outcomes).map(([outcome, o]) => [
        outcome,
        objectSchema(o.schema ?? NO_DATA_SCHEMA, `${doc.id}: steps.${id}.outcomes.${outcome}.schema`) as z.ZodType<Record<string, unknown>>,
      ]),
    );
    steps[id] = {
      id,
      title: step.title.en,
      outcomes,
      decisions: Object.entries(step.outcomes)
        .filter(([, o]) => o.decides)
        .map(([outcome]) => outcome),
      role: step.role,
      deadline: deadlinePolicy(step.deadline),
    };
  }
  return steps;
}

/** The citizens who own a dossier: the filer and the identification numbers at `filing.owners` (arrays allowed). */
function ownersOf(doc: ProcedureDocument, filing: Record<string, unknown>, filerPin: string): string[] {
  const owners = [filerPin];
  for (const path of doc.filing.owners) {
    const value = valueAt(filing, path);
    for (const pin of Array.isArray(value) ? value : [value]) if (typeof pin === 'string' && pin) owners.push(pin);
  }
  return [...new Set(owners)];
}

/**
 * The registry's entry for a published document (checked with `checkDocument` before: this throws
 * only on a filing or outcome schema that is not an object's). `hash` identifies the published
 * version; a dossier's workflow input carries the document itself (`facts` gives `{definition, facts}`).
 */
/** The kinds of unit in Vietnamese words, for a refusal to file at the wrong kind. */
const UNIT_KIND_WORDS: Readonly<Record<string, string>> = { CITY: 'thành phố', DEPARTMENT: 'sở, ngành', DIVISION: 'phòng, ban', DISTRICT: 'quận, huyện', WARD: 'phường, xã' };

export function definitionFromDocument(doc: ProcedureDocument, hash: string): ProcedureDefinition {
  const filing = withRules(objectSchema(doc.filing.schema, `${doc.id}: filing.schema`), doc.filing.rules ?? []);
  const events = interpreterEvents(doc);
  const deadlines: ProcedureDefinition['deadlines'] = { dossier: deadlinePolicy(doc.deadlines.dossier) };
  for (const [id, step] of Object.entries(doc.steps)) {
    if (step.kind === 'await-applicant') deadlines[id] = deadlinePolicy(step.deadline);
    if (step.kind === 'task' && step.dossierDeadline) deadlines[dossierDeadlineKey(id)] = deadlinePolicy(step.dossierDeadline);
  }
  const answers: AnswerKind[] = Object.values(doc.steps).some((s) => s.kind === 'await-applicant') ? ['supplement'] : [];
  const pinned: PinnedDefinition = { id: doc.id, version: doc.version, hash, document: doc };
  return {
    id: doc.id,
    title: doc.title.en,
    codePrefix: doc.codePrefix,
    workflowType: DEFINED_WORKFLOW_TYPE,
    // Version 1 keeps the id, as its settings were keyed before versions had their own.
    ...(doc.version > 1 ? { deadlineKey: `${doc.id}@${doc.version}` } : {}),
    published: { version: doc.version, hash },
    filing,
    // Where it may be filed is data too: the kinds of unit the document names.
    admissible: (data, { unit, filerPin }) => {
      if (!(doc.filedAt as readonly string[]).includes(unit.kind)) {
        const where = doc.filedAt.map((kind) => `${UNIT_KIND_WORDS[kind] ?? 'đơn vị'} (đơn vị loại ${kind})`).join(' hoặc ');
        return { vi: `Hồ sơ “${doc.title.vi}” nộp tại ${where}`, en: `${doc.title.en} is filed at a unit of kind ${doc.filedAt.join(' or ')}` };
      }
      const scope = { filing: data, filer: { pin: filerPin }, unit: { code: unit.code, kind: unit.kind } };
      const broken = (doc.filing.admissible ?? []).find((rule) => !truthy(apply(rule.holds as RulesLogic, scope)));
      return broken?.message;
    },
    lookups: doc.filing.lookups,
    facts: (data): DefinedRequest => ({ definition: pinned, facts: pickFacts(doc, data) }),
    owners: (data, filerPin) => ownersOf(doc, data, filerPin),
    steps: taskSteps(doc),
    deadlines,
    statuses: Object.keys(doc.statuses),
    labels: labelsOf(doc, events),
    events,
    closedStatuses: Object.entries(doc.statuses)
      .filter(([, s]) => s.closes)
      .map(([id]) => id),
    answers,
    openedBy: doc.openedBy,
    about: { legalBasis: doc.legalBasis, filedAt: doc.filedAt },
    example: {
      as: { sub: doc.example?.as ?? '', role: doc.openedBy === 'administration' ? 'system' : 'citizen' },
      body: { procedure: doc.id, unitCode: doc.example?.unitCode ?? '', data: doc.example?.data ?? {} },
    },
  };
}
