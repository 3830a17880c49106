/** A bad field as the API's problems name it: its path and what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
