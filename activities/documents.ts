import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Prisma, PrismaClient } from '../prisma/client';

// Crockford base32 without I, L, O, U: codes are read aloud and typed from paper.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newVerificationCode(): string {
  const bytes = randomBytes(12);
  const chars = Array.from(bytes, (b) => ALPHABET[b % 32]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/**
 * Document issuing: an electronic extract with a unique verification code. One document per
 * dossier (the row is keyed by dossier), so a retried issue returns the document already issued.
 */
export function createDocumentActivities({ prisma }: { prisma: PrismaClient }) {
  async function issueCivilStatusExtract(input: { dossierId: string; recordId: string }): Promise<{ code: string; issuedAt: string }> {
    const existing = await prisma.issuedDocument.findUnique({ where: { dossierId: input.dossierId } });
    if (existing) return { code: existing.code, issuedAt: existing.issuedAt.toISOString() };
    const record = await prisma.civilStatusRecord.findUnique({
      where: { id: input.recordId },
      include: { registrationUnit: { select: { name: true } } },
    });
    if (!record) throw ApplicationFailure.nonRetryable(`No civil-status record ${input.recordId}`, 'RecordMissing');
    const content = {
      title: `Extract of ${record.kind.toLowerCase().replace(/_/g, ' ')} record`,
      kind: record.kind,
      recordId: record.id,
      registeredAt: record.registrationUnit.name,
      registeredOn: record.registeredOn.toISOString().slice(0, 10),
      ...(record.bookNumber ? { bookNumber: record.bookNumber, pageNumber: record.pageNumber } : {}),
      details: record.details,
    } as Prisma.InputJsonValue;
    const created = await prisma.issuedDocument.upsert({
      where: { dossierId: input.dossierId },
      create: { code: newVerificationCode(), dossierId: input.dossierId, kind: `civil-status-extract/${record.kind}`, issuedAt: new Date(), content },
      update: {},
    });
    return { code: created.code, issuedAt: created.issuedAt.toISOString() };
  }

  return { issueCivilStatusExtract };
}
