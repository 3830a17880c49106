import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Bilingual } from '../../common/bilingual';
import { formatLocalTime } from '../../common/local-time';
import { REGISTRY_CALLS, store } from '../../workflows/shared/activity-stubs';
import { nowIso } from '../../workflows/shared/clock';
import { DossierRun } from '../../workflows/shared/dossier-run';
import { documentLinks, portalLink } from '../../workflows/shared/links';
import { filedNote, waitTexts } from '../../workflows/shared/texts';
import type { DossierOutcome, DossierStart } from '../../workflows/shared/types';
import type { createActivities } from './activities';
import { amendFacts, businessRegistration, parseSupplementFields, reviewingUnit, type BusinessRegistrationFacts } from './definition';

/** The run of one dossier: advances to this procedure's statuses and records its outcomes only. */
type Run = DossierRun<typeof businessRegistration>;

/**
 * Business registration (procedures/business-registration/README.md). Each round verifies the founders, checks the name and has a
 * clerk review; a supplement request waits for the applicant's answer (or the dossier lapses) and
 * starts a new round, with the 3-working-day clock restarted from the answer.
 */
export type BusinessRegistrationInput = DossierStart<BusinessRegistrationFacts>;

const registry = proxyActivities<ReturnType<typeof createActivities>>(REGISTRY_CALLS);
type NameConflicts = Awaited<ReturnType<typeof registry.checkBusinessName>>['conflicts'];

const FOUNDERS_VERIFIED = {
  step: 'verify-founders',
  actor: 'system',
  outcome: 'verified',
  note: { vi: 'Các thành viên sáng lập và người đại diện theo pháp luật có trong cơ sở dữ liệu dân cư', en: 'Founders and legal representative found in the population data' },
} as const;
const { review } = businessRegistration.steps;
const PROCEDURE = businessRegistration.id;

export async function businessRegistrationWorkflow(input: BusinessRegistrationInput): Promise<DossierOutcome> {
  const { dossierId, publicBaseUrl } = input;
  const run: Run = new DossierRun(dossierId, businessRegistration, input.unitCode, { language: input.language });
  const calls = run.calls(registry);
  let facts = input.request;
  return run.execute(async () => {
    const received = { step: 'receive', actor: 'citizen', outcome: 'received', note: filedNote(input.unitCode) } as const;
    const due = formatLocalTime(input.dueAt);
    const link = portalLink(publicBaseUrl, dossierId);
    // The receipt goes out on the side: the run's next mail follows it by itself.
    void run.notifyApplicant(
      'receipt',
      { vi: `Hồ sơ ${dossierId} đã được tiếp nhận`, en: `Dossier ${dossierId} received` },
      {
        vi: `Chúng tôi đã nhận hồ sơ đăng ký doanh nghiệp của bạn (hồ sơ ${dossierId}).\nHạn trả kết quả: ${due}. Theo dõi tại ${link}`,
        en: `We received your business registration application (dossier ${dossierId}).\nIt is due ${due}. Follow it at ${link}`,
      },
    );

    let restartedDueAt: string | undefined;
    for (let round = 1; ; round += 1) {
      // Each round's status goes with its first history line: the receipt's, or none after a supplement.
      const roundStarts = run.advance('verifying-founders', 'verify-founders', restartedDueAt ? { dueAt: restartedDueAt } : {}, round === 1 ? received : undefined);
      // The name is checked while the founders are verified (both only read); the name check's
      // finding is recorded only for founders who are all known.
      const [founders, nameCheck] = await Promise.all([calls.verifyFounders({ dossierId }), calls.checkBusinessName({ dossierId }), roundStarts]);
      const unknownFounders = unknownFoundersReason(founders.unknown);
      if (unknownFounders) run.refuse('verify-founders', 'system', unknownFounders);
      const [, conflicts] = await Promise.all([run.record(FOUNDERS_VERIFIED), recordNameCheck(run, nameCheck.conflicts)]);
      await run.advance('in-review', review.id);
      const decision = await run.humanTask(review, { unitCode: reviewingUnit(facts), context: { round, nameConflicts: conflicts } });
      if (decision.outcome === 'approve') break;
      if (decision.outcome === 'refuse') run.refuse(review.id, `clerk:${decision.completedBy}`, decision.data.reason);

      const requested = decision.data.items.map((i) => i.field);
      const changes = await run.waits.waitFor('supplement', {
        items: decision.data.items,
        deadlineStep: 'supplement',
        parse: (data) => parseSupplementFields(requested, data),
        describe: supplementRequest(dossierId, decision.data.items),
      });
      facts = amendFacts(facts, changes);
      // The office's 3 working days start again from the answer.
      restartedDueAt = (await store.planDeadlines({ procedure: PROCEDURE, step: 'dossier', unitCode: input.unitCode, from: nowIso() })).dueAt;
    }

    await run.advance('registering', 'register', { decidedAt: nowIso() });
    const enterpriseCode = await register(run, calls, dossierId, reviewingUnit(facts));
    await run.record({ step: 'register', actor: 'system', outcome: 'registered', note: { vi: `Mã số doanh nghiệp ${enterpriseCode}`, en: `Enterprise code ${enterpriseCode}` } });
    const certificate = await calls.issueBusinessCertificate({ dossierId });
    const { verifyUrl, downloadUrl } = documentLinks(publicBaseUrl, dossierId, certificate.code);
    const issued = {
      vi: `Giấy chứng nhận đăng ký doanh nghiệp, mã xác thực ${certificate.code}`,
      en: `Business registration certificate, verification code ${certificate.code}`,
    };
    await run.close(
      'registered',
      { step: 'issue', actor: 'system', outcome: 'issued', note: issued },
      { result: { enterpriseCode, documentCode: certificate.code, issuedAt: certificate.issuedAt, verifyUrl, downloadUrl } },
    );
    await run.notifyApplicant(
      'result',
      { vi: `Hồ sơ ${dossierId}: doanh nghiệp đã được đăng ký`, en: `Dossier ${dossierId}: your business is registered` },
      {
        vi:
          `Doanh nghiệp của bạn đã được đăng ký với mã số doanh nghiệp ${enterpriseCode} (cũng là mã số thuế).\n` +
          `Mã xác thực giấy chứng nhận: ${certificate.code}\nTải về: ${downloadUrl}\nAi cũng có thể kiểm tra tại ${verifyUrl}`,
        en:
          `Your business is registered with enterprise code ${enterpriseCode} (also its tax code).\n` +
          `Certificate verification code: ${certificate.code}\nDownload: ${downloadUrl}\nAnyone can check it at ${verifyUrl}`,
      },
    );
    return run.finish({ dossierId, status: 'registered', enterpriseCode, documentCode: certificate.code });
  });
}

/** What the applicant is asked to correct: each field by its name, with the clerk's words. */
function supplementRequest(dossierId: string, items: ReadonlyArray<{ field: string; problem: string }>): { subject: Bilingual; request: Bilingual } {
  const asked = waitTexts.askedItems(businessRegistration, items);
  return {
    subject: { vi: `Hồ sơ ${dossierId}: đề nghị bổ sung`, en: `Dossier ${dossierId}: please supplement your application` },
    request: { vi: `Vui lòng sửa: ${asked.vi}.`, en: `Please correct: ${asked.en}.` },
  };
}

/** The refusal's reason naming who is not in the population data, or undefined when all are. */
function unknownFoundersReason(unknown: Awaited<ReturnType<typeof registry.verifyFounders>>['unknown']): Bilingual | undefined {
  if (unknown.length === 0) return undefined;
  const who = (l: 'vi' | 'en') =>
    unknown
      .map((u) =>
        u.role === 'founder'
          ? l === 'vi' ? `thành viên sáng lập số ${u.position} (số định danh kết thúc bằng ${u.pinEnding})` : `founder no. ${u.position} (ID ending ${u.pinEnding})`
          : l === 'vi' ? `người đại diện theo pháp luật (số định danh kết thúc bằng ${u.pinEnding})` : `the legal representative (ID ending ${u.pinEnding})`,
      )
      .join(', ');
  return {
    vi: `Không có trong cơ sở dữ liệu dân cư: ${who('vi')}. Vui lòng kiểm tra số định danh và nộp lại hồ sơ.`,
    en: `Not in the population data: ${who('en')}. Check the identification numbers and file again.`,
  };
}

/** The name check's finding goes to the reviewing clerk (task context and history); it refuses nothing by itself. */
async function recordNameCheck(run: Run, conflicts: NameConflicts): Promise<NameConflicts> {
  await run.record({
    step: 'name-check',
    actor: 'system',
    outcome: conflicts.length > 0 ? 'conflict' : 'no-conflict',
    note: nameCheckNote(conflicts),
  });
  return conflicts;
}

function nameCheckNote(conflicts: NameConflicts): Bilingual {
  if (conflicts.length === 0) return { vi: 'Không có doanh nghiệp đã đăng ký nào trùng tên', en: 'No registered business has a conflicting name' };
  const names = conflicts.map((c) => `${c.name} (${c.enterpriseCode})`).join('; ');
  return { vi: `Tên dự kiến trùng hoặc gây nhầm lẫn với: ${names}`, en: `The proposed name conflicts with: ${names}` };
}

/** Writes the business to the registry; a name taken meanwhile by another registration refuses the dossier. */
async function register(run: Run, calls: typeof registry, dossierId: string, registrationUnitCode: string): Promise<string> {
  try {
    const { enterpriseCode } = await calls.registerBusiness({ dossierId, registrationUnitCode });
    return enterpriseCode;
  } catch (error) {
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'BusinessNameTaken') {
      run.refuse('register', 'system', {
        vi: 'Trong lúc xử lý, một doanh nghiệp khác đã được đăng ký với tên trùng. Vui lòng nộp lại hồ sơ với tên khác.',
        en: 'Another business was registered under a conflicting name meanwhile. Please file again with another name.',
      });
    }
    throw error;
  }
}
