import type { SharedActivities } from '../../activities';
import type { AdapterCall, AdapterOutcome } from '../../activities/adapters';
import type { EmailReceipt, EmailRequest } from '../../activities/notification';
import type { OpenTaskInput } from '../../activities/dossiers';
import type { createActivities as createBusinessRegistrationActivities } from '../../procedures/business-registration/activities';
import type { createActivities as createCivilStatusExtractActivities } from '../../procedures/civil-status-extract/activities';
import type { ArchivedRecordEntry, CivilStatusKind } from '../../procedures/civil-status-extract/definition';
import type { createActivities as createTrafficFineActivities, OwnerLookup } from '../../procedures/traffic-fine/activities';
import type { CitizenMail, DossierEventInput, DossierUpdate } from '../../workflows/shared/types';
import type { IdentityCheck } from '../../activities/population';
import type { Language } from '../../common/bilingual';
import type { WorkingCalendar } from '../../common/calendar';

/**
 * The fake world's shapes: the activities' names and types (from the real factories), the state the
 * fakes share, and what a procedure's fakes (`fakes/<id>.ts`) build on. Apart from the fakes' wiring
 * (fake-activities.ts), so the procedures' fakes and the wiring do not import each other.
 */

export type BusinessRegistrationActivities = ReturnType<typeof createBusinessRegistrationActivities>;
export type CivilStatusExtractActivities = ReturnType<typeof createCivilStatusExtractActivities>;
export type TrafficFineActivities = ReturnType<typeof createTrafficFineActivities>;
export type ProcedureActivities = BusinessRegistrationActivities & CivilStatusExtractActivities & TrafficFineActivities;
export type Activities = SharedActivities & ProcedureActivities;
export type ActivityName = keyof Activities & string;
export type AnyActivity = (...args: never[]) => Promise<unknown>;

/** A record in the fake civil-status registry. */
export interface FakeRecord {
  id: string;
  kind?: CivilStatusKind;
  storage: 'ELECTRONIC' | 'PAPER_ARCHIVE';
  registrationUnitCode: string;
  partyPins: string[];
  entry?: ArchivedRecordEntry;
}

export type FakeLookup = { outcome: 'found'; record: FakeRecord } | { outcome: 'not-found' | 'ambiguous'; holdingUnitCode?: string };

export interface FakeActivityOptions {
  /** What the population data says of the applicant (default: verified). */
  identity?: IdentityCheck;
  /** What the registry look-up finds (default: not found). */
  lookup?: FakeLookup;
  /** The language a citizen's mail goes out in when the run leaves it to the recipient (default: Vietnamese, as `recipientLanguage`). */
  recipientLanguage?: Language;
  /** The applicant's address on file, used when the request gives none (null: no address). */
  applicantEmail?: string | null;
  /** Business registration: the PINs the population data does not know (default: none). */
  unknownPins?: string[];
  /** Business registration: registered names each check finds in conflict, per round (default: none). */
  nameConflicts?: Array<Array<{ enterpriseCode: string; name: string }>>;
  /** Traffic fines: what each owner look-up of a case finds, in order (default: registered, found, living in the ward of the violation). */
  ownerLookups?: OwnerLookup[];
  /** Traffic fines: the fine of every case, integer VND (default 5,000,000). */
  fineAmount?: number;
  /**
   * Procedures published as data: what each adapter answers (`runAdapter`), by adapter name; an
   * adapter not given fails the call (non-retryable).
   */
  adapters?: Record<string, (call: AdapterCall, attempt: number) => AdapterOutcome>;
  /** Parent of each unit in the unit tree (default: every ward under HCMC). */
  unitParents?: Record<string, string>;
  /** The working calendar deadlines are planned with (default: the national one, NATIONAL_CALENDAR). */
  calendar?: WorkingCalendar;
  /**
   * Fail the first N attempts of an activity with a retryable error, *after* its effect (the hard
   * case for idempotency: the work was done, the worker crashed before reporting it).
   */
  failAfterEffect?: Partial<Record<ActivityName, number>>;
  /** An activity waits for its gate before doing anything (to hold a workflow at a given step). */
  gates?: Partial<Record<ActivityName, Promise<unknown>>>;
}

export interface ActivityCall {
  activity: ActivityName;
  /** Instant the attempt was scheduled, on the test server's clock. */
  at: Date;
  attempt: number;
  input: unknown;
}

export interface FakeDossier {
  id: string;
  procedure: string;
  unitCode: string;
  applicantPin: string | null;
  request: Record<string, unknown> & { contactEmail?: string };
  /** Filing changes applied by supplements, in order. */
  filingChanges: Array<Record<string, unknown>>;
  status: string;
  currentStep: string;
  receivedAt: string;
  dueAt: string;
  decidedAt?: string;
  closedAt?: string;
  result?: Record<string, unknown>;
  escalationLevel: number;
  /** Every change of dueAt, in order (the initial one first). */
  dueAtHistory: string[];
  awaiting?: DossierUpdate['awaiting'];
}

/** A history line as the table keeps it: the note in Vietnamese (or as typed), its English apart. */
export interface FakeEvent extends Omit<DossierEventInput, 'note'> {
  note?: string;
  noteEn?: string;
  dossierId: string;
  /** When the activity that wrote it was scheduled. */
  writtenAt: Date;
}

export interface FakeTask extends OpenTaskInput {
  status: 'open' | 'done' | 'cancelled';
  openedAt: Date;
  outcome?: string;
  data?: Record<string, unknown>;
  note?: string;
  completedBy?: string;
  completedAt?: string;
  remindedAt?: string;
  escalationLevel: number;
}

export interface SentMail extends EmailRequest {
  /** When the sending activity was scheduled, on the test server's clock. */
  at: Date;
}

/** A notify* call as the workflow made it (the first attempt of each key), with its result. */
export interface NotifyCall {
  activity: 'notifyApplicant' | 'notifyUnitStaff' | 'notifyTaskHolder';
  key: string;
  at: Date;
  input: Record<string, unknown>;
  result: { sent: number; unitCode?: string };
}

export interface StaffMember {
  id: string;
  email: string;
  role: 'clerk' | 'officer' | 'supervisor';
}

/** Staff of any unit: one clerk and one supervisor, ids as in the seed (`clerk.w-ben-thanh`). */
export function staffOf(unitCode: string): StaffMember[] {
  return (['clerk', 'supervisor'] as const).map((role) => {
    const id = `${role}.${unitCode.toLowerCase()}`;
    return { id, email: `${id}@city.example`, role };
  });
}

export const unitMailbox = (unitCode: string) => `${unitCode.toLowerCase()}@city.example`;

export interface FakeBusiness {
  enterpriseCode: string;
  dossierId: string;
  name: string;
}

/** What a procedure's fakes (`test/support/fakes/<id>.ts`) build on: the options, the shared state, `wrapAll`. */
export interface FakeWorld {
  options: FakeActivityOptions;
  /** The fakes, each recorded, gated and failed (see FakeActivityOptions) under its own activity name. */
  wrapAll<T extends Partial<Activities>>(fakes: T): T;
  scheduledAt(): Date;
  /** The dossier row, or a non-retryable failure like Prisma's update of a missing row. */
  dossier(id: string): FakeDossier;
  dossiers: Map<string, FakeDossier>;
  tasks: Map<string, FakeTask>;
  records: Map<string, FakeRecord>;
  documents: Map<string, { code: string; issuedAt: string; recordId: string }>;
  businesses: Map<string, FakeBusiness>;
  /** Issues (once per dossier) a document with a test verification code. */
  issueDocument(dossierId: string, recordId: string): { code: string; issuedAt: string };
  /** Sends (once per idempotency key) through the fake mailer. */
  sendMail(request: EmailRequest): EmailReceipt;
  /** A citizen's mail as it goes out: in the recipient's language (`options.recipientLanguage`) when it comes in both. */
  citizenMail(mail: CitizenMail): { subject: string; text: string };
}

