import { z } from 'zod';
import { IsoDate, NoData, Pin, Reason, text, UnitCode, withPattern } from '../../common/schemas';
import { deadline, step, type ProcedureDefinition } from '../define';

/**
 * Offline traffic fine (phạt nguội) (procedures/traffic-fine/README.md): evidence from a camera (or an organisation, a
 * citizen) opens a case; a missing or malformed plate is read by an officer; an officer of the
 * traffic police confirms; the owner is found through the vehicle registry and the population data
 * and sent the notice within 10 days of the detection; the owner accepts, disputes or pays; 20 days
 * after the notice without an answer the vehicle is published and flagged to the inspection
 * authority; paid or dismissed, the case closes and the flag is lifted.
 */

/** The traffic police division that confirms the violations and answers for every case. */
export const TRAFFIC_POLICE = 'HCMC-PC08';

// ---------------------------------------------------------------------------------------------
// Plates

/**
 * Vietnam's plates: 2-digit province code, then the series (one or two letters for cars, a letter
 * and a digit for motorbikes), then 5 digits printed `123.45` (older plates: 4 digits).
 * `51A-123.45` (car), `59X1-234.56` (motorbike), `51LD-123.45`, `51A-1234`.
 */
const PLATE_5 = /^(\d{2})([A-Z]{1,2}|[A-Z]\d)-?(\d{3})\.?(\d{2})$/;
const PLATE_4 = /^(\d{2})([A-Z]{1,2}|[A-Z]\d)-?(\d{4})$/;

/**
 * What `normalizePlate` takes, as a JSON Schema pattern (no flags) for the OpenAPI document: the
 * same two forms, letters in either case, white space after any character.
 */
export const PLATE_PATTERN =
  '^\\s*(?:\\d\\s*){2}[A-Za-z]\\s*(?:[A-Za-z0-9]\\s*)?(?:-\\s*)?(?:(?:\\d\\s*){3}(?:\\.\\s*)?(?:\\d\\s*){2}|(?:\\d\\s*){4})$';

/**
 * The plate as printed (`51A-123.45`), from what a camera or a person read (any case, spaces
 * anywhere, the dash and the dot optional: `51a 12345`, `59X1 234.56`); null when it is no
 * Vietnamese plate. Without the dash, a series letter followed by a digit is read as the
 * 5-digit form (`59X11234` is `59X-112.34`).
 */
export function normalizePlate(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const compact = raw.toUpperCase().replace(/\s/g, '');
  const five = PLATE_5.exec(compact);
  if (five) return `${five[1]}${five[2]}-${five[3]}.${five[4]}`;
  const four = PLATE_4.exec(compact);
  return four ? `${four[1]}${four[2]}-${four[3]}` : null;
}

export const PlateNumber = z
  .string()
  .trim()
  .max(20)
  .transform((raw, ctx) => {
    const plate = normalizePlate(raw);
    if (plate === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a Vietnamese plate number such as 51A-123.45 or 59X1-234.56' });
      return z.NEVER;
    }
    return plate;
  })
  .meta({ description: 'A Vietnamese plate number: 51A-123.45 (car), 59X1-234.56 (motorbike)', pattern: PLATE_PATTERN });

// ---------------------------------------------------------------------------------------------
// Evidence (step 1)

const Sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a sha256 as 64 hexadecimal digits');

export const ViolationCodeField = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'must be a violation code such as RED-LIGHT-CAR');

/**
 * Evidence of one violation, as a camera system or an officer posts it. The plate is what the
 * source read: a missing or malformed one is no error (an officer reads it from the images).
 */
export const Evidence = z
  .object({
    /** Who supplied it: `camera:<id>`, an organisation, `citizen-report`... */
    source: text(2, 100),
    capturedAt: withPattern(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with its offset' })),
    /** Where: the ward, and the place in words. */
    location: z.object({ unitCode: UnitCode, description: text(3, 300) }).strict(),
    /** As the source read it; checked against Vietnam's plate formats by the workflow, not refused. */
    plateNumber: text(0, 20).optional(),
    violationCode: ViolationCodeField,
    /** The images (frames) by their sha256; where they are stored, if given. */
    evidence: z
      .array(z.object({ sha256: Sha256, uri: z.url().max(500).optional() }).strict())
      .min(1, 'give at least one image')
      .max(20),
  })
  .strict()
  .meta({
    id: 'ViolationEvidence',
    description:
      'Evidence of a traffic violation (step 1). The same images (sha256), plate, time and place posted again give the same case. ' +
      'A missing or malformed plateNumber opens an officer\'s task "read the plate".',
  });
export type Evidence = z.output<typeof Evidence>;

/** What the workflow is given of the evidence: nothing personal (plates are not personal data, but are not needed either). */
export type TrafficFineFacts = {
  capturedAt: string;
  /** The ward where the violation was captured. */
  locationUnitCode: string;
  violationCode: string;
  /** Whether the source's plate is a valid Vietnamese plate; if not, an officer reads it. */
  plateRead: boolean;
};

export function factsOf(evidence: Evidence): TrafficFineFacts {
  return {
    capturedAt: new Date(evidence.capturedAt).toISOString(),
    locationUnitCode: evidence.location.unitCode,
    violationCode: evidence.violationCode,
    plateRead: normalizePlate(evidence.plateNumber) !== null,
  };
}

// ---------------------------------------------------------------------------------------------
// The owner's answers (step 5)

/** Integer VND. */
const Amount = z.number().int().positive().max(2_000_000_000);

const Accept = z.object({ action: z.literal('accept'), payBy: IsoDate.meta({ description: 'The date the owner will pay by (at most 30 days ahead)' }) }).strict();
const Dispute = z.object({ action: z.literal('dispute'), reason: text(3, 2000, 'a reason of at least 3 characters is required') }).strict();
const Pay = z.object({ action: z.literal('pay'), amount: Amount.meta({ description: 'Integer VND: the whole balance of the fine' }) }).strict();

/** `POST /dossiers/{id}/respond`: the owner accepts (with a date), disputes (with a reason) or pays. */
export const TrafficResponse = z.discriminatedUnion('action', [Accept, Dispute, Pay]).meta({
  id: 'TrafficFineResponse',
  description:
    'The vehicle owner answers the notice: `accept` (will pay by `payBy`), `dispute` (with a reason; an officer upholds or dismisses) ' +
    'or `pay` (the whole balance, integer VND; send an `Idempotency-Key` header: a retried payment is charged once).',
});
export type TrafficResponse = z.output<typeof TrafficResponse>;

/** The answer as the workflow receives it: a payment carries its idempotency key. */
export const TrafficAnswer = z.discriminatedUnion('action', [Accept, Dispute, Pay.extend({ paymentKey: z.string().min(1).max(300) })]);
export type TrafficAnswer = z.output<typeof TrafficAnswer>;

/** How many days ahead an owner may promise to pay. */
export const MAX_PROMISE_DAYS = 30;

// ---------------------------------------------------------------------------------------------
// Steps

const readPlate = step('read-plate', {
  title: 'Read the plate from the images',
  role: 'officer',
  outcomes: { read: z.object({ plateNumber: PlateNumber }).strict(), dismiss: Reason },
  decisions: ['dismiss'],
  deadline: deadline({ mode: 'working-days', workingDays: 1, remindBeforeMinutes: 120 }),
});

const confirm = step('confirm', {
  title: 'Confirm the violation',
  role: 'officer',
  outcomes: { confirm: NoData, dismiss: Reason },
  decisions: ['confirm', 'dismiss'],
  deadline: deadline({ mode: 'working-days', workingDays: 2, remindBeforeMinutes: 240 }),
});

const findOwner = step('find-owner', {
  title: 'Find the vehicle owner',
  role: 'officer',
  outcomes: { 'owner-found': z.object({ ownerPin: Pin }).strict(), dismiss: Reason },
  decisions: ['dismiss'],
  deadline: deadline({ mode: 'working-days', workingDays: 2, remindBeforeMinutes: 240 }),
});

const reviewDispute = step('review-dispute', {
  title: "Review the owner's dispute",
  role: 'officer',
  outcomes: { uphold: NoData, dismiss: Reason },
  decisions: ['uphold', 'dismiss'],
  deadline: deadline({ mode: 'working-days', workingDays: 5, remindBeforeMinutes: 480 }),
});

/** For the police of the owner's ward or commune, when it is not where the violation happened. */
const deliverNotice = step('deliver-notice', {
  title: 'Deliver the notice to the vehicle owner of this ward',
  role: 'officer',
  outcomes: { delivered: NoData, 'not-delivered': Reason },
  decisions: [],
  deadline: deadline({ mode: 'working-days', workingDays: 5, remindBeforeMinutes: 480 }),
});

export const trafficFine = {
  id: 'traffic-fine',
  title: 'Offline traffic fine',
  codePrefix: 'TFN',
  workflowType: 'trafficFineWorkflow',
  openedBy: 'administration',
  filing: Evidence,
  admissible: () => undefined,
  facts: (evidence): TrafficFineFacts => factsOf(evidence),
  // The owner is found by the workflow (vehicle registry): they see the case from the notice on.
  owners: () => [],
  lookups: [{ field: 'location.unitCode', kind: 'ward' }],
  steps: { readPlate, confirm, findOwner, reviewDispute, deliverNotice },
  deadlines: {
    // The notice is due 10 calendar days after the detection (counted from capturedAt).
    dossier: deadline({ mode: 'calendar-days', workingDays: 10, remindBeforeMinutes: 2 * 24 * 60 }),
    // The owner answers within 20 calendar days of the notice; reminded 3 days before.
    response: deadline({ mode: 'calendar-days', workingDays: 20, remindBeforeMinutes: 3 * 24 * 60 }),
    // Once published, a fine stays enforceable for a year (the limitation period for enforcing a
    // penalty decision): the case's due date, after which supervision shows it overdue.
    settlement: deadline({ mode: 'calendar-days', workingDays: 365, remindBeforeMinutes: 30 * 24 * 60 }),
  },
  statuses: ['reading-plate', 'awaiting-confirmation', 'finding-owner', 'notifying', 'in-dispute', 'published', 'paid', 'dismissed'] as const,
  // History outcomes its workflow records besides the machinery's and the steps' decisions.
  // What people read, by id: the procedure, its steps, statuses, outcomes and fields (the console and the portal show these).
  labels: {
    vi: {
      'traffic-fine': 'Xử phạt nguội',
      receive: 'Tiếp nhận',
      'read-plate': 'Đọc biển số',
      confirm: 'Xác nhận vi phạm',
      'find-owner': 'Xác định chủ phương tiện',
      'review-dispute': 'Xem xét khiếu nại',
      'deliver-notice': 'Chuyển thông báo',
      notice: 'Thông báo vi phạm',
      respond: 'Phản hồi của chủ xe',
      publish: 'Công khai',
      close: 'Kết thúc',
      'reading-plate': 'Đang đọc biển số',
      'awaiting-confirmation': 'Chờ xác nhận vi phạm',
      'finding-owner': 'Đang xác định chủ xe',
      notifying: 'Đang gửi thông báo',
      'in-dispute': 'Đang khiếu nại',
      published: 'Đã công khai',
      paid: 'Đã nộp phạt',
      dismissed: 'Đã hủy bỏ',
      read: 'Đã đọc biển số',
      dismiss: 'Hủy bỏ vụ việc',
      'owner-found': 'Đã xác định chủ xe',
      uphold: 'Giữ nguyên quyết định',
      delivered: 'Đã chuyển thông báo',
      'not-delivered': 'Không chuyển được',
      'notice-issued': 'Đã gửi thông báo vi phạm',
      'unregistered-vehicle': 'Xe chưa đăng ký',
      'owner-unknown': 'Chưa rõ chủ xe',
      accepted: 'Chấp nhận nộp phạt',
      disputed: 'Khiếu nại',
      flagged: 'Đã cảnh báo đăng kiểm',
      unpublished: 'Đã gỡ công khai',
      'flag-lifted': 'Đã gỡ cảnh báo đăng kiểm',
      closed: 'Kết thúc',
      plateNumber: 'Biển số',
      ownerPin: 'Số định danh chủ xe',
    },
    en: {
      'traffic-fine': 'Offline traffic fine',
      receive: 'Evidence received',
      'read-plate': 'Read the plate',
      confirm: 'Confirm the violation',
      'find-owner': 'Find the vehicle owner',
      'review-dispute': "Review the owner's dispute",
      'deliver-notice': 'Deliver the notice',
      notice: 'Notice',
      respond: "Owner's answer",
      publish: 'Publication',
      close: 'Closing',
      'reading-plate': 'Reading the plate',
      'awaiting-confirmation': 'Awaiting confirmation',
      'finding-owner': 'Finding the owner',
      notifying: 'Notifying the owner',
      'in-dispute': 'In dispute',
      published: 'Published',
      paid: 'Paid',
      dismissed: 'Dismissed',
      read: 'Plate read',
      dismiss: 'Dismiss the case',
      'owner-found': 'Owner found',
      uphold: 'Uphold',
      delivered: 'Notice delivered',
      'not-delivered': 'Not delivered',
      'notice-issued': 'Notice issued',
      'unregistered-vehicle': 'Unregistered vehicle',
      'owner-unknown': 'Owner unknown',
      accepted: 'Fine accepted',
      disputed: 'Disputed',
      flagged: 'Flagged for inspection',
      unpublished: 'Taken off the public list',
      'flag-lifted': 'Inspection flag lifted',
      closed: 'Closed',
      plateNumber: 'Plate number',
      ownerPin: "Owner's personal number",
    },
  },
  events: ['notice-issued', 'unregistered-vehicle', 'owner-unknown', 'owner-found', 'accepted', 'disputed', 'published', 'flagged', 'unpublished', 'flag-lifted', 'paid', 'closed', 'dismissed'] as const,
  closedStatuses: ['paid', 'dismissed'] as const,
  answers: ['respond'],
  example: {
    as: { sub: 'camera-gateway.hcmc-pc08', role: 'system' },
    body: {
      procedure: 'traffic-fine',
      unitCode: TRAFFIC_POLICE,
      data: {
        source: 'camera:BT-LL-NH-01',
        capturedAt: '2026-11-20T07:42:13+07:00',
        location: { unitCode: 'W-BEN-THANH', description: 'Giao lộ Lê Lợi – Nguyễn Huệ, hướng Bến Thành' },
        plateNumber: '51F-123.45',
        violationCode: 'RED-LIGHT-CAR',
        evidence: [
          { sha256: '6f1ed002ab5595859014ebf0951522d9c6d4a6f3c6a1e1b1b8f0d2c9a4e3b7d1', uri: 'https://camera.csgt.example/BT-LL-NH-01/20261120-074213-1.jpg' },
          { sha256: '0b5e3f0a9c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f' },
        ],
      },
    },
  },
} satisfies ProcedureDefinition<typeof Evidence>;

/** A batch a newcomer can post as it is (`POST /violations/batch`): three cameras, three vehicles. */
export const EXAMPLE_BATCH = {
  items: [
    trafficFine.example.body.data,
    {
      source: 'camera:TD-HBT-02',
      capturedAt: '2026-11-21T17:05:40+07:00',
      location: { unitCode: 'W-TAN-DINH', description: 'Hai Bà Trưng – Trần Quang Khải' },
      plateNumber: '61C-234.56',
      violationCode: 'WRONG-LANE-CAR',
      evidence: [{ sha256: '9a8b7c6d5e4f30211f2e3d4c5b6a79881a2b3c4d5e6f70819a0b1c2d3e4f5061' }],
    },
    {
      source: 'camera:SG-DK-05',
      capturedAt: '2026-11-22T09:12:03+07:00',
      location: { unitCode: 'W-SAI-GON', description: 'Đồng Khởi – Lê Thánh Tôn' },
      violationCode: 'NO-HELMET-MOTORBIKE',
      evidence: [{ sha256: 'c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3' }],
    },
  ],
};
