import { z } from 'zod';
import { Email, NoData, Pin, Reason, text, UnitCode } from '../../common/schemas';
import { deadline, parseSupplementFields as parseFields, step, type ProcedureDefinition } from '../define';

/**
 * Business registration (đăng ký doanh nghiệp / hộ kinh doanh) (procedures/business-registration/README.md): verify every founder
 * in the population data, check the proposed name against the business registry, a clerk of the
 * registration office reviews (approve, ask for a supplement, refuse); on approval the registry
 * assigns the enterprise code and a certificate is issued.
 */
export const BUSINESS_KINDS = ['HOUSEHOLD_BUSINESS', 'SOLE_PROPRIETORSHIP', 'LIMITED_LIABILITY_COMPANY', 'JOINT_STOCK_COMPANY'] as const;

/**
 * The city's business-registration office (Department of Finance since 2025), which reviews
 * enterprises; household businesses are reviewed by the ward of their head office.
 */
export const REGISTRATION_OFFICE = 'HCMC-DOF';

const Founder = z.object({
  pin: Pin,
  /** Capital contributed, integer VND. */
  capitalShare: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
});

const BusinessRegistrationFiling = z
  .object({
    kind: z.enum(BUSINESS_KINDS),
    /** Vietnamese, with diacritics, kind word included ("Công ty TNHH Cà phê Bến Nghé"). */
    proposedName: text(3, 200).refine((name) => /\p{L}/u.test(name), 'must contain letters'),
    headOffice: z.object({ unitCode: UnitCode, street: text(3, 200) }).strict(),
    /** VSIC codes of the lines of business (the BusinessLine table). */
    businessLines: z
      .array(z.string().regex(/^\d{4}$/, 'must be a 4-digit VSIC code'))
      .min(1, 'give at least one line of business')
      .max(50)
      .refine((codes) => new Set(codes).size === codes.length, 'each line of business once'),
    /** Charter capital, integer VND. */
    charterCapital: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    /** Founders by personal identification number: names, birth dates and addresses come from the population data. */
    founders: z
      .array(Founder.strict())
      .min(1, 'name at least one founder')
      .max(50)
      .refine((founders) => new Set(founders.map((f) => f.pin)).size === founders.length, 'each founder once'),
    legalRepresentativePin: Pin,
    contactEmail: Email.optional(),
  })
  .strict()
  .superRefine((filing, ctx) => {
    if (filing.kind === 'SOLE_PROPRIETORSHIP' && filing.founders.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['founders'], message: 'a sole proprietorship has exactly one founder' });
    }
    const shares = filing.founders.map((f) => f.capitalShare);
    if (shares.every((s) => s !== undefined) && shares.reduce((sum, s) => sum + s, 0) !== filing.charterCapital) {
      ctx.addIssue({ code: 'custom', path: ['charterCapital'], message: "must equal the sum of the founders' capitalShare" });
    }
  })
  .meta({
    id: 'BusinessRegistrationData',
    description:
      'A business to register. Founders and the legal representative are given by personal identification number ' +
      '(declare once: names, birth dates and addresses come from the population data); the filer must be one of them. ' +
      'businessLines are VSIC codes; charterCapital and capitalShare are integer VND.',
  });
export type BusinessRegistrationFiling = z.output<typeof BusinessRegistrationFiling>;
/** What the workflow is given of a filing: what decides who reviews it, nothing personal. */
export type BusinessRegistrationFacts = {
  kind: BusinessRegistrationFiling['kind'];
  headOffice: { unitCode: string };
};
const factsOf = (filing: Partial<BusinessRegistrationFiling>) => ({
  ...(filing.kind ? { kind: filing.kind } : {}),
  ...(filing.headOffice ? { headOffice: { unitCode: filing.headOffice.unitCode } } : {}),
});

/** Fields of the filing a clerk may ask the applicant to supplement. */
export const FILING_FIELDS = Object.keys(BusinessRegistrationFiling.shape) as Array<keyof BusinessRegistrationFiling>;

const SupplementRequest = z
  .object({
    items: z
      .array(z.object({ field: z.enum(FILING_FIELDS), problem: text(3, 500) }).strict())
      .min(1, 'name at least one field to supplement')
      .max(FILING_FIELDS.length)
      .refine((items) => new Set(items.map((i) => i.field)).size === items.length, 'each field once'),
  })
  .strict();

const review = step('review', {
  title: 'Review the business registration',
  role: 'clerk',
  outcomes: { approve: NoData, 'request-supplement': SupplementRequest, refuse: Reason },
  decisions: ['approve', 'refuse'],
  // The certificate is due within 3 working days of a valid dossier; a supplement restarts the clock.
  deadline: deadline({ mode: 'working-days', workingDays: 3, remindBeforeMinutes: 480 }),
});

/** The facts a supplement changes (a new kind or head office can move the review elsewhere). */
export function amendFacts(facts: BusinessRegistrationFacts, changes: Partial<BusinessRegistrationFiling>): BusinessRegistrationFacts {
  return { ...facts, ...factsOf(changes) };
}

/**
 * A supplement as the workflow can check it without the personal data it does not hold: only the
 * fields asked for, each valid on its own (`parseSupplementFields` of define.ts).
 */
export function parseSupplementFields(requested: readonly string[], data: Record<string, unknown>): Partial<BusinessRegistrationFiling> | string {
  return parseFields(BusinessRegistrationFiling, requested, data) as Partial<BusinessRegistrationFiling> | string;
}

/** The unit whose clerks review: the ward for a household business, the registration office otherwise. */
export function reviewingUnit(filing: BusinessRegistrationFacts): string {
  return filing.kind === 'HOUSEHOLD_BUSINESS' ? filing.headOffice.unitCode : REGISTRATION_OFFICE;
}

export const businessRegistration = {
  id: 'business-registration',
  title: 'Business registration',
  codePrefix: 'BRG',
  workflowType: 'businessRegistrationWorkflow',
  filing: BusinessRegistrationFiling,
  admissible: (filing, { filerPin, unit }) => {
    if (filing.founders.every((f) => f.pin !== filerPin) && filing.legalRepresentativePin !== filerPin) {
      return 'The filer must be one of the founders or the legal representative';
    }
    if (unit.kind !== 'WARD' && unit.code !== REGISTRATION_OFFICE) {
      return `A business registration is filed at the registration office ${REGISTRATION_OFFICE} or at a ward`;
    }
    return undefined;
  },
  facts: (filing): BusinessRegistrationFacts => ({ kind: filing.kind, headOffice: { unitCode: filing.headOffice.unitCode } }),
  owners: (filing, filerPin) => [...new Set([filerPin, ...filing.founders.map((f) => f.pin), filing.legalRepresentativePin])],
  lookups: [
    { field: 'headOffice.unitCode', kind: 'ward' },
    { field: 'businessLines', kind: 'business-line' },
  ],
  steps: { review },
  deadlines: {
    dossier: deadline({ mode: 'working-days', workingDays: 3, remindBeforeMinutes: 480 }),
    // Unanswered supplement requests lapse after 60 days (common practice); the
    // applicant is reminded a week before.
    supplement: deadline({ mode: 'calendar-days', workingDays: 60, remindBeforeMinutes: 7 * 24 * 60 }),
  },
  statuses: ['verifying-founders', 'checking-name', 'in-review', 'registering', 'registered'] as const,
  // History outcomes its workflow records besides the machinery's and the steps' decisions.
  // What people read, by id: the procedure, its steps, statuses, outcomes and fields (the console and the portal show these).
  labels: {
    vi: {
      'business-registration': 'Đăng ký doanh nghiệp',
      receive: 'Tiếp nhận',
      'verify-founders': 'Xác minh người thành lập',
      'name-check': 'Kiểm tra tên doanh nghiệp',
      review: 'Thẩm định hồ sơ',
      register: 'Cấp mã doanh nghiệp',
      issue: 'Cấp giấy tờ',
      'verifying-founders': 'Xác minh người thành lập',
      'checking-name': 'Kiểm tra tên',
      'in-review': 'Đang thẩm định',
      registering: 'Đang đăng ký',
      registered: 'Đã đăng ký',
      approve: 'Phê duyệt',
      'request-supplement': 'Yêu cầu bổ sung',
      refuse: 'Từ chối',
      verified: 'Đã xác minh',
      conflict: 'Trùng tên',
      'no-conflict': 'Không trùng tên',
      issued: 'Đã cấp',
      kind: 'Loại hình',
      proposedName: 'Tên dự kiến',
      headOffice: 'Trụ sở chính',
      businessLines: 'Ngành nghề kinh doanh',
      charterCapital: 'Vốn điều lệ',
      founders: 'Người thành lập',
      legalRepresentativePin: 'Người đại diện theo pháp luật',
      contactEmail: 'Email liên hệ',
    },
    en: {
      'business-registration': 'Business registration',
      receive: 'Reception',
      'verify-founders': 'Verify the founders',
      'name-check': 'Name check',
      review: 'Review',
      register: 'Assign the enterprise code',
      issue: 'Issue the certificate',
      'verifying-founders': 'Verifying the founders',
      'checking-name': 'Checking the name',
      'in-review': 'In review',
      registering: 'Registering',
      registered: 'Registered',
      approve: 'Approve',
      'request-supplement': 'Request a supplement',
      refuse: 'Refuse',
      verified: 'Verified',
      conflict: 'Name conflict',
      'no-conflict': 'No name conflict',
      issued: 'Issued',
      kind: 'Kind of business',
      proposedName: 'Proposed name',
      headOffice: 'Head office',
      businessLines: 'Lines of business',
      charterCapital: 'Charter capital',
      founders: 'Founders',
      legalRepresentativePin: 'Legal representative',
      contactEmail: 'Contact e-mail',
    },
  },
  events: ['verified', 'conflict', 'no-conflict', 'registered', 'issued'] as const,
  closedStatuses: ['registered'] as const,
  answers: ['supplement'],
  example: {
    as: { sub: '079179006018', role: 'citizen' },
    body: {
      procedure: 'business-registration',
      unitCode: REGISTRATION_OFFICE,
      data: {
        kind: 'LIMITED_LIABILITY_COMPANY',
        proposedName: 'Công ty TNHH Cà phê Hạt Sương',
        headOffice: { unitCode: 'W-BEN-THANH', street: '12 Nguyễn Huệ' },
        businessLines: ['5610', '4722'],
        charterCapital: 500_000_000,
        founders: [
          { pin: '079179006018', capitalShare: 300_000_000 },
          { pin: '079088004127', capitalShare: 200_000_000 },
        ],
        legalRepresentativePin: '079179006018',
      },
    },
  },
} satisfies ProcedureDefinition<typeof BusinessRegistrationFiling>;
