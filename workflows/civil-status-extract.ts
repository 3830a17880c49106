import { PIN_LIKE, type CivilStatusKind } from '../common/procedures';
import { formatLocal } from '../common/calendar';
import { registries, store } from './shared/activity-stubs';
import { nowIso } from './shared/clock';
import { DossierRun } from './shared/dossier-run';
import type { CivilStatusExtractInput, DossierOutcome, TaskCompletion } from './shared/types';

/**
 * Copy of a civil-status extract (trích lục hộ tịch), DOMAIN.md §1: verify the applicant, find the
 * record anywhere in the city, have a clerk verify and sign (or first search the paper archive of
 * the unit that holds the book), then issue an electronic extract with a verification code.
 */
const PROCEDURE = 'civil-status-extract';

const IDENTITY_REFUSALS = {
  'unknown-person': 'The personal identification number is not in the population data.',
  'name-mismatch': 'The name given does not match the population data for this identification number.',
  'birth-date-mismatch': 'The date of birth given does not match the population data for this identification number.',
} as const;

const NOT_ENTITLED =
  'You are not named in this record. An extract is issued to the people the record names (the person it is about, ' +
  'their parents or spouse); anyone else must apply with a written authorisation at the ward.';

const RE_REGISTER =
  'The record could not be found in the electronic registry nor in the paper archive. Please apply for ' +
  're-registration (đăng ký lại) of the event at the ward of your residence, bringing any copy you hold.';

function validateRefusal(completion: TaskCompletion): string | undefined {
  if (completion.outcome !== 'refuse' && completion.outcome !== 'not-found') return undefined;
  const reason = completion.data?.reason;
  return typeof reason === 'string' && reason.trim().length > 0 ? undefined : 'A reason is required';
}

function validateArchiveEntry(completion: TaskCompletion): string | undefined {
  if (completion.outcome === 'not-found') return validateRefusal(completion);
  const record = completion.data?.record as { registeredOn?: unknown; partyPins?: unknown } | undefined;
  if (!record || typeof record.registeredOn !== 'string') return 'The record found (registeredOn, partyPins, details) is required';
  if (!Array.isArray(record.partyPins) || !record.partyPins.every((p) => typeof p === 'string' && PIN_LIKE.test(p))) {
    return 'record.partyPins must list the 12-digit identification numbers of the people the record names';
  }
  return undefined;
}

export async function civilStatusExtractWorkflow(input: CivilStatusExtractInput): Promise<DossierOutcome> {
  const run = new DossierRun(input.dossierId, PROCEDURE, input.unitCode);
  run.installHandlers();

  await store.registerDossier({ ...input, procedure: PROCEDURE });
  await run.record({ step: 'receive', actor: 'citizen', outcome: 'received', note: `Filed at ${input.unitCode}` });
  // The receipt goes out while the applicant is verified: mail is the slowest call on the way to the
  // clerk's inbox, and nothing after it depends on it.
  const receipt = run.notifyApplicant(
    'receipt',
    `Dossier ${input.dossierId} received`,
    `We received your request for a copy of a ${kindLabel(input.request.kind)} extract (dossier ${input.dossierId}).\n` +
      `It is due ${formatLocal(input.dueAt)}. Follow it at ${input.publicBaseUrl}/api/v1/dossiers/${input.dossierId}`,
  );
  const verification = run
    .advance('verifying-applicant', 'verify-applicant')
    .then(() => registries.verifyApplicant({ pin: input.applicantPin, ...input.request.applicant }));
  const [, identity] = await Promise.all([receipt, verification]);
  if (run.cancelRequested) return run.finishCancelled();
  if (!identity.verified) return run.refuse('verify-applicant', 'system', IDENTITY_REFUSALS[identity.reason]);
  await run.record({ step: 'verify-applicant', actor: 'system', outcome: 'verified' });
  if (run.cancelRequested) return run.finishCancelled();

  const recordId = await findOrRecoverRecord(run, input);
  if (recordId === 'cancelled') return run.finishCancelled();
  if (recordId.refused) return run.refuse(recordId.step, recordId.actor, recordId.reason);

  await run.advance('awaiting-signature', 'verify-and-sign');
  const decision = await run.humanTask({ step: 'verify-and-sign', unitCode: input.unitCode, decides: true, validate: validateRefusal });
  if (decision === 'cancelled') return run.finishCancelled();
  if (decision.outcome === 'refuse') return run.refuse('verify-and-sign', `clerk:${decision.completedBy}`, String(decision.data?.reason));

  await run.advance('issuing', 'issue', { decidedAt: nowIso() });
  const document = await store.issueCivilStatusExtract({ dossierId: input.dossierId, recordId: recordId.id });
  const verifyUrl = `${input.publicBaseUrl}/api/v1/documents/${document.code}/verify`;
  await run.close(
    'issued',
    { step: 'issue', actor: 'system', outcome: 'issued', note: `Electronic extract, verification code ${document.code}` },
    { result: { documentCode: document.code, issuedAt: document.issuedAt, verifyUrl, downloadUrl: `${input.publicBaseUrl}/api/v1/dossiers/${input.dossierId}/document` } },
  );
  await run.notifyApplicant(
    'result',
    `Dossier ${input.dossierId}: your extract is ready`,
    `Your ${kindLabel(input.request.kind)} extract was issued.\nVerification code: ${document.code}\n` +
      `Download: ${input.publicBaseUrl}/api/v1/dossiers/${input.dossierId}/document\nAnyone can check it at ${verifyUrl}`,
  );
  return run.finish({ dossierId: input.dossierId, status: 'issued', documentCode: document.code });
}

type RecordResolution = { refused: false; id: string } | { refused: true; step: string; actor: string; reason: string };

/**
 * Finds the record in the electronic registry; when it is only in the paper archive, or not found
 * at all, the unit that holds the book searches the archive and digitises what it finds.
 */
async function findOrRecoverRecord(run: DossierRun, input: CivilStatusExtractInput): Promise<RecordResolution | 'cancelled'> {
  const { request } = input;
  await run.advance('looking-up-record', 'registry-lookup');
  const lookup = await registries.findCivilStatusRecord({ ...request, applicantPin: input.applicantPin });
  if (lookup.outcome === 'found' && lookup.storage === 'ELECTRONIC') {
    await run.record({ step: 'registry-lookup', actor: 'system', outcome: 'found', note: `Record registered at ${lookup.registrationUnitCode}` });
    if (!lookup.entitled) return { refused: true, step: 'registry-lookup', actor: 'system', reason: NOT_ENTITLED };
    return { refused: false, id: lookup.recordId };
  }
  if (run.cancelRequested) return 'cancelled';
  // A paper record that does not name the applicant is refused now, not after a search of the archive.
  if (lookup.outcome === 'found' && !lookup.entitled) {
    await run.record({ step: 'registry-lookup', actor: 'system', outcome: 'paper-archive-only', note: `Record registered at ${lookup.registrationUnitCode}` });
    return { refused: true, step: 'registry-lookup', actor: 'system', reason: NOT_ENTITLED };
  }

  const holdingUnit =
    lookup.outcome === 'found' ? lookup.registrationUnitCode : (lookup.holdingUnitCode ?? request.registrationUnitCode ?? input.unitCode);
  await run.record({
    step: 'registry-lookup',
    actor: 'system',
    outcome: lookup.outcome === 'found' ? 'paper-archive-only' : lookup.outcome,
    note: `Archive search at ${holdingUnit}`,
  });
  const dossierPlan = await store.planDeadlines({ procedure: PROCEDURE, step: 'dossier-archive', unitCode: input.unitCode, from: input.receivedAt });
  await run.advance('archive-search', 'archive-search', { dueAt: dossierPlan.dueAt });
  const search = await run.humanTask({ step: 'archive-search', unitCode: holdingUnit, validate: validateArchiveEntry });
  if (search === 'cancelled') return 'cancelled';
  const actor = `clerk:${search.completedBy}`;
  if (search.outcome === 'not-found') {
    return { refused: true, step: 'archive-search', actor, reason: `${String(search.data?.reason)}\n${RE_REGISTER}` };
  }
  const { recordId } = await registries.registerArchivedRecord({
    dossierId: input.dossierId,
    kind: request.kind,
    holdingUnitCode: holdingUnit,
    existingRecordId: lookup.outcome === 'found' ? lookup.recordId : undefined,
    entry: search.data?.record as never,
  });
  await run.record({ step: 'archive-search', actor: 'system', outcome: 'digitised', note: `Record ${recordId} added to the electronic registry` });
  if (!(await registries.isEntitled({ recordId, applicantPin: input.applicantPin }))) {
    return { refused: true, step: 'archive-search', actor: 'system', reason: NOT_ENTITLED };
  }
  return { refused: false, id: recordId };
}

function kindLabel(kind: CivilStatusKind): string {
  return kind.toLowerCase().replace(/_/g, ' ');
}
