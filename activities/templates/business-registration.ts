import { businessCertificateOf } from '../../procedures/business-registration/activities';
import type { Prisma, PrismaClient } from '../../prisma/client';

/**
 * `business-registration-certificate`: the registration certificate of the business the dossier
 * registered, as the procedure written as code issued it (`issueBusinessCertificate`): read from the
 * registry entry (enterprise code, name, head office, lines of business, charter capital) and the
 * population data (the founders' and the representative's names, birth dates and addresses), never
 * from what the filing typed. Its kind is `business-registration/<kind of business>`.
 */
export async function businessRegistrationCertificate({ prisma, dossierId }: { prisma: PrismaClient; dossierId: string }): Promise<{ kind: string; content: Prisma.InputJsonValue }> {
  return businessCertificateOf(prisma, dossierId);
}
