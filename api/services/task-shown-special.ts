import { formatCalendarDate, formatLocalTime } from '../../common/local-time';
import { Evidence } from '../../procedures/traffic-fine/definition';
import type { RecordQuery } from '../../procedures/civil-status-extract/activities';
import { createActivities as civilStatusRegistry } from '../../procedures/civil-status-extract/activities';
import { CIVIL_STATUS_KINDS, type CivilStatusKind } from '../../procedures/civil-status-extract/definition';
import { FIELDS } from '../documents/document-view';
import { documentOf } from './task-shown-defined';
import { amountText, isRecord, maskPin, plainText, same, words, type ShownField, type ShownLine, type ShownLookups, type ShownTask, type Words } from './task-shown';

/**
 * Tasks whose step names no `shows` but whose decision rests on registry data: the civil-status
 * extract's clerk signs on the record and the applicant (as the population data knows them), the
 * traffic police read and confirm from the evidence. Read here, for the one task asked for.
 */

// ---------------------------------------------------------------------------------------------
// Civil-status extract: verify and sign

const isKind = (value: unknown): value is CivilStatusKind => typeof value === 'string' && (CIVIL_STATUS_KINDS as readonly string[]).includes(value);
const optionalString = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** The record the look-up of the dossier's filing finds (as `civil-status.locate-record` does), or the one its archive search digitised. */
async function recordIdOf(lookups: ShownLookups, dossierId: string, filing: Record<string, unknown>, applicantPin: string): Promise<string | null> {
  if (!isKind(filing.kind)) return null;
  const digitised = await lookups.prisma.civilStatusRecord.findUnique({ where: { id: `HT-${filing.kind}-D-${dossierId}` }, select: { id: true } });
  if (digitised) return digitised.id;
  const query: RecordQuery = { kind: filing.kind, applicantPin };
  for (const key of ['recordRef', 'subjectPin', 'registrationUnitCode', 'bookNumber'] as const) {
    const value = optionalString(filing[key]);
    if (value !== undefined) query[key] = value;
  }
  if (typeof filing.pageNumber === 'number') query.pageNumber = filing.pageNumber;
  const found = await civilStatusRegistry({ prisma: lookups.prisma }).findCivilStatusRecord(query);
  return found.outcome === 'found' ? found.recordId : null;
}

async function recordField(lookups: ShownLookups, recordId: string, kindLabel: Words | undefined): Promise<ShownField | null> {
  const record = await lookups.prisma.civilStatusRecord.findUnique({ where: { id: recordId } });
  if (!record) return null;
  const lines: ShownLine[] = [
    { key: 'recordId', label: FIELDS.recordId!, text: same(record.id) },
    { key: 'kind', label: words('Loại việc hộ tịch', 'Kind of record'), text: kindLabel ?? same(record.kind) },
    { key: 'registeredAt', label: FIELDS.registeredAt!, text: await lookups.unitText(record.registrationUnitCode) },
    { key: 'registeredOn', label: FIELDS.registeredOn!, text: same(formatCalendarDate(record.registeredOn.toISOString().slice(0, 10))) },
    ...(record.bookNumber ? [{ key: 'bookNumber', label: FIELDS.bookNumber!, text: same(record.bookNumber) }] : []),
    ...(record.pageNumber ? [{ key: 'pageNumber', label: FIELDS.pageNumber!, text: same(String(record.pageNumber)) }] : []),
  ];
  if (isRecord(record.details)) {
    for (const [key, value] of Object.entries(record.details)) {
      if (value === null || value === '') continue;
      // An identification number in the record's details is masked as everywhere else.
      const text = /Pin$/.test(key) && typeof value === 'string' ? same(maskPin(value)) : plainText(value);
      lines.push({ key, label: FIELDS[key] ?? same(key), text });
    }
  }
  return { key: 'record', label: words('Nội dung bản ghi hộ tịch', 'The record'), items: [lines] };
}

async function applicantField(lookups: ShownLookups, pin: string): Promise<ShownField> {
  const person = await lookups.person(pin);
  const lines: ShownLine[] = person
    ? [
        { key: 'fullName', label: words('Họ và tên', 'Full name'), text: same(person.fullName) },
        { key: 'dateOfBirth', label: FIELDS.dateOfBirth!, text: same(formatCalendarDate(person.dateOfBirth.toISOString().slice(0, 10))) },
        { key: 'pin', label: words('Số định danh cá nhân', 'Identification number'), text: same(maskPin(pin)) },
      ]
    : [{ key: 'pin', label: words('Số định danh cá nhân', 'Identification number'), text: same(maskPin(pin)) }];
  return { key: 'applicant', label: words('Người yêu cầu (theo Cơ sở dữ liệu quốc gia về dân cư)', 'The applicant (as the population data knows them)'), items: [lines] };
}

async function verifyAndSign(task: ShownTask, lookups: ShownLookups): Promise<ShownField[]> {
  const dossier = await lookups.prisma.dossier.findUnique({ where: { id: task.dossierId }, select: { data: true, applicantPin: true } });
  if (!dossier?.applicantPin || !isRecord(dossier.data)) return [];
  const filing = dossier.data;
  const doc = documentOf(task.procedure);
  const kindLabel = typeof filing.kind === 'string' ? doc?.labels[filing.kind] : undefined;
  const recordId = await recordIdOf(lookups, task.dossierId, filing, dossier.applicantPin);
  const record = recordId ? await recordField(lookups, recordId, kindLabel) : null;
  return [
    await applicantField(lookups, dossier.applicantPin),
    record ?? { key: 'record', label: words('Nội dung bản ghi hộ tịch', 'The record'), text: words('Không tìm thấy bản ghi', 'No record found') },
  ];
}

// ---------------------------------------------------------------------------------------------
// Traffic fine: the evidence

/** The workflow's reasons (English, as it wrote them before) in both languages. */
const TRAFFIC_REASONS: Record<string, Words> = {
  'The plate is missing or is not a Vietnamese plate': words('Không có biển số, hoặc biển số không đúng định dạng Việt Nam', 'The plate is missing or is not a Vietnamese plate'),
  'The vehicle is not in the vehicle registry': words('Phương tiện không có trong cơ sở dữ liệu đăng ký xe', 'The vehicle is not in the vehicle registry'),
  'The owner is not in the population data': words('Chủ phương tiện không có trong Cơ sở dữ liệu quốc gia về dân cư', 'The owner is not in the population data'),
};

/** The address of evidence image `index` of a task, through the API (`GET /tasks/{taskId}/evidence/{index}`). */
export const evidenceHref = (taskId: string, index: number) => `/api/v1/tasks/${encodeURIComponent(taskId)}/evidence/${index}`;

async function trafficEvidence(task: ShownTask, lookups: ShownLookups): Promise<ShownField[]> {
  const dossier = await lookups.prisma.dossier.findUnique({
    where: { id: task.dossierId },
    select: { data: true, violation: { select: { plateNumber: true, fineAmount: true, code: { select: { description: true, fineAmount: true } } } } },
  });
  const evidence = Evidence.safeParse(dossier?.data);
  if (!dossier || !evidence.success) return [];
  const facts = evidence.data;
  const violation = dossier.violation;
  const plate = task.step === 'read-plate' ? facts.plateNumber : (violation?.plateNumber ?? facts.plateNumber);
  const fields: ShownField[] = [
    {
      key: 'evidence',
      label: words('Ảnh bằng chứng', 'Evidence images'),
      images: facts.evidence.map((image, index) => ({ href: image.uri ? evidenceHref(task.taskId, index) : null, sha256: image.sha256.toLowerCase() })),
    },
    {
      key: 'plateNumber',
      label: task.step === 'read-plate' ? words('Biển số nguồn đọc được', 'Plate as the source read it') : FIELDS.plateNumber!,
      text: plate ? same(plate) : words('Không có', 'None'),
    },
    { key: 'violation', label: FIELDS.violation!, text: violation ? same(violation.code.description) : same(facts.violationCode) },
    ...(violation ? [{ key: 'fineAmount', label: FIELDS.fineAmount!, text: amountText(violation.fineAmount ?? violation.code.fineAmount) }] : []),
    { key: 'capturedAt', label: FIELDS.capturedAt!, text: same(formatLocalTime(facts.capturedAt)) },
    { key: 'location', label: FIELDS.location!, text: joinPlace(facts.location.description, await lookups.unitText(facts.location.unitCode)) },
    { key: 'source', label: words('Nguồn', 'Source'), text: same(facts.source) },
  ];
  const reason = task.context?.reason;
  if (typeof reason === 'string') fields.push({ key: 'reason', label: words('Lý do', 'Reason'), text: TRAFFIC_REASONS[reason] ?? same(reason) });
  const noticeCode = task.context?.noticeCode;
  if (typeof noticeCode === 'string') fields.push({ key: 'noticeCode', label: words('Mã thông báo vi phạm', 'Notice code'), text: same(noticeCode) });
  return fields;
}

const joinPlace = (description: string, ward: Words): Words => ({ vi: `${description}, ${ward.vi}`, en: `${description}, ${ward.en}` });

/** The builder of a task's fields by `procedure/step` (`*`: every step of the procedure), when its data is not in its context. */
export const SPECIAL_SHOWN: Record<string, (task: ShownTask, lookups: ShownLookups) => Promise<ShownField[]>> = {
  'civil-status-extract/verify-and-sign': verifyAndSign,
  'traffic-fine/*': trafficEvidence,
};
