/**
 * JSON with one spelling per value, so that a hash of it names the content and nothing else: the
 * keys of every object sorted (by UTF-16 code units, as `Array.prototype.sort` does), no
 * whitespace, numbers and strings as `JSON.stringify` writes them. For data parsed from JSON this is
 * the JSON Canonicalization Scheme (RFC 8785). As in `JSON.stringify`, object members whose value is
 * `undefined` (or a function) are left out, and in arrays become `null`; `toJSON` is honoured.
 * Pure: no Node API.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  return text ?? 'null';
}

function write(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON());
  }
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value === 'bigint') throw new TypeError('canonicalJson: a bigint has no JSON form');
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = write((value as Record<string, unknown>)[key]);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}
