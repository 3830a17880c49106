import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { verifyDocumentPdf } from '../api/documents/pdf-signature';
import { formatLocalTime } from '../common/local-time';

/**
 * The offline check of a document's PDF: `npx tsx scripts/verify-document.ts file.pdf keys.json`,
 * keys.json being the JWKS published at `/.well-known/document-keys.json` (saved beforehand: no
 * network is needed). Prints what the signature covers and VALID, or INVALID and why (exit 1).
 * It shows what was signed, not what the pages draw: compare the two by eye.
 */
async function main(argv: string[]): Promise<number> {
  const [pdfPath, keysPath] = argv;
  if (!pdfPath || !keysPath) {
    process.stderr.write('usage: npx tsx scripts/verify-document.ts <file.pdf> <keys.json>\n');
    return 2;
  }
  try {
    const jwks = JSON.parse(readFileSync(keysPath, 'utf8')) as JSONWebKeySet;
    const { keyId, statement } = await verifyDocumentPdf(readFileSync(pdfPath), jwks);
    const lines = [
      `code:      ${statement.code}`,
      `kind:      ${statement.kind}`,
      `issued at: ${statement.issuedAt} (${formatLocalTime(statement.issuedAt)})`,
      `issued by: ${statement.issuedBy ?? ''}`,
      `holder:    ${statement.holder ? [statement.holder.name, statement.holder.pin].filter(Boolean).join(', ') : '-'}`,
      `key:       ${keyId}`,
      'content:',
      JSON.stringify(statement.content, null, 2),
      'VALID',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    process.stdout.write(`INVALID: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
