import { Prisma } from '../../prisma/client';
import { dependencyProblem } from '../../api/temporal-errors';

const prismaError = (code: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: 'test', ...(meta ? { meta } : {}) });
const adapterKind = (kind: string) => ({ driverAdapterError: { name: 'DriverAdapterError', cause: { kind } } });

describe('dependencyProblem', () => {
  it('answers 503 to a raw statement that could not reach the database, as to any other', () => {
    expect(dependencyProblem(prismaError('P1001'))).toMatchObject({ status: 503 });
    expect(dependencyProblem(prismaError('P2010', adapterKind('DatabaseNotReachable')))).toMatchObject({ status: 503 });
    expect(dependencyProblem(prismaError('P2010', adapterKind('ConnectionClosed')))).toMatchObject({ status: 503 });
  });

  it('leaves a raw statement that the database refused alone', () => {
    expect(dependencyProblem(prismaError('P2010', adapterKind('UniqueConstraintViolation')))).toBeUndefined();
    expect(dependencyProblem(prismaError('P2010'))).toBeUndefined();
  });
});
