import {
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Prisma } from '../prisma/client';
import { z } from './zod';
import { FailureTypes } from '../workflows/shared/messages';
import { HttpProblem, problems } from './problem';

const CONFLICTS: readonly string[] = [
  FailureTypes.dossierClosed,
  FailureTypes.dossierDecided,
  FailureTypes.decisionInProgress,
  FailureTypes.taskNotOpen,
  FailureTypes.notAwaiting,
];
const RULE_VIOLATIONS: readonly string[] = [FailureTypes.invalidOutcome, FailureTypes.invalidTaskData, FailureTypes.invalidAnswer];

/**
 * Runs a workflow Update and turns the workflow's refusal into the HTTP answer: a conflict with the
 * dossier's state is 409, a breach of the procedure's rules 422. A workflow that has already
 * completed cannot take the message either: 409.
 */
export async function viaUpdate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProblem(error);
  }
}

function toProblem(error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const type = error.cause.type ?? '';
    if (CONFLICTS.includes(type)) return withCause(problems.conflict(error.cause.message), error);
    if (RULE_VIOLATIONS.includes(type)) return withCause(problems.unprocessable(error.cause.message), error);
  }
  if (error instanceof WorkflowNotFoundError) return withCause(problems.conflict('The dossier is already closed'), error);
  return error;
}

function withCause(problem: HttpProblem, cause: unknown): HttpProblem {
  return Object.assign(problem, { cause });
}

// gRPC status codes of a Temporal frontend that is down, overloaded or too slow to answer.
const GRPC_UNAVAILABLE = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);
// Prisma's codes for a database it cannot reach, log in to, or get a connection from in time.
const DATABASE_UNAVAILABLE = new Set(['P1000', 'P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

// A raw statement ($queryRaw, $executeRaw) that fails is P2010 whatever the reason; the driver
// adapter's kind says whether the database could not be reached (the kinds of the codes above).
const UNREACHABLE_KINDS = new Set(['AuthenticationFailed', 'DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed']);
const DriverAdapterFailure = z.object({ driverAdapterError: z.object({ cause: z.object({ kind: z.string() }) }) });

function rawQueryUnreachable(error: Prisma.PrismaClientKnownRequestError): boolean {
  if (error.code !== 'P2010') return false;
  const failure = DriverAdapterFailure.safeParse(error.meta);
  return failure.success && UNREACHABLE_KINDS.has(failure.data.driverAdapterError.cause.kind);
}

/**
 * A dependency that says it is unavailable (not a bug of ours, not the client's fault): 503 with
 * Retry-After, for the error handler. Anything else is left alone.
 */
export function dependencyProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof Prisma.PrismaClientInitializationError) return problems.unavailable('The database is unavailable; try again shortly');
  if (error instanceof Prisma.PrismaClientKnownRequestError && (DATABASE_UNAVAILABLE.has(error.code) || rawQueryUnreachable(error))) {
    return problems.unavailable('The database is unavailable; try again shortly');
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return problems.unavailable('Temporal did not answer in time; try again shortly');
  const grpc = error instanceof ServiceError ? error.cause : error;
  if (isGrpcServiceError(grpc) && GRPC_UNAVAILABLE.has(grpc.code)) return problems.unavailable('Temporal is unavailable; try again shortly');
  return undefined;
}
