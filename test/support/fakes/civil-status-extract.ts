import { ApplicationFailure } from '@temporalio/common';
import type { RecordLookup, RecordQuery } from '../../../procedures/civil-status-extract/activities';
import { enoughToSearchArchive, type ArchivedRecordEntry, type CivilStatusKind } from '../../../procedures/civil-status-extract/definition';
import type { CivilStatusExtractActivities, FakeWorld } from '../fake-world';

/**
 * In-memory stand-ins for the civil-status registry and extract issuing, for workflow tests on the
 * time-skipping server. The record a look-up finds is `world.options.lookup`; digitising is
 * idempotent by dossier, like the real registry; the entitlement rule is the real one.
 */
export function createCivilStatusExtractFakes(world: FakeWorld): CivilStatusExtractActivities {
  const { options, records } = world;
  if (options.lookup?.outcome === 'found') records.set(options.lookup.record.id, { ...options.lookup.record });
  const entitled = (partyPins: string[], applicantPin: string) => partyPins.includes(applicantPin);
  /** The look-up the dossier asks for, from the fake dossier row (as the real activity reads the database). */
  const queryOf = (dossierId: string): RecordQuery => {
    const row = world.dossier(dossierId);
    return { ...(row.request as Omit<RecordQuery, 'applicantPin'>), applicantPin: row.applicantPin ?? '' };
  };

  return world.wrapAll<CivilStatusExtractActivities>({
    findCivilStatusRecord: async (input: { dossierId: string } | RecordQuery): Promise<RecordLookup> => {
      const query = 'applicantPin' in input ? input : queryOf(input.dossierId);
      const lookup = options.lookup ?? { outcome: 'not-found' };
      if (lookup.outcome !== 'found') {
        const archiveSearchable = enoughToSearchArchive(query);
        return { archiveSearchable, ...lookup, holdingUnitCode: lookup.holdingUnitCode ?? query.registrationUnitCode };
      }
      const record = records.get(lookup.record.id) ?? lookup.record;
      return {
        outcome: 'found',
        recordId: record.id,
        storage: record.storage,
        registrationUnitCode: record.registrationUnitCode,
        entitled: entitled(record.partyPins, query.applicantPin),
      };
    },

    registerArchivedRecord: async (input: {
      dossierId: string;
      kind: CivilStatusKind;
      holdingUnitCode: string;
      existingRecordId?: string;
      taskId?: string;
      entry?: ArchivedRecordEntry;
    }) => {
      const entry = input.entry ?? (world.tasks.get(input.taskId ?? '')?.data?.record as ArchivedRecordEntry | undefined);
      if (!entry) throw ApplicationFailure.nonRetryable(`Task ${input.taskId} holds no archive entry`, 'ArchiveEntryMissing');
      if (input.existingRecordId) {
        // Like the real activity: the existing record is switched to electronic.
        const existing = records.get(input.existingRecordId);
        if (!existing) throw ApplicationFailure.nonRetryable(`No record ${input.existingRecordId}`, 'FakeMissingRow');
        existing.storage = 'ELECTRONIC';
        return { recordId: input.existingRecordId };
      }
      const recordId = `HT-${input.kind}-D-${input.dossierId}`;
      if (!records.has(recordId)) {
        records.set(recordId, {
          id: recordId,
          kind: input.kind,
          storage: 'ELECTRONIC',
          registrationUnitCode: input.holdingUnitCode,
          partyPins: [...entry.partyPins],
          entry,
        });
      }
      return { recordId };
    },

    isEntitled: async (input: { recordId: string } & ({ dossierId: string } | { applicantPin: string })) => {
      const applicantPin = 'applicantPin' in input ? input.applicantPin : queryOf(input.dossierId).applicantPin;
      const record = records.get(input.recordId);
      return record ? entitled(record.partyPins, applicantPin) : false;
    },

    issueCivilStatusExtract: async (input: { dossierId: string; recordId: string }) => {
      if (!world.documents.has(input.dossierId)) {
        const record = records.get(input.recordId);
        if (!record) throw ApplicationFailure.nonRetryable(`No civil-status record ${input.recordId}`, 'RecordMissing');
        if (record.storage !== 'ELECTRONIC') throw ApplicationFailure.nonRetryable(`Record ${input.recordId} is not digitised`, 'FakeRecordNotElectronic');
      }
      return world.issueDocument(input.dossierId, input.recordId);
    },
  });
}
