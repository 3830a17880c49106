import type { DeadlinePolicy } from '../common/calendar';
import type { ProcedureDefinition } from './define';
import type { DeadlineSpec, ProcedureDocument } from './document';

/**
 * A procedure published as data (procedures/document.ts) as an entry of the registry's type
 * (procedures/define.ts): the API, the deadline settings and the interpreter workflow
 * (workflows/defined-procedure.ts) see it like a procedure written in TypeScript. Pure data, without
 * zod: the workflow bundle imports it; the entry itself, with its compiled schemas, is built by
 * procedures/definition-from-document.ts.
 */

/** The workflow type that runs every data-defined procedure. */
export const DEFINED_WORKFLOW_TYPE = 'definedProcedureWorkflow';

/** The document a dossier was filed under: it stays pinned to it whatever is published later. */
export interface PinnedDefinition {
  id: string;
  version: number;
  /** Hash of the published document (sha-256 of its canonical JSON, `canonicalJson`). */
  hash: string;
  document: ProcedureDocument;
}

/** The workflow's `request` for a data-defined procedure: the document, and the facts it may branch on (no personal data). */
export interface DefinedRequest {
  definition: PinnedDefinition;
  facts: Record<string, unknown>;
}

/**
 * A published document as the interpreter runs it: parsed (its defaults filled in) and as the
 * registry's entry (its schemas compiled), shared by every dossier filed under it that a worker runs
 * (workflows/interpreted-documents.ts).
 */
export interface InterpretedDocument {
  doc: ProcedureDocument;
  definition: ProcedureDefinition;
}

/** History outcomes the interpreter records besides the checks' outcomes and the tasks' decisions. */
export const INTERPRETER_EVENTS = { issued: 'issued', closed: 'closed' } as const;

/** The step every dossier's first history line names (as the procedures written in TypeScript). */
export const RECEIVE_STEP = 'receive';

/** The deadline setting of a task's `dossierDeadline` (a `/` keeps it apart from every step id). */
export const dossierDeadlineKey = (stepId: string) => `${stepId}/dossier`;

/** A deadline as the document states it, as a DeadlineSetting row holds it. */
export function deadlinePolicy(spec: DeadlineSpec): DeadlinePolicy {
  return {
    mode: spec.mode,
    workingDays: spec.days,
    remindBeforeMinutes: spec.remindBeforeMinutes,
    cutoffTime: spec.cutoffTime,
    endOfDayTime: spec.endOfDayTime,
    secondEscalationAfterWorkingDays: spec.secondEscalationAfterWorkingDays,
  };
}

/** The value at a dotted path (`record.subjectPin`), or undefined; through an array, each item's (`founders.pin`: every founder's). */
export function valueAt(data: unknown, path: string): unknown {
  return valueAtKeys(data, path.split('.'));
}

function valueAtKeys(value: unknown, keys: string[]): unknown {
  if (keys.length === 0) return value;
  if (Array.isArray(value)) return value.map((item) => valueAtKeys(item, keys)).filter((v) => v !== undefined);
  if (value === null || typeof value !== 'object') return undefined;
  return valueAtKeys((value as Record<string, unknown>)[keys[0]!], keys.slice(1));
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : (node[key] = {});
  }
  node[keys.at(-1)!] = value;
}

/** The facts of a filing the workflow may see: the paths `filing.facts` names, nested as in the filing. */
export function pickFacts(doc: Pick<ProcedureDocument, 'filing'>, filing: Record<string, unknown>): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const path of doc.filing.facts) {
    const value = valueAt(filing, path);
    if (value !== undefined) setAt(facts, path, value);
  }
  return facts;
}

/** The facts after a supplement changed top-level filing fields: those of them that are facts are taken anew. */
export function amendFacts(doc: Pick<ProcedureDocument, 'filing'>, facts: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const amended = structuredCloneJson(facts);
  for (const path of doc.filing.facts) {
    const [field] = path.split('.');
    if (field === undefined || !(field in changes)) continue;
    const value = valueAt(changes, path);
    if (value !== undefined) setAt(amended, path, value);
  }
  return amended;
}

const structuredCloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;


/** The history outcomes the interpreter records for a document: every check's outcomes, `issued`, `closed`. */
export function interpreterEvents(doc: ProcedureDocument): string[] {
  const events = new Set<string>([INTERPRETER_EVENTS.closed]);
  for (const step of Object.values(doc.steps)) {
    if (step.kind === 'check') for (const outcome of Object.keys(step.outcomes)) events.add(outcome);
    if (step.kind === 'issue') events.add(INTERPRETER_EVENTS.issued);
  }
  return [...events];
}

