import {
  isGrpcServiceError,
  isRetryableError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type WorkflowClient,
  type WorkflowExecutionStatusName,
} from '@temporalio/client';
import { getGrpcStatusDetails, trimGrpcTypeUrl } from '@temporalio/client/lib/helpers';
import { ApplicationFailure } from '@temporalio/common';
import { Prisma } from '../prisma/client';
import { z } from './zod';
import { FailureTypes } from '../workflows/shared/messages';
import { say } from './messages';
import { HttpProblem, problems } from './problem';
import type { StatusLabels } from './status-words';
import { refusalMessage } from './workflow-refusals';

const CONFLICTS: readonly string[] = [
  FailureTypes.dossierClosed,
  FailureTypes.dossierDecided,
  FailureTypes.decisionInProgress,
  FailureTypes.taskNotOpen,
  FailureTypes.notAwaiting,
];
const RULE_VIOLATIONS: readonly string[] = [FailureTypes.invalidOutcome, FailureTypes.invalidTaskData, FailureTypes.invalidAnswer];

/**
 * How long an Update may take before the API answers 503. Without a deadline the SDK re-sends the
 * Update for as long as the server keeps it admitted: forever when no worker polls, 20 s before the
 * server gives up on a workflow whose task fails.
 */
export const UPDATE_DEADLINE_MS = 10_000;
const DESCRIBE_DEADLINE_MS = 2_000;

// Failures the server itself gives an Update (temporal service/history/workflow/update).
/** Accepted, then its run closed: the dossier closed, or the run was reset or continued as new. */
const CLOSED_UNDER_UPDATE = 'AcceptedUpdateCompletedWorkflow';
/** The worker finished its task without taking the Update (a worker that does not know it). */
const UNPROCESSED = 'UnprocessedUpdate';
/** NotFound for an Update admitted to a run that then closed (also a run being reset). */
const ABORTED_BY_CLOSING = /aborted by closing workflow/i;

/**
 * The workflow the Update goes to (its handle will do): given, the Update's RPCs get a real
 * deadline, and a run that closed under the Update is told from one that was restarted.
 */
export interface UpdateTarget {
  client: Pick<WorkflowClient, 'withDeadline'>;
  describe(): Promise<{ status: { name: WorkflowExecutionStatusName } }>;
}

/**
 * Runs a workflow Update and turns the workflow's refusal into the HTTP answer: a conflict with the
 * dossier's state is 409, a breach of the procedure's rules 422. A workflow that has already
 * completed cannot take the message either: 409. One that cannot take it now (its run restarted,
 * its workflow task failing, no answer within UPDATE_DEADLINE_MS) is 503 with Retry-After.
 */
export async function viaUpdate<T>(call: () => Promise<T>, target: UpdateTarget, procedure?: StatusLabels): Promise<T> {
  try {
    return await target.client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, call);
  } catch (error) {
    throw await toProblem(error, target, procedure);
  }
}

/** `procedure`: the dossier's, whose labels name a status a refusal mentions. */
async function toProblem(error: unknown, target: UpdateTarget | undefined, procedure?: StatusLabels): Promise<unknown> {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const type = error.cause.type ?? '';
    // The workflow says why in English: the answer says it in the request's language.
    if (CONFLICTS.includes(type)) return withCause(problems.conflict(refusalMessage(type, error.cause.message, procedure)), error);
    if (RULE_VIOLATIONS.includes(type)) return withCause(problems.unprocessable(refusalMessage(type, error.cause.message, procedure)), error);
    if (type === UNPROCESSED) return withCause(problems.unavailable(say.engineDidNotTake), error);
    if (type === CLOSED_UNDER_UPDATE) return withCause(await closedOrRestarted(target), error);
  }
  if (error instanceof WorkflowNotFoundError) {
    const problem = ABORTED_BY_CLOSING.test(error.message) ? await closedOrRestarted(target) : problems.conflict(say.dossierAlreadyClosed);
    return withCause(problem, error);
  }
  return error;
}

/**
 * The run that had the Update closed under it. A dossier that closed: 409. A run reset or continued
 * as new: 503, since the same Update retried reaches the new run. Without the handle it cannot be
 * told: 503, and a retry on a dossier that closed answers 409 from its row.
 */
async function closedOrRestarted(target: UpdateTarget | undefined): Promise<HttpProblem> {
  const running = target ? await isRunning(target) : true;
  return running
    ? problems.unavailable(say.workflowRestarted)
    : problems.conflict(say.closedBeforeCarriedOut);
}

async function isRunning(target: UpdateTarget): Promise<boolean> {
  try {
    const description = await target.client.withDeadline(Date.now() + DESCRIBE_DEADLINE_MS, () => target.describe());
    return description.status.name === 'RUNNING';
  } catch {
    return true;
  }
}

function withCause(problem: HttpProblem, cause: unknown): HttpProblem {
  return Object.assign(problem, { cause });
}

// ---------------------------------------------------------------------------------------------
// Dependencies that say they are unavailable

const GRPC = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, FAILED_PRECONDITION: 9 } as const;
const WORKFLOW_NOT_READY = 'temporal.api.errordetails.v1.WorkflowNotReadyFailure';

/**
 * Temporal down, overloaded, restarting or too slow: what the SDK retries itself (UNAVAILABLE,
 * RESOURCE_EXHAUSTED, a reset HTTP/2 stream...) and still failed, a deadline that passed, a call
 * cut off by the server going away (CANCELLED).
 */
function temporalUnavailable(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const grpc = error instanceof ServiceError ? error.cause : error;
  return isGrpcServiceError(grpc) && (isRetryableError(grpc) || grpc.code === GRPC.DEADLINE_EXCEEDED || grpc.code === GRPC.CANCELLED);
}

/**
 * "Workflow Task in failed state": the server refuses Updates (and queries) to a workflow whose
 * task keeps failing, e.g. code that no longer replays its history. Nothing the caller did; it
 * lasts until the engine is fixed, and supervision lists the dossier as stuck meanwhile.
 */
function workflowNotReady(error: unknown): boolean {
  const grpc = error instanceof ServiceError ? error.cause : error;
  if (!isGrpcServiceError(grpc) || grpc.code !== GRPC.FAILED_PRECONDITION) return false;
  return (getGrpcStatusDetails(grpc) ?? []).some((detail) => trimGrpcTypeUrl(detail.type_url) === WORKFLOW_NOT_READY);
}

// Prisma's codes for a database it cannot reach, log in to, or get a connection from in time, or
// one with no connection left for us (P2037).
const DATABASE_UNAVAILABLE = new Set(['P1000', 'P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
// The driver adapter's kinds for the same, whatever code Prisma gave (a raw statement is P2010).
const UNREACHABLE_KINDS = new Set(['AuthenticationFailed', 'DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections']);
// Node's socket errors: a Prisma error carries the driver's code when the adapter had no kind for it
// (`connect ENOENT` on a Unix socket that is gone).
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres' own words for a connection that was lost or never made (they carry no code).
const CONNECTION_LOST =
  /Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Query read timeout/;

/**
 * SQLSTATEs of a server that is not taking work now: connection exceptions (class 08), shutting
 * down or terminating sessions (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now), too many connections (53300), and 55000 when it ends the session (FATAL:
 * "database is not currently accepting connections"); 55000 of a statement is a bug of ours.
 */
function sqlStateUnavailable(code: string, severity: string | undefined): boolean {
  if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  return code === '55000' && severity === 'FATAL';
}

const AdapterCause = z.object({ kind: z.string(), code: z.string().optional(), originalCode: z.string().optional(), severity: z.string().optional() });
const DriverAdapterFailure = z.object({ driverAdapterError: z.object({ cause: AdapterCause }) });

function adapterUnavailable(meta: unknown): boolean {
  const failure = DriverAdapterFailure.safeParse(meta);
  if (!failure.success) return false;
  const cause = failure.data.driverAdapterError.cause;
  if (UNREACHABLE_KINDS.has(cause.kind)) return true;
  const code = cause.originalCode ?? cause.code;
  return code !== undefined && sqlStateUnavailable(code, cause.severity);
}

const PgError = z.object({ code: z.string(), severity: z.string().optional() });
const SocketError = z.object({ code: z.string(), syscall: z.enum(['connect', 'read', 'write']) });

/** An error of node-postgres itself: a lost connection, a refused socket, or the server's SQLSTATE. */
function driverUnavailable(error: Error): boolean {
  if (CONNECTION_LOST.test(error.message)) return true;
  const socket = SocketError.safeParse(error);
  if (socket.success) return SOCKET_CODES.has(socket.data.code);
  const pg = PgError.safeParse(error);
  return pg.success && pg.data.severity !== undefined && sqlStateUnavailable(pg.data.code, pg.data.severity);
}

function databaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    return DATABASE_UNAVAILABLE.has(error.code) || SOCKET_CODES.has(error.code) || adapterUnavailable(error.meta);
  }
  if (error instanceof Prisma.PrismaClientUnknownRequestError) return CONNECTION_LOST.test(error.message);
  return error instanceof Error && driverUnavailable(error);
}

/**
 * A dependency that says it is unavailable (not a bug of ours, not the client's fault): 503 with
 * Retry-After, for the error handler. Anything else is left alone.
 */
export function dependencyProblem(error: unknown): HttpProblem | undefined {
  if (databaseUnavailable(error)) return problems.unavailable(say.databaseUnavailable);
  if (workflowNotReady(error)) return problems.unavailable(say.workflowWedged, 30);
  if (temporalUnavailable(error)) return problems.unavailable(say.temporalUnavailable);
  return undefined;
}
