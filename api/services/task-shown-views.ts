import { dateText, isRecord, maskPin, plainText, same, words, type ShownField, type ShownLine, type ShownLookups, type Words } from '../../common/task-shown';
import type { ProcedureDocument } from '../../procedures/document';
import { VIEW_SPECS, type ViewName } from '../../procedures/view-specs';
import { FIELDS } from '../documents/document-view';

/**
 * The registry views a step of a procedure published as data names in `shows` (`view:<name>`,
 * procedures/view-specs.ts), each read from the database for the task's one dossier. They know no
 * procedure: what they read is named by the dossier (its applicant) or by the results the step shows
 * (an id a look-up found), and their labels come from the document or the shared field names.
 */
export interface ViewRequest {
  dossierId: string;
  /** The document the task's procedure is published as (labels of the values the view shows). */
  doc: ProcedureDocument;
  /** The task's `shows`, in order. */
  shows: readonly string[];
  /** The results the task's context carries (`<step>` or `<step>.<path>`: what `shows` named). */
  results: Record<string, unknown>;
}

type ViewReader = (request: ViewRequest, lookups: ShownLookups) => Promise<ShownField>;

const PIN_LABEL = words('Số định danh cá nhân', 'Identification number');

/**
 * The value of `key` the shown results carry, the last of them in the order of `shows`: named whole
 * (`results.<step>`, an object holding it) or by path (`results.<step>.<key>`).
 */
export function resultValue(request: ViewRequest, key: string): unknown {
  let found: unknown;
  for (const shown of request.shows) {
    if (!shown.startsWith('results.')) continue;
    const path = shown.slice('results.'.length);
    const value = request.results[path];
    if (path.endsWith(`.${key}`) && value !== undefined && value !== null) found = value;
    else if (isRecord(value) && value[key] !== undefined && value[key] !== null) found = value[key];
  }
  return found;
}

async function civilStatusRecord(request: ViewRequest, lookups: ShownLookups): Promise<ShownField> {
  const label = words('Nội dung bản ghi hộ tịch', 'The record');
  const recordId = resultValue(request, VIEW_SPECS['civil-status.record'].resultKey);
  const record = typeof recordId === 'string' ? await lookups.prisma.civilStatusRecord.findUnique({ where: { id: recordId } }) : null;
  if (!record) return { key: 'record', label, text: words('Không tìm thấy bản ghi', 'No record found') };
  const lines: ShownLine[] = [
    { key: 'recordId', label: FIELDS.recordId ?? same('recordId'), text: same(record.id) },
    { key: 'kind', label: words('Loại việc hộ tịch', 'Kind of record'), text: request.doc.labels[record.kind] ?? same(record.kind) },
    { key: 'registeredAt', label: fieldLabel('registeredAt'), text: await lookups.unitText(record.registrationUnitCode) },
    { key: 'registeredOn', label: fieldLabel('registeredOn'), text: dateText(record.registeredOn) },
    ...(record.bookNumber ? [{ key: 'bookNumber', label: fieldLabel('bookNumber'), text: same(record.bookNumber) }] : []),
    ...(record.pageNumber ? [{ key: 'pageNumber', label: fieldLabel('pageNumber'), text: same(String(record.pageNumber)) }] : []),
  ];
  if (isRecord(record.details)) {
    for (const [key, value] of Object.entries(record.details)) {
      if (value === null || value === '') continue;
      // An identification number in the record's details is masked as everywhere else.
      const text = /Pin$/.test(key) && typeof value === 'string' ? same(maskPin(value)) : plainText(value);
      lines.push({ key, label: FIELDS[key] ?? request.doc.labels[key] ?? same(key), text });
    }
  }
  return { key: 'record', label, items: [lines] };
}

async function populationApplicant(request: ViewRequest, lookups: ShownLookups): Promise<ShownField> {
  const label = words('Người yêu cầu (theo Cơ sở dữ liệu quốc gia về dân cư)', 'The applicant (as the population data knows them)');
  const dossier = await lookups.prisma.dossier.findUnique({ where: { id: request.dossierId }, select: { applicantPin: true } });
  const pin = dossier?.applicantPin;
  if (!pin) return { key: 'applicant', label, text: words('Không có', 'None') };
  const person = await lookups.person(pin);
  const pinLine: ShownLine = { key: 'pin', label: PIN_LABEL, text: same(maskPin(pin)) };
  const lines: ShownLine[] = person
    ? [
        { key: 'fullName', label: words('Họ và tên', 'Full name'), text: same(person.fullName) },
        { key: 'dateOfBirth', label: fieldLabel('dateOfBirth'), text: dateText(person.dateOfBirth) },
        pinLine,
      ]
    : [pinLine];
  return { key: 'applicant', label, items: [lines] };
}

const fieldLabel = (key: string): Words => FIELDS[key] ?? same(key);

/** Every view a definition may name, by name: a view in the specs without a reader fails `tsc`. */
export const VIEW_READERS: Readonly<Record<ViewName, ViewReader>> = {
  'civil-status.record': civilStatusRecord,
  'population.applicant': populationApplicant,
};
