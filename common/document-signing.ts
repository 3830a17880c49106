import { parseKeyList } from './key-list';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { compactVerify, CompactSign, createLocalJWKSet, type JSONWebKeySet } from 'jose';

/**
 * Issued documents are signed by the issuing system (Ed25519, as a compact JWS) so that anyone can
 * check a document offline against the public keys the API publishes at
 * `/.well-known/document-keys.json`. Keys rotate like the payload keys: configuration lists them
 * `id:base64 of a 32-byte Ed25519 seed`, newest first; the newest signs, every listed one still
 * verifies (its public key stays published).
 */

export interface SigningKey {
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface DocumentSigner {
  /** The JWS (EdDSA, compact) of the canonical JSON of what the document states. */
  sign(statement: DocumentStatement): Promise<string>;
  /** Every configured key's public half, as a JWKS. */
  jwks(): JSONWebKeySet;
  /** The id of the key that signs now (printed on the paper beside the signature). */
  keyId: string;
}

/**
 * What a signature covers: the document as issued, code and moment included, and what the paper
 * prints beside the content (the issuing unit's name, the holder), so that none of it can be altered.
 */
export interface DocumentStatement {
  code: string;
  kind: string;
  issuedAt: string;
  issuedBy?: string;
  holder?: { name: string; pin?: string } | null;
  content: unknown;
}

export const SIGNATURE_TYPE = 'gov-document+jws';

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): node reads keys in this form, not a bare seed.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function parseDocumentSigningKeys(spec: string): SigningKey[] {
  const keys = parseKeyList(spec, 'an Ed25519 seed of 32 bytes').map(({ id, bytes }) => {
    const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes]), format: 'der', type: 'pkcs8' });
    return { id, privateKey, publicKey: createPublicKey(privateKey) };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('key ids must differ');
  return keys;
}

// Dev mode only, like the dev payload key: a fixed, public key so that `npm start` signs out of the box.
const DEV_DOCUMENT_SIGNING_KEYS = `dev:${Buffer.from('dev-only-document-key-not-secret').toString('base64')}`;

/** The signer for `DOCUMENT_SIGNING_KEYS`, or the dev key in dev mode; production without keys is refused. */
export function createDocumentSigner(options: { keys: string | undefined; devMode: boolean }): DocumentSigner {
  const spec = options.keys ?? (options.devMode ? DEV_DOCUMENT_SIGNING_KEYS : undefined);
  if (!spec) throw new Error('DOCUMENT_SIGNING_KEYS: required in production (id:base64 of a 32-byte Ed25519 seed, comma-separated, newest first)');
  const keys = parseDocumentSigningKeys(spec);
  const [current] = keys as [SigningKey, ...SigningKey[]];
  const jwks: JSONWebKeySet = {
    keys: keys.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.id, alg: 'EdDSA', use: 'sig' })),
  };
  return {
    sign: (statement) =>
      new CompactSign(new TextEncoder().encode(canonicalJson(statement)))
        .setProtectedHeader({ alg: 'EdDSA', kid: current.id, typ: SIGNATURE_TYPE })
        .sign(current.privateKey),
    jwks: () => jwks,
    keyId: current.id,
  };
}

/**
 * Checks a document's JWS against published keys and gives back what it states; throws when the
 * signature does not verify (tampered, or a key that is not published).
 */
export async function verifyDocumentSignature(jws: string, jwks: JSONWebKeySet): Promise<{ keyId: string; statement: DocumentStatement }> {
  const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
  if (protectedHeader.typ !== SIGNATURE_TYPE) throw new Error(`not a document signature (typ ${String(protectedHeader.typ)})`);
  return { keyId: protectedHeader.kid ?? '', statement: JSON.parse(new TextDecoder().decode(payload)) as DocumentStatement };
}

/**
 * JSON with object keys sorted at every level and no whitespace (RFC 8785 for the values documents
 * hold: strings, integers, booleans, null), so that a verifier recomputes the same bytes from the
 * same content whatever order a database or a client gave the keys in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
