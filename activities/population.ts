import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { foldVietnamese } from '../common/text';
import type { PrismaClient } from '../prisma/client';

/**
 * The population database (VNeID's view of residents). The engine ships its own implementation
 * backed by the Person table; a remote one is another adapter with the same functions.
 */
/** Who an applicant says they are: the ID, and the name and birth date when they gave them. */
interface Claimed {
  pin: string;
  fullName?: string;
  dateOfBirth?: string;
}
const DeclaredApplicant = z.object({ fullName: z.string().optional(), dateOfBirth: z.string().optional() });

export type IdentityCheck =
  | { verified: true }
  | { verified: false; reason: 'unknown-person' | 'name-mismatch' | 'birth-date-mismatch' };

/** Names compare without case, accents or extra spaces: "Nguyen van an" is "Nguyễn Văn An". */
const normalizeName = foldVietnamese;

export function createPopulationActivities({ prisma }: { prisma: PrismaClient }) {
  /**
   * Declare once: the signed-in citizen is looked up by their identification number. A name or a
   * birth date given anyway must match what the population data holds.
   */
  async function verifyApplicant(input: { dossierId: string } | Claimed): Promise<IdentityCheck> {
    return verify('dossierId' in input ? await claimedBy(input.dossierId) : input);
  }

  /**
   * Who the dossier's filer is and, when their filing names them (`applicant: {fullName?, dateOfBirth?}`),
   * what they declared: read from the dossier's row, so no personal data travels through Temporal.
   */
  async function claimedBy(dossierId: string): Promise<Claimed> {
    const row = await prisma.dossier.findUnique({ where: { id: dossierId }, select: { applicantPin: true, data: true } });
    if (!row?.applicantPin) throw ApplicationFailure.nonRetryable(`Dossier ${dossierId} has no applicant`, 'DossierMissing');
    const declared = DeclaredApplicant.safeParse((row.data as { applicant?: unknown } | null)?.applicant ?? {});
    return { pin: row.applicantPin, ...(declared.success ? declared.data : {}) };
  }

  async function verify(input: Claimed): Promise<IdentityCheck> {
    const person = await prisma.person.findUnique({ where: { pin: input.pin }, select: { fullName: true, dateOfBirth: true } });
    if (!person) return { verified: false, reason: 'unknown-person' };
    if (input.fullName !== undefined && normalizeName(person.fullName) !== normalizeName(input.fullName)) return { verified: false, reason: 'name-mismatch' };
    if (input.dateOfBirth !== undefined && person.dateOfBirth.toISOString().slice(0, 10) !== input.dateOfBirth) {
      return { verified: false, reason: 'birth-date-mismatch' };
    }
    return { verified: true };
  }

  return { verifyApplicant };
}

/** Where to write to a resident: the address they gave for this dossier, else the one on file. */
export async function lookupContactEmail(prisma: PrismaClient, pin: string, declared?: string): Promise<string | null> {
  if (declared) return declared;
  const person = await prisma.person.findUnique({ where: { pin }, select: { email: true } });
  return person?.email ?? null;
}
