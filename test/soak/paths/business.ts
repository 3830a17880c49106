import { PIN } from '../../../prisma/seed-data';
import type { TaskView } from '../casebook';
import { deviated, follow, type CitizenContext } from '../citizen';
import { detailOf } from '../http';
import { citizen, letters, roundOf, type DossierPlan, type SoakPath } from './path';

/**
 * Business registration, three ways: approved at the first review; a supplement round trip (the
 * clerk asks for another name, the founder answers, the second review approves); and a supplement
 * never answered, which lapses when the applicant's deadline passes.
 */

interface Business {
  founder: string;
  /** Where it is filed (the registration office, or the ward of a household business). */
  unitCode: string;
  kind: 'LIMITED_LIABILITY_COMPANY' | 'JOINT_STOCK_COMPANY' | 'HOUSEHOLD_BUSINESS';
  /** The kind words and trade the name starts with; the soak adds a word of its own. */
  name: (word: string) => string;
  headOffice: { unitCode: string; street: string };
}

const BUSINESSES: readonly Business[] = [
  {
    founder: PIN.doThiThanhHuong,
    unitCode: 'HCMC-DOF',
    kind: 'LIMITED_LIABILITY_COMPANY',
    name: (word) => `Công ty TNHH Cà phê ${word}`,
    headOffice: { unitCode: 'W-BEN-THANH', street: '12 Nguyễn Huệ' },
  },
  {
    founder: PIN.vuDucThang,
    unitCode: 'HCMC-DOF',
    kind: 'JOINT_STOCK_COMPANY',
    name: (word) => `Công ty Cổ phần Công nghệ ${word}`,
    headOffice: { unitCode: 'W-THU-DUC', street: '88 Kha Vạn Cân' },
  },
  // Reviewed by the ward of its head office.
  {
    founder: PIN.hoangVanLong,
    unitCode: 'W-THU-DUC',
    kind: 'HOUSEHOLD_BUSINESS',
    name: (word) => `Hộ kinh doanh Bánh mì ${word}`,
    headOffice: { unitCode: 'W-THU-DUC', street: '9 Võ Văn Ngân' },
  },
];

const CAPITAL = 300_000_000;

/**
 * A name no other dossier of any soak run has: letters only after the kind words (names differing
 * only by a number conflict), of fixed width.
 */
function nameWord(ctx: CitizenContext, n: number): string {
  return `Soak${ctx.run}${letters(n)}`;
}

function filing(business: Business, proposedName: string) {
  return {
    procedure: 'business-registration',
    unitCode: business.unitCode,
    data: {
      kind: business.kind,
      proposedName,
      headOffice: business.headOffice,
      businessLines: ['5610', '4722'],
      charterCapital: CAPITAL,
      founders: [{ pin: business.founder, capitalShare: CAPITAL }],
      legalRepresentativePin: business.founder,
    },
  };
}

const ASK_FOR_ANOTHER_NAME = { outcome: 'request-supplement', data: { items: [{ field: 'proposedName', problem: 'Too close to a name already registered' }] } };

/** The clerk asks for a supplement in the first review round, and approves the next. */
function supplementThenApprove(task: TaskView) {
  if (task.step !== 'review') return 'leave' as const;
  return roundOf(task) === 1 ? ASK_FOR_ANOTHER_NAME : { outcome: 'approve' };
}

/** The n-th business: who founds it, under which name, and its filing. */
function businessOf(n: number, ctx: CitizenContext) {
  const business = BUSINESSES[n % BUSINESSES.length]!;
  const word = nameWord(ctx, n);
  const filed: Omit<DossierPlan, 'decide'> = { filer: citizen(business.founder), route: '/dossiers', body: filing(business, business.name(word)) };
  return { business, word, filed };
}

export const businessApproved: SoakPath = {
  id: 'business-registration/approved',
  procedure: 'business-registration',
  what: 'founders and name checked, the clerk approves: registered, certificate issued',
  expected: 'registered',
  plan(n, ctx) {
    return { ...businessOf(n, ctx).filed, decide: (task) => (task.step === 'review' ? { outcome: 'approve' } : 'leave') };
  },
};

export const businessSupplement: SoakPath = {
  id: 'business-registration/supplement-answered',
  procedure: 'business-registration',
  what: 'the clerk asks for another name, the founder answers, the second review approves: registered',
  expected: 'registered',
  plan(n, ctx) {
    const { business, word, filed } = businessOf(n, ctx);
    return {
      ...filed,
      decide: supplementThenApprove,
      afterFiling: async (dossierId, dossier) => {
        const asked = await follow(ctx, filed.filer, dossierId, (d) => d.awaiting?.kind === 'supplement');
        if (asked.awaiting?.kind !== 'supplement') return deviated(dossier, `closed ${asked.status} before a supplement was asked`);
        const answer = await ctx.api.as(filed.filer, 'POST', `/dossiers/${dossierId}/supplement`, {
          body: { data: { proposedName: business.name(`Tra${word}`) } },
          signal: ctx.signal,
        });
        if (answer.status !== 200) deviated(dossier, `supplement answered ${answer.status}: ${detailOf(answer)}`);
      },
    };
  },
};

export const businessLapse: SoakPath = {
  id: 'business-registration/supplement-lapsed',
  procedure: 'business-registration',
  what: 'the clerk asks for a supplement, nobody answers: lapsed when the applicant’s deadline passes',
  expected: 'lapsed',
  plan(n, ctx) {
    return { ...businessOf(n, ctx).filed, decide: supplementThenApprove };
  },
};

export const BUSINESS_PATHS = [businessApproved, businessSupplement, businessLapse];
