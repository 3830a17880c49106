import { ApplicationFailure } from '@temporalio/common';
import { createActivities as createCivilStatusActivities, type RecordQuery } from '../procedures/civil-status-extract/activities';
import { CIVIL_STATUS_KINDS, type CivilStatusKind } from '../procedures/civil-status-extract/definition';
import type { PrismaClient } from '../prisma/client';
import type { CIVIL_STATUS_ADAPTER_SPECS } from '../procedures/adapter-specs-civil-status';

/**
 * The civil-status registry's adapters of the civil-status extract published as data
 * (procedures/definitions/civil-status-extract.json), on the registry code the procedure written in
 * TypeScript used (procedures/civil-status-extract/activities.ts). What they return goes into the
 * workflow's history: record ids, unit codes, booleans, never a name or an identification number.
 */

// What activities/adapters.ts gives an adapter and takes from it (its `AdapterContext`, `AdapterOutcome`
// and `Implementation`), as much of it as these need: stated here, since adapters.ts imports this file.
interface AdapterOutcome {
  outcome: string;
  result: Record<string, unknown>;
}
interface Implementation {
  description: string;
  system: string;
  run(context: { prisma: PrismaClient; dossier: { id: string; unitCode: string; applicantPin: string | null }; input: Record<string, unknown> }): Promise<AdapterOutcome>;
}

function badInput(adapter: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${adapter}: ${message}`, 'AdapterInput');
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

function kindOf(adapter: string, input: Record<string, unknown>): CivilStatusKind {
  const kind = input.kind;
  if (typeof kind !== 'string' || !(CIVIL_STATUS_KINDS as readonly string[]).includes(kind)) {
    throw badInput(adapter, `input kind must be one of ${CIVIL_STATUS_KINDS.join(', ')}, got ${JSON.stringify(kind ?? null)}`);
  }
  return kind as CivilStatusKind;
}

const LOCATE = 'civil-status.locate-record';

const locateRecord: Implementation = {
  description:
    "Where the record a dossier asks for is, in the civil-status registry of every unit: by recordRef, else by the person (subjectPin, else the applicant) and kind, narrowed by registrationUnitCode, bookNumber, pageNumber. Outcomes: found (in the electronic registry), paper-archive-only (indexed, its content only in the paper book), not-found, ambiguous (more than one match). Result when a record is found: entitled (the applicant is named in it: decide on it before telling anything about the record); in the electronic registry, recordId and registrationUnitCode; when only in the paper archive, recordId and holdingUnitCode (the unit holding the book); when not found or ambiguous, archiveSearchable (the filing names the unit where it was registered and a book or a person) and holdingUnitCode (that unit, else the dossier's).",
  system: 'the civil-status registry',
  async run({ prisma, dossier, input }) {
    const query: RecordQuery = { kind: kindOf(LOCATE, input), applicantPin: dossier.applicantPin ?? '' };
    for (const key of ['recordRef', 'subjectPin', 'registrationUnitCode', 'bookNumber'] as const) {
      const value = optionalString(input[key]);
      if (value !== undefined) query[key] = value;
    }
    if (typeof input.pageNumber === 'number') query.pageNumber = input.pageNumber;
    const lookup = await createCivilStatusActivities({ prisma }).findCivilStatusRecord(query);
    if (lookup.outcome === 'found') {
      const { recordId, registrationUnitCode, entitled } = lookup;
      if (lookup.storage === 'ELECTRONIC') return { outcome: 'found', result: { entitled, recordId, registrationUnitCode } };
      return { outcome: 'paper-archive-only', result: { entitled, recordId, holdingUnitCode: registrationUnitCode } };
    }
    return {
      outcome: lookup.outcome,
      result: { archiveSearchable: lookup.archiveSearchable ?? false, holdingUnitCode: lookup.holdingUnitCode ?? dossier.unitCode },
    };
  },
};

const DIGITISE = 'civil-status.digitise-record';

const digitiseRecord: Implementation = {
  description:
    "What the archive clerk read from the paper book (the `record` of the dossier's last completed task of the step named by input step, read from its row) becomes an electronic record of the registry: the paper record existingRecordId when the look-up found one (its content is filled in and it turns electronic), else a new record of the input kind at holdingUnitCode, one per dossier, so a retry writes nothing twice. Result: recordId, and whether the applicant is named in it (entitled).",
  system: 'the civil-status registry',
  async run({ prisma, dossier, input }): Promise<AdapterOutcome> {
    const kind = kindOf(DIGITISE, input);
    const step = optionalString(input.step);
    if (step === undefined) throw badInput(DIGITISE, 'input step must name the task whose outcome holds the record');
    const holdingUnitCode = optionalString(input.holdingUnitCode);
    const existingRecordId = optionalString(input.existingRecordId);
    if (!holdingUnitCode && !existingRecordId) throw badInput(DIGITISE, 'give holdingUnitCode or existingRecordId');
    const task = await prisma.task.findFirst({
      where: { dossierId: dossier.id, step, status: 'done' },
      orderBy: [{ completedAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
    if (!task) throw ApplicationFailure.nonRetryable(`${DIGITISE}: dossier ${dossier.id} has no completed ${step} task`, 'ArchiveEntryMissing');
    const registry = createCivilStatusActivities({ prisma });
    const { recordId } = await registry.registerArchivedRecord({
      dossierId: dossier.id,
      taskId: task.id,
      kind,
      holdingUnitCode: holdingUnitCode ?? dossier.unitCode,
      ...(existingRecordId ? { existingRecordId } : {}),
    });
    const entitled = await registry.isEntitled({ recordId, applicantPin: dossier.applicantPin ?? '' });
    return { outcome: 'digitised', result: { recordId, entitled } };
  },
};

/** Each adapter of the civil-status extract, by the name its spec has (procedures/adapter-specs-civil-status.ts). */
export const CIVIL_STATUS_ADAPTERS: Record<keyof typeof CIVIL_STATUS_ADAPTER_SPECS, Implementation> = {
  [LOCATE]: locateRecord,
  [DIGITISE]: digitiseRecord,
};
