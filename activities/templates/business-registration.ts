import { businessCertificateOf } from '../../procedures/business-registration/activities';
import type { Template } from './index';

/**
 * `business-registration-certificate`: the registration certificate of the business the dossier
 * registered, as the procedure written as code issued it (`issueBusinessCertificate`): read from the
 * registry entry (enterprise code, name, head office, lines of business, charter capital) and the
 * population data (the founders' and the representative's names, birth dates and addresses), never
 * from what the filing typed. Its kind is `business-registration/<kind of business>`.
 */
export const businessRegistrationCertificate: Template = async ({ prisma, dossierId }) => businessCertificateOf(prisma, dossierId);
