import { Router } from 'express';
import type { Prisma, PrismaClient } from '../../prisma/client';
import { ROLES } from '../auth';
import { z, type ApiDefinition } from '../openapi';
import { problems } from '../problem';
import { DossierDetail, DossierId, DossierStatus, DossierSummary, Procedure, UnitCode } from '../schemas';
import { dossierDetail, dossierSummary, loadVisibleDossier, ownedBy, visibleToStaff } from '../services/dossiers';
import { inScope, unitScope } from '../scope';

const MAX_OFFSET = 1_000_000;

const ListQuery = z.object({
  unitCode: UnitCode.optional(),
  procedure: Procedure.optional(),
  status: DossierStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  // Bounded so that the document and the check agree (and the database is never asked to skip more).
  // Coercion takes null as 0, which makes the generator publish `null` too: a query never has it.
  offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0).openapi({ type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 }),
});
const IdParams = z.object({ dossierId: DossierId });
const Verify = z
  .object({ valid: z.boolean(), kind: z.string().optional(), issuedAt: z.string().optional(), dossierId: z.string().optional() })
  .openapi('DocumentVerification');
const CodeParams = z.object({ code: z.string().regex(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, 'must be a code such as 7K3M-9QAB-X2CD') });

/** Reading dossiers (owner, handling staff, supervisors above them) and checking issued documents. */
export function dossierRoutes(api: ApiDefinition, deps: { prisma: PrismaClient }) {
  const router = Router();

  api.route(router, {
    method: 'get',
    path: '/dossiers',
    summary: "A citizen's own dossiers; staff: the dossiers of the units they act for",
    tags: ['dossiers'],
    auth: ROLES,
    query: ListQuery,
    responses: { 200: { description: 'Newest first', schema: z.array(DossierSummary) } },
    handler: async ({ query, caller, res }) => {
      const where: Prisma.DossierWhereInput = {
        ...(query.procedure ? { procedure: query.procedure } : {}),
        ...(query.status ? { status: query.status } : {}),
      };
      if (caller.role === 'citizen') {
        Object.assign(where, ownedBy(caller.sub));
        if (query.unitCode) where.unitCode = query.unitCode;
      } else {
        const scope = await unitScope(deps.prisma, caller);
        if (query.unitCode && !inScope(scope, query.unitCode)) throw problems.forbidden(`Unit ${query.unitCode} is outside the caller's units`);
        where.AND = [visibleToStaff(caller, scope), ...(query.unitCode ? [{ unitCode: query.unitCode }] : [])];
      }
      const rows = await deps.prisma.dossier.findMany({ where, orderBy: [{ receivedAt: 'desc' }, { id: 'asc' }], take: query.limit, skip: query.offset });
      res.json(rows.map((d) => dossierSummary(d)));
    },
  });

  api.route(router, {
    method: 'get',
    path: '/dossiers/:dossierId',
    summary: 'A dossier with its history, current step, open tasks and result',
    tags: ['dossiers'],
    auth: ROLES,
    params: IdParams,
    responses: { 200: { description: 'The dossier', schema: DossierDetail }, 404: { description: 'Unknown, or not visible to the caller' } },
    handler: async ({ params, caller, res }) => {
      const { dossier } = await loadVisibleDossier(deps.prisma, caller, params.dossierId);
      res.json(await dossierDetail(deps.prisma, dossier));
    },
  });

  api.route(router, {
    method: 'get',
    path: '/dossiers/:dossierId/document',
    summary: 'The document issued for a dossier (owner and handling staff)',
    description: 'Personal data: answered with `Cache-Control: no-store`, as every authenticated answer.',
    tags: ['dossiers'],
    auth: ROLES,
    params: IdParams,
    responses: { 200: { description: 'The electronic document' }, 404: { description: 'Nothing issued, or not visible' } },
    handler: async ({ params, caller, res }) => {
      await loadVisibleDossier(deps.prisma, caller, params.dossierId);
      const document = await deps.prisma.issuedDocument.findUnique({ where: { dossierId: params.dossierId } });
      if (!document) throw problems.notFound(`No document has been issued for dossier ${params.dossierId}`);
      res.json({ code: document.code, kind: document.kind, issuedAt: document.issuedAt.toISOString(), dossierId: document.dossierId, content: document.content });
    },
  });

  api.route(router, {
    method: 'get',
    path: '/documents/:code/verify',
    summary: 'Public check that an issued document is genuine',
    description: 'Answers `valid: false` for a well-formed code that was never issued. Shows no personal data.',
    tags: ['documents'],
    auth: 'public',
    params: CodeParams,
    rateLimit: 'verifications',
    responses: { 200: { description: 'Whether the code belongs to an issued document', schema: Verify } },
    handler: async ({ params, res }) => {
      const document = await deps.prisma.issuedDocument.findUnique({ where: { code: params.code } });
      res.json(
        document
          ? { valid: true, kind: document.kind, issuedAt: document.issuedAt.toISOString(), dossierId: document.dossierId }
          : { valid: false },
      );
    },
  });

  return router;
}
