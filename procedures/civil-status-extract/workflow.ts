import { proxyActivities } from '@temporalio/workflow';
import { formatLocalTime } from '../../common/local-time';
import { REGISTRY_CALLS, registries, STORE_CALLS, store } from '../../workflows/shared/activity-stubs';
import { nowIso } from '../../workflows/shared/clock';
import { DossierRun } from '../../workflows/shared/dossier-run';
import type { DossierOutcome, DossierStart } from '../../workflows/shared/types';
import type { createActivities, RecordLookup } from './activities';
import { civilStatusExtract, type CivilStatusFacts, type CivilStatusKind } from './definition';

/** The run of one dossier: advances to this procedure's statuses and records its outcomes only. */
type Run = DossierRun<typeof civilStatusExtract>;

/**
 * Copy of a civil-status extract (trích lục hộ tịch) (procedures/civil-status-extract/README.md): verify the applicant, find the
 * record anywhere in the city, have a clerk verify and sign (or first search the paper archive of
 * the unit that holds the book), then issue an electronic extract with a verification code.
 */
export type CivilStatusExtractInput = DossierStart<CivilStatusFacts>;

type CivilStatusActivities = ReturnType<typeof createActivities>;
const registryCalls = proxyActivities<CivilStatusActivities>(REGISTRY_CALLS);
const issuing = proxyActivities<CivilStatusActivities>(STORE_CALLS);

const { verifyAndSign, archiveSearch } = civilStatusExtract.steps;

const IDENTITY_REFUSALS = {
  'unknown-person': 'The personal identification number is not in the population data.',
  'name-mismatch': 'The name given does not match the population data for this identification number.',
  'birth-date-mismatch': 'The date of birth given does not match the population data for this identification number.',
} as const;

const NOT_ENTITLED =
  'You are not named in this record. An extract is issued to the people the record names (the person it is about, ' +
  'their parents or spouse); anyone else must apply with a written authorisation at the ward.';

const TOO_LITTLE_TO_SEARCH =
  'The record is not in the electronic registry. To have the paper archive searched, file again with the unit where ' +
  'it was registered (registrationUnitCode) and its book number or the identification number of the person it is about.';

const RE_REGISTER =
  'The record could not be found in the electronic registry nor in the paper archive. Please apply for ' +
  're-registration (đăng ký lại) of the event at the ward of your residence, bringing any copy you hold.';

export async function civilStatusExtractWorkflow(input: CivilStatusExtractInput): Promise<DossierOutcome> {
  const run: Run = new DossierRun(input.dossierId, civilStatusExtract, input.unitCode);
  const calls: Calls = { registry: run.calls(registryCalls), issuing: run.calls(issuing), registries: run.calls(registries) };
  return run.execute(async () => {
    const recordId = await checkApplicantAndRecord(run, calls, input);
    return signAndIssue(run, calls, input, recordId);
  });
}

type Calls = { registry: typeof registryCalls; issuing: typeof issuing; registries: typeof registries };

/**
 * The applicant is verified while the record is looked up (both only read), and the receipt goes
 * out on the side: the clerk's task does not wait for the mail. The look-up's answer is not used,
 * recorded or told unless the applicant is verified (and then entitled to it).
 */
async function checkApplicantAndRecord(run: Run, calls: Calls, input: CivilStatusExtractInput): Promise<string> {
  const { dossierId } = input;
  const received = run.advance('verifying-applicant', 'verify-applicant', {}, { step: 'receive', actor: 'citizen', outcome: 'received', note: `Filed at ${input.unitCode}` });
  void sendReceipt(run, input);
  const [identity, lookup] = await Promise.all([
    calls.registries.verifyApplicant({ dossierId }),
    calls.registry.findCivilStatusRecord({ dossierId }),
    received,
  ]);
  if (!identity.verified) run.refuse('verify-applicant', 'system', IDENTITY_REFUSALS[identity.reason]);
  const [, recordId] = await Promise.all([
    run.record({ step: 'verify-applicant', actor: 'system', outcome: 'verified' }),
    recoverRecord(run, calls.registry, input, lookup),
  ]);
  return recordId;
}

function sendReceipt(run: Run, input: CivilStatusExtractInput): Promise<void> {
  return run.notifyApplicant(
    'receipt',
    `Dossier ${input.dossierId} received`,
    `We received your request for a copy of a ${kindLabel(input.request.kind)} extract (dossier ${input.dossierId}).\n` +
      `It is due ${formatLocalTime(input.dueAt)}. Follow it at ${input.publicBaseUrl}/api/v1/dossiers/${input.dossierId}`,
  );
}

/** The clerk verifies and signs; approved, the extract is issued and mailed. */
async function signAndIssue(run: Run, calls: Calls, input: CivilStatusExtractInput, recordId: string): Promise<DossierOutcome> {
  await run.advance('awaiting-signature', verifyAndSign.id);
  const decision = await run.humanTask(verifyAndSign, { unitCode: input.unitCode });
  if (decision.outcome === 'refuse') run.refuse(verifyAndSign.id, `clerk:${decision.completedBy}`, decision.data.reason);

  await run.advance('issuing', 'issue', { decidedAt: nowIso() });
  const document = await calls.issuing.issueCivilStatusExtract({ dossierId: input.dossierId, recordId });
  const verifyUrl = `${input.publicBaseUrl}/api/v1/documents/${document.code}/verify`;
  const downloadUrl = `${input.publicBaseUrl}/api/v1/dossiers/${input.dossierId}/document`;
  await run.close(
    'issued',
    { step: 'issue', actor: 'system', outcome: 'issued', note: `Electronic extract, verification code ${document.code}` },
    { result: { documentCode: document.code, issuedAt: document.issuedAt, verifyUrl, downloadUrl } },
  );
  await run.notifyApplicant(
    'result',
    `Dossier ${input.dossierId}: your extract is ready`,
    `Your ${kindLabel(input.request.kind)} extract was issued.\nVerification code: ${document.code}\n` +
      `Download: ${downloadUrl}\nAnyone can check it at ${verifyUrl}`,
  );
  return run.finish({ dossierId: input.dossierId, status: 'issued', documentCode: document.code });
}

/**
 * The record the registry's look-up found in the electronic registry; when it is only in the paper
 * archive, or not found at all, the unit that holds the book searches the archive and digitises what
 * it finds. Resolves with the record's id, or refuses the dossier.
 */
async function recoverRecord(run: Run, registry: typeof registryCalls, input: CivilStatusExtractInput, lookup: RecordLookup): Promise<string> {
  const { request, dossierId } = input;
  // Entitlement is decided before anything about the record is told: a stranger learns nothing of it.
  if (lookup.outcome === 'found' && lookup.storage === 'ELECTRONIC') {
    await run.record({ step: 'registry-lookup', actor: 'system', outcome: 'found', note: lookup.entitled ? `Record registered at ${lookup.registrationUnitCode}` : undefined });
    if (!lookup.entitled) run.refuse('registry-lookup', 'system', NOT_ENTITLED);
    return lookup.recordId;
  }
  run.checkpoint();
  // A paper record that does not name the applicant is refused now, not after a search of the archive.
  if (lookup.outcome === 'found' && !lookup.entitled) {
    await run.record({ step: 'registry-lookup', actor: 'system', outcome: 'paper-archive-only' });
    run.refuse('registry-lookup', 'system', NOT_ENTITLED);
  }
  // A clerk's days of archive search need a registration unit and a book or a person to look for.
  if (lookup.outcome !== 'found' && !lookup.archiveSearchable) {
    await run.record({ step: 'registry-lookup', actor: 'system', outcome: lookup.outcome });
    run.refuse('registry-lookup', 'system', TOO_LITTLE_TO_SEARCH);
  }

  const holdingUnit = lookup.outcome === 'found' ? lookup.registrationUnitCode : (lookup.holdingUnitCode ?? input.unitCode);
  await run.record({
    step: 'registry-lookup',
    actor: 'system',
    outcome: lookup.outcome === 'found' ? 'paper-archive-only' : lookup.outcome,
    note: `Archive search at ${holdingUnit}`,
  });
  const dossierPlan = await store.planDeadlines({ procedure: civilStatusExtract.id, step: 'dossier-archive', unitCode: input.unitCode, from: input.receivedAt });
  await run.advance('archive-search', archiveSearch.id, { dueAt: dossierPlan.dueAt });
  const search = await run.humanTask(archiveSearch, { unitCode: holdingUnit });
  const actor = `clerk:${search.completedBy}`;
  if (search.outcome === 'not-found') run.refuse(archiveSearch.id, actor, `${search.data.reason}\n${RE_REGISTER}`);
  // The entry is read from the completed task's row: the clerk's transcription stays in the database.
  const { recordId } = await registry.registerArchivedRecord({
    dossierId,
    taskId: search.taskId,
    kind: request.kind,
    holdingUnitCode: holdingUnit,
    existingRecordId: lookup.outcome === 'found' ? lookup.recordId : undefined,
  });
  await run.record({ step: archiveSearch.id, actor: 'system', outcome: 'digitised', note: `Record ${recordId} added to the electronic registry` });
  if (!(await registry.isEntitled({ recordId, dossierId }))) run.refuse(archiveSearch.id, 'system', NOT_ENTITLED);
  return recordId;
}

function kindLabel(kind: CivilStatusKind): string {
  return kind.toLowerCase().replace(/_/g, ' ');
}
