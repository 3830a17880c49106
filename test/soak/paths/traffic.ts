import { createHash } from 'node:crypto';
import { PIN } from '../../../prisma/seed-data';
import type { DossierCase, TaskView } from '../casebook';
import { deviated, follow, type CitizenContext, type DossierView } from '../citizen';
import { detailOf, type Claims } from '../http';
import { citizen, localDate, type DossierPlan, type SoakPath } from './path';

/**
 * Offline traffic fines, six ways. Evidence enters through `POST /violations` as the camera system
 * posts it; the traffic police's officers confirm it; the owner (a seed vehicle's) is sent the
 * notice and answers through `POST /dossiers/{id}/respond`: pays; lives under another ward (whose
 * officer gets the deliver-notice task) and pays once it is delivered; accepts with a date, then
 * pays; disputes and is upheld, then pays; disputes and is dismissed; or does not answer, is
 * published when the deadline passes, then pays.
 */

const CAMERA_SYSTEM: Claims = { sub: 'camera-gateway.hcmc-pc08', role: 'system' };

interface Capture {
  owner: string;
  plateNumber: string;
  /** Where the camera is. */
  ward: string;
  violationCode: string;
}

/** Owners caught in the ward where they live. */
const SAME_WARD: readonly Capture[] = [
  { owner: PIN.nguyenVanAn, plateNumber: '51F-123.45', ward: 'W-BEN-THANH', violationCode: 'RED-LIGHT-CAR' },
  { owner: PIN.leHoangPhuc, plateNumber: '51H-246.80', ward: 'W-SAI-GON', violationCode: 'SPEED-10-20-CAR' },
  { owner: PIN.hoangVanLong, plateNumber: '59P1-987.65', ward: 'W-THU-DUC', violationCode: 'NO-HELMET-MOTORBIKE' },
  { owner: PIN.phanQuocBao, plateNumber: '59C1-789.01', ward: 'W-BINH-THANH', violationCode: 'RED-LIGHT-MOTORBIKE' },
  { owner: PIN.vuDucThang, plateNumber: '51K-678.90', ward: 'W-THU-DUC', violationCode: 'WRONG-LANE-CAR' },
];

/** Owners living away from the cameras: the notice also goes to their ward's police. */
const OTHER_WARD: readonly Capture[] = [
  { owner: PIN.trinhMinhTuan, plateNumber: '61C-234.56', ward: 'W-BEN-THANH', violationCode: 'WRONG-LANE-CAR' },
  { owner: PIN.ngoThiMyLinh, plateNumber: '72A-112.23', ward: 'W-SAI-GON', violationCode: 'SPEED-05-10-CAR' },
];

/** The city's local time with its offset, as a camera system stamps it. */
function localTimestamp(at: Date): string {
  return `${new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}

function evidence(capture: Capture, n: number, ctx: CitizenContext) {
  const image = createHash('sha256').update(`soak/${ctx.run}/${n}`).digest('hex');
  return {
    source: `camera:SOAK-${capture.ward}`,
    capturedAt: localTimestamp(new Date(Date.now() - 120_000)),
    location: { unitCode: capture.ward, description: `Soak crossing no. ${n}` },
    plateNumber: capture.plateNumber,
    violationCode: capture.violationCode,
    evidence: [{ sha256: image, uri: `https://camera.csgt.example/soak/${ctx.run}/${n}.jpg` }],
  };
}

/** What the officers decide, per path. */
function officers(dispute: 'uphold' | 'dismiss') {
  return (task: TaskView) => {
    switch (task.step) {
      case 'confirm':
        return { outcome: 'confirm' };
      case 'deliver-notice':
        return { outcome: 'delivered' };
      case 'review-dispute':
        return dispute === 'uphold' ? { outcome: 'uphold' } : { outcome: 'dismiss', data: { reason: 'The images do not show the plate clearly' } };
      default:
        return 'leave' as const;
    }
  };
}

/** The owner's side of a case. */
class Owner {
  constructor(
    private readonly ctx: CitizenContext,
    readonly who: Claims,
    private readonly dossierId: string,
    private readonly dossier: DossierCase,
    private readonly capture: Capture,
  ) {}

  /** Follows the case until `until` holds; false (and a deviation) when it closed first. */
  async awaits(what: string, until: (view: DossierView) => boolean, timeoutMs?: number): Promise<boolean> {
    const view = await follow(this.ctx, this.who, this.dossierId, until, { timeoutMs });
    if (until(view)) return true;
    deviated(this.dossier, `closed ${view.status} before ${what}`);
    return false;
  }

  noticeOpen = () => this.awaits('the notice', (d) => d.awaiting?.kind === 'respond');

  async respond(body: Record<string, unknown>, key?: string): Promise<boolean> {
    const answer = await this.ctx.api.as(this.who, 'POST', `/dossiers/${this.dossierId}/respond`, {
      body,
      idempotencyKey: key,
      // "not waiting for an answer": between two answers the case is briefly not listening.
      retryConflict: (a) => /not waiting|try again/i.test(detailOf(a)),
      signal: this.ctx.signal,
    });
    if (answer.status === 200) return true;
    deviated(this.dossier, `${String(body.action)} answered ${answer.status}: ${detailOf(answer)}`);
    return false;
  }

  /** The whole fine, once, under one key: a retry is the same payment. */
  pay(): Promise<boolean> {
    const amount = this.ctx.fines.get(this.capture.violationCode);
    return this.respond({ action: 'pay', amount }, `pay-${this.ctx.run}-${this.dossier.n}`);
  }
}

type OwnerScript = (owner: Owner, ctx: CitizenContext, dossierId: string) => Promise<void>;

function trafficPath(spec: { id: string; what: string; expected: string; captures: readonly Capture[]; dispute?: 'uphold' | 'dismiss'; owner: OwnerScript }): SoakPath {
  return {
    id: spec.id,
    procedure: 'traffic-fine',
    what: spec.what,
    expected: spec.expected,
    plan(n, ctx): DossierPlan {
      const capture = spec.captures[n % spec.captures.length]!;
      const actor = citizen(capture.owner);
      return {
        filer: CAMERA_SYSTEM,
        actor,
        route: '/violations',
        body: evidence(capture, n, ctx),
        decide: officers(spec.dispute ?? 'uphold'),
        afterFiling: (dossierId, dossier) => spec.owner(new Owner(ctx, actor, dossierId, dossier, capture), ctx, dossierId),
      };
    },
  };
}

export const trafficPaid = trafficPath({
  id: 'traffic-fine/paid',
  what: 'owner living in the ward of the camera pays the notice',
  expected: 'paid',
  captures: SAME_WARD,
  owner: async (owner) => {
    if (await owner.noticeOpen()) await owner.pay();
  },
});

export const trafficDeliveredThenPaid = trafficPath({
  id: 'traffic-fine/other-ward-delivered-paid',
  what: 'owner under another ward: that ward’s officer delivers the notice (deliver-notice), then the owner pays',
  expected: 'paid',
  captures: OTHER_WARD,
  owner: async (owner, ctx, dossierId) => {
    if (!(await owner.noticeOpen())) return;
    const delivered = await ctx.slots.aside(() => ctx.casebook.stepDecided(dossierId, 'deliver-notice', 180_000, ctx.signal));
    if (!delivered) deviated(ctx.casebook.get(dossierId)!, 'the deliver-notice task was not completed within 3 minutes');
    await owner.pay();
  },
});

export const trafficAcceptedThenPaid = trafficPath({
  id: 'traffic-fine/accepted-paid',
  what: 'owner accepts, promising to pay by tomorrow, then pays',
  expected: 'paid',
  captures: SAME_WARD,
  owner: async (owner) => {
    if (!(await owner.noticeOpen())) return;
    if (!(await owner.respond({ action: 'accept', payBy: localDate(1) }))) return;
    if (await owner.awaits('the promise recorded', (d) => d.awaiting?.kind === 'respond' && d.awaiting.round >= 2)) await owner.pay();
  },
});

export const trafficDisputeUpheld = trafficPath({
  id: 'traffic-fine/dispute-upheld-paid',
  what: 'owner disputes, the officer upholds the violation, the owner pays',
  expected: 'paid',
  captures: SAME_WARD,
  dispute: 'uphold',
  owner: async (owner, ctx) => {
    if (!(await owner.noticeOpen())) return;
    if (!(await owner.respond({ action: 'dispute', reason: 'I was not driving the vehicle that day' }))) return;
    // The officer's review can be slow under faults, and the answer's deadline may pass meanwhile
    // (published): either way the owner is asked to pay again, so wait as long as a publication takes.
    const minutes = ctx.applicantMinutes + 4;
    const upheld = await ctx.slots.aside(() => owner.awaits('the dispute upheld', (d) => d.awaiting?.kind === 'respond' && d.awaiting.round >= 2, minutes * 60_000));
    if (upheld) await owner.pay();
  },
});

export const trafficDisputeDismissed = trafficPath({
  id: 'traffic-fine/dispute-dismissed',
  what: 'owner disputes, the officer dismisses the case: dismissed, nothing to pay',
  expected: 'dismissed',
  captures: SAME_WARD,
  dispute: 'dismiss',
  owner: async (owner) => {
    if (await owner.noticeOpen()) await owner.respond({ action: 'dispute', reason: 'The camera caught another vehicle' });
  },
});

export const trafficPublishedThenPaid = trafficPath({
  id: 'traffic-fine/published-paid',
  what: 'owner does not answer: published and flagged when the deadline passes, then pays',
  expected: 'paid',
  captures: SAME_WARD,
  owner: async (owner, ctx) => {
    if (!(await owner.noticeOpen())) return;
    const minutes = ctx.applicantMinutes + 4;
    const published = await ctx.slots.aside(() => owner.awaits('publication', (d) => d.status === 'published', minutes * 60_000));
    if (published) await owner.pay();
  },
});

export const TRAFFIC_PATHS = [trafficPaid, trafficDeliveredThenPaid, trafficAcceptedThenPaid, trafficDisputeUpheld, trafficDisputeDismissed, trafficPublishedThenPaid];
