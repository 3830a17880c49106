import { ApplicationFailure } from '@temporalio/common';
import type { BusinessRegistrationFiling } from '../../../procedures/business-registration/definition';
import type { BusinessRegistrationActivities, FakeWorld } from '../fake-world';

/**
 * In-memory stand-ins for the business registry, for workflow tests on the time-skipping server:
 * `world.options.unknownPins` are missing from the population data, `world.options.nameConflicts[n]`
 * is what the n-th name check of a dossier finds; codes are assigned once per dossier, like the real
 * registry, and are unique across dossiers.
 */
export function createBusinessRegistrationFakes(world: FakeWorld): BusinessRegistrationActivities {
  const { options, businesses } = world;
  const nameChecks = new Map<string, number>();
  let serial = 0;

  const filingOf = (dossierId: string) => world.dossier(dossierId).request as BusinessRegistrationFiling;

  return world.wrapAll<BusinessRegistrationActivities>({
    verifyFounders: async (input: { dossierId: string }) => {
      const filing = filingOf(input.dossierId);
      const unknown = new Set(options.unknownPins ?? []);
      const founders = filing.founders.flatMap((f, i) =>
        unknown.has(f.pin) ? [{ role: 'founder' as const, position: i + 1, pinEnding: f.pin.slice(-4) }] : [],
      );
      const representative = unknown.has(filing.legalRepresentativePin)
        ? [{ role: 'legal-representative' as const, position: 0, pinEnding: filing.legalRepresentativePin.slice(-4) }]
        : [];
      return { unknown: [...founders, ...representative] };
    },

    checkBusinessName: async (input: { dossierId: string }) => {
      const round = nameChecks.get(input.dossierId) ?? 0;
      nameChecks.set(input.dossierId, round + 1);
      return { conflicts: options.nameConflicts?.[round] ?? [] };
    },

    registerBusiness: async (input: { dossierId: string; registrationUnitCode: string }) => {
      const existing = businesses.get(input.dossierId);
      const registeredOn = world.scheduledAt().toISOString().slice(0, 10);
      if (existing) return { enterpriseCode: existing.enterpriseCode, registeredOn };
      serial += 1;
      const enterpriseCode = `03${String(serial).padStart(8, '0')}`;
      businesses.set(input.dossierId, { enterpriseCode, dossierId: input.dossierId, name: filingOf(input.dossierId).proposedName });
      return { enterpriseCode, registeredOn };
    },

    issueBusinessCertificate: async (input: { dossierId: string }) => {
      const business = businesses.get(input.dossierId);
      if (!business) throw ApplicationFailure.nonRetryable(`No business registered for ${input.dossierId}`, 'FakeMissingRow');
      return world.issueDocument(input.dossierId, business.enterpriseCode);
    },
  });
}
