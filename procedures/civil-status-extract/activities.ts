import { ApplicationFailure } from '@temporalio/common';
import { issueDocumentOnce } from '../../activities/documents';
import type { Prisma, PrismaClient } from '../../prisma/client';
import { ArchivedRecordEntry, civilStatusExtract, enoughToSearchArchive, type CivilStatusKind } from './definition';

/**
 * The city's electronic civil-status registry. Since 2022 an extract can be requested at any ward,
 * so the look-up searches every unit's records, not just the receiving ward's.
 */
export interface RecordQuery {
  kind: CivilStatusKind;
  applicantPin: string;
  recordRef?: string;
  subjectPin?: string;
  registrationUnitCode?: string;
  bookNumber?: string;
  pageNumber?: number;
}

export type RecordLookup =
  | { outcome: 'found'; recordId: string; storage: 'ELECTRONIC' | 'PAPER_ARCHIVE'; registrationUnitCode: string; entitled: boolean }
  | {
      outcome: 'not-found' | 'ambiguous';
      holdingUnitCode?: string;
      /** The filing names enough to search the paper archive: where it was registered, and a book or a person. */
      archiveSearchable?: boolean;
    };

/** Activities take the dossier's id and read what it filed; the older shapes are still accepted. */
type ByDossier = { dossierId: string };
const byDossier = (input: object): input is ByDossier => 'dossierId' in input && !('applicantPin' in input);


/**
 * Who may ask for an extract (the rule the engine applies): anyone the record names, i.e. the
 * person it is about, their parents (birth, recognition) or spouse (marriage), and for a death the
 * people named on it. Anything else is a request on someone else's behalf, which needs a mandate
 * the online procedure does not take.
 */
function entitled(partyPins: string[], applicantPin: string): boolean {
  return partyPins.includes(applicantPin);
}

/**
 * The civil-status extract's own activities: the registry (look-up, digitising an archived record,
 * entitlement) and issuing the extract. Registered through the procedure's module (index.ts).
 */
export function createActivities({ prisma }: { prisma: PrismaClient }) {
  /** The look-up the dossier asks for, from its stored filing and owner (no personal data travels). */
  async function queryOf(dossierId: string): Promise<RecordQuery> {
    const row = await prisma.dossier.findUnique({ where: { id: dossierId }, select: { applicantPin: true, data: true } });
    if (!row) throw ApplicationFailure.nonRetryable(`No dossier ${dossierId}`, 'DossierMissing');
    const filing = civilStatusExtract.filing.safeParse(row.data);
    if (!filing.success) throw ApplicationFailure.nonRetryable(`Dossier ${dossierId}: the stored filing is invalid`, 'MalformedFiling');
    return { ...filing.data, applicantPin: row.applicantPin ?? '' };
  }

  async function findCivilStatusRecord(input: ByDossier | RecordQuery): Promise<RecordLookup> {
    const query = byDossier(input) ? await queryOf(input.dossierId) : input;
    const archiveSearchable = enoughToSearchArchive(query);
    // By reference, or by the person: the person's few records come from the (kind, subjectPin) and
    // partyPins indexes, and the rest of the query is matched here. PostgreSQL cannot estimate an
    // array containment over 12.8 million distinct ID numbers, so with the other conditions in SQL it
    // ANDs in a bitmap of a quarter of the registry (160 ms instead of 1; EXPLAIN in
    // `npm run bench -- city-scale`). A person is named by a handful of records.
    const person = query.subjectPin ?? query.applicantPin;
    const where: Prisma.CivilStatusRecordWhereInput = query.recordRef
      ? { id: query.recordRef, kind: query.kind }
      : query.subjectPin
        ? { OR: [{ kind: query.kind, subjectPin: person }, { partyPins: { has: person } }] }
        : { partyPins: { has: person } };
    const candidates = await prisma.civilStatusRecord.findMany({
      where,
      select: { id: true, kind: true, storage: true, registrationUnitCode: true, bookNumber: true, pageNumber: true, partyPins: true },
    });
    const records = candidates.filter(
      (r) =>
        r.kind === query.kind &&
        (!query.registrationUnitCode || r.registrationUnitCode === query.registrationUnitCode) &&
        (!query.bookNumber || r.bookNumber === query.bookNumber) &&
        (!query.pageNumber || r.pageNumber === query.pageNumber),
    );
    if (records.length > 1) return { outcome: 'ambiguous', holdingUnitCode: query.registrationUnitCode, archiveSearchable };
    const record = records[0];
    if (!record) return { outcome: 'not-found', holdingUnitCode: query.registrationUnitCode, archiveSearchable };
    return {
      outcome: 'found',
      recordId: record.id,
      storage: record.storage,
      registrationUnitCode: record.registrationUnitCode,
      entitled: entitled(record.partyPins, query.applicantPin),
    };
  }

  /**
   * The archive clerk found the record in the paper book: it is digitised into the electronic
   * registry (a paper record already referenced is switched to electronic; otherwise a new record is
   * created under an id derived from the dossier, so a retry creates nothing twice).
   */
  async function registerArchivedRecord(input: {
    dossierId: string;
    kind: CivilStatusKind;
    holdingUnitCode: string;
    existingRecordId?: string;
    /** The completed archive-search task whose `found` data is the entry (older calls passed the entry itself). */
    taskId?: string;
    entry?: ArchivedRecordEntry;
  }): Promise<{ recordId: string }> {
    const entry = input.entry ?? (await entryOf(input.taskId));
    if (input.existingRecordId) {
      // The paper record was only indexed: what the clerk read from the book becomes its content.
      await prisma.civilStatusRecord.update({
        where: { id: input.existingRecordId },
        data: {
          storage: 'ELECTRONIC',
          registeredOn: new Date(entry.registeredOn),
          bookNumber: entry.bookNumber,
          pageNumber: entry.pageNumber,
          ...(entry.subjectPin ? { subjectPin: entry.subjectPin } : {}),
          partyPins: entry.partyPins,
          details: entry.details,
        },
      });
      return { recordId: input.existingRecordId };
    }
    const unit = await prisma.unit.findUnique({ where: { code: input.holdingUnitCode }, select: { code: true } });
    if (!unit) throw ApplicationFailure.nonRetryable(`Unknown unit ${input.holdingUnitCode}`, 'UnknownUnit');
    const recordId = `HT-${input.kind}-D-${input.dossierId}`;
    await prisma.civilStatusRecord.upsert({
      where: { id: recordId },
      create: {
        id: recordId,
        kind: input.kind,
        registrationUnitCode: input.holdingUnitCode,
        bookNumber: entry.bookNumber,
        pageNumber: entry.pageNumber,
        registeredOn: new Date(entry.registeredOn),
        storage: 'ELECTRONIC',
        subjectPin: entry.subjectPin,
        partyPins: entry.partyPins,
        details: entry.details,
      },
      update: {},
    });
    return { recordId };
  }

  /** What the archive clerk entered, from the task row (parsed with the outcome's own schema). */
  async function entryOf(taskId: string | undefined): Promise<ArchivedRecordEntry> {
    const task = taskId ? await prisma.task.findUnique({ where: { id: taskId }, select: { data: true } }) : null;
    const parsed = ArchivedRecordEntry.safeParse((task?.data as { record?: unknown } | null)?.record);
    if (!parsed.success) throw ApplicationFailure.nonRetryable(`Task ${taskId} holds no archive entry`, 'ArchiveEntryMissing');
    return parsed.data;
  }

  async function isEntitled(input: { recordId: string } & (ByDossier | { applicantPin: string })): Promise<boolean> {
    const applicantPin = 'applicantPin' in input ? input.applicantPin : (await queryOf(input.dossierId)).applicantPin;
    const record = await prisma.civilStatusRecord.findUnique({ where: { id: input.recordId }, select: { partyPins: true } });
    return record ? entitled(record.partyPins, applicantPin) : false;
  }

  /** The electronic extract of the record, with a verification code: one per dossier, so a retry returns it. */
  async function issueCivilStatusExtract(input: { dossierId: string; recordId: string }): Promise<{ code: string; issuedAt: string }> {
    return issueDocumentOnce(prisma, { dossierId: input.dossierId, ...(await civilStatusExtractOf(prisma, input.recordId)) });
  }

  return { findCivilStatusRecord, registerArchivedRecord, isEntitled, issueCivilStatusExtract };
}

/**
 * What an extract of a record says, and its kind (`civil-status-extract/<KIND>`): the record's content
 * as the registry holds it. The procedure's own activity and the `civil-status-extract` document
 * template of the data definition (activities/templates/civil-status-extract.ts) both issue this.
 */
export async function civilStatusExtractOf(prisma: PrismaClient, recordId: string): Promise<{ kind: string; content: Prisma.InputJsonValue }> {
  const record = await prisma.civilStatusRecord.findUnique({
    where: { id: recordId },
    include: { registrationUnit: { select: { name: true } } },
  });
  if (!record) throw ApplicationFailure.nonRetryable(`No civil-status record ${recordId}`, 'RecordMissing');
  const content = {
    title: `Extract of ${record.kind.toLowerCase().replace(/_/g, ' ')} record`,
    kind: record.kind,
    recordId: record.id,
    registeredAt: record.registrationUnit.name,
    registeredOn: record.registeredOn.toISOString().slice(0, 10),
    ...(record.bookNumber ? { bookNumber: record.bookNumber, pageNumber: record.pageNumber } : {}),
    details: record.details,
  } as Prisma.InputJsonValue;
  return { kind: `civil-status-extract/${record.kind}`, content };
}
