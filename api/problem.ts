import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError, type core } from 'zod';
import type { Logger } from '../common/logger';

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
};

export function sendProblem(res: Response, problem: HttpProblem): void {
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(problem.status).type('application/problem+json').json(problem.toBody());
}

/** `body.data.kind` style paths; the location prefix is dropped for the body, the common case. */
export function fieldErrors(issues: core.$ZodIssue[], location: 'body' | 'query' | 'params'): FieldError[] {
  const toPath = (segments: PropertyKey[]) => {
    const field = segments.map(String).join('.');
    return location === 'body' ? field || '(body)' : [location, field].filter(Boolean).join('.');
  };
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
    default:
      return undefined;
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem =
      error instanceof HttpProblem
        ? error
        : error instanceof ZodError
          ? problems.badRequest('The request is invalid', fieldErrors(error.issues, 'body'))
          : error instanceof Error
            ? fromBodyParser(error as BodyParserError)
            : undefined;
    if (problem) {
      sendProblem(res, problem);
      return;
    }
    logger.error({ err: error, method: req.method, route: req.route?.path }, 'unhandled error');
    if (res.headersSent) return;
    sendProblem(res, new HttpProblem(500, 'internal', 'The server could not complete the request; it has been logged.'));
  };
}
