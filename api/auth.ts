import type { RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from './zod';
import type { Config } from '../common/config';
import { PIN_PATTERN, UNIT_CODE_PATTERN } from '../common/schemas';
import { problems } from './problem';

/**
 * Bearer JWTs: `sub`, `role` and, for staff, `unit`. In dev mode the API signs its own tokens
 * (HS256 with JWT_SECRET); in production the identity provider signs them and the API verifies
 * against its key set (JWT_JWKS_URL) or shared secret.
 */
export const ROLES = ['citizen', 'clerk', 'officer', 'supervisor', 'system'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const STAFF_ROLES: readonly Role[] = ['clerk', 'officer', 'supervisor'];

export { PIN_PATTERN, UNIT_CODE_PATTERN } from '../common/schemas';

export const Claims = z
  .object({
    sub: z.string().min(1).max(100),
    role: Role,
    unit: z.string().regex(UNIT_CODE_PATTERN, 'must be a unit code such as W-BEN-THANH').optional(),
  })
  .superRefine((claims, ctx) => {
    if (claims.role === 'citizen' && !PIN_PATTERN.test(claims.sub)) {
      ctx.addIssue({ code: 'custom', path: ['sub'], message: "a citizen's sub is the 12-digit personal identification number" });
    }
    if (claims.role === 'citizen' && claims.unit !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['unit'], message: 'citizens belong to no unit' });
    }
    if ((STAFF_ROLES as string[]).includes(claims.role) && claims.unit === undefined) {
      ctx.addIssue({ code: 'custom', path: ['unit'], message: `a ${claims.role} acts for a unit: unit is required` });
    }
  });
export type Caller = z.infer<typeof Claims>;

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

const DEV_TOKEN_TTL = '12h';

export interface TokenService {
  verify(token: string): Promise<Caller>;
  /** Dev mode only. */
  issue(claims: Caller): Promise<string>;
}

export function createTokenService(auth: Config['auth']): TokenService {
  const secret = auth.secret ? new TextEncoder().encode(auth.secret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  const verifyOptions = { issuer: auth.issuer, audience: auth.audience };
  return {
    async verify(token) {
      const { payload } = jwks
        ? await jwtVerify(token, jwks, verifyOptions)
        : await jwtVerify(token, secret ?? new Uint8Array(), { ...verifyOptions, algorithms: ['HS256'] });
      return Claims.parse(payload);
    },
    async issue(claims) {
      if (!secret) throw new Error('no signing secret configured');
      let jwt = new SignJWT({ role: claims.role, ...(claims.unit ? { unit: claims.unit } : {}) })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuedAt()
        .setExpirationTime(DEV_TOKEN_TTL);
      if (auth.issuer) jwt = jwt.setIssuer(auth.issuer);
      if (auth.audience) jwt = jwt.setAudience(auth.audience);
      return jwt.sign(secret);
    },
  };
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
      throw problems.unauthorized('The bearer token is invalid or expired', { cause: error });
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
      throw problems.forbidden(`This action is for ${roles.join(', ')}; the caller is a ${caller.role}`);
    }
    next();
  };
}
