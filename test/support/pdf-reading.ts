import { execFile } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import jsQR from 'jsqr';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFString } from 'pdf-lib';
import type { Response } from 'supertest';

/**
 * Reading back the PDFs the API serves, as a reader would: the text a viewer extracts, the QR codes a
 * phone would scan (decoded from the images the file embeds: rendering a page needs a canvas).
 */

/** supertest leaves a body it cannot parse empty: the PDF's bytes, buffered as they come. */
export function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

// pdfjs-dist is published as ES modules only and jest runs these tests as CommonJS: the extraction
// runs in a child node, which imports it natively.
const EXTRACT_TEXT = `
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pdf = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const { items } = await (await pdf.getPage(n)).getTextContent();
  pages.push(items.map((item) => item.str + (item.hasEOL ? '\\n' : '')).join(''));
}
process.stdout.write(pages.join('\\f'));
`;

/** The text of every page as pdfjs extracts it (lines end with a newline, pages with a form feed). */
export function pdfText(bytes: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', EXTRACT_TEXT], { cwd: process.cwd(), maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(Buffer.from(bytes));
  });
}

/**
 * What every QR code among the file's images says. pdf-lib embeds a PNG as its raw pixels, deflated
 * (the alpha apart, as a soft mask): inflated back, they are what jsQR reads.
 */
export async function pdfQrCodes(bytes: Uint8Array): Promise<string[]> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const found: string[] = [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    const number = (name: string) => (object.dict.lookup(PDFName.of(name), PDFNumber) as PDFNumber).asNumber();
    const [width, height, bits] = [number('Width'), number('Height'), number('BitsPerComponent')];
    const space = object.dict.get(PDFName.of('ColorSpace'));
    const channels = space === PDFName.of('DeviceRGB') ? 3 : space === PDFName.of('DeviceGray') ? 1 : 0;
    if (bits !== 8 || channels === 0 || object.dict.get(PDFName.of('Filter')) !== PDFName.of('FlateDecode')) continue;
    const pixels = inflateSync(object.contents);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      for (let c = 0; c < 3; c++) rgba[i * 4 + c] = pixels[i * channels + (channels === 3 ? c : 0)] ?? 0;
      rgba[i * 4 + 3] = 255;
    }
    const code = jsQR(rgba, width, height);
    if (code) found.push(code.data);
  }
  return found;
}

/** The PDF with its Info entry `name` replaced (a forger's edit: the rest of the file as it was). */
export async function withInfoEntry(bytes: Uint8Array, name: string, value: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const info = pdf.context.lookup(pdf.context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of(name), PDFString.of(value));
  return pdf.save();
}
