import { randomBytes } from 'node:crypto';
import type { Prisma, PrismaClient } from '../prisma/client';

// Crockford base32 without I, L, O, U: codes are read aloud and typed from paper.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newVerificationCode(): string {
  const bytes = randomBytes(12);
  const chars = Array.from(bytes, (b) => ALPHABET[b % 32]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

export interface IssuedDocumentRef {
  code: string;
  issuedAt: string;
}

/**
 * Issues the dossier's document: one per dossier (the row is keyed by dossier), with a fresh
 * verification code. A retried issue returns the document already issued, its code and content as
 * they were (the upsert keeps a row written meanwhile).
 */
export async function issueDocumentOnce(
  prisma: PrismaClient,
  input: { dossierId: string; kind: string; content: Prisma.InputJsonValue },
): Promise<IssuedDocumentRef> {
  const existing = await prisma.issuedDocument.findUnique({ where: { dossierId: input.dossierId } });
  if (existing) return { code: existing.code, issuedAt: existing.issuedAt.toISOString() };
  const created = await prisma.issuedDocument.upsert({
    where: { dossierId: input.dossierId },
    create: { code: newVerificationCode(), dossierId: input.dossierId, kind: input.kind, issuedAt: new Date(), content: input.content },
    update: {},
  });
  return { code: created.code, issuedAt: created.issuedAt.toISOString() };
}
