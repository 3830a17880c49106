import { ApplicationFailure } from '@temporalio/common';
import { issueDocumentOnce } from '../../activities/documents';
import { createNotificationActivities, mailFor } from '../../activities/notification';
import type { ActivityDeps } from '../../activities/shared';
import type { Bilingual } from '../../common/bilingual';
import { formatLocalTime } from '../../common/local-time';
import { Prisma } from '../../prisma/client';
import { CitizenMail } from '../../workflows/shared/types';
import { balanceOf } from './balance';
import { normalizePlate, trafficFine } from './definition';

/**
 * The traffic police's systems behind an offline fine: the case's facts (Violation), the vehicle
 * registry and population data to find the owner, the notice (a document with a verification code),
 * the owner's mail, payments (append-only, keyed) and the public list and inspection flag. Activities
 * take the dossier id and read the rest from the database: no personal data travels through Temporal.
 */

/** What the registries say of the owner, without saying who it is. */
export interface OwnerLookup {
  vehicle: 'registered' | 'unregistered' | 'no-plate';
  owner: 'found' | 'unknown';
  /** The owner's ward of residence, when known: its police get a task if it is not where the violation happened. */
  residenceUnitCode?: string;
  /** Whether the notice can be mailed (an address on file). */
  reachable: boolean;
}

export interface NoticeRef {
  code: string;
  issuedAt: string;
  /** Integer VND. */
  fineAmount: number;
  /** The violation's name as the fines table gives it (English: the Vietnamese when it has none); absent in runs recorded before. */
  violation?: Bilingual;
}

export interface PaymentReceipt {
  paymentId: string;
  amount: number;
  paidAt: string;
  /** What remains to pay after it, integer VND. */
  balance: number;
}

const PAY_TRANSACTION = { maxWait: 15_000, timeout: 15_000 } as const;

export function createTrafficFineActivities({ prisma, mailer, mailFrom }: ActivityDeps) {
  const mail = createNotificationActivities({ prisma, mailer, from: mailFrom });

  async function violationOf(dossierId: string) {
    const violation = await prisma.violation.findUnique({ where: { dossierId }, include: { code: true } });
    if (!violation) throw ApplicationFailure.nonRetryable(`No traffic case ${dossierId}`, 'DossierMissing');
    return violation;
  }

  /** The plate an officer read from the images, normalised. */
  async function setPlate(input: { dossierId: string; plateNumber: string }): Promise<void> {
    const plate = normalizePlate(input.plateNumber);
    if (!plate) throw ApplicationFailure.nonRetryable(`Not a Vietnamese plate: ${input.plateNumber}`, 'InvalidPlate');
    await prisma.violation.update({ where: { dossierId: input.dossierId }, data: { plateNumber: plate } });
  }

  /**
   * The owner through the vehicle registry, then the population data. With `taskId`, the owner is
   * the one an officer found (the `find-owner` task's data), checked against the population data.
   */
  async function lookupOwner(input: { dossierId: string; taskId?: string }): Promise<OwnerLookup> {
    const violation = await violationOf(input.dossierId);
    let vehicle: OwnerLookup['vehicle'] = 'no-plate';
    let ownerPin: string | null = null;
    if (input.taskId) {
      const task = await prisma.task.findUnique({ where: { id: input.taskId }, select: { data: true, dossierId: true } });
      const pin = (task?.data as { ownerPin?: unknown } | null)?.ownerPin;
      if (!task || task.dossierId !== input.dossierId || typeof pin !== 'string') {
        throw ApplicationFailure.nonRetryable(`Task ${input.taskId} names no owner of ${input.dossierId}`, 'TaskMissing');
      }
      ownerPin = pin;
      vehicle = violation.plateNumber ? 'registered' : 'no-plate';
    } else if (violation.plateNumber) {
      const registered = await prisma.vehicle.findUnique({ where: { plateNumber: violation.plateNumber }, select: { ownerPin: true } });
      vehicle = registered ? 'registered' : 'unregistered';
      ownerPin = registered?.ownerPin ?? null;
    }
    const person = ownerPin ? await prisma.person.findUnique({ where: { pin: ownerPin }, select: { pin: true, email: true, residenceUnitCode: true } }) : null;
    if (!person) return { vehicle, owner: 'unknown', reachable: false };
    await prisma.violation.update({ where: { dossierId: input.dossierId }, data: { ownerPin: person.pin } });
    return { vehicle, owner: 'found', reachable: Boolean(person.email), ...(person.residenceUnitCode ? { residenceUnitCode: person.residenceUnitCode } : {}) };
  }

  /**
   * The violation record and its notice: a document with a verification code, once per case. The
   * fine comes from the code's table; from now on the owner sees the case.
   */
  async function issueNotice(input: { dossierId: string }): Promise<NoticeRef> {
    const violation = await violationOf(input.dossierId);
    if (!violation.ownerPin) throw ApplicationFailure.nonRetryable(`Traffic case ${input.dossierId} has no owner yet`, 'OwnerMissing');
    const fineAmount = violation.fineAmount ?? violation.code.fineAmount;
    const [owner, ward, police] = await Promise.all([
      prisma.person.findUnique({ where: { pin: violation.ownerPin }, select: { fullName: true, address: true } }),
      prisma.unit.findUnique({ where: { code: violation.locationUnitCode }, select: { name: true } }),
      prisma.unit.findUnique({ where: { code: trafficFine.example.body.unitCode }, select: { name: true } }),
    ]);
    const dossier = await prisma.dossier.findUnique({ where: { id: input.dossierId }, select: { data: true } });
    const place = (dossier?.data as { location?: { description?: string } } | null)?.location?.description;
    const document = await issueDocumentOnce(prisma, {
      dossierId: input.dossierId,
      kind: 'traffic-fine/notice',
      content: {
        title: 'Thông báo vi phạm hành chính trong lĩnh vực giao thông đường bộ (phạt nguội)',
        plateNumber: violation.plateNumber,
        violation: { code: violation.violationCode, description: violation.code.description },
        capturedAt: formatLocalTime(violation.capturedAt),
        location: [place, ward?.name].filter(Boolean).join(', '),
        fineAmount,
        owner: owner ? { fullName: owner.fullName, address: owner.address } : null,
        issuedBy: police?.name ?? trafficFine.example.body.unitCode,
      },
    });
    const issuedAt = new Date(document.issuedAt);
    await prisma.$transaction([
      prisma.violation.update({
        where: { dossierId: input.dossierId },
        data: { fineAmount, noticeCode: document.code, noticeAt: violation.noticeAt ?? issuedAt },
      }),
      prisma.dossier.update({ where: { id: input.dossierId }, data: { ownerPins: [violation.ownerPin] } }),
    ]);
    const { description, descriptionEn } = violation.code;
    return { code: document.code, issuedAt: document.issuedAt, fineAmount, violation: { vi: description, en: descriptionEn ?? description } };
  }

  /**
   * Mail to the vehicle's owner, once per key, in their language (`recipientLanguage`: the owner
   * never filed, so the run does not know it). No address on file: nothing sent (the police deliver it).
   */
  async function notifyOwner(input: CitizenMail): Promise<{ sent: number }> {
    const request = CitizenMail.parse(input);
    const violation = await violationOf(request.dossierId);
    const person = violation.ownerPin ? await prisma.person.findUnique({ where: { pin: violation.ownerPin }, select: { pin: true, email: true } }) : null;
    if (!person?.email) return { sent: 0 };
    const { subject, text } = await mailFor(prisma, person.pin, request);
    try {
      await mail.sendEmail({ idempotencyKey: `${request.dossierId}/${request.key}`, to: person.email, subject, text });
      return { sent: 1 };
    } catch (error) {
      if (error instanceof ApplicationFailure && (error.type === 'InvalidRecipient' || error.type === 'MailRejected')) return { sent: 0 };
      throw error;
    }
  }

  async function receiptOf(payment: { id: string; amount: number; paidAt: Date; dossierId: string }): Promise<PaymentReceipt> {
    return { paymentId: payment.id, amount: payment.amount, paidAt: payment.paidAt.toISOString(), balance: await balanceOf(prisma, payment.dossierId) };
  }

  /**
   * The payment system charges the owner the balance: once per key (a retry, or the same request
   * twice, finds the row of the first), and only for exactly what is owed (the case's row is locked
   * while the balance is read, so two different payments cannot both pay it).
   */
  async function payFine(input: { dossierId: string; paymentKey: string; amount: number }): Promise<PaymentReceipt> {
    const key = `${input.dossierId}/${input.paymentKey}`;
    const existing = await prisma.payment.findUnique({ where: { idempotencyKey: key } });
    if (existing) return receiptOf(existing);
    try {
      const payment = await prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<Array<{ ownerPin: string | null }>>`
          SELECT "ownerPin" FROM "Violation" WHERE "dossierId" = ${input.dossierId} FOR UPDATE`;
        const payer = rows[0]?.ownerPin;
        if (!payer) throw ApplicationFailure.nonRetryable(`Traffic case ${input.dossierId} has no owner to charge`, 'OwnerMissing');
        const again = await tx.payment.findUnique({ where: { idempotencyKey: key } });
        if (again) return again;
        const balance = await balanceOf(tx, input.dossierId);
        if (input.amount !== balance) {
          throw ApplicationFailure.nonRetryable(`The amount ${input.amount} VND is not the balance ${balance} VND`, 'AmountMismatch');
        }
        return tx.payment.create({ data: { idempotencyKey: key, dossierId: input.dossierId, amount: input.amount, paidBy: payer } });
      }, PAY_TRANSACTION);
      return receiptOf(payment);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        return receiptOf(await prisma.payment.findUniqueOrThrow({ where: { idempotencyKey: key } }));
      }
      throw error;
    }
  }

  /** Keeps the registry's flag in step with the vehicle's flagged, unsettled cases (the earliest counts). */
  async function syncVehicleFlag(tx: Prisma.TransactionClient, plateNumber: string | null): Promise<void> {
    if (!plateNumber) return;
    const earliest = await tx.violation.aggregate({ where: { plateNumber, flaggedAt: { not: null }, settledAt: null }, _min: { flaggedAt: true } });
    await tx.vehicle.updateMany({ where: { plateNumber }, data: { flaggedAt: earliest._min.flaggedAt } });
  }

  /** The notice went unanswered: the vehicle goes on the public list and is flagged for inspection (once). */
  async function publishAndFlag(input: { dossierId: string }): Promise<{ publishedAt: string; flaggedAt: string }> {
    const updated = await prisma.$transaction(async (tx) => {
      const violation = await tx.violation.findUniqueOrThrow({ where: { dossierId: input.dossierId } });
      const now = new Date();
      const row = await tx.violation.update({
        where: { dossierId: input.dossierId },
        data: { publishedAt: violation.publishedAt ?? now, flaggedAt: violation.flaggedAt ?? now },
      });
      await syncVehicleFlag(tx, row.plateNumber);
      return row;
    });
    return { publishedAt: updated.publishedAt!.toISOString(), flaggedAt: updated.flaggedAt!.toISOString() };
  }

  /** Paid or dismissed: off the public list, and the vehicle's flag lifted unless another case keeps it. */
  async function settleCase(input: { dossierId: string }): Promise<{ wasPublished: boolean; wasFlagged: boolean; vehicleStillFlagged: boolean }> {
    return prisma.$transaction(async (tx) => {
      const violation = await tx.violation.findUniqueOrThrow({ where: { dossierId: input.dossierId } });
      await tx.violation.update({ where: { dossierId: input.dossierId }, data: { settledAt: violation.settledAt ?? new Date() } });
      await syncVehicleFlag(tx, violation.plateNumber);
      const vehicle = violation.plateNumber ? await tx.vehicle.findUnique({ where: { plateNumber: violation.plateNumber }, select: { flaggedAt: true } }) : null;
      return { wasPublished: violation.publishedAt !== null, wasFlagged: violation.flaggedAt !== null, vehicleStillFlagged: Boolean(vehicle?.flaggedAt) };
    });
  }

  return { setPlate, lookupOwner, issueNotice, notifyOwner, payFine, publishAndFlag, settleCase };
}

/** The worker finds each procedure's activities under this name (procedures/activities.ts). */
export const createActivities = createTrafficFineActivities;
