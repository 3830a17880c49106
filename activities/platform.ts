import type { PrismaClient } from '../prisma/client';

export interface SystemCheckInput {
  workflowId: string;
  note: string;
}

/**
 * The platform self-check's own database write. Keyed by workflow id, so a retry finds the row it
 * wrote before instead of writing a second one.
 */
export function createPlatformActivities({ prisma }: { prisma: PrismaClient }) {
  async function recordSystemCheck(input: SystemCheckInput): Promise<{ checkId: string }> {
    const row = await prisma.systemCheck.upsert({
      where: { workflowId: input.workflowId },
      create: { workflowId: input.workflowId, note: input.note },
      update: {},
    });
    return { checkId: row.id };
  }

  return { recordSystemCheck };
}
