import { Router } from 'express';
import type { PrismaClient } from '../../prisma/client';
import { getDemoDirectory } from '../../prisma/seed';
import { PROCEDURE_MODULES, PROCEDURES } from '../../procedures';
import { z, type ApiDefinition } from '../openapi';

const MailboxQuery = z.object({
  to: z.email('must be an e-mail address').optional().openapi({ description: 'Only mail sent to this address' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const MailItem = z
  .object({ from: z.string(), to: z.array(z.string()), subject: z.string(), text: z.string(), receivedAt: z.string() })
  .openapi('DevMail');
const DemoDirectory = z
  .object({
    citizens: z.array(z.object({}).passthrough()),
    staff: z.array(z.object({}).passthrough()),
    examples: z
      .record(
        z.string(),
        z.object({ as: z.object({ sub: z.string(), role: z.string() }), path: z.string().optional(), body: z.object({}).passthrough() }),
      )
      .openapi({
        description:
          'Per procedure, a body to post as it is to `path` (`/dossiers` when absent) and the identity to post it as; a procedure ' +
          'with routes of its own adds its examples (traffic fines: `traffic-fine` to `/violations`, `traffic-fine-batch` to `/violations/batch`)',
      }),
  })
  .passthrough()
  .openapi('DemoDirectory', {
    description: 'Seeded identities and records: citizens, staff per unit with roles, civil-status records per kind, businesses, vehicles with their owners; and an example filing per procedure.',
  });

/** Dev mode only (404 in production): what a newcomer can try, and the embedded SMTP server's mail. */
export function devRoutes(api: ApiDefinition, deps: { prisma: PrismaClient }) {
  const router = Router();
  api.route(router, {
    method: 'get',
    path: '/dev/demo',
    summary: 'Seeded demo identities and records (dev mode only)',
    tags: ['dev'],
    auth: 'public',
    noStore: true,
    responses: { 200: { description: 'The demo directory', schema: DemoDirectory } },
    handler: async ({ res }) => {
      const examples = {
        ...Object.fromEntries(PROCEDURES.citizenFiled.map((p) => [p.id, { ...p.example, path: '/dossiers' }])),
        ...Object.fromEntries(PROCEDURE_MODULES.flatMap((m) => Object.entries(m.examples ?? {}))),
      };
      res.json({ ...(await getDemoDirectory(deps.prisma)), examples });
    },
  });
  api.route(router, {
    method: 'get',
    path: '/dev/mailbox',
    summary: 'Mail received by the embedded SMTP server, newest first (dev mode only)',
    description: 'Mail holds personal data: answered with `Cache-Control: no-store`.',
    tags: ['dev'],
    auth: 'public',
    noStore: true,
    query: MailboxQuery,
    responses: { 200: { description: 'Received mail', schema: z.array(MailItem) } },
    handler: async ({ query, res }) => {
      const mails = await deps.prisma.devMail.findMany({
        where: query.to ? { recipients: { has: query.to.toLowerCase() } } : {},
        orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
        take: query.limit,
      });
      res.json(
        mails.map((m) => ({ from: m.sender, to: m.recipients, subject: m.subject, text: m.text, receivedAt: m.receivedAt.toISOString() })),
      );
    },
  });
  return router;
}
