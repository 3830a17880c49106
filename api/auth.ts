import type { RequestHandler } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from './zod';
import type { Config } from '../common/config';
import { PIN_PATTERN, UNIT_CODE_PATTERN } from '../common/schemas';
import type { Bilingual } from '../common/bilingual';
import { issueMessage } from './issue-messages';
import { say } from './messages';
import { problems } from './problem';
import { bilingual } from './translations';

/**
 * Bearer JWTs: `sub`, `role` and, for staff, `unit`. In dev mode the API signs its own tokens
 * (HS256 with JWT_SECRET); in production the identity provider signs them and the API verifies
 * against its key set (JWT_JWKS_URL) or shared secret.
 *
 * Every token must expire: `exp` is required, at most TOKEN_MAX_LIFETIME_S (24 h) after `iat` (or
 * after now when the token has no `iat`), and `iat` may not lie in the future. Clocks may disagree
 * by CLOCK_SKEW_S (60 s) either way. An IdP's access tokens live minutes to hours: 24 h bounds the
 * damage of a leaked token without refusing any usual configuration.
 */
export const ROLES = ['citizen', 'clerk', 'officer', 'supervisor', 'inspector', 'system', 'administrator'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const STAFF_ROLES = ['clerk', 'officer', 'supervisor'] as const satisfies readonly Role[];

export { PIN_PATTERN, UNIT_CODE_PATTERN } from '../common/schemas';

export const TOKEN_MAX_LIFETIME_S = 24 * 3600;
export const CLOCK_SKEW_S = 60;
const DEV_TOKEN_TTL_S = 12 * 3600;

const Sub = z.string().min(1).max(100);
const UNIT_REQUIRED = bilingual({
  vi: 'cán bộ tiếp nhận, chuyên viên, lãnh đạo đơn vị làm việc cho một đơn vị: bắt buộc có unit',
  en: `a ${STAFF_ROLES.join(', ')} acts for a unit: unit is required`,
});
const UnitClaim = z
  .string({ error: (issue) => (issue.input === undefined ? UNIT_REQUIRED : undefined) })
  .regex(UNIT_CODE_PATTERN, 'must be a unit code such as W-BEN-THANH');

/**
 * The identity claims, one branch per kind of role, so that the published schema says what the
 * checks say: a citizen's `sub` is their PIN and they have no unit; staff must have one.
 */
export const Claims = z.discriminatedUnion('role', [
  z
    .object({
      sub: z.string().regex(PIN_PATTERN, bilingual({ vi: 'sub của công dân là số định danh cá nhân 12 chữ số', en: "a citizen's sub is the 12-digit personal identification number" })),
      role: z.literal('citizen'),
    })
    .strict(),
  z.object({ sub: Sub, role: z.enum(STAFF_ROLES), unit: UnitClaim }).strict(),
  // The vehicle-inspection authority is no unit of the city: it reads inspection flags only.
  z.object({ sub: Sub, role: z.literal('inspector'), unit: UnitClaim.optional() }).strict(),
  z.object({ sub: Sub, role: z.literal('system'), unit: UnitClaim.optional() }).strict(),
  // Administrators publish procedure definitions for the whole city: a unit in their token gives them no scope.
  z.object({ sub: Sub, role: z.literal('administrator'), unit: UnitClaim.optional() }).strict(),
]);
export interface Caller {
  sub: string;
  role: Role;
  unit?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

/** A token refused for a reason worth telling the client (the 401's detail, in both languages). */
export class TokenRejected extends Error {
  override name = 'TokenRejected';

  constructor(readonly reason: Bilingual) {
    super(reason.en);
  }
}

export interface TokenService {
  verify(token: string): Promise<Caller>;
  /** Dev mode only. */
  issue(claims: Caller): Promise<string>;
}

export function createTokenService(auth: Config['auth']): TokenService {
  const secret = auth.secret ? new TextEncoder().encode(auth.secret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  const verifyOptions = { issuer: auth.issuer, audience: auth.audience, requiredClaims: ['exp'], clockTolerance: CLOCK_SKEW_S };
  return {
    async verify(token) {
      const { payload } = jwks
        ? await jwtVerify(token, jwks, verifyOptions)
        : await jwtVerify(token, secret ?? new Uint8Array(), { ...verifyOptions, algorithms: ['HS256'] });
      checkLifetime(payload);
      const parsed = Claims.safeParse({ sub: payload.sub, role: payload.role, ...(payload.unit === undefined ? {} : { unit: payload.unit }) });
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => {
          const where = issue.path.join('.') || 'claims';
          const message = issueMessage(issue);
          return { vi: `${where} ${message.vi}`, en: `${where} ${message.en}` };
        });
        throw new TokenRejected(say.tokenClaimsInvalid(issues));
      }
      return parsed.data;
    },
    async issue(claims) {
      if (!secret) throw new Error('no signing secret configured');
      const now = Math.floor(Date.now() / 1000);
      let jwt = new SignJWT({ role: claims.role, ...(claims.unit ? { unit: claims.unit } : {}) })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + DEV_TOKEN_TTL_S);
      if (auth.issuer) jwt = jwt.setIssuer(auth.issuer);
      if (auth.audience) jwt = jwt.setAudience(auth.audience);
      return jwt.sign(secret);
    },
  };
}

/** `exp` is present and not expired (jose checked both); here: no `iat` ahead of now, no lifetime beyond the maximum. */
function checkLifetime(payload: JWTPayload, now = Math.floor(Date.now() / 1000)): void {
  const { iat, exp } = payload as { iat?: number; exp: number };
  if (iat !== undefined && iat > now + CLOCK_SKEW_S) throw new TokenRejected(say.tokenFromFuture);
  if (exp - (iat ?? now) > TOKEN_MAX_LIFETIME_S) throw new TokenRejected(say.tokenLivesTooLong(TOKEN_MAX_LIFETIME_S / 3600));
}

/** The 401's detail: why the token was refused, in words, without echoing it. */
function describeRefusal(error: unknown): Bilingual {
  if (error instanceof TokenRejected) return error.reason;
  if (error instanceof joseErrors.JWTExpired) return say.tokenExpired;
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'exp' && error.reason === 'missing') return say.tokenWithoutExpiry;
    if (error.reason === 'missing') return say.tokenLacksClaim(error.claim);
    return say.tokenClaimUnacceptable(error.claim);
  }
  return say.tokenInvalid;
}

/** 401 without a valid token; sets `req.caller`. */
export function authenticate(tokens: TokenService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw problems.unauthorized();
    try {
      req.caller = await tokens.verify(match[1]);
    } catch (error) {
      throw problems.unauthorized(describeRefusal(error), { cause: error });
    }
    next();
  };
}

/** 403 when the authenticated caller's role is not among `roles`. */
export function allowRoles(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const caller = req.caller;
    if (!caller) throw problems.unauthorized();
    if (!roles.includes(caller.role)) {
      throw problems.forbidden(say.roleNotAllowed(roles, caller.role));
    }
    next();
  };
}
