import type { Prisma } from '../prisma/client';

/**
 * The row of a dossier just received, written by the API when it accepts the filing and by the
 * workflow's first activity (insert-if-absent both), so an API that dies in between loses nothing.
 */
export function receivedDossierRow(input: {
  dossierId: string;
  procedure: string;
  unitCode: string;
  /** Who filed, or null for a case the administration opened. */
  applicantPin: string | null;
  /** Every citizen who owns the dossier (the filer, a business's founders). */
  ownerPins: readonly string[];
  request: object;
  receivedAt: Date;
  dueAt: Date;
}): Prisma.DossierCreateManyInput {
  return {
    id: input.dossierId,
    procedure: input.procedure,
    status: 'received',
    unitCode: input.unitCode,
    applicantPin: input.applicantPin,
    ownerPins: [...input.ownerPins],
    data: input.request as Prisma.InputJsonValue,
    currentStep: 'receive',
    receivedAt: input.receivedAt,
    dueAt: input.dueAt,
  };
}
