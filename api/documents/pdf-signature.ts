import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { JSONWebKeySet } from 'jose';
import { verifyDocumentSignature, type DocumentStatement } from '../../common/document-signing';

/**
 * A document's PDF carries its own signature: the compact JWS (which holds the signed statement
 * itself) in a custom entry of the file's Info dictionary, so that whoever holds the file can check
 * it offline against the published keys, without the API and without trusting what the page draws.
 */
export const SIGNATURE_ENTRY = 'DocumentSignature';

export function embedSignature(pdf: PDFDocument, jws: string): void {
  infoOf(pdf).set(PDFName.of(SIGNATURE_ENTRY), PDFString.of(jws));
}

/** The JWS a PDF carries; throws when the file is not a PDF or carries none. */
export async function readSignature(bytes: Uint8Array): Promise<string> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const entry = infoOf(pdf).get(PDFName.of(SIGNATURE_ENTRY));
  if (!(entry instanceof PDFString || entry instanceof PDFHexString)) throw new Error(`the PDF has no ${SIGNATURE_ENTRY} entry in its metadata`);
  return entry.decodeText();
}

/**
 * The offline check (`scripts/verify-document.ts`): the signature the PDF carries, verified with the
 * published keys. Throws when there is none, when it does not verify (a changed byte, a key that is
 * not published), or when the file claims another code than the one signed.
 */
export async function verifyDocumentPdf(bytes: Uint8Array, jwks: JSONWebKeySet): Promise<{ keyId: string; statement: DocumentStatement }> {
  const jws = await readSignature(bytes);
  const verified = await verifyDocumentSignature(jws, jwks);
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const claimed = pdf.getSubject();
  if (claimed !== undefined && claimed !== verified.statement.code) throw new Error(`the file names code ${claimed}, the signature covers ${verified.statement.code}`);
  return verified;
}

function infoOf(pdf: PDFDocument): PDFDict {
  // pdf-lib keeps its own accessor private; the trailer's Info reference is public.
  const info = pdf.context.lookup(pdf.context.trailerInfo.Info);
  if (info instanceof PDFDict) return info;
  const created = pdf.context.obj({});
  pdf.context.trailerInfo.Info = pdf.context.register(created);
  return created;
}
