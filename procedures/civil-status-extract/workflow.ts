import { proxyActivities } from '@temporalio/workflow';
import { formatLocalTime } from '../../common/local-time';
import { REGISTRY_CALLS, registries, STORE_CALLS, store } from '../../workflows/shared/activity-stubs';
import { nowIso } from '../../workflows/shared/clock';
import { DossierRun } from '../../workflows/shared/dossier-run';
import { documentLinks, portalLink } from '../../workflows/shared/links';
import { filedNote } from '../../workflows/shared/texts';
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
  'unknown-person': { vi: 'Số định danh cá nhân không có trong cơ sở dữ liệu dân cư.', en: 'The personal identification number is not in the population data.' },
  'name-mismatch': {
    vi: 'Họ tên đã khai không khớp với cơ sở dữ liệu dân cư của số định danh này.',
    en: 'The name given does not match the population data for this identification number.',
  },
  'birth-date-mismatch': {
    vi: 'Ngày sinh đã khai không khớp với cơ sở dữ liệu dân cư của số định danh này.',
    en: 'The date of birth given does not match the population data for this identification number.',
  },
} as const;

const NOT_ENTITLED = {
  vi:
    'Bạn không có tên trong sổ hộ tịch này. Trích lục được cấp cho những người có tên trong đó (người được đăng ký, ' +
    'cha mẹ hoặc vợ/chồng); người khác phải có văn bản ủy quyền và nộp tại phường.',
  en:
    'You are not named in this record. An extract is issued to the people the record names (the person it is about, ' +
    'their parents or spouse); anyone else must apply with a written authorisation at the ward.',
};

const TOO_LITTLE_TO_SEARCH = {
  vi:
    'Sổ hộ tịch không có trong cơ sở dữ liệu điện tử. Để tra cứu sổ giấy, hãy nộp lại hồ sơ ghi rõ nơi đăng ký ' +
    '(registrationUnitCode) và số sổ hoặc số định danh của người được đăng ký.',
  en:
    'The record is not in the electronic registry. To have the paper archive searched, file again with the unit where ' +
    'it was registered (registrationUnitCode) and its book number or the identification number of the person it is about.',
};

const RE_REGISTER = {
  vi: 'Không tìm thấy sổ hộ tịch trong cơ sở dữ liệu điện tử lẫn sổ giấy. Vui lòng đăng ký lại sự kiện hộ tịch tại phường nơi cư trú, mang theo bản sao nếu có.',
  en:
    'The record could not be found in the electronic registry nor in the paper archive. Please apply for ' +
    're-registration (đăng ký lại) of the event at the ward of your residence, bringing any copy you hold.',
};

const KIND_NAMES: Record<CivilStatusKind, { vi: string; en: string }> = {
  BIRTH: { vi: 'khai sinh', en: 'birth' },
  DEATH: { vi: 'khai tử', en: 'death' },
  MARRIAGE: { vi: 'kết hôn', en: 'marriage' },
  PARENT_CHILD_RECOGNITION: { vi: 'nhận cha, mẹ, con', en: 'parent child recognition' },
};

export async function civilStatusExtractWorkflow(input: CivilStatusExtractInput): Promise<DossierOutcome> {
  const run: Run = new DossierRun(input.dossierId, civilStatusExtract, input.unitCode, { language: input.language });
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
  const received = run.advance('verifying-applicant', 'verify-applicant', {}, { step: 'receive', actor: 'citizen', outcome: 'received', note: filedNote(input.unitCode) });
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
  const { dossierId } = input;
  const kind = KIND_NAMES[input.request.kind];
  const due = formatLocalTime(input.dueAt);
  const link = portalLink(input.publicBaseUrl, dossierId);
  return run.notifyApplicant(
    'receipt',
    { vi: `Hồ sơ ${dossierId} đã được tiếp nhận`, en: `Dossier ${dossierId} received` },
    {
      vi: `Chúng tôi đã nhận yêu cầu cấp bản sao trích lục ${kind.vi} của bạn (hồ sơ ${dossierId}).\nHạn trả kết quả: ${due}. Theo dõi tại ${link}`,
      en: `We received your request for a copy of a ${kind.en} extract (dossier ${dossierId}).\nIt is due ${due}. Follow it at ${link}`,
    },
  );
}

/** The clerk verifies and signs; approved, the extract is issued and mailed. */
async function signAndIssue(run: Run, calls: Calls, input: CivilStatusExtractInput, recordId: string): Promise<DossierOutcome> {
  await run.advance('awaiting-signature', verifyAndSign.id);
  const decision = await run.humanTask(verifyAndSign, { unitCode: input.unitCode });
  if (decision.outcome === 'refuse') run.refuse(verifyAndSign.id, `clerk:${decision.completedBy}`, decision.data.reason);

  await run.advance('issuing', 'issue', { decidedAt: nowIso() });
  const document = await calls.issuing.issueCivilStatusExtract({ dossierId: input.dossierId, recordId });
  const { verifyUrl, downloadUrl } = documentLinks(input.publicBaseUrl, input.dossierId, document.code);
  await run.close(
    'issued',
    { step: 'issue', actor: 'system', outcome: 'issued', note: { vi: `Trích lục điện tử, mã xác thực ${document.code}`, en: `Electronic extract, verification code ${document.code}` } },
    { result: { documentCode: document.code, issuedAt: document.issuedAt, verifyUrl, downloadUrl } },
  );
  const kind = KIND_NAMES[input.request.kind];
  await run.notifyApplicant(
    'result',
    { vi: `Hồ sơ ${input.dossierId}: đã cấp trích lục`, en: `Dossier ${input.dossierId}: your extract is ready` },
    {
      vi: `Trích lục ${kind.vi} của bạn đã được cấp.\nMã xác thực: ${document.code}\nTải về: ${downloadUrl}\nAi cũng có thể kiểm tra tại ${verifyUrl}`,
      en: `Your ${kind.en} extract was issued.\nVerification code: ${document.code}\nDownload: ${downloadUrl}\nAnyone can check it at ${verifyUrl}`,
    },
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
    await run.record({ step: 'registry-lookup', actor: 'system', outcome: 'found', note: lookup.entitled ? { vi: `Sổ đăng ký tại ${lookup.registrationUnitCode}`, en: `Record registered at ${lookup.registrationUnitCode}` } : undefined });
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
    note: { vi: `Tra cứu sổ giấy tại ${holdingUnit}`, en: `Archive search at ${holdingUnit}` },
  });
  const dossierPlan = await store.planDeadlines({ procedure: civilStatusExtract.id, step: 'dossier-archive', unitCode: input.unitCode, from: input.receivedAt });
  await run.advance('archive-search', archiveSearch.id, { dueAt: dossierPlan.dueAt });
  const search = await run.humanTask(archiveSearch, { unitCode: holdingUnit });
  const actor = `clerk:${search.completedBy}`;
  if (search.outcome === 'not-found') run.refuse(archiveSearch.id, actor, { vi: `${search.data.reason}\n${RE_REGISTER.vi}`, en: `${search.data.reason}\n${RE_REGISTER.en}` });
  // The entry is read from the completed task's row: the clerk's transcription stays in the database.
  const { recordId } = await registry.registerArchivedRecord({
    dossierId,
    taskId: search.taskId,
    kind: request.kind,
    holdingUnitCode: holdingUnit,
    existingRecordId: lookup.outcome === 'found' ? lookup.recordId : undefined,
  });
  await run.record({ step: archiveSearch.id, actor: 'system', outcome: 'digitised', note: { vi: `Sổ ${recordId} đã được đưa vào cơ sở dữ liệu điện tử`, en: `Record ${recordId} added to the electronic registry` } });
  if (!(await registry.isEntitled({ recordId, dossierId }))) run.refuse(archiveSearch.id, 'system', NOT_ENTITLED);
  return recordId;
}
