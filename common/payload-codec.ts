import { parseKeyList } from './key-list';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';

/**
 * Encrypts every payload Temporal stores (workflow inputs and results, activity inputs and results,
 * update arguments, query answers) with AES-256-GCM, so what history and the Web UI show is
 * ciphertext. The key id travels in the payload's metadata: after a rotation, payloads written
 * under an older key still decrypt as long as that key stays configured. Payloads that were never
 * encrypted (histories recorded before the codec) pass through unchanged.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;

  /** `current` encrypts; it and every `previous` key decrypt. */
  constructor(
    private readonly current: PayloadKey,
    previous: readonly PayloadKey[] = [],
  ) {
    for (const k of [current, ...previous]) {
      if (k.key.length !== 32) throw new Error(`Payload key ${k.id} must be 32 bytes (AES-256), got ${k.key.length}`);
    }
    this.keys = new Map([current, ...previous].map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = encoder.encode(serialize(payload));
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encoder.encode(this.current.id) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      const keyId = keyIdBytes ? decoder.decode(keyIdBytes) : '';
      const key = this.keys.get(keyId);
      if (!key) throw new ValueError(`No payload key "${keyId}" is configured: it is needed to decrypt this payload`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return deserialize(decoder.decode(plain));
    });
  }
}

/**
 * Keys as configuration gives them: `id:base64key` pairs separated by commas, the first one current
 * (it encrypts), the others kept to decrypt what older keys wrote.
 */
export function parsePayloadKeys(spec: string): { current: PayloadKey; previous: PayloadKey[] } {
  const [current, ...previous] = parseKeyList(spec, '32 bytes').map(({ id, bytes }) => ({ id, key: bytes }));
  return { current: current!, previous };
}

/** The payload to encrypt, as JSON: metadata values and data in base64. */
function serialize(payload: Payload): string {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return JSON.stringify({ metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') });
}

function deserialize(json: string): Payload {
  const parsed = JSON.parse(json) as { metadata: Record<string, string>; data: string };
  const metadata = Object.fromEntries(Object.entries(parsed.metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]));
  return { metadata, data: new Uint8Array(Buffer.from(parsed.data, 'base64')) };
}

// Dev mode only, like the dev JWT secret: a fixed key so that `npm start` works out of the box.
const DEV_PAYLOAD_KEYS = `dev:${Buffer.from('dev-only-payload-key-not-secret!').toString('base64')}`;

/** The codec for `PAYLOAD_KEYS`, or the dev key in dev mode; production without keys is refused. */
export function createPayloadCodec(options: { keys: string | undefined; devMode: boolean }): AesGcmPayloadCodec {
  const spec = options.keys ?? (options.devMode ? DEV_PAYLOAD_KEYS : undefined);
  if (!spec) throw new Error('PAYLOAD_KEYS: required in production (id:base64 of 32 bytes, comma-separated, current first)');
  const { current, previous } = parsePayloadKeys(spec);
  return new AesGcmPayloadCodec(current, previous);
}
