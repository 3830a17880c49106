import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { PrismaClient } from '../../prisma/client';
import { cancelDossierUpdate } from '../../workflows/shared/messages';
import { z, type ApiDefinition } from '../openapi';
import { problems } from '../problem';
import { CivilStatusExtractData, DossierId, UnitCode } from '../schemas';
import { createOnce } from '../services/idempotency';
import { fileCivilStatusExtract, isClosed, loadVisibleDossier, newDossierId } from '../services/dossiers';
import { viaUpdate } from '../temporal-errors';

const FileDossier = z
  .discriminatedUnion('procedure', [
    z.object({ procedure: z.literal('civil-status-extract'), unitCode: UnitCode, data: CivilStatusExtractData }).strict(),
    z.object({ procedure: z.literal('business-registration'), unitCode: UnitCode, data: z.record(z.string(), z.unknown()) }).strict(),
  ])
  .openapi('FileDossier', { description: 'A citizen files at any ward (`unitCode`): the procedure and its data.' });

const Filed = z
  .object({ dossierId: z.string(), procedure: z.string(), status: z.string(), unitCode: z.string(), receivedAt: z.string(), dueAt: z.string() })
  .openapi('FiledDossier');

const CancelBody = z.object({ reason: z.string().trim().max(500).optional() }).strict().openapi('CancelDossier');
const Cancelled = z.object({ dossierId: z.string(), status: z.string() }).openapi('CancelledDossier');
const IdParams = z.object({ dossierId: DossierId });

export interface CitizenDeps {
  prisma: PrismaClient;
  temporal: Client;
  publicBaseUrl: string;
  taskQueue: string;
}

/** What a citizen does: file a dossier, cancel it before a decision. */
export function citizenRoutes(api: ApiDefinition, deps: CitizenDeps) {
  const router = Router();

  api.route(router, {
    method: 'post',
    path: '/dossiers',
    summary: 'File a dossier',
    description: 'Send an `Idempotency-Key` header: a repeat with the same key and body returns the first answer.',
    tags: ['citizen'],
    auth: ['citizen'],
    body: FileDossier,
    responses: { 201: { description: 'Received', schema: Filed }, 422: { description: 'Valid, but the procedure does not allow it' } },
    handler: async ({ body, caller, req, res }) => {
      const unit = await deps.prisma.unit.findUnique({ where: { code: body.unitCode }, select: { kind: true } });
      if (!unit) throw problems.badRequest('Unknown unit', [{ path: 'unitCode', message: `no unit ${body.unitCode}` }]);
      if (body.procedure !== 'civil-status-extract') {
        throw problems.unprocessable(`${body.procedure} is not open for online filing yet`);
      }
      if (unit.kind !== 'WARD') {
        throw problems.unprocessable('Civil-status extracts are requested at a ward: unitCode must be a ward');
      }
      const created = await createOnce(
        deps.prisma,
        { key: req.get('Idempotency-Key'), callerSub: caller.sub, route: 'POST /dossiers', body },
        () => newDossierId(body.procedure, new Date()),
        async (dossierId) => ({
          status: 201,
          body: { ...(await fileCivilStatusExtract(deps, { dossierId, applicantPin: caller.sub, unitCode: body.unitCode, request: body.data })) },
        }),
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
      const { dossier } = await loadVisibleDossier(deps.prisma, caller, params.dossierId);
      if (isClosed(dossier.status)) throw problems.conflict(`Dossier ${dossier.id} is already ${dossier.status}`);
      const handle = deps.temporal.workflow.getHandle(dossier.id);
      const result = await viaUpdate(() =>
        handle.executeUpdate(cancelDossierUpdate, { args: [{ reason: body?.reason }], updateId: 'cancel' }),
      );
      res.json(result);
    },
  });

  for (const action of ['supplement', 'respond'] as const) {
    api.route(router, {
      method: 'post',
      path: `/dossiers/:dossierId/${action}`,
      summary: action === 'supplement' ? 'Answer a supplement request (owner)' : 'Answer a traffic-fine notice (vehicle owner)',
      tags: ['citizen'],
      auth: ['citizen'],
      params: IdParams,
      body: z.object({}).passthrough(),
      responses: { 422: { description: 'The dossier asks for no such answer' } },
      handler: async ({ params, caller }) => {
        const { dossier } = await loadVisibleDossier(deps.prisma, caller, params.dossierId);
        throw problems.unprocessable(`Dossier ${dossier.id} (${dossier.procedure}) is not waiting for a ${action}`);
      },
    });
  }

  return router;
}
