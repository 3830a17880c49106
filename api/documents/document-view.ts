import type { Language } from '../../common/bilingual';
import { formatCalendarDate, formatLocalDate } from '../../common/local-time';
import type { IssuedDocumentRecord } from './issued-document';

/**
 * What a document prints, in the reader's language: the one layout the PDF and the public
 * verification page both draw, so that the page matches the paper line by line. Personal
 * identification numbers are marked `personal`: the paper prints them, the public page does not.
 */

export interface DocumentLine {
  label: string;
  value: string;
  personal: boolean;
}

export interface DocumentView {
  title: string;
  code: string;
  issuedBy: string;
  issuedOn: string;
  holder: DocumentLine[];
  lines: DocumentLine[];
}

export type { Language };
type Words = Record<Language, string>;

const TITLES: Record<string, Words> = {
  'civil-status-extract/BIRTH': { vi: 'Trích lục khai sinh', en: 'Extract of birth registration' },
  'civil-status-extract/MARRIAGE': { vi: 'Trích lục kết hôn', en: 'Extract of marriage registration' },
  'civil-status-extract/DEATH': { vi: 'Trích lục khai tử', en: 'Extract of death registration' },
  'civil-status-extract/PARENT_CHILD_RECOGNITION': { vi: 'Trích lục nhận cha, mẹ, con', en: 'Extract of parent-child recognition' },
  'business-registration/ENTERPRISE': { vi: 'Giấy chứng nhận đăng ký doanh nghiệp', en: 'Enterprise registration certificate' },
  'business-registration/HOUSEHOLD_BUSINESS': { vi: 'Giấy chứng nhận đăng ký hộ kinh doanh', en: 'Household business registration certificate' },
  'traffic-fine/notice': { vi: 'Thông báo vi phạm hành chính trong lĩnh vực giao thông đường bộ', en: 'Notice of a road traffic violation' },
};

export const LABELS = {
  code: { vi: 'Mã xác thực', en: 'Verification code' },
  issuedBy: { vi: 'Cơ quan cấp', en: 'Issued by' },
  issuedOn: { vi: 'Ngày cấp', en: 'Issued on' },
  holderName: { vi: 'Họ và tên người được cấp', en: 'Issued to' },
  holderPin: { vi: 'Số định danh cá nhân', en: 'Personal identification number' },
} satisfies Record<string, Words>;

/** Content fields by name (the content's own names, nested ones included). Unknown names print as they are. */
export const FIELDS: Record<string, Words> = {
  recordId: { vi: 'Số đăng ký', en: 'Registration number' },
  registeredAt: { vi: 'Nơi đăng ký', en: 'Registered at' },
  registeredOn: { vi: 'Ngày đăng ký', en: 'Registered on' },
  bookNumber: { vi: 'Quyển số', en: 'Book' },
  pageNumber: { vi: 'Trang số', en: 'Page' },
  childName: { vi: 'Họ và tên', en: 'Full name' },
  sex: { vi: 'Giới tính', en: 'Sex' },
  dateOfBirth: { vi: 'Ngày, tháng, năm sinh', en: 'Date of birth' },
  placeOfBirth: { vi: 'Nơi sinh', en: 'Place of birth' },
  fatherName: { vi: 'Họ và tên cha', en: "Father's name" },
  motherName: { vi: 'Họ và tên mẹ', en: "Mother's name" },
  fatherPin: { vi: 'Số định danh cá nhân của cha', en: "Father's identification number" },
  motherPin: { vi: 'Số định danh cá nhân của mẹ', en: "Mother's identification number" },
  husbandName: { vi: 'Họ và tên chồng', en: "Husband's name" },
  wifeName: { vi: 'Họ và tên vợ', en: "Wife's name" },
  deceasedName: { vi: 'Họ và tên người chết', en: 'Name of the deceased' },
  dateOfDeath: { vi: 'Ngày chết', en: 'Date of death' },
  placeOfDeath: { vi: 'Nơi chết', en: 'Place of death' },
  holderDateOfBirth: { vi: 'Ngày, tháng, năm sinh', en: 'Date of birth' },
  maritalStatus: { vi: 'Tình trạng hôn nhân', en: 'Marital status' },
  marriageRecordId: { vi: 'Số đăng ký kết hôn', en: 'Marriage registration number' },
  purpose: { vi: 'Mục đích sử dụng', en: 'Purpose' },
  purposeDetail: { vi: 'Chi tiết mục đích', en: 'Purpose, in detail' },
  intendedSpouseName: { vi: 'Họ và tên người dự định kết hôn', en: 'Intended spouse' },
  validForMonths: { vi: 'Giá trị sử dụng (tháng)', en: 'Valid for (months)' },
  enterpriseCode: { vi: 'Mã số doanh nghiệp', en: 'Enterprise code' },
  name: { vi: 'Tên doanh nghiệp', en: 'Name of the business' },
  headOffice: { vi: 'Địa chỉ trụ sở chính', en: 'Head office' },
  charterCapital: { vi: 'Vốn điều lệ', en: 'Charter capital' },
  businessLines: { vi: 'Ngành, nghề kinh doanh', en: 'Lines of business' },
  founders: { vi: 'Thành viên sáng lập', en: 'Founders' },
  legalRepresentative: { vi: 'Người đại diện theo pháp luật', en: 'Legal representative' },
  plateNumber: { vi: 'Biển kiểm soát', en: 'Plate number' },
  violation: { vi: 'Hành vi vi phạm', en: 'Violation' },
  capturedAt: { vi: 'Thời điểm vi phạm', en: 'Time of the violation' },
  location: { vi: 'Địa điểm vi phạm', en: 'Place of the violation' },
  fineAmount: { vi: 'Mức phạt', en: 'Fine' },
  owner: { vi: 'Chủ phương tiện', en: 'Owner of the vehicle' },
};

/** Printed elsewhere on the paper (title, issuer, holder) or only the machine's (template, kind). */
const NOT_A_LINE = new Set(['title', 'titleEn', 'template', 'kind', 'issuedBy', 'holderName', 'holderPin']);
const AMOUNTS = new Set(['charterCapital', 'fineAmount']);
const ISO_DATE = /^\d{4}-\d\d-\d\d$/;

export function documentView(document: IssuedDocumentRecord, language: Language): DocumentView {
  const content = document.content as Record<string, unknown>;
  const holder: DocumentLine[] = document.holder
    ? [
        { label: LABELS.holderName[language], value: document.holder.name, personal: false },
        ...(document.holder.pin ? [{ label: LABELS.holderPin[language], value: document.holder.pin, personal: true }] : []),
      ]
    : [];
  return {
    title: titleOf(document.kind, content, language),
    code: document.code,
    issuedBy: document.issuedBy,
    issuedOn: formatLocalDate(document.issuedAt),
    holder,
    lines: linesOf(content, language),
  };
}

function titleOf(kind: string, content: Record<string, unknown>, language: Language): string {
  const known = TITLES[kind];
  if (known) return known[language];
  // Documents of procedures published as data carry their title in both languages.
  const title = language === 'en' ? (content.titleEn ?? content.title) : content.title;
  return typeof title === 'string' ? title : kind;
}

function linesOf(fields: Record<string, unknown>, language: Language): DocumentLine[] {
  return Object.entries(fields).flatMap(([name, value]): DocumentLine[] => {
    if (NOT_A_LINE.has(name) || value === null || value === undefined || value === '') return [];
    // The record's details and a data template's fields print as lines of their own.
    if (name === 'details' || name === 'fields') return linesOf(value as Record<string, unknown>, language);
    return [{ label: FIELDS[name]?.[language] ?? name, value: valueText(name, value), personal: /Pin$/.test(name) }];
  });
}

/** `19.000.000 ₫`: dots between thousands, the đồng sign after, as amounts are printed in Vietnam. */
export function formatAmount(amount: number | string): string {
  return `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}

function valueText(name: string, value: unknown): string {
  if (AMOUNTS.has(name) && (typeof value === 'number' || typeof value === 'string')) return formatAmount(value);
  if (typeof value === 'string') return ISO_DATE.test(value) ? formatCalendarDate(value) : value;
  if (Array.isArray(value)) return value.map((item) => valueText(name, item)).join('; ');
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // A person (founder, representative, owner), a violation (by its name: the code is the machine's), a line of business.
    if (name === 'violation' && typeof o.description === 'string') return o.description;
    if (typeof o.fullName === 'string') return [o.fullName, typeof o.dateOfBirth === 'string' ? formatCalendarDate(o.dateOfBirth) : null, o.address].filter(Boolean).join(', ');
    if (typeof o.code === 'string') return [o.code, o.name ?? o.description].filter(Boolean).join(' – ');
    return Object.values(o).map((v) => valueText(name, v)).join(', ');
  }
  return String(value);
}
