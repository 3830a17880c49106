import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ZodError, type core } from 'zod';
import type { Logger } from '../common/logger';
import type { Language, Bilingual } from '../common/bilingual';
import { fitText } from '../common/schemas';
import { issueMessage } from './issue-messages';
import { render, requestLanguage, type Message } from './language';
import { say } from './messages';

/**
 * Errors as RFC 9457 problem details (`application/problem+json`). Handlers throw `HttpProblem`;
 * the error handler below turns that, validation errors and body-parser errors into a response, and
 * anything else into a 500 that is logged and says nothing of the internals.
 *
 * What a problem says to people (`title`, `detail`, each `errors[].message`) is held in both
 * languages and written in the request's (`Accept-Language`: English on request, else Vietnamese),
 * with `Content-Language` and `Vary: Accept-Language`. `type` and the field paths are for machines.
 */
export interface FieldError {
  path: string;
  message: Message;
}

/** A FieldError as the answer carries it: in one language. */
export interface RenderedFieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: RenderedFieldError[];
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  readonly detail: Message;

  constructor(
    readonly status: number,
    readonly slug: string,
    detail: Message,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
    /** Seconds, sent as `Retry-After` (429, 503). */
    readonly retryAfter?: number,
  ) {
    // The English words are the Error's message: what logs say.
    super(render(detail, 'en'));
    this.name = 'HttpProblem';
    this.detail = detail;
  }

  /** What the detail says in `language`. */
  detailIn(language: Language): string {
    return render(this.detail, language);
  }

  toBody(language: Language = 'en'): ProblemBody {
    const { errors, ...extra } = this.extra;
    return {
      type: `/api/v1/problems/${this.slug}`,
      title: render(say.title(this.status), language),
      status: this.status,
      detail: this.detailIn(language),
      ...extra,
      ...(errors ? { errors: renderErrors(errors, language) } : {}),
    };
  }
}

export function renderErrors(errors: readonly FieldError[], language: Language): RenderedFieldError[] {
  return errors.map((e) => ({ path: e.path, message: render(e.message, language) }));
}

export const problems = {
  badRequest: (detail: Message, errors?: FieldError[]) => new HttpProblem(400, 'invalid-request', detail, errors ? { errors } : {}),
  unauthorized: (detail: Message = say.tokenRequired, options?: { cause?: unknown }) =>
    Object.assign(new HttpProblem(401, 'unauthorized', detail), options?.cause ? { cause: options.cause } : {}),
  forbidden: (detail: Message) => new HttpProblem(403, 'forbidden', detail),
  notFound: (detail: Message = say.noSuchResource) => new HttpProblem(404, 'not-found', detail),
  conflict: (detail: Message) => new HttpProblem(409, 'conflict', detail),
  unprocessable: (detail: Message) => new HttpProblem(422, 'rule-violation', detail),
  unavailable: (detail: Message, retryAfter = 5) => new HttpProblem(503, 'dependency-unavailable', detail, {}, retryAfter),
};

/** The problem as the answer, in the request's language (`Accept-Language`). */
export function sendProblem(req: Request, res: Response, problem: HttpProblem): void {
  const language = requestLanguage(req);
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (problem.retryAfter !== undefined) res.setHeader('Retry-After', String(problem.retryAfter));
  res.setHeader('Content-Language', language);
  res.vary('Accept-Language');
  res.status(problem.status).type('application/problem+json').json(problem.toBody(language));
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

/** One FieldError per bad field of a zod error, its message in both languages. */
export function fieldErrors(issues: core.$ZodIssue[], location: 'body' | 'query' | 'params'): FieldError[] {
  const toPath = (segments: PropertyKey[]) => fieldPath(segments, location);
  return issues.flatMap((issue) =>
    // zod reports unknown keys on their parent object: name each key itself.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: toPath([...issue.path, key]), message: say.unknownField }))
      : [{ path: toPath(issue.path), message: issueMessage(issue) }],
  );
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(req, res, problems.notFound(say.noRoute(req.method, req.path)));
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  code?: string;
  limit?: number;
}

/** The body parser's own words (English) where they are worth keeping, with the Vietnamese that says what happened. */
const parserWords = (vi: string, en: string): Bilingual => ({ vi, en });

function fromBodyParser(error: BodyParserError): HttpProblem | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new HttpProblem(413, 'body-too-large', say.bodyTooLarge(error.limit));
    case 'entity.parse.failed':
      return new HttpProblem(400, 'malformed-json', say.malformedJson, { errors: [{ path: '(body)', message: say.malformedJsonField }] });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'unsupported-encoding', parserWords(say.unsupportedEncoding.vi, error.message));
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new HttpProblem(400, 'invalid-request', parserWords(say.unreadableBody.vi, error.message));
  }
  // The body does not decode as its Content-Encoding says (zlib and brotli errors carry 400).
  const status = error.status ?? error.statusCode;
  if (status === 400 && /^(Z_|ERR__)/.test(error.code ?? '')) {
    return new HttpProblem(400, 'undecodable-body', say.undecodableBody(error.message), { errors: [{ path: '(body)', message: say.undecodableBodyField }] });
  }
  // Any other client error raised while reading the request keeps its status (http-errors style).
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const title = say.title(status);
    return new HttpProblem(status, 'invalid-request', error.expose ? parserWords(title.vi, error.message) : title);
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
          ? problems.badRequest(say.requestInvalid, fieldErrors(error.issues, 'body'))
          : (translate(error) ?? (error instanceof Error ? fromBodyParser(error as BodyParserError) : undefined));
    if (problem) {
      if (problem.status >= 500) logger.warn({ err: error, method: req.method, route: req.route?.path }, problem.message);
      if (res.headersSent) return;
      sendProblem(req, res, problem);
      return;
    }
    logger.error({ err: error, method: req.method, route: req.route?.path }, 'unhandled error');
    if (res.headersSent) return;
    sendProblem(req, res, new HttpProblem(500, 'internal', say.internal));
  };
}
