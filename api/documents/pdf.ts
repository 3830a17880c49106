import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import type { DocumentView, Language } from './document-view';
import { LABELS } from './document-view';
import { embedSignature } from './pdf-signature';

/**
 * An issued document as a PDF to print or keep: A4, in Vietnamese, the lines of `documentView`
 * (those the verification page shows, identification numbers included: this is the holder's copy),
 * the verification code, a QR code of the public page with its address printed under it, and the
 * signature carried in the file's metadata (`pdf-signature.ts`) for the offline check.
 */
export interface DocumentPdfInput {
  view: DocumentView;
  /** The language of the copy: Vietnamese, or English for a reader who asked for it. */
  language: Language;
  /** `<PUBLIC_BASE_URL>/verify/<code>`: what the QR code opens. */
  verifyUrl: string;
  /** The compact JWS of what the document states. */
  jws: string;
  keyId: string;
  issuedAt: Date;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const LABEL_WIDTH = 190;
const TEXT_SIZE = 11;
const LEADING = 15;
const QR_SIZE = 118;
const GREY = rgb(0.3, 0.3, 0.3);

const WORDS = {
  vi: {
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    page: (n: number, of: number) => `Trang ${n}/${of}`,
    signed: (keyId: string) => `Văn bản điện tử do hệ thống cấp, ký số (Ed25519, khóa ${keyId}).`,
    check: 'Quét mã QR hoặc mở địa chỉ dưới mã để đối chiếu với bản công khai. Chữ ký số nằm trong tệp (mục DocumentSignature) và kiểm tra được bằng các khóa công khai tại /.well-known/document-keys.json.',
  },
  en: {
    nation: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto: 'Independence - Freedom - Happiness',
    page: (n: number, of: number) => `Page ${n}/${of}`,
    signed: (keyId: string) => `Electronic document issued and signed by the system (Ed25519, key ${keyId}).`,
    check: 'Scan the QR code or open the address under it to compare with the public record. The signature is in the file (entry DocumentSignature) and checks against the public keys at /.well-known/document-keys.json.',
  },
} satisfies Record<Language, unknown>;

// DejaVu Sans covers Vietnamese (precomposed letters with their diacritics); the standard PDF fonts do not.
let fonts: { regular: Uint8Array; bold: Uint8Array } | undefined;
function fontFiles() {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}

export async function documentPdf(input: DocumentPdfInput): Promise<Uint8Array> {
  const { view, language } = input;
  const words = WORDS[language];
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  // Subset: only the glyphs used travel in the file (tens of kB instead of the font's 700).
  const regular = await pdf.embedFont(fontFiles().regular, { subset: true });
  const bold = await pdf.embedFont(fontFiles().bold, { subset: true });
  pdf.setTitle(view.title);
  pdf.setSubject(view.code);
  pdf.setAuthor(view.issuedBy);
  pdf.setCreator('gov-procedures-engine');
  pdf.setLanguage(language === 'vi' ? 'vi-VN' : 'en-GB');
  pdf.setCreationDate(input.issuedAt);
  embedSignature(pdf, input.jws);

  const writer = new PageWriter(pdf);
  const width = A4[0] - 2 * MARGIN;
  // The heading as on Vietnamese administrative papers: the issuing unit left, the nation's motto right.
  writer.columns([{ text: view.issuedBy.toUpperCase(), font: bold, size: 10, width: width / 2 - 10 }], [
    { text: words.nation, font: bold, size: 10, width: width / 2 },
    { text: words.motto, font: regular, size: 10, width: width / 2 },
  ]);
  writer.space(28);
  writer.centered(view.title.toUpperCase(), bold, 15);
  writer.space(6);
  writer.centered(`${LABELS.code[language]}: ${view.code}`, regular, 11);
  writer.space(22);
  for (const line of [...view.holder, ...view.lines]) writer.labelled(line.label, line.value, bold, regular);
  writer.space(10);
  writer.labelled(LABELS.issuedOn[language], view.issuedOn, bold, regular);
  writer.labelled(LABELS.issuedBy[language], view.issuedBy, bold, regular);
  writer.space(24);
  await writer.verification(input, bold, regular);
  // Every page names the document and its place in it, so that a loose page can be matched to the rest.
  const pages = pdf.getPages();
  pages.forEach((page, index) => {
    const footer = `${LABELS.code[language]}: ${view.code} · ${words.page(index + 1, pages.length)}`;
    page.drawText(footer, { x: (A4[0] - regular.widthOfTextAtSize(footer, 8)) / 2, y: MARGIN / 2, font: regular, size: 8, color: GREY });
  });
  return pdf.save();
}

type Block = { text: string; font: PDFFont; size: number; width: number };

/** A cursor down the pages: each line drawn below the last, a new page when the next does not fit. */
class PageWriter {
  private page: PDFPage;
  private y: number;

  constructor(private readonly pdf: PDFDocument) {
    this.page = pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  space(points: number) {
    this.y -= points;
  }

  private room(points: number) {
    if (this.y - points >= MARGIN) return;
    this.page = this.pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  columns(left: Block[], right: Block[]) {
    const top = this.y;
    const draw = (blocks: Block[], x: number) => {
      let y = top;
      for (const block of blocks) {
        for (const text of wrap(block.text, block.font, block.size, block.width)) {
          y -= block.size * 1.4;
          this.page.drawText(text, { x: x + (block.width - block.font.widthOfTextAtSize(text, block.size)) / 2, y, font: block.font, size: block.size });
        }
      }
      return y;
    };
    this.y = Math.min(draw(left, MARGIN), draw(right, A4[0] - MARGIN - (right[0]?.width ?? 0)));
  }

  centered(text: string, font: PDFFont, size: number) {
    for (const part of wrap(text, font, size, A4[0] - 2 * MARGIN)) {
      this.room(size * 1.4);
      this.y -= size * 1.4;
      this.page.drawText(part, { x: (A4[0] - font.widthOfTextAtSize(part, size)) / 2, y: this.y, font, size });
    }
  }

  labelled(label: string, value: string, labelFont: PDFFont, valueFont: PDFFont) {
    const labels = wrap(`${label}:`, labelFont, TEXT_SIZE, LABEL_WIDTH - 8);
    const values = wrap(value, valueFont, TEXT_SIZE, A4[0] - 2 * MARGIN - LABEL_WIDTH);
    const rows = Math.max(labels.length, values.length);
    this.room(rows * LEADING);
    for (let i = 0; i < rows; i++) {
      this.y -= LEADING;
      const labelText = labels[i];
      const valueText = values[i];
      if (labelText) this.page.drawText(labelText, { x: MARGIN, y: this.y, font: labelFont, size: TEXT_SIZE });
      if (valueText) this.page.drawText(valueText, { x: MARGIN + LABEL_WIDTH, y: this.y, font: valueFont, size: TEXT_SIZE });
    }
  }

  /** The QR code of the public page with its address under it, and beside it what the signature is and how to check it. */
  async verification(input: DocumentPdfInput, bold: PDFFont, regular: PDFFont) {
    const urlLines = wrap(input.verifyUrl, regular, 9, A4[0] - 2 * MARGIN, '');
    this.room(QR_SIZE + urlLines.length * 12 + 10);
    // Error correction M: still readable with a fold or a stain across it.
    const png = await QRCode.toBuffer(input.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
    const image = await this.pdf.embedPng(png);
    const top = this.y;
    this.page.drawImage(image, { x: MARGIN, y: top - QR_SIZE, width: QR_SIZE, height: QR_SIZE });
    const x = MARGIN + QR_SIZE + 24;
    const width = A4[0] - MARGIN - x;
    let y = top - 4;
    const beside = (text: string, font: PDFFont, size: number, color = rgb(0, 0, 0)) => {
      for (const part of wrap(text, font, size, width)) {
        y -= size * 1.4;
        this.page.drawText(part, { x, y, font, size, color });
      }
    };
    const words = WORDS[input.language];
    beside(LABELS.code[input.language], regular, 10);
    beside(input.view.code, bold, 16);
    y -= 6;
    beside(words.signed(input.keyId), regular, 9);
    beside(words.check, regular, 9, GREY);
    // The address under the code, on one line when it fits: it is typed from paper when the QR cannot be read.
    y = Math.min(y, top - QR_SIZE) - 2;
    for (const text of urlLines) {
      y -= 12;
      this.page.drawText(text, { x: MARGIN, y, font: regular, size: 9, color: GREY });
    }
    this.y = y;
  }
}

/**
 * Lines of at most `width` points: broken between words, and within a word (an address, a long code)
 * only when it is wider than a line by itself.
 */
export function wrap(text: string, font: PDFFont, size: number, width: number, separator = ' '): string[] {
  const fits = (candidate: string) => font.widthOfTextAtSize(candidate, size) <= width;
  const lines: string[] = [];
  let current = '';
  const words = separator === '' ? [...text.normalize('NFC')] : text.normalize('NFC').split(/\s+/).filter(Boolean);
  for (const word of words) {
    const candidate = current === '' ? word : `${current}${separator}${word}`;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = '';
    // A word wider than a line: by characters.
    for (const char of word) {
      if (current !== '' && !fits(current + char)) {
        lines.push(current);
        current = '';
      }
      current += char;
    }
  }
  if (current !== '') lines.push(current);
  return lines.length > 0 ? lines : [''];
}
