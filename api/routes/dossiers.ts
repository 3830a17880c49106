import { Router } from 'express';
import type { DocumentSigner } from '../../common/document-signing';
import type { Prisma, PrismaClient } from '../../prisma/client';
import { ROLES } from '../auth';
import { documentView } from '../documents/document-view';
import { loadIssuedDocument } from '../documents/issued-document';
import { documentPdf } from '../documents/pdf';
import { LanguageQuery, readerLanguage } from '../documents/reader-language';
import { requestLanguage } from '../language';
import { z, type ApiDefinition } from '../openapi';
import { say } from '../messages';
import { problems } from '../problem';
import { bilingual } from '../translations';
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
export const Verify = z
  .object({ valid: z.boolean(), kind: z.string().optional(), issuedAt: z.string().optional(), dossierId: z.string().optional() })
  .openapi('DocumentVerification');
export const IssuedDocument = z
  .object({ code: z.string(), kind: z.string(), issuedAt: z.string(), dossierId: z.string(), content: z.record(z.string(), z.unknown()) })
  .openapi('IssuedDocument');
// Bytes, not JSON: OpenAPI 3.1 describes a binary body by its media type (`format: binary` for 3.0 tools).
const PDF_BODY = { type: 'string' as const, format: 'binary', contentMediaType: 'application/pdf' };
const CodeParams = z.object({ code: z.string().regex(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, bilingual({ vi: 'phải là mã tra cứu, ví dụ 7K3M-9QAB-X2CD', en: 'must be a code such as 7K3M-9QAB-X2CD' })) });

/** Reading dossiers (owner, handling staff, supervisors above them) and checking issued documents. */
export function dossierRoutes(api: ApiDefinition, deps: { prisma: PrismaClient; signer: DocumentSigner; publicBaseUrl: string }) {
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
        if (query.unitCode && !inScope(scope, query.unitCode)) throw problems.forbidden(say.unitOutsideUnits(query.unitCode));
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
    handler: async ({ params, caller, req, res }) => {
      const { dossier } = await loadVisibleDossier(deps.prisma, caller, params.dossierId);
      // History notes are stored in both languages: the reader's is shown.
      res.vary('Accept-Language');
      res.json(await dossierDetail(deps.prisma, dossier, requestLanguage(req)));
    },
  });

  api.route(router, {
    method: 'get',
    path: '/dossiers/:dossierId/document',
    summary: 'The document issued for a dossier (owner and handling staff), as JSON or as a signed PDF',
    description:
      'JSON unless `Accept` prefers `application/pdf`: then the document to print or keep (A4; Vietnamese, or English by `lang=en` or `Accept-Language`), with its ' +
      'verification code, a QR code of `/verify/{code}` and its signature (a compact JWS, checked with ' +
      '`/.well-known/document-keys.json`) in the Info entry `DocumentSignature`. Personal data: answered with ' +
      '`Cache-Control: no-store`, as every authenticated answer.',
    tags: ['dossiers'],
    auth: ROLES,
    params: IdParams,
    query: LanguageQuery,
    responses: {
      200: { description: 'The electronic document', content: { 'application/json': IssuedDocument, 'application/pdf': PDF_BODY } },
      404: { description: 'Nothing issued, or not visible' },
    },
    handler: async ({ params, query, caller, req, res }) => {
      await loadVisibleDossier(deps.prisma, caller, params.dossierId);
      // The same URL serves both: caches and proxies must keep them apart.
      res.vary('Accept');
      res.vary('Accept-Language');
      const document = await loadIssuedDocument(deps.prisma, { dossierId: params.dossierId });
      if (!document) throw problems.notFound(say.noDocument(params.dossierId));
      // JSON first: a client that states no preference (or `*/*`) keeps getting what it always got.
      if (req.accepts(['application/json', 'application/pdf']) !== 'application/pdf') {
        return void res.json({ code: document.code, kind: document.kind, issuedAt: document.issuedAt, dossierId: document.dossierId, content: document.content });
      }
      const { dossierId: _dossierId, ...statement } = document;
      const jws = await deps.signer.sign(statement);
      const language = readerLanguage(req, query.lang);
      const pdf = await documentPdf({
        language,
        view: documentView(document, language),
        verifyUrl: `${deps.publicBaseUrl.replace(/\/+$/, '')}/verify/${document.code}`,
        jws,
        keyId: deps.signer.keyId,
        issuedAt: new Date(document.issuedAt),
      });
      res.setHeader('Content-Language', language);
      res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${document.code}.pdf"`);
      res.send(Buffer.from(pdf));
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
