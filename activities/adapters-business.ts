import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../prisma/client';
import { createBusinessRegistrationActivities, findNameConflicts } from '../procedures/business-registration/activities';

/**
 * The business registry's adapters (procedures/adapter-specs.ts promises their outcomes and input):
 * what business registration as data (procedures/definitions/business-registration.json) calls in
 * its check steps. They do what the procedure written as code did, with its very functions
 * (procedures/business-registration/activities.ts). What they return goes into the workflow's
 * history: enterprise codes, business names (public registry data), counts; never a person's name
 * or identification number.
 */

/** What of an adapter's context (activities/adapters.ts `AdapterContext`) these read. */
interface Context {
  prisma: PrismaClient;
  dossier: { id: string };
  /** The step's input, evaluated. */
  input: Record<string, unknown>;
}

/** An adapter's answer: its outcome, and data without personal data. */
interface Outcome {
  outcome: string;
  result: Record<string, unknown>;
}

/** How an adapter does what its spec promises (activities/adapters.ts registers them, without an import back: no cycle). */
interface Implementation {
  description: string;
  system: string;
  run(context: Context): Promise<Outcome>;
}

function badInput(adapter: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${adapter}: ${message}`, 'AdapterInput');
}

function requiredString(adapter: string, input: Record<string, unknown>, key: string): string {
  const value = input[key];
  if (typeof value !== 'string' || value.trim() === '') throw badInput(adapter, `input ${key} must be a non-empty string, got ${JSON.stringify(value ?? null)}`);
  return value;
}

export const checkBusinessName: Implementation = {
  description:
    'The proposed business name (input name) against the business registry: registered businesses (suspended and dissolved ones too) whose name is the same once diacritics, case, spacing, punctuation, the kind words ("Công ty TNHH", "Hộ kinh doanh"…) and numbers are set aside (procedures/business-registration/names.ts). Outcome conflict or no-conflict; result: conflicts [{enterpriseCode, name}] (public registry data) and their count. It refuses nothing by itself.',
  system: 'the business registry',
  async run({ prisma, dossier, input }): Promise<Outcome> {
    const name = requiredString('business-registry.check-name', input, 'name');
    const conflicts = await findNameConflicts(prisma, name, dossier.id);
    return { outcome: conflicts.length > 0 ? 'conflict' : 'no-conflict', result: { conflicts, count: conflicts.length } };
  },
};

export const registerBusiness: Implementation = {
  description:
    "Writes the business of the dossier's filing (a business registration's: kind, proposedName, headOffice, businessLines, charterCapital, founders, legalRepresentativePin) into the business registry under a new enterprise code (03, a 7-digit serial and the tax-code check digit), registered by the unit registrationUnitCode. Once per dossier: a retry returns the same code; concurrent registrations get distinct codes. Outcome registered (result: enterpriseCode, registeredOn), or name-taken when another business took a conflicting name meanwhile.",
  system: 'the business registry',
  async run({ prisma, dossier, input }): Promise<Outcome> {
    const registrationUnitCode = requiredString('business-registry.register', input, 'registrationUnitCode');
    try {
      const { enterpriseCode, registeredOn } = await createBusinessRegistrationActivities({ prisma }).registerBusiness({ dossierId: dossier.id, registrationUnitCode });
      return { outcome: 'registered', result: { enterpriseCode, registeredOn } };
    } catch (error) {
      // No retry changes a name another business holds: the document decides what follows.
      if (error instanceof ApplicationFailure && error.type === 'BusinessNameTaken') return { outcome: 'name-taken', result: {} };
      throw error;
    }
  },
};
