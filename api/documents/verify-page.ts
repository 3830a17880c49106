import type { DocumentView, Language } from './document-view';
import { LABELS } from './document-view';

/**
 * The public verification page a document's QR code opens: what the paper shows, so that whoever
 * holds it can compare line by line, and nothing more (no identification number). Plain HTML with
 * one inline style element and no script: the page's CSP allows exactly that.
 */
const WORDS = {
  genuine: { vi: 'Văn bản này do hệ thống cấp và còn nguyên giá trị xác thực.', en: 'This document was issued by the system and is genuine.' },
  compare: { vi: 'Hãy đối chiếu các thông tin dưới đây với bản giấy.', en: 'Compare what follows with the paper in hand.' },
  notFound: { vi: 'Không tìm thấy văn bản', en: 'Document not found' },
  notFoundText: {
    vi: 'Không có văn bản nào được cấp với mã xác thực này. Hãy kiểm tra lại mã in trên văn bản.',
    en: 'No document was issued with this verification code. Check the code printed on the document.',
  },
  heading: { vi: 'Xác thực văn bản', en: 'Document verification' },
  other: { vi: 'English', en: 'Tiếng Việt' },
} as const;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const STYLE = 'body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}dt{font-weight:bold;margin-top:.6rem}dd{margin:0}.ok{color:#176b2c}.missing{color:#a11}';

function page(language: Language, title: string, body: string): string {
  const other: Language = language === 'vi' ? 'en' : 'vi';
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>` +
    `<p><a href="?lang=${other}">${WORDS.other[language]}</a></p>${body}</body></html>`;
}

export function verifyPage(view: DocumentView, language: Language): string {
  const lines = [
    { label: LABELS.code[language], value: view.code },
    { label: LABELS.issuedBy[language], value: view.issuedBy },
    { label: LABELS.issuedOn[language], value: view.issuedOn },
    ...view.holder,
    ...view.lines,
  ].filter((line) => !('personal' in line && line.personal));
  const list = lines.map((line) => `<dt>${escapeHtml(line.label)}</dt><dd>${escapeHtml(line.value)}</dd>`).join('');
  return page(
    language,
    `${WORDS.heading[language]}: ${view.title}`,
    `<h1>${escapeHtml(view.title)}</h1><p class="ok">${WORDS.genuine[language]}</p><p>${WORDS.compare[language]}</p><dl>${list}</dl>`,
  );
}

export function notFoundPage(code: string, language: Language): string {
  return page(language, WORDS.notFound[language], `<h1 class="missing">${WORDS.notFound[language]}</h1><p>${WORDS.notFoundText[language]}</p><p>${escapeHtml(LABELS.code[language])}: ${escapeHtml(code)}</p>`);
}
