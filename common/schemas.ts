import { z } from 'zod';

/**
 * Field schemas every procedure's definition builds on. Plain zod (no OpenAPI extension, no Node
 * APIs): the API validates with them and the workflow bundle parses with the very same objects.
 */
export const PIN_PATTERN = /^\d{12}$/;
export const UNIT_CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

// PostgreSQL text cannot hold NUL, and no form field needs a control character (tab and line
// breaks are text).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// Half of a UTF-16 pair on its own (JSON's "\ud800" escape): no character at all, and PostgreSQL
// refuses it in jsonb. With the u flag a pair is one code point, so only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u;
const UNFIT_CHARACTERS = new RegExp(`${CONTROL_CHARACTERS.source}|${LONE_SURROGATE.source}`, 'gu');

/**
 * The same rule as a JSON Schema pattern (ECMA-262, with or without the u flag): what the OpenAPI
 * document publishes for the strings of a request.
 */
export const TEXT_PATTERN = '^(?:[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\ud800-\\udfff]|[\\ud800-\\udbff][\\udc00-\\udfff])*$';

/** What makes a string unfit to store as text ('control characters', 'a lone surrogate…'), or undefined. */
export function unfitText(value: string): string | undefined {
  if (CONTROL_CHARACTERS.test(value)) return 'control characters';
  if (LONE_SURROGATE.test(value)) return 'a lone surrogate (half of a UTF-16 pair)';
  return undefined;
}

/** A string with every unfit character replaced by U+FFFD: safe to echo in an answer (and to store). */
export function fitText(value: string): string {
  return value.replace(UNFIT_CHARACTERS, '\ufffd');
}

/** Free text as people type it: trimmed, bounded, no control characters nor lone surrogates. */
export function text(min: number, max: number, tooShort?: string) {
  return z
    .string()
    .trim()
    .min(min, tooShort)
    .max(max)
    .superRefine((value, ctx) => {
      const unfit = unfitText(value);
      if (unfit) ctx.addIssue({ code: 'custom', message: `must not contain ${unfit}` });
    })
    .meta({ pattern: TEXT_PATTERN });
}

export const Pin = z.string().regex(PIN_PATTERN, 'must be a 12-digit personal identification number');
export const UnitCode = z.string().regex(UNIT_CODE_PATTERN, 'must be a unit code such as W-BEN-THANH');
/**
 * zod checks an ISO date or date-time with a regex, which its own JSON Schema gives as `pattern` but
 * the OpenAPI generator drops (it keeps `format` only): the schema carries it as metadata too.
 */
export function withPattern<S extends z.ZodStringFormat>(schema: S): S {
  const pattern = schema._zod.def.pattern;
  return pattern ? schema.meta({ pattern: pattern.source }) : schema;
}

export const IsoDate = withPattern(z.iso.date('must be a date YYYY-MM-DD'));
export const Email = z.email('must be an e-mail address').max(254);
export const Reason = z.object({ reason: text(3, 2000, 'a reason of at least 3 characters is required') }).strict();
/** An outcome that carries no data. */
export const NoData = z.object({}).strict();
