/**
 * A list of keys as configuration gives them: `id:base64` pairs separated by commas, the first one
 * current, the others kept for what older keys wrote or signed. Each key decodes to 32 bytes.
 */
export function parseKeyList(spec: string, what: string): Array<{ id: string; bytes: Buffer }> {
  const keys = spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const separator = part.indexOf(':');
      if (separator <= 0) throw new Error(`each key is id:base64 (${what} once decoded)`);
      const id = part.slice(0, separator);
      const bytes = Buffer.from(part.slice(separator + 1), 'base64');
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new Error(`key id "${id}" must be 1-64 letters, digits, dot, dash or underscore`);
      if (bytes.length !== 32) throw new Error(`key ${id} must decode to 32 bytes, got ${bytes.length}`);
      return { id, bytes };
    });
  if (keys.length === 0) throw new Error('at least one key is required');
  return keys;
}
