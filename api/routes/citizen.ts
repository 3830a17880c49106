import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { PrismaClient } from '../../prisma/client';
import { planDeadlinesFrom } from '../../common/deadline-store';
import { PROCEDURES } from '../../procedures';
import { parseSupplement } from '../../procedures/define';
import { TrafficResponse } from '../../procedures/traffic-fine/definition';
import { cancelDossierUpdate, respondUpdate, supplementUpdate } from '../../workflows/shared/messages';
import { Awaiting } from '../../workflows/shared/types';
import { z, type ApiDefinition } from '../openapi';
import { problems } from '../problem';
import { DossierId, UnitCode } from '../schemas';
import { createOnce } from '../services/idempotency';
import { isClosed, loadVisibleDossier, newDossierId, openDossier, reserveKeyAndDossier, unknownReferences } from '../services/dossiers';
import type { ReferenceData } from '../services/reference-data';
import { viaUpdate } from '../temporal-errors';

/** `POST /dossiers`: one branch per procedure of the registry, each with the procedure's own filing schema. */
const [firstFiling, ...otherFilings] = PROCEDURES.citizenFiled.map((p) =>
  z.object({ procedure: z.literal(p.id), unitCode: UnitCode, data: p.filing }).strict(),
);
const FileDossier = z
  .discriminatedUnion('procedure', [firstFiling!, ...otherFilings])
  .openapi('FileDossier', { description: 'A citizen files at a unit (`unitCode`): the procedure and its data.' });

const Filed = z
  .object({ dossierId: z.string(), procedure: z.string(), status: z.string(), unitCode: z.string(), receivedAt: z.string(), dueAt: z.string() })
  .openapi('FiledDossier');

const CancelBody = z.object({ reason: z.string().trim().max(500).optional() }).strict().openapi('CancelDossier');
const Cancelled = z.object({ dossierId: z.string(), status: z.string() }).openapi('CancelledDossier');
const AnswerBody = z
  .object({ data: z.record(z.string(), z.unknown()).openapi({ description: 'The filing fields that were asked for, with their new values' }) })
  .strict()
  .openapi('SupplementAnswer');
const Answered = z.object({ dossierId: z.string(), status: z.string() }).openapi('AnsweredDossier');
const IdParams = z.object({ dossierId: DossierId });
const Responded = z
  .object({
    dossierId: z.string(),
    status: z.string(),
    payment: z.object({ paymentId: z.string(), amount: z.number().int(), paidAt: z.string() }).optional(),
    balance: z.number().int().optional().openapi({ description: 'What remains to pay, integer VND (after a payment)' }),
  })
  .openapi('TrafficFineResponded');
const PAYMENT_KEY = /^[\x21-\x7e]{1,200}$/;

/** A payment needs its key: the same key is the same payment, charged once. */
function paymentKeyOf(key: string | undefined): string {
  if (key === undefined || !PAYMENT_KEY.test(key)) {
    throw problems.badRequest('A payment needs an Idempotency-Key header', [{ path: 'header.Idempotency-Key', message: 'required for a payment: 1-200 visible ASCII characters' }]);
  }
  return key;
}

export interface CitizenDeps {
  prisma: PrismaClient;
  temporal: Client;
  /** Units, lines of business, deadline settings and calendars, kept a short while (`reference-data.ts`). */
  references: ReferenceData;
  publicBaseUrl: string;
  taskQueue: string;
}

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);

/** What a citizen does: file a dossier, answer a supplement request, cancel before a decision. */
export function citizenRoutes(api: ApiDefinition, deps: CitizenDeps) {
  const router = Router();
  const { prisma } = deps;

  api.route(router, {
    method: 'post',
    path: '/dossiers',
    summary: 'File a dossier',
    description: 'Send an `Idempotency-Key` header: a repeat with the same key and body returns the first answer.',
    tags: ['citizen'],
    auth: ['citizen'],
    body: FileDossier,
    // Each procedure's demo filing, posted as its `example.as` citizen (GET /dev/demo names them too).
    examples: Object.fromEntries(
      PROCEDURES.citizenFiled.map((p) => [p.id, { summary: `${p.title}, filed as citizen ${p.example.as.sub}`, value: p.example.body as z.input<typeof FileDossier> }]),
    ),
    rateLimit: 'filings',
    responses: { 201: { description: 'Received', schema: Filed }, 422: { description: 'Valid, but the procedure does not allow it' } },
    handler: async ({ body, caller, req, res }) => {
      const procedure = PROCEDURES.get(body.procedure)!;
      const kind = (await deps.references.units()).get(body.unitCode);
      const unit = kind && { code: body.unitCode, kind };
      const unknown = [
        ...(unit ? [] : [{ path: 'unitCode', message: `no unit ${body.unitCode}` }]),
        ...(await unknownReferences(deps.references, procedure, body.data, 'data.')),
      ];
      if (unknown.length > 0 || !unit) throw problems.badRequest('The request names unknown registry entries', unknown);
      const refusal = procedure.admissible(body.data, { filerPin: caller.sub, unit });
      if (refusal) throw problems.unprocessable(refusal);
      // Planned before anything is written (from kept settings): with a key, the dossier's row goes
      // in with the key's reservation, in one statement.
      const receivedAt = new Date();
      const { dueAt } = await planDeadlinesFrom(deps.references, { procedure: procedure.id, step: 'dossier', unitCode: body.unitCode, from: receivedAt });
      const opening = { procedure, unitCode: body.unitCode, applicantPin: caller.sub, ownerPins: procedure.owners(body.data, caller.sub), request: body.data };
      let written: { receivedAt: Date; dueAt: Date } | undefined;
      const created = await createOnce(
        prisma,
        { key: req.get('Idempotency-Key'), callerSub: caller.sub, route: 'POST /dossiers', body },
        () => newDossierId(procedure, receivedAt),
        async (dossierId, { freshId }) => ({
          status: 201,
          body: { ...(await openDossier({ ...deps, deadlines: deps.references }, { ...opening, dossierId, freshId, written })) },
        }),
        async (reservation) => {
          const reserved = await reserveKeyAndDossier(prisma, reservation, { ...opening, receivedAt, dueAt });
          if (reserved) written = { receivedAt, dueAt };
          return reserved;
        },
      );
      res.status(created.status).location(`/api/v1/dossiers/${String(created.body.dossierId)}`).json(created.body);
    },
  });

  api.route(router, {
    method: 'post',
    path: '/dossiers/:dossierId/cancel',
    summary: 'Cancel a dossier before its decision (owner only)',
    tags: ['citizen'],
    auth: ['citizen'],
    params: IdParams,
    body: CancelBody.optional(),
    responses: {
      200: { description: 'Cancelled; every open task was closed', schema: Cancelled },
      404: { description: 'No such dossier of the caller' },
      409: { description: 'Already decided or closed' },
    },
    handler: async ({ params, body, caller, res }) => {
      const { dossier, isFiler } = await loadVisibleDossier(prisma, caller, params.dossierId);
      if (!isFiler) throw problems.forbidden(`Only the citizen who filed dossier ${dossier.id} may cancel it`);
      if (isClosed(dossier.status)) throw problems.conflict(`Dossier ${dossier.id} is already ${dossier.status}`);
      const handle = deps.temporal.workflow.getHandle(dossier.id);
      const result = await viaUpdate(() => handle.executeUpdate(cancelDossierUpdate, { args: [{ reason: body?.reason }], updateId: 'cancel' }), handle);
      res.json(result);
    },
  });

  api.route(router, {
    method: 'post',
    path: '/dossiers/:dossierId/supplement',
    summary: 'Answer a supplement request (the filer)',
    description:
      'Only the fields the clerk asked for (`awaiting.items` of the dossier) may change; the filing with them applied must be ' +
      'valid as at filing. The review clock restarts from the answer.',
    tags: ['citizen'],
    auth: ['citizen'],
    params: IdParams,
    body: AnswerBody,
    responses: {
      200: { description: 'Answer recorded; the dossier is reviewed again', schema: Answered },
      404: { description: 'No such dossier of the caller' },
      409: { description: 'The dossier is not waiting for a supplement (none asked, already answered, lapsed or closed)' },
      422: { description: 'The procedure takes no supplement' },
    },
    handler: async ({ params, body, caller, res }) => {
      const { dossier, isFiler } = await loadVisibleDossier(prisma, caller, params.dossierId);
      const procedure = PROCEDURES.get(dossier.procedure);
      if (!procedure?.answers.includes('supplement')) {
        throw problems.unprocessable(`Dossier ${dossier.id} (${dossier.procedure}) is not waiting for a supplement`);
      }
      if (!isFiler) throw problems.forbidden(`Only the citizen who filed dossier ${dossier.id} may answer for it`);
      if (isClosed(dossier.status)) throw problems.conflict(`Dossier ${dossier.id} is already ${dossier.status}`);
      const awaiting = dossier.awaiting === null ? null : Awaiting.parse(dossier.awaiting);
      if (awaiting?.kind !== 'supplement') throw problems.conflict(`Dossier ${dossier.id} is not waiting for a supplement`);
      const requested = awaiting.items.map((i) => i.field);
      const parsed = parseSupplement(procedure.filing, dossier.data as Record<string, unknown>, requested, body.data);
      if (!parsed.ok) {
        throw problems.badRequest('The supplement is invalid', parsed.issues.map((i) => ({ path: i.path === '(data)' ? 'data' : `data.${i.path}`, message: i.message })));
      }
      const unknown = await unknownReferences(deps.references, procedure, parsed.changes, 'data.');
      if (unknown.length > 0) throw problems.badRequest('The supplement names unknown registry entries', unknown);
      const answer = { data: parsed.changes, answeredBy: caller.sub };
      const handle = deps.temporal.workflow.getHandle(dossier.id);
      // The same answer retried is the same Update; another answer to the same round is refused (409).
      const updateId = `supplement/${awaiting.round}/${hashOf(answer)}`;
      res.json(await viaUpdate(() => handle.executeUpdate(supplementUpdate, { args: [answer], updateId }), handle));
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
      const { dossier } = await loadVisibleDossier(prisma, caller, params.dossierId);
      if (!PROCEDURES.get(dossier.procedure)?.answers.includes('respond')) {
        throw problems.unprocessable(`Dossier ${dossier.id} (${dossier.procedure}) is not waiting for a respond`);
      }
      const paymentKey = body.action === 'pay' ? paymentKeyOf(req.get('Idempotency-Key')) : undefined;
      // A payment retried with its key answers with the payment made, even once the case is closed.
      const paid = paymentKey && (await paymentOf(dossier.id, paymentKey));
      if (paid) return void res.json({ dossierId: dossier.id, status: dossier.status, ...paid });
      if (isClosed(dossier.status)) throw problems.conflict(`Dossier ${dossier.id} is already ${dossier.status}`);
      const awaiting = dossier.awaiting === null ? null : Awaiting.parse(dossier.awaiting);
      if (awaiting?.kind !== 'respond') throw problems.conflict(`Dossier ${dossier.id} is not waiting for a response (${dossier.status})`);
      if (body.action === 'pay') {
        const balance = await balanceOf(dossier.id);
        if (body.amount !== balance) throw problems.unprocessable(`The amount must be the whole balance of the fine: ${balance} VND`);
      }
      const answer = { data: paymentKey ? { ...body, paymentKey } : { ...body }, answeredBy: caller.sub };
      // The same answer retried is the same Update; a payment is that of its key.
      const updateId = paymentKey ? `pay/${createHash('sha256').update(paymentKey).digest('hex').slice(0, 24)}` : `respond/${awaiting.round}/${hashOf(answer)}`;
      const handle = deps.temporal.workflow.getHandle(dossier.id);
      const result = await viaUpdate(() => handle.executeUpdate(respondUpdate, { args: [answer], updateId }), handle);
      res.json({ ...result, ...(paymentKey ? await paymentOf(dossier.id, paymentKey) : {}) });
    },
  });

  /** The payment made under this key on this case, with the balance after it. */
  async function paymentOf(dossierId: string, key: string) {
    const payment = await prisma.payment.findUnique({ where: { idempotencyKey: `${dossierId}/${key}` } });
    if (!payment || payment.dossierId !== dossierId) return undefined;
    return { payment: { paymentId: payment.id, amount: payment.amount, paidAt: payment.paidAt.toISOString() }, balance: await balanceOf(dossierId) };
  }

  /** The fine minus every payment: read from the append-only rows. */
  async function balanceOf(dossierId: string): Promise<number> {
    const [violation, paid] = await Promise.all([
      prisma.violation.findUnique({ where: { dossierId }, select: { fineAmount: true } }),
      prisma.payment.aggregate({ where: { dossierId }, _sum: { amount: true } }),
    ]);
    return (violation?.fineAmount ?? 0) - (paid._sum.amount ?? 0);
  }

  return router;
}
