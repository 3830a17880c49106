import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../../activities';
import { issueDocumentOnce } from '../../activities/documents';
import type { Prisma } from '../../prisma/client';
import type { ArchivedRecordEntry, CivilStatusKind } from './definition';

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
  | { outcome: 'not-found' | 'ambiguous'; holdingUnitCode?: string };


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
 * entitlement) and issuing the extract. The worker finds them by the procedure's folder.
 */
export function createActivities({ prisma }: Pick<ActivityDeps, 'prisma'>) {
  async function findCivilStatusRecord(query: RecordQuery): Promise<RecordLookup> {
    const where: Prisma.CivilStatusRecordWhereInput = query.recordRef
      ? { id: query.recordRef, kind: query.kind }
      : {
          kind: query.kind,
          ...(query.subjectPin
            ? { OR: [{ subjectPin: query.subjectPin }, { partyPins: { has: query.subjectPin } }] }
            : { partyPins: { has: query.applicantPin } }),
          ...(query.registrationUnitCode ? { registrationUnitCode: query.registrationUnitCode } : {}),
          ...(query.bookNumber ? { bookNumber: query.bookNumber } : {}),
          ...(query.pageNumber ? { pageNumber: query.pageNumber } : {}),
        };
    const records = await prisma.civilStatusRecord.findMany({
      where,
      take: 2,
      select: { id: true, storage: true, registrationUnitCode: true, partyPins: true },
    });
    if (records.length > 1) return { outcome: 'ambiguous', holdingUnitCode: query.registrationUnitCode };
    const record = records[0];
    if (!record) return { outcome: 'not-found', holdingUnitCode: query.registrationUnitCode };
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
    entry: ArchivedRecordEntry;
  }): Promise<{ recordId: string }> {
    if (input.existingRecordId) {
      // The paper record was only indexed: what the clerk read from the book becomes its content.
      await prisma.civilStatusRecord.update({
        where: { id: input.existingRecordId },
        data: {
          storage: 'ELECTRONIC',
          registeredOn: new Date(input.entry.registeredOn),
          bookNumber: input.entry.bookNumber,
          pageNumber: input.entry.pageNumber,
          ...(input.entry.subjectPin ? { subjectPin: input.entry.subjectPin } : {}),
          partyPins: input.entry.partyPins,
          details: input.entry.details,
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
        bookNumber: input.entry.bookNumber,
        pageNumber: input.entry.pageNumber,
        registeredOn: new Date(input.entry.registeredOn),
        storage: 'ELECTRONIC',
        subjectPin: input.entry.subjectPin,
        partyPins: input.entry.partyPins,
        details: input.entry.details,
      },
      update: {},
    });
    return { recordId };
  }

  async function isEntitled(input: { recordId: string; applicantPin: string }): Promise<boolean> {
    const record = await prisma.civilStatusRecord.findUnique({ where: { id: input.recordId }, select: { partyPins: true } });
    return record ? entitled(record.partyPins, input.applicantPin) : false;
  }

  /** The electronic extract of the record, with a verification code: one per dossier, so a retry returns it. */
  async function issueCivilStatusExtract(input: { dossierId: string; recordId: string }): Promise<{ code: string; issuedAt: string }> {
    const record = await prisma.civilStatusRecord.findUnique({
      where: { id: input.recordId },
      include: { registrationUnit: { select: { name: true } } },
    });
    if (!record) throw ApplicationFailure.nonRetryable(`No civil-status record ${input.recordId}`, 'RecordMissing');
    const content = {
      title: `Extract of ${record.kind.toLowerCase().replace(/_/g, ' ')} record`,
      kind: record.kind,
      recordId: record.id,
      registeredAt: record.registrationUnit.name,
      registeredOn: record.registeredOn.toISOString().slice(0, 10),
      ...(record.bookNumber ? { bookNumber: record.bookNumber, pageNumber: record.pageNumber } : {}),
      details: record.details,
    } as Prisma.InputJsonValue;
    return issueDocumentOnce(prisma, { dossierId: input.dossierId, kind: `civil-status-extract/${record.kind}`, content });
  }

  return { findCivilStatusRecord, registerArchivedRecord, isEntitled, issueCivilStatusExtract };
}
