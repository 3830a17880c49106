import { Router } from 'express';
import type { DocumentSigner } from '../../common/document-signing';
import type { PrismaClient } from '../../prisma/client';
import { documentView } from '../documents/document-view';
import { LanguageQuery, readerLanguage } from '../documents/reader-language';
import { loadIssuedDocument } from '../documents/issued-document';
import { notFoundPage, verifyPage } from '../documents/verify-page';
import { z, type ApiDefinition } from '../openapi';

const Jwks = z
  .object({ keys: z.array(z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string(), alg: z.string(), use: z.string() })) })
  .openapi('DocumentKeys');
// Any string: a mistyped code gets the same "not found" page as an unknown one, not a JSON problem.
const PageParams = z.object({ code: z.string().max(64) });
const CODE = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/**
 * The verification page runs nothing and loads nothing: its one inline style element is all it
 * needs (the API's own CSP, `default-src 'none'`, would refuse even that).
 */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** What anyone may check about an issued document: the keys that sign them, and the page a document's QR code opens. */
export function documentRoutes(api: ApiDefinition, deps: { prisma: PrismaClient; signer: DocumentSigner }) {
  const router = Router();

  api.route(router, {
    method: 'get',
    path: '/.well-known/document-keys.json',
    absolute: true,
    summary: 'The public keys that verify issued documents (JWKS)',
    description: 'Every key still valid for verifying, the newest (the one that signs now) first. See docs/documents.md for the offline check.',
    tags: ['documents'],
    auth: 'public',
    dependencies: false,
    responses: { 200: { description: 'A JSON Web Key Set of Ed25519 keys', schema: Jwks } },
    handler: ({ res }) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.json(deps.signer.jwks());
    },
  });

  api.route(router, {
    method: 'get',
    path: '/verify/:code',
    absolute: true,
    summary: 'Public page that shows what an issued document shows (the target of its QR code)',
    description: 'HTML, in Vietnamese unless `lang=en` or `Accept-Language` prefers English. Shows no identification number.',
    tags: ['documents'],
    auth: 'public',
    params: PageParams,
    query: LanguageQuery,
    rateLimit: 'verifications',
    responses: {
      200: { description: 'The document as printed', schema: z.string(), contentType: 'text/html' },
      404: { description: 'No document has this code (an HTML page)', schema: z.string(), contentType: 'text/html' },
    },
    handler: async ({ params, query, req, res }) => {
      const language = readerLanguage(req, query.lang);
      const code = params.code.toUpperCase();
      const document = CODE.test(code) ? await loadIssuedDocument(deps.prisma, { code }) : null;
      res.setHeader('Content-Security-Policy', PAGE_CSP);
      res.setHeader('Vary', 'Accept-Language');
      if (!document) return void res.status(404).type('html').send(notFoundPage(params.code, language));
      res.type('html').send(verifyPage(documentView(document, language), language));
    },
  });

  return router;
}
