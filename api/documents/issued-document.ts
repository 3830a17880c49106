import type { PrismaClient } from '../../prisma/client';
import type { DocumentStatement } from '../../common/document-signing';

/**
 * An issued document as the paper prints it and as its signature covers it: the stored content, and
 * beside it the issuing unit by name and the holder (the person it was issued to: the one the
 * content names, else the dossier's applicant as the population data knows them).
 */
export type IssuedDocumentRecord = Required<DocumentStatement> & { dossierId: string };

export async function loadIssuedDocument(prisma: PrismaClient, where: { code: string } | { dossierId: string }): Promise<IssuedDocumentRecord | null> {
  const document = await prisma.issuedDocument.findUnique({ where });
  if (!document) return null;
  const dossier = await prisma.dossier.findUnique({
    where: { id: document.dossierId },
    select: { applicantPin: true, ownerPins: true, unit: { select: { name: true } } },
  });
  const content = (document.content ?? {}) as Record<string, unknown>;
  return {
    code: document.code,
    dossierId: document.dossierId,
    kind: document.kind,
    issuedAt: document.issuedAt.toISOString(),
    // A notice names its issuer itself (the police, not the ward that received the case).
    issuedBy: typeof content.issuedBy === 'string' && content.issuedBy !== '' ? content.issuedBy : (dossier?.unit.name ?? ''),
    holder: await holderOf(prisma, content, dossier?.applicantPin ?? dossier?.ownerPins[0] ?? null),
    content,
  };
}

async function holderOf(prisma: PrismaClient, content: Record<string, unknown>, pin: string | null): Promise<IssuedDocumentRecord['holder']> {
  const named = typeof content.holderName === 'string' ? content.holderName : (content.owner as { fullName?: unknown } | null | undefined)?.fullName;
  const holderPin = typeof content.holderPin === 'string' ? content.holderPin : pin;
  if (typeof named === 'string') return { name: named, ...(holderPin ? { pin: holderPin } : {}) };
  if (!holderPin) return null;
  const person = await prisma.person.findUnique({ where: { pin: holderPin }, select: { fullName: true } });
  return person ? { name: person.fullName, pin: holderPin } : null;
}
