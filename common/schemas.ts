import { z } from 'zod';

/**
 * Field schemas every procedure's definition builds on. Plain zod (no OpenAPI extension, no Node
 * APIs): the API validates with them and the workflow bundle parses with the very same objects.
 */
export const PIN_PATTERN = /^\d{12}$/;
export const UNIT_CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

// PostgreSQL text cannot hold NUL, and no form field needs a control character.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Free text as people type it: trimmed, bounded, no control characters. */
export function text(min: number, max: number, tooShort?: string) {
  return z
    .string()
    .trim()
    .min(min, tooShort)
    .max(max)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters');
}

export const Pin = z.string().regex(PIN_PATTERN, 'must be a 12-digit personal identification number');
export const UnitCode = z.string().regex(UNIT_CODE_PATTERN, 'must be a unit code such as W-BEN-THANH');
export const IsoDate = z.iso.date('must be a date YYYY-MM-DD');
export const Email = z.email('must be an e-mail address').max(254);
export const Reason = z.object({ reason: text(3, 2000, 'a reason of at least 3 characters is required') }).strict();
/** An outcome that carries no data. */
export const NoData = z.object({}).strict();
