import { Router } from 'express';
import type { PrismaClient } from '../../prisma/client';
import { languageOfCitizen, setLanguageOfCitizen } from '../../common/citizen-language';
import { LANGUAGES } from '../../common/bilingual';
import { ROLES, Role } from '../auth';
import { z, type ApiDefinition } from '../openapi';
import { unitScope, type UnitScope } from '../scope';

const Language = z.enum(LANGUAGES);

export const Me = z
  .object({
    sub: z.string(),
    role: Role,
    unit: z.string().optional(),
    actsFor: z
      .union([z.literal('all'), z.array(z.string())])
      .openapi({ description: 'Unit codes the caller may act for (a supervisor: the whole subtree), or "all"' }),
    language: Language.optional().openapi({ description: 'A citizen\'s language (PUT /me/language): what their mail is written in when they filed none. Citizens only' }),
  })
  .openapi('Me');

const LanguageChoice = z
  .object({ language: Language })
  .strict()
  .openapi('LanguageChoice', { description: 'The language a citizen reads: `vi` (Vietnamese, the default) or `en` (English)' });

export const Unit = z
  .object({ code: z.string(), name: z.string(), kind: z.string(), parentCode: z.string().nullable() })
  .openapi('Unit');

/** Who the caller is, and the unit tree as far as the caller's scope reaches. */
export function identityRoutes(api: ApiDefinition, deps: { prisma: PrismaClient }) {
  const router = Router();
  api.route(router, {
    method: 'get',
    path: '/me',
    summary: "The caller's identity and the units they act for",
    tags: ['identity'],
    auth: ROLES,
    responses: { 200: { description: 'The caller', schema: Me } },
    handler: async ({ caller, res }) => {
      const scope = await unitScope(deps.prisma, caller);
      const language = caller.role === 'citizen' ? await languageOfCitizen(deps.prisma, caller.sub) : undefined;
      res.json({ sub: caller.sub, role: caller.role, unit: caller.unit, actsFor: scope.kind === 'all' ? 'all' : scope.codes, ...(language ? { language } : {}) });
    },
  });
  api.route(router, {
    method: 'put',
    path: '/me/language',
    summary: 'The language the citizen reads (their mail, when they filed none: a traffic fine\'s notice)',
    description: 'Kept until changed; `GET /me` tells it. The API\'s own answers follow each request\'s `Accept-Language`.',
    tags: ['identity'],
    auth: ['citizen'],
    body: LanguageChoice,
    examples: { english: { summary: 'English', value: { language: 'en' } } },
    responses: { 200: { description: 'Kept', schema: LanguageChoice } },
    handler: async ({ body, caller, res }) => {
      await setLanguageOfCitizen(deps.prisma, caller.sub, body.language);
      res.json({ language: body.language });
    },
  });
  api.route(router, {
    method: 'get',
    path: '/units',
    summary: 'Units in the caller’s scope; a citizen: every unit (where they may file)',
    tags: ['identity'],
    auth: ['citizen', 'clerk', 'officer', 'supervisor', 'system'],
    responses: { 200: { description: 'Units, parents before children', schema: z.array(Unit) } },
    handler: async ({ caller, res }) => {
      // A citizen files at any unit (a procedure's catalog entry says of which kinds): the tree is public.
      const scope: UnitScope = caller.role === 'citizen' ? { kind: 'all' } : await unitScope(deps.prisma, caller);
      const units = await deps.prisma.unit.findMany({
        where: scope.kind === 'all' ? {} : { code: { in: scope.codes } },
        orderBy: { code: 'asc' },
        select: { code: true, name: true, kind: true, parentCode: true },
      });
      res.json(units);
    },
  });
  return router;
}
