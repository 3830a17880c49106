import { FIELDS } from '../../api/documents/document-view';
import { formatLocalTime } from '../../common/local-time';
import { amountText, same, words, type ShownField, type ShownLookups, type ShownTask, type Words } from '../../common/task-shown';
import { Evidence } from './definition';

/**
 * What the traffic police see on each task of a violation (`GET /tasks/{taskId}`: `shown`): the
 * evidence images (through the API, which checks each against its sha256), the plate, the violation
 * and its fine, the time and place, and the workflow's reason for asking. Read from the dossier's row:
 * the workflow's context holds only the reason and the notice's code.
 */

/** The workflow's reasons (English, as it wrote them before) in both languages. */
const TRAFFIC_REASONS: Record<string, Words> = {
  'The plate is missing or is not a Vietnamese plate': words('Không có biển số, hoặc biển số không đúng định dạng Việt Nam', 'The plate is missing or is not a Vietnamese plate'),
  'The vehicle is not in the vehicle registry': words('Phương tiện không có trong cơ sở dữ liệu đăng ký xe', 'The vehicle is not in the vehicle registry'),
  'The owner is not in the population data': words('Chủ phương tiện không có trong Cơ sở dữ liệu quốc gia về dân cư', 'The owner is not in the population data'),
};

/** The address of evidence image `index` of a task, through the API (`GET /tasks/{taskId}/evidence/{index}`). */
const evidenceHref = (taskId: string, index: number) => `/api/v1/tasks/${encodeURIComponent(taskId)}/evidence/${index}`;

const joinPlace = (description: string, ward: Words): Words => ({ vi: `${description}, ${ward.vi}`, en: `${description}, ${ward.en}` });
const label = (key: string): Words => FIELDS[key] ?? same(key);

export async function trafficTaskShown(task: ShownTask, lookups: ShownLookups): Promise<ShownField[] | null> {
  const dossier = await lookups.prisma.dossier.findUnique({
    where: { id: task.dossierId },
    select: { data: true, violation: { select: { plateNumber: true, fineAmount: true, code: { select: { description: true, fineAmount: true } } } } },
  });
  const evidence = Evidence.safeParse(dossier?.data);
  if (!dossier || !evidence.success) return [];
  const facts = evidence.data;
  const violation = dossier.violation;
  // At read-plate the officer reads the plate anew: what the source read is shown, not what was kept.
  const plate = task.step === 'read-plate' ? facts.plateNumber : (violation?.plateNumber ?? facts.plateNumber);
  const fields: ShownField[] = [
    {
      key: 'evidence',
      label: words('Ảnh bằng chứng', 'Evidence images'),
      images: facts.evidence.map((image, index) => ({ href: image.uri ? evidenceHref(task.taskId, index) : null, sha256: image.sha256.toLowerCase() })),
    },
    {
      key: 'plateNumber',
      label: task.step === 'read-plate' ? words('Biển số nguồn đọc được', 'Plate as the source read it') : label('plateNumber'),
      text: plate ? same(plate) : words('Không có', 'None'),
    },
    { key: 'violation', label: label('violation'), text: violation ? same(violation.code.description) : same(facts.violationCode) },
    ...(violation ? [{ key: 'fineAmount', label: label('fineAmount'), text: amountText(violation.fineAmount ?? violation.code.fineAmount) }] : []),
    { key: 'capturedAt', label: label('capturedAt'), text: same(formatLocalTime(facts.capturedAt)) },
    { key: 'location', label: label('location'), text: joinPlace(facts.location.description, await lookups.unitText(facts.location.unitCode)) },
    { key: 'source', label: words('Nguồn', 'Source'), text: same(facts.source) },
  ];
  const reason = task.context?.reason;
  if (typeof reason === 'string') fields.push({ key: 'reason', label: words('Lý do', 'Reason'), text: TRAFFIC_REASONS[reason] ?? same(reason) });
  const noticeCode = task.context?.noticeCode;
  if (typeof noticeCode === 'string') fields.push({ key: 'noticeCode', label: words('Mã thông báo vi phạm', 'Notice code'), text: same(noticeCode) });
  return fields;
}
