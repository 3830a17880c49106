import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, createPayloadCodec, KEY_ID_METADATA, parsePayloadKeys } from '../../common/payload-codec';

// The payload codec: what Temporal stores is ciphertext, the key id travels with it, and payloads
// written under an older key still decrypt after a rotation.

const key = (id: string) => ({ id, key: randomBytes(32) });
const PERSONAL = { applicantPin: '079088004127', fullName: 'Nguyễn Văn An', dateOfBirth: '1988-03-14' };
const payload = () => defaultPayloadConverter.toPayload(PERSONAL);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('latin1');

describe('AesGcmPayloadCodec', () => {
  it('stores no personal value in clear, and gives the payload back', async () => {
    const codec = new AesGcmPayloadCodec(key('k1'));
    const [encrypted] = await codec.encode([payload()]);
    expect(text(encrypted!.data)).not.toContain('079088004127');
    expect(text(encrypted!.data)).not.toContain('1988-03-14');
    expect(text(encrypted!.metadata?.[KEY_ID_METADATA])).toBe('k1');
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(PERSONAL);
  });

  it('decrypts what an older key wrote after a rotation, and refuses a payload whose key is gone', async () => {
    const [k1, k2] = [key('k1'), key('k2')];
    const [old] = await new AesGcmPayloadCodec(k1).encode([payload()]);
    const rotated = new AesGcmPayloadCodec(k2, [k1]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual(PERSONAL);
    const [fresh] = await rotated.encode([payload()]);
    expect(text(fresh!.metadata?.[KEY_ID_METADATA])).toBe('k2');
    await expect(new AesGcmPayloadCodec(k2).decode([old!])).rejects.toThrow(/No payload key "k1"/);
  });

  it('refuses a payload tampered with, and passes through one never encrypted (older histories)', async () => {
    const codec = new AesGcmPayloadCodec(key('k1'));
    const [encrypted] = await codec.encode([payload()]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow();
    const plain = payload();
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});

describe('payload keys from configuration', () => {
  it('reads id:base64 pairs, the first one current', () => {
    const [a, b] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const { current, previous } = parsePayloadKeys(`2026-11:${a}, 2026-05:${b}`);
    expect(current.id).toBe('2026-11');
    expect(previous.map((k) => k.id)).toEqual(['2026-05']);
  });

  it('refuses short keys, missing ids, and production without keys', () => {
    expect(() => parsePayloadKeys(`k:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => parsePayloadKeys(randomBytes(32).toString('base64'))).toThrow();
    expect(() => createPayloadCodec({ keys: undefined, devMode: false })).toThrow(/PAYLOAD_KEYS/);
    expect(createPayloadCodec({ keys: undefined, devMode: true })).toBeInstanceOf(AesGcmPayloadCodec);
  });
});
