import { createHash } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Field names that carry personal data anywhere in a log object. pino replaces them before the line
 * is written, so a careless `log.info({ person })` still leaks nothing.
 */
const PERSONAL_FIELDS = [
  'pin',
  'sub',
  'fullName',
  'address',
  'email',
  'phone',
  'recipient',
  'to',
  'dateOfBirth',
  'ownerPin',
  'subjectPin',
  'partyPins',
  'legalRepresentativePin',
];

export const redactPaths = [
  ...PERSONAL_FIELDS,
  // Top-level `name` is pino's logger name; nested, it is a person's.
  '*.name',
  '*.*.name',
  ...PERSONAL_FIELDS.map((field) => `*.${field}`),
  ...PERSONAL_FIELDS.map((field) => `*.*.${field}`),
  'authorization',
  '*.authorization',
  '*.headers.authorization',
];

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'procedures',
    level: options.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/**
 * A stable, non-reversible stand-in for a personal value, for the rare log line that must tell two
 * people apart (e.g. "same applicant as before") without naming them.
 */
export function pseudonym(value: string): string {
  return `p_${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}
