import { createHash } from 'node:crypto';
import type { Language } from '../../common/bilingual';
import { Router } from 'express';
import { z, type ApiDefinition } from '../../api/openapi';
import { ROLES } from '../../api/auth';
import { checkInput } from '../../api/input';
import type { ProcedureRouteDeps } from '../../api/procedure-routes';
import { requestLanguage } from '../../api/language';
import { say } from '../../api/messages';
import { problems, renderErrors, type FieldError } from '../../api/problem';
import { statusWords } from '../../api/status-words';
import { DossierId } from '../../api/ids';
import { createOnce } from '../../api/services/idempotency';
import { viaUpdate } from '../../api/temporal-errors';
import { respondUpdate } from '../../workflows/shared/messages';
import { Awaiting } from '../../workflows/shared/types';
import { balanceOf } from './balance';
import { EXAMPLE_BATCH, Evidence, MAX_PROMISE_DAYS, normalizePlate, PLATE_PATTERN, TrafficResponse, trafficFine } from './definition';
import { evidenceProblems, knownReferences, MAX_BATCH, openCases, type OpenedCase } from './violations';

/**
 * Traffic violations (procedures/traffic-fine/README.md): evidence in from cameras and officers (one item or a batch),
 * the public list of vehicles published for an unanswered notice, and the inspection flag the
 * vehicle-inspection authority reads.
 */
const Opened = z
  .object({
    dossierId: z.string(),
    procedure: z.string(),
    status: z.string(),
    unitCode: z.string(),
    receivedAt: z.string(),
    dueAt: z.string().openapi({ description: 'The notice is due by then: 10 calendar days after capturedAt' }),
    created: z.boolean().openapi({ description: 'False when the same evidence had already opened this case' }),
  })
  .openapi('TrafficCase');

const BatchBody = z
  .object({
    items: z
      .array(z.unknown())
      .min(1, 'give at least one item')
      .max(MAX_BATCH, `at most ${MAX_BATCH} items a batch; nothing was created`)
      .openapi({ description: `Up to ${MAX_BATCH} evidence items (ViolationEvidence); each is checked on its own`, items: { $ref: '#/components/schemas/ViolationEvidence' } }),
  })
  .strict()
  .openapi('ViolationBatch');

const BatchItem = z
  .object({
    index: z.number().int(),
    status: z.enum(['created', 'existing', 'rejected']),
    dossierId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().openapi({ description: 'Why the item was rejected: each bad field (`items.<index>.<field>`)' }),
  })
  .openapi('ViolationBatchItem');
const BatchResult = z
  .object({ received: z.number().int(), created: z.number().int(), existing: z.number().int(), rejected: z.number().int(), items: z.array(BatchItem) })
  .openapi('ViolationBatchResult');

const Published = z
  .object({ plateNumber: z.string(), violationCode: z.string(), violation: z.string(), capturedAt: z.string(), publishedAt: z.string() })
  .openapi('PublishedViolation', { description: 'A vehicle published for an unanswered notice: plate, violation and dates; no personal data' });
const PublishedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 }),
});

const PlateParams = z.object({
  plateNumber: z
    .string()
    .max(20)
    .refine((plate) => normalizePlate(plate) !== null, 'must be a Vietnamese plate number such as 51A-123.45 or 59X1-234.56')
    .openapi({ example: '51F-123.45', pattern: PLATE_PATTERN }),
});
const InspectionFlag = z
  .object({
    plateNumber: z.string(),
    flagged: z.boolean().openapi({ description: 'A flagged vehicle fails inspection' }),
    since: z.string().optional(),
    dossierIds: z.array(z.string()).openapi({ description: 'The unsettled cases that flag it' }),
  })
  .openapi('InspectionFlag');

const IdParams = z.object({ dossierId: DossierId });
export const Responded = z
  .object({
    dossierId: z.string(),
    status: z.string(),
    payment: z.object({ paymentId: z.string(), amount: z.number().int(), paidAt: z.string() }).optional(),
    balance: z.number().int().optional().openapi({ description: 'What remains to pay, integer VND (after a payment)' }),
  })
  .openapi('TrafficFineResponded');
export const Notice = z
  .object({
    dossierId: z.string(),
    violationCode: z.string(),
    violation: z.string().openapi({ description: 'The violation as the notice prints it (Vietnamese)' }),
    capturedAt: z.string(),
    locationUnitCode: z.string(),
    plateNumber: z.string().nullable(),
    fineAmount: z.number().int().openapi({ description: 'Integer VND' }),
    balance: z.number().int().openapi({ description: 'What remains to pay, integer VND: the amount `pay` takes' }),
    noticeCode: z.string().nullable().openapi({ description: "The notice's verification code (`/verify/{code}`)" }),
    noticeAt: z.string().nullable(),
    maxPromiseDays: z.number().int().openapi({ description: 'How many days ahead `accept` may promise to pay (`payBy`)' }),
  })
  .openapi('TrafficFineNotice');
const PAYMENT_KEY = /^[\x21-\x7e]{1,200}$/;

/** A payment needs its key: the same key is the same payment, charged once. */
function paymentKeyOf(key: string | undefined): string {
  if (key === undefined || !PAYMENT_KEY.test(key)) {
    throw problems.badRequest(say.paymentNeedsKey, [{ path: 'header.Idempotency-Key', message: say.paymentKeyField }]);
  }
  return key;
}

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);

const EVIDENCE_ROLES = ['system', 'officer'] as const;

export function trafficRoutes(api: ApiDefinition, deps: ProcedureRouteDeps) {
  const router = Router();
  const { prisma } = deps;

  api.route(router, {
    method: 'post',
    path: '/violations',
    summary: 'Evidence of a traffic violation (camera systems, officers)',
    description:
      'Opens a case, or answers with the existing one when the same evidence (images, plate, time and place) was posted before ' +
      '(200, `created: false`). An `Idempotency-Key` repeats the first answer as it was.',
    tags: ['traffic'],
    auth: EVIDENCE_ROLES,
    body: Evidence,
    examples: { camera: { summary: `A red light at Bến Thành, posted as ${trafficFine.example.as.sub}`, value: trafficFine.example.body.data } },
    responses: {
      201: { description: 'Case opened', schema: Opened },
      200: { description: 'The same evidence had opened this case already', schema: Opened },
      422: { description: 'This Idempotency-Key was used with another request' },
    },
    handler: async ({ body, caller, req, res }) => {
      const errors = evidenceProblems(body, await knownReferences(prisma, [body]), '');
      if (errors.length > 0) throw problems.badRequest(say.evidenceUnknown, errors);
      const answer = await createOnce(
        prisma,
        { key: req.get('Idempotency-Key'), callerSub: caller.sub, route: 'POST /violations', body },
        () => 'violation',
        async () => {
          const [opened] = await openCases(deps, [body]);
          return { status: opened!.created ? 201 : 200, body: { ...opened! } };
        },
      );
      res.status(answer.status).location(`/api/v1/dossiers/${String(answer.body.dossierId)}`).json(answer.body);
    },
  });

  api.route(router, {
    method: 'post',
    path: '/violations/batch',
    summary: `Up to ${MAX_BATCH} evidence items at once, with a result per item`,
    description:
      'Each item is checked on its own: a bad one is `rejected` with its errors (paths `items.<index>.<field>`) and rejects only ' +
      'itself; the others are `created`, or `existing` when the same evidence opened a case before. The answer is 200 whenever the ' +
      `batch itself is well-formed; more than ${MAX_BATCH} items is a 400 and creates nothing.`,
    tags: ['traffic'],
    auth: EVIDENCE_ROLES,
    body: BatchBody,
    itemsCheckedApart: 'items',
    examples: { cameras: { summary: 'Three cameras, three vehicles (one without a plate read)', value: EXAMPLE_BATCH } },
    responses: {
      200: { description: 'A result per item, in the order given', schema: BatchResult },
      422: { description: 'This Idempotency-Key was used with another request' },
    },
    handler: async ({ body, caller, req, res }) => {
      const answer = await createOnce(
        prisma,
        { key: req.get('Idempotency-Key'), callerSub: caller.sub, route: 'POST /violations/batch', body },
        () => 'violation-batch',
        async () => ({ status: 200, body: await ingestBatch(deps, body.items, requestLanguage(req)) }),
      );
      res.status(answer.status).json(answer.body);
    },
  });

  api.route(router, {
    method: 'get',
    path: '/violations/published',
    summary: 'Vehicles published for an unanswered traffic-fine notice (public)',
    description: 'Plate, violation and dates only: no personal data. A vehicle leaves the list when its case is settled.',
    tags: ['traffic'],
    auth: 'public',
    query: PublishedQuery,
    responses: { 200: { description: 'Newest first', schema: z.array(Published) } },
    handler: async ({ query, res }) => {
      const rows = await prisma.violation.findMany({
        where: { publishedAt: { not: null }, settledAt: null, plateNumber: { not: null } },
        select: { plateNumber: true, violationCode: true, capturedAt: true, publishedAt: true, code: { select: { description: true } } },
        orderBy: [{ publishedAt: 'desc' }, { dossierId: 'asc' }],
        take: query.limit,
        skip: query.offset,
      });
      res.json(
        rows.map((r) => ({
          plateNumber: r.plateNumber!,
          violationCode: r.violationCode,
          violation: r.code.description,
          capturedAt: r.capturedAt.toISOString(),
          publishedAt: r.publishedAt!.toISOString(),
        })),
      );
    },
  });

  api.route(router, {
    method: 'get',
    path: '/vehicles/:plateNumber/inspection-flag',
    summary: 'Whether a vehicle is flagged for an unpaid fine: a flagged vehicle fails inspection',
    tags: ['traffic'],
    auth: ['inspector', 'system'],
    params: PlateParams,
    responses: { 200: { description: 'The flag (not flagged for a plate without unsettled flagged cases)', schema: InspectionFlag } },
    handler: async ({ params, res }) => {
      const plateNumber = normalizePlate(params.plateNumber)!;
      const cases = await prisma.violation.findMany({
        where: { plateNumber, flaggedAt: { not: null }, settledAt: null },
        select: { dossierId: true, flaggedAt: true },
        orderBy: [{ flaggedAt: 'asc' }, { dossierId: 'asc' }],
      });
      res.json({
        plateNumber,
        flagged: cases.length > 0,
        ...(cases[0] ? { since: cases[0].flaggedAt!.toISOString() } : {}),
        dossierIds: cases.map((c) => c.dossierId),
      });
    },
  });

  api.route(router, {
    method: 'get',
    path: '/dossiers/:dossierId/notice',
    summary: 'The notice of a traffic-fine case: the violation, the fine and what remains to pay (the owner, handling staff)',
    tags: ['traffic'],
    auth: ROLES,
    params: IdParams,
    responses: { 200: { description: 'The notice', schema: Notice }, 404: { description: 'No such case visible to the caller, or no notice yet' } },
    handler: async ({ params, caller, res }) => {
      const { dossier } = await deps.loadVisibleDossier(caller, params.dossierId);
      const violation = await prisma.violation.findUnique({ where: { dossierId: dossier.id }, include: { code: { select: { description: true } } } });
      if (!violation || violation.fineAmount === null) throw problems.notFound(`No traffic-fine notice for dossier ${dossier.id}`);
      res.json({
        dossierId: dossier.id,
        violationCode: violation.violationCode,
        violation: violation.code.description,
        capturedAt: violation.capturedAt.toISOString(),
        locationUnitCode: violation.locationUnitCode,
        plateNumber: violation.plateNumber,
        fineAmount: violation.fineAmount,
        balance: await balanceOf(prisma, dossier.id),
        noticeCode: violation.noticeCode,
        noticeAt: violation.noticeAt?.toISOString() ?? null,
        maxPromiseDays: MAX_PROMISE_DAYS,
      });
    },
  });

  api.route(router, {
    method: 'post',
    path: '/dossiers/:dossierId/respond',
    summary: 'Answer a traffic-fine notice (the vehicle owner)',
    description:
      '`accept` with the date you will pay by, `dispute` with a reason (an officer upholds or dismisses it), or `pay` the whole ' +
      'balance (integer VND) with an `Idempotency-Key` header: the same key again answers with the same payment and charges nothing.',
    tags: ['citizen'],
    auth: ['citizen'],
    params: IdParams,
    body: TrafficResponse,
    responses: {
      200: { description: 'Answer recorded (a payment: charged)', schema: Responded },
      404: { description: 'No such dossier of the caller' },
      409: { description: 'The case is not waiting for an answer (a dispute under review, or already closed)' },
      422: { description: 'Not allowed by the procedure: an amount other than the balance, a date out of range, a second dispute, or a dossier that takes no response' },
    },
    handler: async ({ params, body, caller, req, res }) => {
      const { dossier } = await deps.loadVisibleDossier(caller, params.dossierId);
      if (dossier.procedure !== trafficFine.id) {
        throw problems.unprocessable(say.takesNoResponse(dossier.id, dossier.procedure));
      }
      const paymentKey = body.action === 'pay' ? paymentKeyOf(req.get('Idempotency-Key')) : undefined;
      // A payment retried with its key answers with the payment made, even once the case is closed.
      const paid = paymentKey && (await paymentOf(dossier.id, paymentKey));
      if (paid) return void res.json({ dossierId: dossier.id, status: dossier.status, ...paid });
      if (deps.isClosed(dossier.status)) throw problems.conflict(say.dossierAlready(dossier.id, statusWords(dossier.status, trafficFine), dossier.status));
      const awaiting = dossier.awaiting === null ? null : Awaiting.parse(dossier.awaiting);
      if (awaiting?.kind !== 'respond') {
        throw problems.conflict(say.notWaitingForResponse(dossier.id, statusWords(dossier.status, trafficFine), dossier.status));
      }
      if (body.action === 'pay') {
        const balance = await balanceOf(prisma, dossier.id);
        if (body.amount !== balance) throw problems.unprocessable(say.amountMustBeBalance(balance));
      }
      const answer = { data: paymentKey ? { ...body, paymentKey } : { ...body }, answeredBy: caller.sub };
      // The same answer retried is the same Update; a payment is that of its key.
      const updateId = paymentKey ? `pay/${createHash('sha256').update(paymentKey).digest('hex').slice(0, 24)}` : `respond/${awaiting.round}/${hashOf(answer)}`;
      const handle = deps.temporal.workflow.getHandle(dossier.id);
      const result = await viaUpdate(() => handle.executeUpdate(respondUpdate, { args: [answer], updateId }), handle, trafficFine);
      res.json({ ...result, ...(paymentKey ? await paymentOf(dossier.id, paymentKey) : {}) });
    },
  });

  /** The payment made under this key on this case, with the balance after it. */
  async function paymentOf(dossierId: string, key: string) {
    const payment = await prisma.payment.findUnique({ where: { idempotencyKey: `${dossierId}/${key}` } });
    if (!payment || payment.dossierId !== dossierId) return undefined;
    return { payment: { paymentId: payment.id, amount: payment.amount, paidAt: payment.paidAt.toISOString() }, balance: await balanceOf(prisma, dossierId) };
  }

  return router;
}

type ItemResult = z.infer<typeof BatchItem>;

/** Every item checked on its own; the valid ones opened with bounded concurrency. A rejected item's errors are in `language`. */
async function ingestBatch(deps: ProcedureRouteDeps, items: readonly unknown[], language: Language): Promise<z.infer<typeof BatchResult>> {
  const results: ItemResult[] = new Array<ItemResult>(items.length);
  const valid: Array<{ index: number; evidence: Evidence }> = [];
  items.forEach((item, index) => {
    const checked = checkInput(Evidence, item, 'body');
    if (checked.ok) valid.push({ index, evidence: checked.data });
    else results[index] = { index, status: 'rejected', errors: renderErrors(prefixed(checked.errors, index), language) };
  });
  const known = await knownReferences(deps.prisma, valid.map((v) => v.evidence));
  const accepted = valid.filter(({ index, evidence }) => {
    const errors = evidenceProblems(evidence, known, `items.${index}.`);
    if (errors.length > 0) results[index] = { index, status: 'rejected', errors: renderErrors(errors, language) };
    return errors.length === 0;
  });
  const opened: OpenedCase[] = await openCases(deps, accepted.map((a) => a.evidence));
  accepted.forEach(({ index }, i) => {
    results[index] = { index, status: opened[i]!.created ? 'created' : 'existing', dossierId: opened[i]!.dossierId };
  });
  const count = (status: ItemResult['status']) => results.filter((r) => r.status === status).length;
  return { received: items.length, created: count('created'), existing: count('existing'), rejected: count('rejected'), items: results };
}

function prefixed(errors: FieldError[], index: number): FieldError[] {
  return errors.map((e) => ({ ...e, path: e.path === '(body)' ? `items.${index}` : `items.${index}.${e.path}` }));
}
