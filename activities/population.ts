import { foldVietnamese } from '../common/text';
import type { PrismaClient } from '../prisma/client';

/**
 * The population database (VNeID's view of residents). The engine ships its own implementation
 * backed by the Person table; a remote one is another adapter with the same functions.
 */
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
  async function verifyApplicant(input: { pin: string; fullName?: string; dateOfBirth?: string }): Promise<IdentityCheck> {
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
