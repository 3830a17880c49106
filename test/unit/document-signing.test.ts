import { canonicalJson, createDocumentSigner, verifyDocumentSignature, type DocumentStatement } from '../../common/document-signing';

// Documents are signed by the issuing system; anyone checks them against the published keys, and
// documents signed before a rotation still verify while the old key stays listed.

const seed = (id: string, byte: number) => `${id}:${Buffer.alloc(32, byte).toString('base64')}`;
const STATEMENT: DocumentStatement = {
  code: '7K3M-9QAB-X2CD',
  kind: 'civil-status-extract/BIRTH',
  issuedAt: '2026-11-03T02:00:00.000Z',
  content: { kind: 'BIRTH', details: { childName: 'Nguyễn Minh Khang', dateOfBirth: '2019-05-10' } },
};

describe('document signing', () => {
  it('signs with the newest key and verifies against the published keys', async () => {
    const signer = createDocumentSigner({ keys: `${seed('2026-11', 1)},${seed('2025-01', 2)}`, devMode: false });
    expect(signer.jwks().keys.map((k) => [k.kid, k.kty, k.crv, k.alg, 'd' in k])).toEqual([
      ['2026-11', 'OKP', 'Ed25519', 'EdDSA', false],
      ['2025-01', 'OKP', 'Ed25519', 'EdDSA', false],
    ]);
    const jws = await signer.sign(STATEMENT);
    await expect(verifyDocumentSignature(jws, signer.jwks())).resolves.toEqual({ keyId: '2026-11', statement: STATEMENT });
  });

  it('still verifies what an older key signed after a rotation, and nothing once the key is dropped', async () => {
    const before = createDocumentSigner({ keys: seed('2025-01', 2), devMode: false });
    const jws = await before.sign(STATEMENT);
    const rotated = createDocumentSigner({ keys: `${seed('2026-11', 1)},${seed('2025-01', 2)}`, devMode: false });
    await expect(verifyDocumentSignature(jws, rotated.jwks())).resolves.toMatchObject({ keyId: '2025-01' });
    const dropped = createDocumentSigner({ keys: seed('2026-11', 1), devMode: false });
    await expect(verifyDocumentSignature(jws, dropped.jwks())).rejects.toThrow();
  });

  it('fails once the signed content is changed', async () => {
    const signer = createDocumentSigner({ keys: seed('k1', 1), devMode: false });
    const [header, payload, signature] = (await signer.sign(STATEMENT)).split('.');
    const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace('Khang', 'Khanh')).toString('base64url');
    await expect(verifyDocumentSignature(`${header}.${forged}.${signature}`, signer.jwks())).rejects.toThrow(/signature/i);
  });

  it('has a dev key in dev mode only', async () => {
    expect(() => createDocumentSigner({ keys: undefined, devMode: false })).toThrow(/DOCUMENT_SIGNING_KEYS/);
    const dev = createDocumentSigner({ keys: undefined, devMode: true });
    expect(dev.jwks().keys.map((k) => k.kid)).toEqual(['dev']);
  });

  it('writes canonical JSON: keys sorted at every level, whatever order they came in', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'ạ' }], c: true } })).toBe('{"a":{"c":true,"d":[2,{"y":"ạ","z":null}]},"b":1}');
  });
});
