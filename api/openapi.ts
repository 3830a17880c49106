import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
} from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from './zod';
import { allowRoles, authenticate, type Caller, type Role, type TokenService } from './auth';
import { fieldErrors, problems, type FieldError } from './problem';

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
  .openapi('Problem', { description: 'RFC 9457 problem details; `errors` names every bad field of a 400.' });

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

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
  query?: Q;
  params?: P;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  handler: (input: RouteInput<z.output<B>, z.output<Q>, z.output<P>>) => unknown;
}

const STANDARD_RESPONSES: Record<number, string> = {
  400: 'Invalid input: every bad field is named in `errors`',
  401: 'No or invalid bearer token',
  403: 'Authenticated, but not allowed',
};

function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function problemResponse(description: string): ResponseConfig {
  return { description, content: { 'application/problem+json': { schema: ProblemSchema } } };
}

export class ApiDefinition {
  readonly registry = new OpenAPIRegistry();

  constructor(private readonly tokens: TokenService) {
    this.registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  }

  route<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
    router: Router,
    spec: RouteSpec<B, Q, P>,
  ): void {
    this.register(spec);
    const middleware: RequestHandler[] = [];
    if (spec.auth !== 'public') middleware.push(authenticate(this.tokens), allowRoles(...spec.auth));
    router[spec.method](spec.path, ...middleware, async (req, res) => {
      const input = parseInput(spec, req);
      await spec.handler({ ...input, caller: req.caller as Caller, req, res });
    });
  }

  document(serverUrl = API_BASE) {
    return new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'Administrative procedures engine',
        version: '1.0.0',
        description:
          'Public HTTP contract (v1) of the city administrative procedures engine. JSON in and out; errors are ' +
          'application/problem+json. Authenticate with `Authorization: Bearer <JWT>`.',
      },
      servers: [{ url: serverUrl }],
    });
  }

  private register(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): void {
    const responses: Record<string, ResponseConfig> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema } } }
        : { description: r.description };
    }
    const hasInput = Boolean(spec.body ?? spec.query ?? spec.params);
    const standard = [...(hasInput ? [400] : []), ...(spec.auth === 'public' ? [] : [401, 403])];
    for (const status of standard) responses[status] ??= problemResponse(STANDARD_RESPONSES[status] ?? '');
    this.registry.registerPath({
      method: spec.method,
      path: spec.absolute ? toOpenApiPath(spec.path) : `${API_BASE}${toOpenApiPath(spec.path)}`.replace(`${API_BASE}${API_BASE}`, API_BASE),
      summary: spec.summary,
      description: spec.description,
      tags: spec.tags,
      security: spec.auth === 'public' ? [] : [{ bearer: [] }],
      request: {
        ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
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
  const parse = <S extends z.ZodType>(schema: S | undefined, value: unknown, location: 'body' | 'query' | 'params') => {
    if (!schema) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    errors.push(...fieldErrors(result.error.issues, location));
    return undefined;
  };
  const body = parse(spec.body, req.body, 'body');
  const query = parse(spec.query, req.query, 'query');
  const params = parse(spec.params, req.params, 'params');
  if (errors.length > 0) throw problems.badRequest(`The request has ${errors.length} invalid field(s)`, errors);
  return { body, query, params } as { body: z.output<B>; query: z.output<Q>; params: z.output<P> };
}
