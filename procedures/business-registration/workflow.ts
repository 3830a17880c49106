import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { formatLocalTime } from '../../common/local-time';
import { REGISTRY_CALLS, store } from '../../workflows/shared/activity-stubs';
import { nowIso } from '../../workflows/shared/clock';
import { DossierRun } from '../../workflows/shared/dossier-run';
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

const FOUNDERS_VERIFIED = { step: 'verify-founders', actor: 'system', outcome: 'verified', note: 'Founders and legal representative found in the population data' } as const;
const { review } = businessRegistration.steps;
const PROCEDURE = businessRegistration.id;

export async function businessRegistrationWorkflow(input: BusinessRegistrationInput): Promise<DossierOutcome> {
  const { dossierId, publicBaseUrl } = input;
  const run: Run = new DossierRun(dossierId, businessRegistration, input.unitCode);
  const calls = run.calls(registry);
  let facts = input.request;
  return run.execute(async () => {
    const received = { step: 'receive', actor: 'citizen', outcome: 'received', note: `Filed at ${input.unitCode}` } as const;
    // The receipt goes out on the side: the run's next mail follows it by itself.
    void run.notifyApplicant(
      'receipt',
      `Dossier ${dossierId} received`,
      `We received your business registration application (dossier ${dossierId}).\n` +
        `It is due ${formatLocalTime(input.dueAt)}. Follow it at ${publicBaseUrl}/api/v1/dossiers/${dossierId}`,
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
        describe: {
          subject: `Dossier ${dossierId}: please supplement your application`,
          request: `Please correct: ${decision.data.items.map((i) => `${i.field} (${i.problem})`).join('; ')}.`,
        },
      });
      facts = amendFacts(facts, changes);
      // The office's 3 working days start again from the answer.
      restartedDueAt = (await store.planDeadlines({ procedure: PROCEDURE, step: 'dossier', unitCode: input.unitCode, from: nowIso() })).dueAt;
    }

    await run.advance('registering', 'register', { decidedAt: nowIso() });
    const enterpriseCode = await register(run, calls, dossierId, reviewingUnit(facts));
    await run.record({ step: 'register', actor: 'system', outcome: 'registered', note: `Enterprise code ${enterpriseCode}` });
    const certificate = await calls.issueBusinessCertificate({ dossierId });
    const verifyUrl = `${publicBaseUrl}/api/v1/documents/${certificate.code}/verify`;
    const downloadUrl = `${publicBaseUrl}/api/v1/dossiers/${dossierId}/document`;
    await run.close(
      'registered',
      { step: 'issue', actor: 'system', outcome: 'issued', note: `Business registration certificate, verification code ${certificate.code}` },
      { result: { enterpriseCode, documentCode: certificate.code, issuedAt: certificate.issuedAt, verifyUrl, downloadUrl } },
    );
    await run.notifyApplicant(
      'result',
      `Dossier ${dossierId}: your business is registered`,
      `Your business is registered with enterprise code ${enterpriseCode} (also its tax code).\n` +
        `Certificate verification code: ${certificate.code}\nDownload: ${downloadUrl}\nAnyone can check it at ${verifyUrl}`,
    );
    return run.finish({ dossierId, status: 'registered', enterpriseCode, documentCode: certificate.code });
  });
}

/** The refusal's reason naming who is not in the population data, or undefined when all are. */
function unknownFoundersReason(unknown: Awaited<ReturnType<typeof registry.verifyFounders>>['unknown']): string | undefined {
  if (unknown.length === 0) return undefined;
  const who = unknown.map((u) =>
    u.role === 'founder' ? `founder no. ${u.position} (ID ending ${u.pinEnding})` : `the legal representative (ID ending ${u.pinEnding})`,
  );
  return `Not in the population data: ${who.join(', ')}. Check the identification numbers and file again.`;
}

/** The name check's finding goes to the reviewing clerk (task context and history); it refuses nothing by itself. */
async function recordNameCheck(run: Run, conflicts: NameConflicts): Promise<NameConflicts> {
  await run.record({
    step: 'name-check',
    actor: 'system',
    outcome: conflicts.length > 0 ? 'conflict' : 'no-conflict',
    note:
      conflicts.length > 0
        ? `The proposed name conflicts with: ${conflicts.map((c) => `${c.name} (${c.enterpriseCode})`).join('; ')}`
        : 'No registered business has a conflicting name',
  });
  return conflicts;
}

/** Writes the business to the registry; a name taken meanwhile by another registration refuses the dossier. */
async function register(run: Run, calls: typeof registry, dossierId: string, registrationUnitCode: string): Promise<string> {
  try {
    const { enterpriseCode } = await calls.registerBusiness({ dossierId, registrationUnitCode });
    return enterpriseCode;
  } catch (error) {
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'BusinessNameTaken') {
      run.refuse('register', 'system', 'Another business was registered under a conflicting name meanwhile. Please file again with another name.');
    }
    throw error;
  }
}
