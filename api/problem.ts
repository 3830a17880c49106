import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError, type core } from 'zod';
import type { Logger } from '../common/logger';
import { fitText } from '../common/schemas';

/**
 * Errors as RFC 9457 problem details (`application/problem+json`). Handlers throw `HttpProblem`;
 * the error handler below turns that, validation errors and body-parser errors into a response, and
 * anything else into a 500 that is logged and says nothing of the internals.
 */
export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    detail: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
    /** Seconds, sent as `Retry-After` (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }

  toBody(): ProblemBody {
    return {
      type: `/api/v1/problems/${this.slug}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      ...this.extra,
    };
  }
}

export const problems = {
  badRequest: (detail: string, errors?: FieldError[]) => new HttpProblem(400, 'invalid-request', detail, { errors }),
  unauthorized: (detail = 'A valid bearer token is required', options?: { cause?: unknown }) =>
    Object.assign(new HttpProblem(401, 'unauthorized', detail), options?.cause ? { cause: options.cause } : {}),
  forbidden: (detail: string) => new HttpProblem(403, 'forbidden', detail),
  notFound: (detail = 'No such resource') => new HttpProblem(404, 'not-found', detail),
  conflict: (detail: string) => new HttpProblem(409, 'conflict', detail),
  unprocessable: (detail: string) => new HttpProblem(422, 'rule-violation', detail),
  unavailable: (detail: string, retryAfter = 5) => new HttpProblem(503, 'dependency-unavailable', detail, {}, retryAfter),
};

export function sendProblem(res: Response, problem: HttpProblem): void {
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (problem.retryAfter !== undefined) res.setHeader('Retry-After', String(problem.retryAfter));
  res.status(problem.status).type('application/problem+json').json(problem.toBody());
}

/**
 * `data.kind` style paths; the location prefix is dropped for the body, the common case. A key
 * holding what no text may (a control character, a lone surrogate) shows U+FFFD there instead, so
 * that the answer, and a copy of it kept for an Idempotency-Key, is text.
 */
export function fieldPath(segments: readonly PropertyKey[], location: 'body' | 'query' | 'params'): string {
  const field = segments.map((segment) => fitText(String(segment))).join('.');
  return location === 'body' ? field || '(body)' : [location, field].filter(Boolean).join('.');
}

/** One FieldError per bad field of a zod error. */
export function fieldErrors(issues: core.$ZodIssue[], location: 'body' | 'query' | 'params'): FieldError[] {
  const toPath = (segments: PropertyKey[]) => fieldPath(segments, location);
  return issues.flatMap((issue) =>
    // zod reports unknown keys on their parent object: name each key itself.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: toPath([...issue.path, key]), message: 'unknown field' }))
      : [{ path: toPath(issue.path), message: issue.message }],
  );
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, problems.notFound(`No route for ${req.method} ${req.path}`));
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  code?: string;
  limit?: number;
}

function fromBodyParser(error: BodyParserError): HttpProblem | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new HttpProblem(413, 'body-too-large', `The request body is larger than ${error.limit ?? 'the limit of'} bytes`);
    case 'entity.parse.failed':
      return new HttpProblem(400, 'malformed-json', 'The request body is not valid JSON', {
        errors: [{ path: '(body)', message: 'malformed JSON' }],
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'unsupported-encoding', error.message);
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new HttpProblem(400, 'invalid-request', error.message);
  }
  // The body does not decode as its Content-Encoding says (zlib and brotli errors carry 400).
  const status = error.status ?? error.statusCode;
  if (status === 400 && /^(Z_|ERR__)/.test(error.code ?? '')) {
    return new HttpProblem(400, 'undecodable-body', `The request body could not be decoded as its Content-Encoding says: ${error.message}`, {
      errors: [{ path: '(body)', message: 'does not match its Content-Encoding' }],
    });
  }
  // Any other client error raised while reading the request keeps its status (http-errors style).
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpProblem(status, 'invalid-request', error.expose ? error.message : (TITLES[status] ?? 'The request was refused'));
  }
  return undefined;
}

/**
 * `translate` turns errors of the dependencies (database, Temporal) that say they are unavailable
 * into a problem (503), before anything unknown becomes a logged 500.
 */
export function errorHandler(logger: Logger, translate: (error: unknown) => HttpProblem | undefined = () => undefined): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem =
      error instanceof HttpProblem
        ? error
        : error instanceof ZodError
          ? problems.badRequest('The request is invalid', fieldErrors(error.issues, 'body'))
          : (translate(error) ?? (error instanceof Error ? fromBodyParser(error as BodyParserError) : undefined));
    if (problem) {
      if (problem.status >= 500) logger.warn({ err: error, method: req.method, route: req.route?.path }, problem.message);
      if (res.headersSent) return;
      sendProblem(res, problem);
      return;
    }
    logger.error({ err: error, method: req.method, route: req.route?.path }, 'unhandled error');
    if (res.headersSent) return;
    sendProblem(res, new HttpProblem(500, 'internal', 'The server could not complete the request; it has been logged.'));
  };
}
