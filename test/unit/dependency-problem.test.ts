import { Metadata, status as grpcStatus } from '@grpc/grpc-js';
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type WorkflowExecutionStatusName,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { google, temporal } from '@temporalio/proto';
import { Prisma } from '../../prisma/client';
import { HttpProblem } from '../../api/problem';
import { dependencyProblem, UPDATE_DEADLINE_MS, viaUpdate, type UpdateTarget } from '../../api/temporal-errors';
import { FailureTypes } from '../../workflows/shared/messages';

const prismaError = (code: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: 'test', ...(meta ? { meta } : {}) });
const adapterKind = (kind: string) => ({ driverAdapterError: { name: 'DriverAdapterError', cause: { kind } } });
/** As @prisma/adapter-pg reports a server error it has no kind for (P2039, or P2010 for a raw statement). */
const sqlState = (code: string, severity = 'FATAL') => ({
  driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'postgres', code, originalCode: code, severity, message: 'm', originalMessage: 'm' } },
});
/** node-postgres' DatabaseError: the server's SQLSTATE and severity on the error itself. */
const pgError = (code: string, severity = 'FATAL') => Object.assign(new Error('from the server'), { code, severity });
const socketError = (code: string, syscall: string) => Object.assign(new Error(`${syscall} ${code}`), { code, syscall, errno: -1 });

function grpcError(code: grpcStatus, details: string, detailType?: string) {
  const metadata = new Metadata();
  if (detailType) {
    const value = temporal.api.errordetails.v1.WorkflowNotReadyFailure.encode({}).finish();
    const statusDetails = google.rpc.Status.encode({ code, message: details, details: [{ type_url: `type.googleapis.com/${detailType}`, value }] }).finish();
    metadata.set('grpc-status-details-bin', Buffer.from(statusDetails));
  }
  // As @grpc/grpc-js makes it (callErrorFromStatus).
  return Object.assign(new Error(`${code} ${grpcStatus[code]}: ${details}`), { code, details, metadata });
}
const wrapped = (cause: Error) => new ServiceError('Workflow Update failed', { cause });

const status = (error: unknown) => dependencyProblem(error)?.status;

describe('dependencyProblem: the database', () => {
  it('answers 503 to the codes Prisma gives a database it cannot reach or get a connection from', () => {
    for (const code of ['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']) expect([code, status(prismaError(code))]).toEqual([code, 503]);
    expect(status(new Prisma.PrismaClientInitializationError("Can't reach database server", 'test'))).toBe(503);
  });

  it('answers 503 to a raw statement that could not reach the database, as to any other', () => {
    for (const kind of ['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']) {
      expect([kind, status(prismaError('P2010', adapterKind(kind)))]).toEqual([kind, 503]);
    }
  });

  it('answers 503 to the SQLSTATEs of a server that stops taking work, through Prisma (P2039, P2010) and from node-postgres', () => {
    const unavailable = ['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004', '55000'];
    for (const code of unavailable) {
      expect([code, status(prismaError('P2039', sqlState(code))), status(prismaError('P2010', sqlState(code))), status(pgError(code))]).toEqual([code, 503, 503, 503]);
    }
  });

  it('answers 503 to a lost or refused connection: socket errors and node-postgres words, raw or wrapped by Prisma', () => {
    expect(status(prismaError('ENOENT'))).toBe(503); // `connect ENOENT /run/postgresql/.s.PGSQL.5432`
    expect(status(prismaError('ECONNREFUSED'))).toBe(503);
    expect(status(socketError('ECONNREFUSED', 'connect'))).toBe(503);
    expect(status(socketError('ENOENT', 'connect'))).toBe(503);
    expect(status(socketError('ECONNRESET', 'read'))).toBe(503);
    expect(status(new Error('Client has encountered a connection error and is not queryable'))).toBe(503);
    expect(status(new Error('Connection terminated unexpectedly'))).toBe(503);
    expect(status(new Prisma.PrismaClientUnknownRequestError('\nInvalid `prisma.dossier.findMany()` invocation:\n\nConnection terminated unexpectedly', { clientVersion: 'test' }))).toBe(503);
  });

  it('leaves what the database refused for a reason of ours alone', () => {
    expect(dependencyProblem(prismaError('P2010', adapterKind('UniqueConstraintViolation')))).toBeUndefined();
    expect(dependencyProblem(prismaError('P2010'))).toBeUndefined();
    expect(dependencyProblem(prismaError('P2002'))).toBeUndefined();
    // 55000 of a statement (not a session the server ends) is a bug, not an outage.
    expect(dependencyProblem(prismaError('P2039', sqlState('55000', 'ERROR')))).toBeUndefined();
    expect(dependencyProblem(pgError('55000', 'ERROR'))).toBeUndefined();
    expect(dependencyProblem(prismaError('P2039', sqlState('42P01', 'ERROR')))).toBeUndefined();
    expect(dependencyProblem(socketError('ENOENT', 'open'))).toBeUndefined(); // a file, not a socket
    expect(dependencyProblem(new Error('boom'))).toBeUndefined();
  });
});

describe('dependencyProblem: Temporal', () => {
  it('answers 503 to a server that is away, overloaded, restarting or too slow, as the SDK gives up on it', () => {
    for (const code of [grpcStatus.UNAVAILABLE, grpcStatus.RESOURCE_EXHAUSTED, grpcStatus.DEADLINE_EXCEEDED, grpcStatus.CANCELLED, grpcStatus.ABORTED]) {
      expect([code, status(wrapped(grpcError(code, 'away'))), status(grpcError(code, 'away'))]).toEqual([code, 503, 503]);
    }
    expect(status(wrapped(grpcError(grpcStatus.INTERNAL, 'Received RST_STREAM with code 2 triggered by internal client error')))).toBe(503);
    expect(status(new WorkflowUpdateRPCTimeoutOrCancelledError('Deadline exceeded'))).toBe(503);
  });

  it('answers 503 with a longer Retry-After to an Update refused because the workflow task keeps failing', () => {
    const refused = wrapped(
      grpcError(grpcStatus.FAILED_PRECONDITION, 'Unable to perform workflow execution update due to Workflow Task in failed state.', 'temporal.api.errordetails.v1.WorkflowNotReadyFailure'),
    );
    expect(dependencyProblem(refused)).toMatchObject({ status: 503, retryAfter: 30 });
  });

  it('leaves other refusals alone', () => {
    expect(dependencyProblem(wrapped(grpcError(grpcStatus.FAILED_PRECONDITION, 'something else')))).toBeUndefined();
    expect(dependencyProblem(wrapped(grpcError(grpcStatus.INVALID_ARGUMENT, 'bad')))).toBeUndefined();
    expect(dependencyProblem(wrapped(grpcError(grpcStatus.INTERNAL, 'a bug')))).toBeUndefined();
  });
});

describe('viaUpdate', () => {
  const failed = (type: string) => new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message: `${type} happened` }));
  const target = (name: WorkflowExecutionStatusName): UpdateTarget => ({ client: { withDeadline: (_deadline, fn) => fn() }, describe: async () => ({ status: { name } }) });
  const answer = async (error: unknown, to: UpdateTarget = target('RUNNING')) => {
    const thrown = await viaUpdate(() => Promise.reject(error), to).catch((e: unknown) => e);
    return thrown instanceof HttpProblem ? thrown.status : dependencyProblem(thrown)?.status;
  };

  it("turns the workflow's refusals into 409 and 422", async () => {
    expect(await answer(failed(FailureTypes.taskNotOpen))).toBe(409);
    expect(await answer(failed(FailureTypes.invalidOutcome))).toBe(422);
    expect(await answer(new WorkflowNotFoundError('workflow execution already completed', 'X', undefined))).toBe(409);
  });

  it('answers 503 to an Update whose run was reset under it, and 409 when the dossier closed', async () => {
    expect(await answer(failed('AcceptedUpdateCompletedWorkflow'), target('RUNNING'))).toBe(503);
    expect(await answer(failed('AcceptedUpdateCompletedWorkflow'), target('TERMINATED'))).toBe(409);
    const aborted = new WorkflowNotFoundError('workflow update was aborted by closing workflow', 'X', undefined);
    expect(await answer(aborted, target('RUNNING'))).toBe(503);
    expect(await answer(aborted, target('COMPLETED'))).toBe(409);
    expect(await answer(failed('UnprocessedUpdate'))).toBe(503);
  });

  it('gives the Update RPCs a deadline through the handle', async () => {
    const deadlines: number[] = [];
    const to: UpdateTarget = { client: { withDeadline: (deadline, fn) => (deadlines.push(Number(deadline)), fn()) }, describe: async () => ({ status: { name: 'RUNNING' } }) };
    expect(await viaUpdate(async () => 'done', to)).toBe('done');
    expect(deadlines[0]).toBeGreaterThan(Date.now() + UPDATE_DEADLINE_MS - 1_000);
  });
});
