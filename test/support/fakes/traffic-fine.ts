import { ApplicationFailure } from '@temporalio/common';
import type { OwnerLookup, PaymentReceipt } from '../../../procedures/traffic-fine/activities';
import type { TrafficFineFacts } from '../../../procedures/traffic-fine/definition';
import type { CitizenMail } from '../../../workflows/shared/types';
import type { FakeWorld, TrafficFineActivities } from '../fake-world';

interface FakeCase {
  lookups: number;
  fineAmount?: number;
  payments: Map<string, PaymentReceipt>;
  publishedAt?: string;
  flaggedAt?: string;
  settledAt?: string;
}

export const DEFAULT_FINE = 5_000_000;

/** Names of violations as the fines table has them (migrations), for the codes the tests use. */
export const VIOLATION_NAMES: Record<string, { vi: string; en: string }> = {
  'RED-LIGHT-CAR': { vi: 'Ô tô không chấp hành hiệu lệnh của đèn tín hiệu giao thông', en: 'Car failing to obey a traffic light' },
};

/**
 * In-memory stand-ins for the traffic police's systems, for workflow tests on the time-skipping
 * server: `world.options.ownerLookups[n]` is what the n-th owner look-up of a case finds (default:
 * registered, found, living in the ward of the violation, with an address), every fine is
 * `world.options.fineAmount` (default 5,000,000 VND); payments are kept once per key and must be the
 * balance, like the real ones.
 */
export function createTrafficFineFakes(world: FakeWorld): TrafficFineActivities {
  const { options } = world;
  const cases = new Map<string, FakeCase>();
  const caseOf = (dossierId: string): FakeCase => {
    world.dossier(dossierId);
    let found = cases.get(dossierId);
    if (!found) cases.set(dossierId, (found = { lookups: 0, payments: new Map() }));
    return found;
  };
  const balanceOf = (c: FakeCase) => (c.fineAmount ?? 0) - [...c.payments.values()].reduce((sum, p) => sum + p.amount, 0);

  return world.wrapAll<TrafficFineActivities>({
    setPlate: async (_input: { dossierId: string; plateNumber: string }) => undefined,

    lookupOwner: async (input: { dossierId: string; taskId?: string }): Promise<OwnerLookup> => {
      const c = caseOf(input.dossierId);
      const facts = world.dossier(input.dossierId).request as unknown as TrafficFineFacts;
      const planned = options.ownerLookups?.[c.lookups];
      c.lookups += 1;
      return planned ?? { vehicle: 'registered', owner: 'found', residenceUnitCode: facts.locationUnitCode, reachable: true };
    },

    issueNotice: async (input: { dossierId: string }) => {
      const c = caseOf(input.dossierId);
      c.fineAmount ??= options.fineAmount ?? DEFAULT_FINE;
      const code = (world.dossier(input.dossierId).request as unknown as TrafficFineFacts).violationCode;
      return { ...world.issueDocument(input.dossierId, 'notice'), fineAmount: c.fineAmount, violation: VIOLATION_NAMES[code] ?? { vi: code, en: code } };
    },

    notifyOwner: async (input: CitizenMail) => {
      // The owner's mail goes through the shared fake mailer, as the applicant's does, in the owner's language.
      await world.sendMail({ idempotencyKey: `${input.dossierId}/${input.key}`, to: 'owner@example.vn', ...world.citizenMail(input) });
      return { sent: 1 };
    },

    payFine: async (input: { dossierId: string; paymentKey: string; amount: number }): Promise<PaymentReceipt> => {
      const c = caseOf(input.dossierId);
      const existing = c.payments.get(input.paymentKey);
      if (existing) return { ...existing, balance: balanceOf(c) };
      const balance = balanceOf(c);
      if (input.amount !== balance) throw ApplicationFailure.nonRetryable(`The amount ${input.amount} VND is not the balance ${balance} VND`, 'AmountMismatch');
      const receipt = { paymentId: `pay-${c.payments.size + 1}-${input.dossierId}`, amount: input.amount, paidAt: world.scheduledAt().toISOString(), balance: 0 };
      c.payments.set(input.paymentKey, receipt);
      return { ...receipt, balance: balanceOf(c) };
    },

    publishAndFlag: async (input: { dossierId: string }) => {
      const c = caseOf(input.dossierId);
      const now = world.scheduledAt().toISOString();
      c.publishedAt ??= now;
      c.flaggedAt ??= now;
      return { publishedAt: c.publishedAt, flaggedAt: c.flaggedAt };
    },

    settleCase: async (input: { dossierId: string }) => {
      const c = caseOf(input.dossierId);
      c.settledAt ??= world.scheduledAt().toISOString();
      return { wasPublished: c.publishedAt !== undefined, wasFlagged: c.flaggedAt !== undefined, vehicleStillFlagged: false };
    },
  });
}
