import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type ZodMediaTypeObject,
} from '@asteasolutions/zod-to-openapi';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { TEXT_PATTERN } from '../common/schemas';
import { z } from './zod';
import { allowRoles, authenticate, type Caller, type Role, type TokenService } from './auth';
import { boundBodyDepth, checkInput, MAX_BODY_DEPTH, type InputLocation } from './input';
import { say } from './messages';
import { HttpProblem, problems, type FieldError } from './problem';

/**
 * One declaration per endpoint gives both the Express route (with zod validation and role checks)
 * and its OpenAPI 3.1 operation, so the published contract cannot drift from what the code accepts.
 */
export { z };

export const API_BASE = '/api/v1';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem', {
    description:
      'RFC 9457 problem details; `errors` names every bad field of a 400. `title`, `detail` and each `errors[].message` are in ' +
      'Vietnamese, or in English when the request asks for it (`Accept-Language: en`); `Content-Language` says which.',
  });

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Limits a route may take (see `createRateLimiters` in app.ts): per citizen for filings, per client IP otherwise. */
export type RateLimitName = 'filings' | 'verifications' | 'devTokens';

const MAX_BODY = '1mb';
/**
 * JSON bodies, parsed only on routes that take one, after the token and the rate limit were
 * checked; their depth bounded before anything else walks them.
 */
const jsonBody = [express.json({ limit: MAX_BODY, type: ['application/json', 'application/*+json'] }), boundBodyDepth];

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Set on authenticated routes. */
  caller: Caller;
  req: Request;
  res: Response;
}

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  /** Express-style path below /api/v1 (or absolute with `absolute: true`), e.g. `/dossiers/:dossierId`. */
  path: string;
  absolute?: boolean;
  summary: string;
  description?: string;
  tags: string[];
  /** Roles allowed, or `public` for routes without a token. */
  auth: readonly Role[] | 'public';
  body?: B;
  /**
   * A top-level field of `body` holding items the handler checks one by one (`checkInput`) and
   * answers for one by one: the route's own check of every string leaves it to the handler.
   */
  itemsCheckedApart?: string;
  /**
   * Named bodies a client can send as they are (published as the request's `examples`: Swagger UI
   * offers them, a fuzzer's examples phase posts them); each must pass `body`.
   */
  examples?: Record<string, { summary: string; value: z.input<B> }>;
  query?: Q;
  params?: P;
  /**
   * Error statuses (4xx/5xx) without a schema are published as problems. `content` lists the
   * representations a client chooses between with `Accept` (a schema each, a raw one for bytes such
   * as a PDF); otherwise one `schema` as `contentType` (JSON by default).
   */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string; content?: Record<string, NonNullable<ZodMediaTypeObject['schema']>> }>;
  /** A rate limit applied after authentication (429 with Retry-After). */
  rateLimit?: RateLimitName;
  /**
   * A public answer that is nobody's to keep (mail, personal data of dev mode): sent with
   * `Cache-Control: no-store`, as every authenticated answer is.
   */
  noStore?: boolean;
  /** False for routes that need neither the database nor Temporal (they never answer 503). */
  dependencies?: boolean;
  handler: (input: RouteInput<z.output<B>, z.output<Q>, z.output<P>>) => unknown;
}

const STANDARD_RESPONSES: Record<number, string> = {
  400: 'Invalid input: every bad field is named in `errors`',
  401: 'No or invalid bearer token (missing, expired, without `exp`, or living longer than 24 hours)',
  403: 'Authenticated, but not allowed',
  413: 'The request body is larger than 1 MiB',
  415: 'The body\'s Content-Encoding or charset is not supported',
  429: 'Too many requests: retry after the seconds in `Retry-After`',
  503: 'A dependency (the database, Temporal) is unavailable: retry after the seconds in `Retry-After`',
};
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const, minimum: 0 } } };

function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * An operation's id from its method and path, unique as they are: `post /api/v1/tasks/{taskId}/claim`
 * is `postTasksByTaskIdClaim` (generated clients name their functions after it).
 */
function operationIdOf(method: Method, openApiPath: string): string {
  const words = openApiPath
    .replace(API_BASE, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? `By${capitalized(segment.slice(1, -1))}` : segment.split(/[^A-Za-z0-9]+/).map(capitalized).join('')));
  return `${method}${words.join('')}`;
}

function problemResponse(description: string, status?: number): ResponseConfig {
  return {
    description,
    ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
    content: { 'application/problem+json': { schema: ProblemSchema } },
  };
}

/** Express path (`/dossiers/:dossierId`) to a matcher as Express matches it: any case, optional trailing slash. */
function pathMatcher(expressPath: string): RegExp {
  const pattern = expressPath
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}/?$`, 'i');
}

const noStore: RequestHandler = (_req, res, next) => {
  // Answers to an authenticated caller are theirs alone (personal data, documents): never cached.
  res.setHeader('Cache-Control', 'no-store');
  next();
};

export class ApiDefinition {
  readonly registry = new OpenAPIRegistry();
  private readonly endpoints: Array<{ matcher: RegExp; method: string }> = [];
  private readonly operationIds = new Set<string>();

  constructor(
    private readonly tokens: TokenService,
    private readonly limiters: Partial<Record<RateLimitName, RequestHandler>> = {},
  ) {
    this.registry.registerComponent('securitySchemes', 'bearer', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'A JWT with `sub`, `role`, `unit` (staff) and `exp` (required; at most 24 hours after `iat`, or after now without `iat`; 60 s of clock skew allowed).',
    });
  }

  route<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
    router: Router,
    spec: RouteSpec<B, Q, P>,
  ): void {
    for (const [name, example] of Object.entries(spec.examples ?? {})) {
      // A published example the route would refuse misleads every reader of the document: fail at start-up.
      if (!spec.body?.safeParse(example.value).success) throw new Error(`${spec.method.toUpperCase()} ${spec.path}: example "${name}" does not match its body schema`);
    }
    this.register(spec);
    this.knownEndpoint(spec.method, spec.absolute ? spec.path : `${API_BASE}${spec.path}`);
    const middleware: RequestHandler[] = [];
    if (spec.auth !== 'public') middleware.push(noStore, authenticate(this.tokens), allowRoles(...spec.auth));
    else if (spec.noStore) middleware.push(noStore);
    const limiter = spec.rateLimit && this.limiters[spec.rateLimit];
    if (limiter) middleware.push(limiter);
    if (spec.body) middleware.push(...jsonBody);
    router[spec.method](spec.path, ...middleware, async (req, res) => {
      const input = parseInput(spec, req);
      await spec.handler({ ...input, caller: req.caller as Caller, req, res });
    });
  }

  /** An endpoint served outside `route` (e.g. the document itself), so that its path answers 405 to other methods. */
  knownEndpoint(method: Method, fullPath: string): void {
    this.endpoints.push({ matcher: pathMatcher(fullPath), method: method.toUpperCase() });
  }

  /**
   * After every router: a known path asked with a method it does not serve answers 405 with `Allow`
   * (OPTIONS, when CORS did not answer it as a preflight: 204 with `Allow`); unknown paths go on to the 404.
   */
  methodNotAllowed(): RequestHandler {
    return (req, res, next) => {
      const methods = new Set(this.endpoints.filter((e) => e.matcher.test(req.path)).map((e) => e.method));
      if (methods.size === 0) return next();
      if (methods.has('GET')) methods.add('HEAD');
      methods.add('OPTIONS');
      const allow = [...methods].join(', ');
      res.setHeader('Allow', allow);
      if (req.method === 'OPTIONS') return void res.status(204).end();
      next(new HttpProblem(405, 'method-not-allowed', say.methodNotAllowed(req.method, req.path, allow)));
    };
  }

  /**
   * The OpenAPI document. Paths are absolute (`/api/v1/...`, `/healthz`), so the server is the
   * origin itself: a generated client joins the two into the real URL.
   */
  document(serverUrl = '/') {
    const document = new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'Administrative procedures engine',
        version: '1.0.0',
        description:
          'Public HTTP contract (v1) of the city administrative procedures engine. JSON in and out; errors are ' +
          'application/problem+json. Authenticate with `Authorization: Bearer <JWT>`. No string of a request (body, ' +
          'query, path; values and keys) may hold a control character (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, ' +
          'U+007F; tab and line breaks are text) or a lone surrogate (half of a UTF-16 pair, e.g. the JSON escape ' +
          '`\\ud800` alone): 400 naming the field; each string\'s `pattern` (or the `propertyNames` of free-form ' +
          `objects) says so. A body nests at most ${MAX_BODY_DEPTH} levels of objects and arrays (400). Methods a path ` +
          'does not take answer 405 with `Allow`.',
      },
      servers: [{ url: serverUrl }],
    });
    publishEmailPattern(document);
    publishTextPattern(document);
    return document;
  }

  private register(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): void {
    const responses: Record<string, ResponseConfig> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      if (r.content) {
        responses[status] = { description: r.description, content: Object.fromEntries(Object.entries(r.content).map(([type, schema]) => [type, { schema }])) };
        continue;
      }
      responses[status] = r.schema
        ? {
            description: r.description,
            ...(Number(status) === 503 ? { headers: RETRY_AFTER } : {}),
            content: { [r.contentType ?? 'application/json']: { schema: r.schema } },
          }
        : Number(status) >= 400
          ? problemResponse(r.description, Number(status))
          : { description: r.description };
    }
    // What any route of its kind can answer, whatever its handler does.
    const hasInput = Boolean(spec.body ?? spec.query ?? spec.params);
    const standard = [
      ...(hasInput ? [400] : []),
      ...(spec.auth === 'public' ? [] : [401, 403]),
      ...(spec.body ? [413, 415] : []),
      ...(spec.rateLimit ? [429] : []),
      ...(spec.dependencies === false ? [] : [503]),
    ];
    for (const status of standard) responses[status] ??= problemResponse(STANDARD_RESPONSES[status] ?? '', status);
    const path = spec.absolute ? toOpenApiPath(spec.path) : `${API_BASE}${toOpenApiPath(spec.path)}`.replace(`${API_BASE}${API_BASE}`, API_BASE);
    const operationId = operationIdOf(spec.method, path);
    if (this.operationIds.has(operationId)) throw new Error(`${spec.method.toUpperCase()} ${path}: operationId ${operationId} is another operation's`);
    this.operationIds.add(operationId);
    this.registry.registerPath({
      method: spec.method,
      path,
      operationId,
      summary: spec.summary,
      description: spec.description,
      tags: spec.tags,
      security: spec.auth === 'public' ? [] : [{ bearer: [] }],
      request: {
        ...(spec.body ? { body: { required: bodyRequired(spec.body), content: { 'application/json': { schema: spec.body, ...(spec.examples ? { examples: spec.examples } : {}) } } } } : {}),
        ...(spec.query instanceof z.ZodObject ? { query: spec.query } : {}),
        ...(spec.params instanceof z.ZodObject ? { params: spec.params } : {}),
      },
      responses,
    });
  }
}

function parseInput<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  spec: RouteSpec<B, Q, P>,
  req: Request,
): { body: z.output<B>; query: z.output<Q>; params: z.output<P> } {
  const errors: FieldError[] = [];
  const parse = <S extends z.ZodType>(schema: S | undefined, value: unknown, location: InputLocation) => {
    if (!schema) return undefined;
    const checked = checkInput(schema, value, location, location === 'body' ? spec.itemsCheckedApart : undefined);
    if (checked.ok) return checked.data;
    errors.push(...checked.errors);
    return undefined;
  };
  const body = parse(spec.body, req.body, 'body');
  const query = parse(spec.query, req.query, 'query');
  const params = parse(spec.params, req.params, 'params');
  if (errors.length > 0) throw problems.badRequest(say.invalidFields(errors.length), errors);
  return { body, query, params } as { body: z.output<B>; query: z.output<Q>; params: z.output<P> };
}

/** A body is required unless its schema takes none (a request without one: `undefined`). */
function bodyRequired(schema: z.ZodType): boolean {
  return !schema.safeParse(undefined).success;
}

type JsonObject = Record<string, unknown>;
const isObject = (node: unknown): node is JsonObject => Boolean(node) && typeof node === 'object' && !Array.isArray(node);
// Keys whose values are data or prose, not schemas: not walked.
const NOT_SCHEMAS = new Set(['example', 'examples', 'default', 'description', 'summary']);

/**
 * Every string of a request, keys included, is checked for control characters and lone surrogates
 * (`checkInput`): the document says so with TEXT_PATTERN on each string schema a request reaches
 * (its body, query and path, through their `$ref`s) that has no pattern, enumeration or constant of
 * its own, and as the `propertyNames` of each object that takes keys it does not name.
 */
function publishTextPattern(document: { paths?: JsonObject; components?: { schemas?: JsonObject } }): void {
  const seen = new Set<JsonObject>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node) || seen.has(node)) return;
    seen.add(node);
    if (typeof node.$ref === 'string') return visit(document.components?.schemas?.[node.$ref.replace('#/components/schemas/', '')]);
    markText(node);
    for (const [key, value] of Object.entries(node)) if (!NOT_SCHEMAS.has(key)) visit(value);
  };
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(isObject(operations) ? operations : {})) {
      if (isObject(operation)) visit([operation.requestBody, operation.parameters]);
    }
  }
}

function markText(schema: JsonObject): void {
  const types = [schema.type].flat();
  const bounded = schema.pattern !== undefined || schema.enum !== undefined || schema.const !== undefined;
  if (types.includes('string') && !bounded) schema.pattern = TEXT_PATTERN;
  const openKeys = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
  if (types.includes('object') && openKeys && schema.propertyNames === undefined) schema.propertyNames = { pattern: TEXT_PATTERN };
}

/**
 * zod's `z.email()` enforces its own pattern (ASCII only, no quoted local part), but the generator
 * publishes only `format: email`, which allows far more: the pattern goes with it, so that what the
 * document accepts is what the API accepts.
 */
function publishEmailPattern(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(publishEmailPattern);
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (record.format === 'email' && record.pattern === undefined) record.pattern = z.regexes.email.source;
  Object.values(record).forEach(publishEmailPattern);
}
