import { z } from 'zod';
import { Email, IsoDate, NoData, Pin, Reason, text, UnitCode } from '../../common/schemas';
import { deadline, step, type ProcedureDefinition } from '../define';

/**
 * Copy of a civil-status extract (trích lục hộ tịch) (procedures/civil-status-extract/README.md). Filed at any ward for a record
 * registered anywhere in the city; a clerk verifies and signs, or first searches the paper archive.
 */
export const CIVIL_STATUS_KINDS = ['BIRTH', 'MARRIAGE', 'DEATH', 'PARENT_CHILD_RECOGNITION'] as const;
export type CivilStatusKind = (typeof CIVIL_STATUS_KINDS)[number];

const CivilStatusExtractFiling = z
  .object({
    kind: z.enum(CIVIL_STATUS_KINDS),
    /** Registry reference of the record when the citizen knows it (printed on older extracts). */
    recordRef: text(3, 60).optional(),
    /** PIN of the person the record is about (the child, the deceased, a spouse…). */
    subjectPin: Pin.optional(),
    /** Where the record was registered, when known: the unit that holds the book. */
    registrationUnitCode: UnitCode.optional(),
    bookNumber: text(1, 40).optional(),
    pageNumber: z.number().int().positive().max(100_000).optional(),
    /** Where to send mail, when not the address the population data holds. */
    contactEmail: Email.optional(),
    /**
     * Declare once: the signed-in citizen's name and birth date come from the population data. When
     * given anyway, they must match it.
     */
    applicant: z.object({ fullName: text(2, 120).optional(), dateOfBirth: IsoDate.optional() }).optional(),
  })
  .strict()
  .meta({
    id: 'CivilStatusExtractData',
    description:
      'What record the extract is of. The applicant must be named in the record (the person it is about, a parent ' +
      'or a spouse). Give recordRef when known; otherwise subjectPin (whose record) and, for old paper records, ' +
      'registrationUnitCode with bookNumber/pageNumber. The applicant is the signed-in citizen: name and birth date ' +
      'come from the population data.',
  });
export type CivilStatusExtractFiling = z.output<typeof CivilStatusExtractFiling>;
/** What the workflow is given of a filing: the kind of record, nothing personal. */
export type CivilStatusFacts = Pick<CivilStatusExtractFiling, 'kind'>;

/**
 * A clerk's days of archive search need something to look for: the unit where the record was
 * registered, and a book number or the person it is about.
 */
export function enoughToSearchArchive(filing: Pick<CivilStatusExtractFiling, 'registrationUnitCode' | 'bookNumber' | 'subjectPin'>): boolean {
  return Boolean(filing.registrationUnitCode && (filing.bookNumber || filing.subjectPin));
}

/** What the archive clerk reads from the paper book: it becomes the record's electronic content. */
export const ArchivedRecordEntry = z
  .object({
    registeredOn: IsoDate,
    bookNumber: text(1, 40).optional(),
    pageNumber: z.number().int().positive().max(100_000).optional(),
    subjectPin: Pin.optional(),
    partyPins: z.array(Pin).min(1, 'name at least one person of the record').max(20),
    details: z.record(text(1, 60), text(0, 500)),
  })
  .strict();
export type ArchivedRecordEntry = z.output<typeof ArchivedRecordEntry>;

const verifyAndSign = step('verify-and-sign', {
  title: 'Verify and sign the extract',
  role: 'clerk',
  outcomes: { approve: NoData, refuse: Reason },
  decisions: ['approve', 'refuse'],
  // Issued on request by law: due the same working day, or the next one after the cut-off.
  deadline: deadline({ mode: 'same-day-cutoff', workingDays: 0, remindBeforeMinutes: 120 }),
});

const archiveSearch = step('archive-search', {
  title: 'Search the paper archive',
  role: 'clerk',
  outcomes: { found: z.object({ record: ArchivedRecordEntry }).strict(), 'not-found': Reason },
  decisions: [],
  deadline: deadline({ mode: 'working-days', workingDays: 4, remindBeforeMinutes: 480 }),
});

export const civilStatusExtract = {
  id: 'civil-status-extract',
  title: 'Copy of a civil-status extract',
  codePrefix: 'CSE',
  workflowType: 'civilStatusExtractWorkflow',
  filing: CivilStatusExtractFiling,
  admissible: (_filing, { unit }) =>
    unit.kind === 'WARD' ? undefined : 'Civil-status extracts are requested at a ward: unitCode must be a ward',
  facts: (filing): CivilStatusFacts => ({ kind: filing.kind }),
  owners: (_filing, filerPin) => [filerPin],
  lookups: [{ field: 'registrationUnitCode', kind: 'unit' }],
  steps: { verifyAndSign, archiveSearch },
  deadlines: {
    dossier: deadline({ mode: 'same-day-cutoff', workingDays: 0, remindBeforeMinutes: 120 }),
    // When the record must come from the paper archive, the dossier gets a day more than the search.
    'dossier-archive': deadline({ mode: 'working-days', workingDays: 5, remindBeforeMinutes: 480 }),
  },
  statuses: ['verifying-applicant', 'looking-up-record', 'archive-search', 'awaiting-signature', 'issuing', 'issued'] as const,
  // History outcomes its workflow records besides the machinery's and the steps' decisions.
  // What people read, by id: the procedure, its steps, statuses, outcomes and fields (the console and the portal show these).
  labels: {
    vi: {
      'civil-status-extract': 'Trích lục hộ tịch',
      receive: 'Tiếp nhận',
      'verify-applicant': 'Xác minh người yêu cầu',
      'registry-lookup': 'Tra cứu cơ sở dữ liệu',
      'verify-and-sign': 'Kiểm tra và ký',
      'archive-search': 'Tra cứu sổ lưu trữ',
      issue: 'Cấp giấy tờ',
      'verifying-applicant': 'Xác minh người yêu cầu',
      'looking-up-record': 'Tra cứu hộ tịch điện tử',
      'awaiting-signature': 'Chờ ký',
      issuing: 'Đang cấp',
      issued: 'Đã cấp',
      approve: 'Phê duyệt',
      refuse: 'Từ chối',
      verified: 'Đã xác minh',
      found: 'Đã tìm thấy',
      'not-found': 'Không tìm thấy',
      ambiguous: 'Không rõ ràng',
      'paper-archive-only': 'Chỉ có trong sổ giấy',
      digitised: 'Đã số hóa',
      record: 'Bản ghi hộ tịch',
      registeredOn: 'Ngày đăng ký',
      bookNumber: 'Số quyển',
      pageNumber: 'Số trang',
      subjectPin: 'Số định danh người được đăng ký',
      partyPins: 'Số định danh các bên',
    },
    en: {
      'civil-status-extract': 'Civil-status extract',
      receive: 'Reception',
      'verify-applicant': 'Verify the applicant',
      'registry-lookup': 'Registry look-up',
      'verify-and-sign': 'Verify and sign',
      'archive-search': 'Paper archive search',
      issue: 'Issue the document',
      'verifying-applicant': 'Verifying the applicant',
      'looking-up-record': 'Looking up the record',
      'awaiting-signature': 'Awaiting signature',
      issuing: 'Issuing',
      issued: 'Issued',
      approve: 'Approve',
      refuse: 'Refuse',
      verified: 'Verified',
      found: 'Found',
      'not-found': 'Not found',
      ambiguous: 'Ambiguous',
      'paper-archive-only': 'Paper archive only',
      digitised: 'Digitised',
      record: 'Civil-status record',
      registeredOn: 'Registered on',
      bookNumber: 'Book number',
      pageNumber: 'Page number',
      subjectPin: 'Personal number of the registered person',
      partyPins: 'Personal numbers of the parties',
    },
  },
  events: ['verified', 'found', 'not-found', 'ambiguous', 'paper-archive-only', 'digitised', 'issued'] as const,
  closedStatuses: ['issued'] as const,
  answers: [],
  example: {
    as: { sub: '079088004127', role: 'citizen' },
    body: {
      procedure: 'civil-status-extract',
      unitCode: 'W-BEN-THANH',
      // The birth record of Nguyễn Minh Khang, which names his father Nguyễn Văn An (the filer).
      data: { kind: 'BIRTH', recordRef: 'HT-BIRTH-2019-000123' },
    },
  },
} satisfies ProcedureDefinition<typeof CivilStatusExtractFiling>;
