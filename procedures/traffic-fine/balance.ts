import type { Prisma } from '../../prisma/client';

/**
 * What remains to pay on a case: the fine minus every payment, read from the append-only rows. The
 * payment activity reads it inside its transaction, the owner's `/respond` before it asks to pay.
 */
export async function balanceOf(db: Pick<Prisma.TransactionClient, 'violation' | 'payment'>, dossierId: string): Promise<number> {
  // One after the other: inside an interactive transaction queries take turns anyway.
  const violation = await db.violation.findUnique({ where: { dossierId }, select: { fineAmount: true } });
  const paid = await db.payment.aggregate({ where: { dossierId }, _sum: { amount: true } });
  return (violation?.fineAmount ?? 0) - (paid._sum.amount ?? 0);
}
