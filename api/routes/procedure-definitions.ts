import { Router } from 'express';
import { findDefinition, listDefinitions, MAX_VERSION, publishDefinition, type SqlSession, type Transact } from '../../common/procedure-definitions';
import type { PrismaClient } from '../../prisma/client';
import { checkDocument, ProcedureDocument, type AdapterSpec } from '../../procedures/document';
import { compileJsonSchema, procedureDocumentJsonSchema } from '../../procedures/document-checks';
import { z, type ApiDefinition } from '../openapi';
import { say } from '../messages';
import { problems } from '../problem';
import { refreshPublishedProcedures } from '../services/published-procedures';
import { PROCEDURES } from '../../procedures';

/**
 * Procedures as data: administrators publish versions of a procedure's definition document
 * (`procedures/document.ts`); each (id, version) is published once and never changes. Supervisors
 * read them too; the document's JSON Schema is public, for editors.
 */
export interface ProcedureDefinitionDeps {
  prisma: PrismaClient;
  /** The adapters a definition may name (`procedures/adapter-specs.ts`). */
  adapters: Readonly<Record<string, AdapterSpec>>;
}

// Built after the API's zod extension (a clone), so that the document names its own component.
const DocumentSchema = ProcedureDocument.clone().openapi('ProcedureDocument', {
  description:
    'A procedure as data (format `procedure/1`): its filing, statuses and steps (check, task, await-applicant, issue, notify, ' +
    'branch, end). Its JSON Schema for editors is at `GET /api/v1/procedure-definitions/schema`.',
});

const Published = z
  .object({
    id: z.string(),
    version: z.number().int(),
    hash: z.string().openapi({ description: 'sha256 (hex) of the canonical JSON (RFC 8785) of the parsed document, defaults filled in' }),
    publishedAt: z.string(),
  })
  .openapi('PublishedProcedureDefinition');

const Text = z.object({ vi: z.string(), en: z.string() });
const Listed = Published.extend({
  publishedBy: z.string().openapi({ description: 'The administrator who published it, or `shipped:<file>` for a definition the engine ships' }),
  title: Text,
  latest: z.boolean().openapi({ description: 'The highest version of its id' }),
}).openapi('ProcedureDefinitionVersion');

const ListQuery = z.object({ id: ProcedureDocument.shape.id.optional().openapi({ description: 'Only the versions of this procedure' }) });
const VersionParams = z.object({
  id: ProcedureDocument.shape.id,
  version: z.coerce.number().int().min(1).max(MAX_VERSION).openapi({ type: 'integer', minimum: 1, maximum: MAX_VERSION }),
});

const locationOf = (id: string, version: number) => `/api/v1/procedure-definitions/${id}/versions/${version}`;

/** The API's Prisma client as the service's SQL session, and its interactive transactions as `Transact`. */
function prismaSession(db: Pick<PrismaClient, '$queryRawUnsafe'>): SqlSession {
  return { query: <R>(text: string, params: readonly unknown[] = []) => db.$queryRawUnsafe<R[]>(text, ...params) };
}
function prismaTransact(prisma: PrismaClient): Transact {
  return (work) => prisma.$transaction((tx) => work(prismaSession(tx)));
}

export function procedureDefinitionRoutes(api: ApiDefinition, deps: ProcedureDefinitionDeps) {
  const router = Router();
  const sql = prismaSession(deps.prisma);
  const transact = prismaTransact(deps.prisma);
  const jsonSchema = procedureDocumentJsonSchema();

  api.route(router, {
    method: 'get',
    path: '/procedure-definitions/schema',
    summary: 'The JSON Schema of a procedure definition document, for editors',
    description: 'Draft 2020-12, the input side: a field with a default may be left out. The same as `procedures/procedure-document.schema.json`.',
    tags: ['procedure-definitions'],
    auth: 'public',
    dependencies: false,
    responses: { 200: { description: 'The JSON Schema', schema: z.record(z.string(), z.unknown()), contentType: 'application/schema+json' } },
    handler: ({ res }) => {
      res.type('application/schema+json').send(JSON.stringify(jsonSchema));
    },
  });

  api.route(router, {
    method: 'post',
    path: '/procedure-definitions',
    summary: 'Publish a version of a procedure definition (administrator)',
    description:
      'The document is checked (its shape, then the rules of a definition: every adapter known and its outcomes covered, every ' +
      '`next` a step, every step reachable, every status declared, every JSON Schema valid, every deadline sound): 400 names ' +
      'each bad path. A version, once published, never changes: the same (id, version) again with the same content is a ' +
      '200 (nothing done), with other content a 409; a version below the latest of its id is a 409 too.',
    tags: ['procedure-definitions'],
    auth: ['administrator'],
    body: DocumentSchema,
    responses: {
      201: { description: 'Published; `Location` is the version', schema: Published },
      200: { description: 'This very version was published before: nothing done', schema: Published },
      409: { description: 'The (id, version) is published with other content, or the version is below the latest of its id' },
    },
    handler: async ({ body, caller, res }) => {
      // Its own problems first (400); then what it would clash with in the registry (409).
      const invalid = checkDocument(body, deps.adapters, compileJsonSchema);
      if (invalid.length > 0) throw problems.badRequest(say.definitionProblems(invalid.length), invalid);
      const current = PROCEDURES.get(body.id);
      if (current && !current.published) throw problems.conflict(say.writtenAsCode(body.id));
      const prefixHolder = PROCEDURES.all.find((p) => p.codePrefix === body.codePrefix && p.id !== body.id);
      if (prefixHolder) throw problems.conflict(say.codePrefixTaken(body.codePrefix, prefixHolder.id));
      const result = await publishDefinition(transact, body, { adapters: deps.adapters, publishedBy: caller.sub, requireNewest: true });
      switch (result.outcome) {
        case 'invalid':
          throw problems.badRequest(say.definitionProblems(result.problems.length), result.problems);
        case 'conflict':
          throw problems.conflict(result.detail);
        case 'published':
        case 'unchanged': {
          const { id, version, hash, publishedAt } = result.definition;
          // Offered from the next request on (this process; others within REFRESH_AFTER_MS).
          await refreshPublishedProcedures(deps.prisma);
          if (result.outcome === 'published') res.status(201).location(locationOf(id, version));
          res.json({ id, version, hash, publishedAt: publishedAt.toISOString() });
        }
      }
    },
  });

  api.route(router, {
    method: 'get',
    path: '/procedure-definitions',
    summary: 'The published versions of procedure definitions',
    tags: ['procedure-definitions'],
    auth: ['administrator', 'supervisor'],
    query: ListQuery,
    responses: { 200: { description: 'By id, the newest version first', schema: z.array(Listed) } },
    handler: async ({ query, res }) => {
      const rows = await listDefinitions(sql, { id: query.id });
      res.json(rows.map((r) => ({ id: r.id, version: r.version, hash: r.hash, publishedAt: r.publishedAt.toISOString(), publishedBy: r.publishedBy, title: r.title, latest: r.latest })));
    },
  });

  api.route(router, {
    method: 'get',
    path: '/procedure-definitions/:id/versions/:version',
    summary: 'A published version of a procedure definition: the document',
    description: 'The document as published (defaults filled in); its hash in `ETag`.',
    tags: ['procedure-definitions'],
    auth: ['administrator', 'supervisor'],
    params: VersionParams,
    responses: { 200: { description: 'The document', schema: DocumentSchema }, 404: { description: 'No such version' } },
    handler: async ({ params, res }) => {
      const found = await findDefinition(sql, params.id, params.version);
      if (!found) throw problems.notFound(say.noDefinitionVersion(params.version, params.id));
      res.setHeader('ETag', `"${found.hash}"`);
      res.json(found.document);
    },
  });

  return router;
}
