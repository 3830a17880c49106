import { isIPv4, isIPv6 } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { parseDocumentSigningKeys } from './document-signing';
import { parsePayloadKeys } from './payload-codec';
import { TASK_QUEUE } from './temporal';

/**
 * Process configuration, read once from the environment and validated with zod so that a wrong
 * value stops the process at start-up with a message naming the variable, not later in a request.
 *
 * TEMPORAL_ADDRESS, DATABASE_URL and SMTP_URL are optional: when one is missing, `npm start` runs
 * the matching embedded part (Temporal dev server, PGlite, loopback SMTP server) and fills it in.
 *
 * Dev mode (any NODE_ENV but production) issues a token for any identity to whoever asks, and
 * serves the demo data and the mailbox without one: it listens on a loopback HOST only (127.0.0.1,
 * ::1, localhost), unless DEV_MODE_ALLOW_NETWORK=1 says that reaching it from the network is meant
 * (a container whose port is published to this machine alone, say).
 */
const DEV_JWT_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
    )
    .optional();
const perMinute = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000).default(fallback);
/** `https://portal.example,https://console.example`: each an origin (scheme, host, port; no path). */
const origins = z
  .string()
  .transform((value) => value.split(',').map((o) => o.trim()).filter(Boolean))
  .refine(
    (list) =>
      list.every((o) => {
        try {
          const url = new URL(o);
          return ['http:', 'https:'].includes(url.protocol) && url.origin === o;
        } catch {
          return false;
        }
      }),
    { message: 'must be a comma-separated list of origins such as https://portal.example.gov.vn (no path, no trailing slash)' },
  );

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().min(1).default('data'),

    HOST: z.string().min(1).default('127.0.0.1'),
    DEV_MODE_ALLOW_NETWORK: z.enum(['0', '1']).default('0'),
    PORT: port(3000),
    PUBLIC_BASE_URL: optionalUrl(['http:', 'https:']),
    CORS_ORIGINS: origins.optional(),
    RATE_LIMIT_FILINGS: perMinute(10),
    RATE_LIMIT_VERIFICATIONS: perMinute(60),
    RATE_LIMIT_DEV_TOKENS: perMinute(30),

    TEMPORAL_ADDRESS: z
      .string()
      .trim()
      .regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, e.g. temporal.example.org:7233')
      .optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
    TEMPORAL_TLS: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    TEMPORAL_PORT: port(7233),
    TEMPORAL_UI_PORT: port(8233),
    TEMPORAL_CLI_PATH: z.string().min(1).optional(),
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(250),

    DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
    EMBEDDED_PG_PORT: port(5433),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),

    SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
    EMBEDDED_SMTP_PORT: port(2525),
    MAIL_FROM: z.string().min(3).default('Dich vu cong TP <no-reply@dichvucong.example>'),

    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_JWKS_URL: optionalUrl(['https:', 'http:']),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),

    PAYLOAD_KEYS: z
      .string()
      .superRefine((spec, ctx) => {
        try {
          parsePayloadKeys(spec);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `${(error as Error).message} (id:base64 of 32 bytes, comma-separated, current first)` });
        }
      })
      .optional(),
    CODEC_CORS_ORIGINS: origins.optional(),
    /** The cameras' image stores the API may fetch a violation's evidence images from. */
    EVIDENCE_ORIGINS: origins.optional(),
    DOCUMENT_SIGNING_KEYS: z
      .string()
      .superRefine((spec, ctx) => {
        try {
          parseDocumentSigningKeys(spec);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `${(error as Error).message} (id:base64 of a 32-byte Ed25519 seed, comma-separated, newest first)` });
        }
      })
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production' && env.DEV_MODE_ALLOW_NETWORK === '0' && !isLoopback(env.HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message:
          `dev mode issues tokens for any identity to whoever reaches it: listen on a loopback address (127.0.0.1, ::1, localhost), ` +
          `not ${env.HOST}, or set DEV_MODE_ALLOW_NETWORK=1 if the network may reach it`,
      });
    }
    if (env.NODE_ENV === 'production' && !env.PAYLOAD_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['PAYLOAD_KEYS'], message: 'production mode needs the keys that encrypt Temporal payloads' });
    }
    if (env.NODE_ENV === 'production' && !env.DOCUMENT_SIGNING_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['DOCUMENT_SIGNING_KEYS'], message: 'production mode needs the keys that sign issued documents' });
    }
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET && !env.JWT_JWKS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'production mode needs JWT_SECRET or JWT_JWKS_URL (tokens come from the identity provider)',
      });
    }
  });

export type Env = z.input<typeof envSchema>;

/** 127.0.0.0/8, ::1 (also as an IPv4-mapped or bracketed address) and `localhost`. */
export function isLoopback(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (address === 'localhost') return true;
  const v4 = address.replace(/^::ffff:/, '');
  if (isIPv4(v4)) return v4.startsWith('127.');
  // The URL parser writes an IPv6 address in its shortest form: 0:0:0:0:0:0:0:1 is [::1].
  return isIPv6(address) && new URL(`http://[${address}]`).hostname === '[::1]';
}

export interface Config {
  mode: 'development' | 'production' | 'test';
  /** Dev endpoints (dev-token, demo, mailbox) exist only outside production. */
  devMode: boolean;
  logLevel: z.output<typeof envSchema>['LOG_LEVEL'];
  dataDir: string;
  http: {
    host: string;
    port: number;
    publicBaseUrl: string;
    /** Browser origins allowed to call the API (CORS); none means no cross-origin access. */
    corsOrigins: string[];
    /** Requests per minute (0: no limit) per citizen for filings, per client IP for the others. */
    rateLimits: RateLimits;
  };
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    tls: boolean;
    apiKey?: string;
    embeddedPort: number;
    uiPort: number;
    cliPath?: string;
    /** Workflows a worker keeps in memory between their workflow tasks (see worker/index.ts). */
    maxCachedWorkflows: number;
  };
  database: { url?: string; embeddedPort: number; poolSize: number };
  smtp: { url?: string; embeddedPort: number; from: string };
  auth: { secret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  /** Encryption of Temporal payloads (common/payload-codec.ts); unset in dev mode: the dev key. */
  payloads: { keys?: string; codecCorsOrigins: string[] };
  /** Signing of issued documents (common/document-signing.ts); unset in dev mode: the dev key. */
  documents: { signingKeys?: string };
  /** Image stores (origins) the API fetches traffic evidence images from, for the officers deciding; none: images are not shown. */
  evidence: { origins: string[] };
}

export interface RateLimits {
  filings: number;
  verifications: number;
  devTokens: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset: `FOO= npm start` should not be an error.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const devMode = e.NODE_ENV !== 'production';
  const publicBaseUrl = e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`;
  // Dev mode lets pages served by the API itself (under either loopback name) call it; production
  // allows no origin unless CORS_ORIGINS names it.
  const devOrigins = [`http://localhost:${e.PORT}`, `http://127.0.0.1:${e.PORT}`, new URL(publicBaseUrl).origin];
  return {
    mode: e.NODE_ENV,
    devMode,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.DATA_DIR),
    http: {
      host: e.HOST,
      port: e.PORT,
      publicBaseUrl,
      corsOrigins: e.CORS_ORIGINS ?? (devMode ? [...new Set(devOrigins)] : []),
      rateLimits: { filings: e.RATE_LIMIT_FILINGS, verifications: e.RATE_LIMIT_VERIFICATIONS, devTokens: e.RATE_LIMIT_DEV_TOKENS },
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: e.TEMPORAL_TLS,
      apiKey: e.TEMPORAL_API_KEY,
      embeddedPort: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    },
    database: { url: e.DATABASE_URL, embeddedPort: e.EMBEDDED_PG_PORT, poolSize: e.DATABASE_POOL_SIZE },
    smtp: { url: e.SMTP_URL, embeddedPort: e.EMBEDDED_SMTP_PORT, from: e.MAIL_FROM },
    auth: {
      secret: e.JWT_SECRET ?? (devMode ? DEV_JWT_SECRET : undefined),
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
    },
    payloads: {
      keys: e.PAYLOAD_KEYS,
      // The Temporal Web UI's origins that may call the codec endpoint (in dev mode, the embedded UI).
      codecCorsOrigins: e.CODEC_CORS_ORIGINS ?? (devMode ? [`http://127.0.0.1:${e.TEMPORAL_UI_PORT}`, `http://localhost:${e.TEMPORAL_UI_PORT}`] : []),
    },
    documents: { signingKeys: e.DOCUMENT_SIGNING_KEYS },
    evidence: { origins: e.EVIDENCE_ORIGINS ?? [] },
  };
}

/** Parts that a process cannot run without, once the embedded ones have been filled in. */
export function requireExternal(config: Config, parts: Array<'temporal' | 'database' | 'smtp'>): void {
  const missing = parts.flatMap((part) => {
    if (part === 'temporal' && !config.temporal.address) return ['TEMPORAL_ADDRESS'];
    if (part === 'database' && !config.database.url) return ['DATABASE_URL'];
    if (part === 'smtp' && !config.smtp.url) return ['SMTP_URL'];
    return [];
  });
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map((name) => `${name}: required when this process runs alone (npm start embeds it instead)`),
    );
  }
}
