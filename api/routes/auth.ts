import { Router } from 'express';
import { Claims, type TokenService } from '../auth';
import { z, type ApiDefinition } from '../openapi';

const DevTokenRequest = Claims.openapi('DevTokenRequest', {
  description:
    'Claims of the token to issue, one branch per kind of role: a citizen (`sub` the 12-digit PIN, no unit), staff ' +
    '(clerk, officer, supervisor: `unit` required), or a system (`unit` optional).',
  example: { sub: 'clerk.w-ben-thanh', role: 'clerk', unit: 'W-BEN-THANH' },
});
const DevTokenResponse = z.object({ token: z.string() }).openapi('DevTokenResponse');

/** Dev mode only: tokens for any identity, so a newcomer can try every role without an IdP. */
export function devAuthRoutes(api: ApiDefinition, tokens: TokenService) {
  const router = Router();
  api.route(router, {
    method: 'post',
    path: '/auth/dev-token',
    summary: 'Issue a token for any identity (dev mode only; 404 in production)',
    tags: ['dev'],
    auth: 'public',
    body: DevTokenRequest,
    rateLimit: 'devTokens',
    dependencies: false,
    responses: { 200: { description: 'A signed token, valid 12 hours (it carries iat and exp)', schema: DevTokenResponse } },
    handler: async ({ body, res }) => {
      res.json({ token: await tokens.issue(body) });
    },
  });
  return router;
}
