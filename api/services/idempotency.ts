import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient } from '../../prisma/client';
import { say } from '../messages';
import { problems } from '../problem';

/**
 * `Idempotency-Key` on POSTs that create something: the first request reserves the resource id, a
 * repeat with the same key and body gets the first answer (or, if the first died half-way, finishes
 * creating the same resource), and a repeat with another body is refused.
 */
export interface Created {
  status: number;
  body: Record<string, unknown>;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What reserves a key: the first request's route, body hash and the id of what it creates. */
export interface Reservation {
  callerSub: string;
  key: string;
  route: string;
  requestHash: string;
  resourceId: string;
}

export async function createOnce(
  prisma: PrismaClient,
  request: { key: string | undefined; callerSub: string; route: string; body: unknown },
  newId: () => string,
  create: (resourceId: string, attempt: { freshId: boolean }) => Promise<Created>,
  /**
   * Writes the reservation (with, say, the resource's first row in the same statement): true when
   * it did, false when the key was taken. By default the reservation alone.
   */
  reserve: (reservation: Reservation) => Promise<boolean> = (reservation) => reserveKey(prisma, reservation),
): Promise<Created> {
  if (request.key === undefined) return create(newId(), { freshId: true });
  if (!KEY_PATTERN.test(request.key)) {
    throw problems.badRequest(say.idempotencyKeyInvalid, [{ path: 'header.Idempotency-Key', message: say.idempotencyKeyField }]);
  }
  const requestHash = createHash('sha256').update(stable(request.body)).digest('hex');
  const id = { callerSub_key: { callerSub: request.callerSub, key: request.key } };
  // Most keys are new: reserve first (one statement), and read the first request's record only when
  // the key is taken.
  const reservation: Reservation = { callerSub: request.callerSub, key: request.key, route: request.route, requestHash, resourceId: newId() };
  const freshId = await reserve(reservation);
  const record = freshId ? { ...reservation, status: null, response: null } : await prisma.idempotencyRecord.findUnique({ where: id });
  if (!record) throw new Error(`Idempotency-Key of ${request.route} taken, then gone`);
  if (record.route !== request.route || record.requestHash !== requestHash) {
    throw problems.unprocessable(say.idempotencyKeyReused);
  }
  if (record.status !== null && record.response !== null) {
    return { status: record.status, body: record.response as Record<string, unknown> };
  }
  const created = await create(record.resourceId, { freshId });
  await prisma.idempotencyRecord.updateMany({
    where: { callerSub: request.callerSub, key: request.key },
    data: { status: created.status, response: created.body as Prisma.InputJsonValue },
  });
  return created;
}

/** Inserts the reservation: false when the key is taken. */
async function reserveKey(prisma: PrismaClient, reservation: Reservation): Promise<boolean> {
  try {
    await prisma.idempotencyRecord.create({ data: reservation, select: { key: true } });
    return true;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return false;
    throw error;
  }
}
