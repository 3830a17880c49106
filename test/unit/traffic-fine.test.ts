import { caseIdFor, fingerprintOf } from '../../procedures/traffic-fine/violations';
import { Evidence, normalizePlate, PLATE_PATTERN, TrafficAnswer, trafficFine } from '../../procedures/traffic-fine/definition';

// Plates, evidence fingerprints and case codes of traffic fines: what makes the same evidence one case.

describe('Vietnamese plates', () => {
  it('reads cars and motorbikes however they were written, and nothing else', () => {
    const read = ['51F-123.45', '51f 12345', '59X3-456.78', '59x3 45678', '61C-234.56', '51LD-123.45', '51A-1234', '59X1-1234'].map(normalizePlate);
    expect(read).toEqual(['51F-123.45', '51F-123.45', '59X3-456.78', '59X3-456.78', '61C-234.56', '51LD-123.45', '51A-1234', '59X1-1234']);
    for (const bad of ['', '12345', 'ABC-123.45', '51A-123.456', '5A-123.45', '51-123.45', undefined]) expect(normalizePlate(bad)).toBeNull();
  });

  it('are published as a pattern that takes exactly what is read', () => {
    const pattern = new RegExp(PLATE_PATTERN);
    const written = ['51F-123.45', ' 51f 12345 ', '59X3-456.78', '5 9 x 3 - 4 5 6 . 7 8', '51A1-1234', '51A-1234', '51A--123.45', '51A-123..45', '51ABC-123.45', '51A-123.4', '51A.123-45'];
    // And random strings of what plates are made of: 20,000 of them, from a fixed seed.
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const alphabet = '0123456789aAxXLD -.';
    for (let i = 0; i < 20_000; i += 1) written.push(Array.from({ length: 4 + Math.floor(random() * 9) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const disagree = written.filter((w) => pattern.test(w) !== (normalizePlate(w) !== null));
    expect(disagree).toEqual([]);
    expect(written.filter((w) => pattern.test(w)).length).toBeGreaterThan(50);
  });
});

describe('evidence fingerprints', () => {
  const evidence = Evidence.parse(trafficFine.example.body.data);

  it('are the same for the same images, plate, instant and place, however written', () => {
    const same = Evidence.parse({
      ...trafficFine.example.body.data,
      source: 'camera:another-gateway',
      plateNumber: '51f 12345',
      capturedAt: '2026-11-20T00:42:13Z',
      location: { ...evidence.location, description: 'giao lo LE LOI –  Nguyen Hue, huong Ben Thanh' },
      evidence: [...evidence.evidence].reverse().map((i) => ({ sha256: i.sha256.toUpperCase() })),
    });
    expect(fingerprintOf(same)).toBe(fingerprintOf(evidence));
    expect(caseIdFor(fingerprintOf(same), new Date(same.capturedAt))).toBe(caseIdFor(fingerprintOf(evidence), new Date(evidence.capturedAt)));
  });

  it('differ when an image, the plate, the instant or the ward differs', () => {
    const variants = [
      { evidence: evidence.evidence.slice(1) },
      { plateNumber: '51F-123.46' },
      { capturedAt: '2026-11-20T07:42:14+07:00' },
      { location: { ...evidence.location, unitCode: 'W-SAI-GON' } },
    ];
    for (const v of variants) expect(fingerprintOf(Evidence.parse({ ...trafficFine.example.body.data, ...v }))).not.toBe(fingerprintOf(evidence));
  });

  it('give a case code of the capture date (UTC+7), no personal data', () => {
    expect(caseIdFor(fingerprintOf(evidence), new Date('2026-11-19T18:00:00Z'))).toMatch(/^TFN-261120-[0-9A-Z]{6}$/);
    expect(caseIdFor(fingerprintOf(evidence), new Date(evidence.capturedAt), true)).not.toBe(caseIdFor(fingerprintOf(evidence), new Date(evidence.capturedAt), true));
  });
});

describe("the owner's answers", () => {
  it('take accept with a date, dispute with a reason, pay with an integer amount and its key', () => {
    expect(TrafficAnswer.safeParse({ action: 'accept', payBy: '2026-12-01' }).success).toBe(true);
    expect(TrafficAnswer.safeParse({ action: 'dispute', reason: 'Không phải xe tôi' }).success).toBe(true);
    expect(TrafficAnswer.safeParse({ action: 'pay', amount: 5_000_000, paymentKey: 'k' }).success).toBe(true);
    expect(TrafficAnswer.safeParse({ action: 'pay', amount: 5_000_000.5, paymentKey: 'k' }).success).toBe(false);
    expect(TrafficAnswer.safeParse({ action: 'pay', amount: 5_000_000 }).success).toBe(false);
    expect(TrafficAnswer.safeParse({ action: 'dispute' }).success).toBe(false);
  });
});
