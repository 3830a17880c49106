import { PROCEDURES } from '../../procedures';
import type { ProcedureDefinition } from '../../procedures/define';
import { DEFINED_WORKFLOW_TYPE } from '../../procedures/defined';
import { ProcedureDocument } from '../../procedures/document';
import { FIELDS } from '../documents/document-view';
import { z } from '../zod';
import {
  amountText,
  isRecord,
  joined,
  maskPin,
  plainText,
  same,
  words,
  type ShownField,
  type ShownLine,
  type ShownLookups,
  type ShownTask,
  type Words,
} from '../../common/task-shown';
import { isViewName, VIEW_PREFIX } from '../../procedures/view-specs';
import { VIEW_READERS } from './task-shown-views';

/**
 * The labelled fields of a task of a procedure published as data, from what its step `shows` (the
 * task's context: `filing` as the API read it from the dossier's row, `results` as the workflow
 * wrote them) and its named values. Labels come from the document (`labels`, the filing schema's
 * titles, the steps' titles and outcome labels); persons are named from the population data with
 * their identification numbers masked; registry codes (units, lines of business) by their names;
 * amounts in đồng where the filing schema's title says the field is one; the registry views it names
 * (`view:<name>`) as their readers give them (task-shown-views.ts).
 */

/** Names of the context's own keys that several steps use (a step's named values, the code procedures' contexts). */
export const CONTEXT_LABELS: Record<string, Words> = {
  reason: words('Lý do', 'Reason'),
  round: words('Lần thẩm định', 'Round'),
  nameConflicts: words('Doanh nghiệp trùng tên', 'Name conflicts'),
};

const Pinned = z.object({ definition: z.object({ document: ProcedureDocument }) });
const documents = new WeakMap<ProcedureDefinition, ProcedureDocument | null>();

/** The document of a procedure published as data, as the registry holds its newest version; null for one written as code. */
export function documentOf(procedure: string): ProcedureDocument | null {
  const definition = PROCEDURES.get(procedure);
  if (!definition || definition.workflowType !== DEFINED_WORKFLOW_TYPE) return null;
  let doc = documents.get(definition);
  if (doc === undefined) {
    // The registry's entry carries its document in what it gives the workflow (`{definition, facts}`).
    const pinned = Pinned.safeParse(definition.facts({}));
    doc = pinned.success ? pinned.data.definition.document : null;
    documents.set(definition, doc);
  }
  return doc;
}

type Doc = ProcedureDocument;
type Schema = Record<string, unknown>;

/** The JSON Schema of the filing field at a dotted path (through arrays' items). */
function schemaAt(doc: Doc, path: string): Schema | undefined {
  let node: unknown = doc.filing.schema;
  for (const key of path.split('.')) {
    if (isRecord(node) && isRecord(node.items)) node = node.items;
    node = isRecord(node) && isRecord(node.properties) ? node.properties[key] : undefined;
  }
  return isRecord(node) ? node : undefined;
}

function fieldLabel(doc: Doc, path: string): Words {
  const key = path.split('.').at(-1) ?? path;
  const title = schemaAt(doc, path)?.title;
  return doc.labels[key] ?? FIELDS[key] ?? CONTEXT_LABELS[key] ?? (typeof title === 'string' ? same(title) : same(key));
}

/** The roles the document gives the person with this number (founder, legal representative), by where the filing names them. */
function rolesOf(doc: Doc, filing: Record<string, unknown>, pin: string): Words[] {
  return doc.filing.persons.filter((p) => pinsIn(filing, p.pin).includes(pin)).map((p) => p.role);
}

function pinsIn(filing: Record<string, unknown>, path: string): string[] {
  let values: unknown[] = [filing];
  for (const key of path.split('.')) {
    values = values.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => (isRecord(v) ? v[key] : undefined));
  }
  return values.flat().filter((v): v is string => typeof v === 'string');
}

const isPersonPath = (doc: Doc, path: string) => doc.filing.persons.some((p) => p.pin === path);

class DefinedFields {
  constructor(
    private readonly doc: Doc,
    private readonly lookups: ShownLookups,
    /** The filing fields the task shows, by path (a person's roles are read from them). */
    private readonly filing: Record<string, unknown>,
  ) {}

  async filingField(path: string, value: unknown): Promise<ShownField> {
    const label = fieldLabel(this.doc, path);
    if (Array.isArray(value) && value.every(isRecord)) return { key: `filing.${path}`, label, items: await Promise.all(value.map((v) => this.lines(path, v))) };
    return { key: `filing.${path}`, label, text: await this.text(path, value) };
  }

  /** One object of an array (a founder): a line per field; a person's number as their name, masked number and roles. */
  private async lines(path: string, value: Record<string, unknown>): Promise<ShownLine[]> {
    const out: ShownLine[] = [];
    for (const [key, v] of Object.entries(value)) {
      const at = `${path}.${key}`;
      if (isPersonPath(this.doc, at) && typeof v === 'string') {
        out.push(...(await this.person(at, v)));
        continue;
      }
      out.push({ key, label: fieldLabel(this.doc, at), text: await this.text(at, v) });
    }
    return out;
  }

  private async person(path: string, pin: string): Promise<ShownLine[]> {
    const person = await this.lookups.person(pin);
    const roles = rolesOf(this.doc, this.filing, pin);
    return [
      { key: 'fullName', label: words('Họ và tên', 'Full name'), text: same(person?.fullName ?? '—') },
      { key: path.split('.').at(-1) ?? 'pin', label: words('Số định danh cá nhân', 'Identification number'), text: same(maskPin(pin)) },
      ...(roles.length > 0 ? [{ key: 'roles', label: words('Vai trò', 'Role'), text: joined(roles, ', ') }] : []),
    ];
  }

  private async text(path: string, value: unknown): Promise<Words> {
    const lookup = this.doc.filing.lookups.find((l) => l.field === path)?.kind;
    if (isPersonPath(this.doc, path) && typeof value === 'string') return this.lookups.personText(value);
    if (lookup === 'unit' || lookup === 'ward') return typeof value === 'string' ? this.lookups.unitText(value) : plainText(value);
    if (lookup === 'business-line' && Array.isArray(value)) return joined(await Promise.all(value.map((c) => this.lookups.businessLineText(String(c)))), '; ');
    if (typeof value === 'string') {
      const label = this.doc.labels[value] ?? VALUE_LABELS[value];
      if (label) return label;
    }
    const title = schemaAt(this.doc, path)?.title;
    if ((typeof value === 'number' || typeof value === 'string') && typeof title === 'string' && /\(đồng\)/.test(title)) return amountText(value);
    if (isRecord(value)) {
      const parts = await Promise.all(Object.entries(value).map(([k, v]) => this.text(`${path}.${k}`, v)));
      return joined(parts, ', ');
    }
    return plainText(value);
  }

  /** An earlier step's result: its outcome's label, the result's known values, its lists as items. */
  async resultField(key: string, value: unknown): Promise<ShownField> {
    const [stepId = key, ...rest] = key.split('.');
    const step = this.doc.steps[stepId];
    const label = rest.length > 0 ? fieldLabel(this.doc, rest.join('.')) : step && 'title' in step ? step.title : same(stepId);
    if (!isRecord(value)) return { key: `results.${key}`, label, text: plainText(value) };
    const outcome = typeof value.outcome === 'string' && step && 'outcomes' in step ? step.outcomes[value.outcome]?.label : undefined;
    const facts: Words[] = outcome ? [outcome] : [];
    let items: ShownLine[][] | undefined;
    for (const [k, v] of Object.entries(value)) {
      if (k === 'outcome') continue;
      if (Array.isArray(v) && v.every(isRecord)) items = [...(items ?? []), ...(await Promise.all(v.map((o) => this.resultLines(o))))];
      else if (RESULT_LABELS[k]) facts.push(joined([RESULT_LABELS[k], await this.resultText(k, v)], ': '));
    }
    return { key: `results.${key}`, label, text: facts.length > 0 ? joined(facts, '; ') : same('—'), ...(items ? { items } : {}) };
  }

  private async resultLines(value: Record<string, unknown>): Promise<ShownLine[]> {
    return Promise.all(Object.entries(value).map(async ([k, v]) => ({ key: k, label: RESULT_LABELS[k] ?? FIELDS[k] ?? same(k), text: await this.resultText(k, v) })));
  }

  private resultText(key: string, value: unknown): Promise<Words> | Words {
    return /UnitCode$/.test(key) && typeof value === 'string' ? this.lookups.unitText(value) : plainText(value);
  }

  /** A named value of the step (`context`): a list of objects as items, anything else as text. */
  namedField(key: string, value: unknown): ShownField {
    const label = CONTEXT_LABELS[key] ?? this.doc.labels[key] ?? same(key);
    if (Array.isArray(value) && value.every(isRecord)) {
      return { key, label, items: value.map((o) => Object.entries(o).map(([k, v]) => ({ key: k, label: RESULT_LABELS[k] ?? FIELDS[k] ?? same(k), text: plainText(v) }))) };
    }
    return { key, label, text: Array.isArray(value) && value.length === 0 ? words('Không có', 'None') : plainText(value) };
  }
}

/** Choices of the shipped filings that their documents leave unlabelled (the business registry's kinds of business). */
const VALUE_LABELS: Record<string, Words> = {
  HOUSEHOLD_BUSINESS: words('Hộ kinh doanh', 'Household business'),
  SOLE_PROPRIETORSHIP: words('Doanh nghiệp tư nhân', 'Sole proprietorship'),
  LIMITED_LIABILITY_COMPANY: words('Công ty trách nhiệm hữu hạn', 'Limited liability company'),
  JOINT_STOCK_COMPANY: words('Công ty cổ phần', 'Joint-stock company'),
};

/** What results of adapters hold that a person deciding reads (ids, counts, units); the rest is the machine's. */
const RESULT_LABELS: Record<string, Words> = {
  checked: words('Số người đã đối chiếu', 'People checked'),
  enterpriseCode: words('Mã số doanh nghiệp', 'Enterprise code'),
  name: words('Tên', 'Name'),
  recordId: words('Số đăng ký', 'Registration number'),
  registrationUnitCode: words('Nơi đăng ký', 'Registered at'),
  holdingUnitCode: words('Nơi giữ sổ', 'Book held at'),
  maritalStatus: words('Tình trạng hôn nhân', 'Marital status'),
  position: words('Thứ tự', 'Position'),
  pinEnding: words('4 số cuối của số định danh', 'Last 4 digits of the number'),
};

/** The step's `shows` and named values, as labelled fields; null when the task's procedure is not published as data. */
export async function definedShown(task: ShownTask, lookups: ShownLookups): Promise<ShownField[] | null> {
  const doc = documentOf(task.procedure);
  if (!doc || !task.context) return null;
  const { results, filing } = task.context;
  const named = Object.entries(task.context).filter(([key]) => !['shows', 'results', 'filing'].includes(key));
  const filingShown = isRecord(filing) ? filing : {};
  const fields = new DefinedFields(doc, lookups, filingShown);
  const resultsShown = isRecord(results) ? results : {};
  const out = await viewsShown(task, doc, resultsShown, lookups);
  for (const [path, value] of Object.entries(filingShown)) out.push(await fields.filingField(path, value));
  for (const [key, value] of Object.entries(resultsShown)) out.push(await fields.resultField(key, value));
  // A named value that repeats a shown result (the name conflicts of the name check) is not shown twice.
  const repeated = new Set(Object.values(resultsShown).flatMap((r) => (isRecord(r) ? Object.values(r).map((v) => JSON.stringify(v)) : [])));
  for (const [key, value] of named) if (!repeated.has(JSON.stringify(value))) out.push(fields.namedField(key, value));
  return out;
}

/** The registry views the task's `shows` names (`view:<name>`), in its order. */
async function viewsShown(task: ShownTask, doc: Doc, results: Record<string, unknown>, lookups: ShownLookups): Promise<ShownField[]> {
  const shows = Array.isArray(task.context?.shows) ? task.context.shows.filter((s): s is string => typeof s === 'string') : [];
  const request = { dossierId: task.dossierId, doc, shows, results };
  const names = shows.filter((s) => s.startsWith(VIEW_PREFIX)).map((s) => s.slice(VIEW_PREFIX.length));
  // A name the document was checked against; one no longer known (a view withdrawn) is left out rather than failing the task.
  return Promise.all(names.filter(isViewName).map((name) => VIEW_READERS[name](request, lookups)));
}
