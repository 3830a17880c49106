import { Writable } from 'node:stream';
import pino from 'pino';
import { pseudonym, redactPaths } from '../../common/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ redact: { paths: redactPaths, censor: '[redacted]' } }, stream);
  return { logger, text: () => lines.join('') };
}

describe('logging without personal data', () => {
  it('redacts ID numbers, names, addresses and contacts wherever they sit in a log object', () => {
    const { logger, text } = capture();
    logger.info(
      {
        pin: '079088004127',
        person: { fullName: 'Nguyễn Văn An', address: '12 Lê Lợi', email: 'an@example.com', phone: '0903123456' },
        request: { headers: { authorization: 'Bearer secret-token' } },
        dossier: { applicant: { name: 'Nguyễn Văn An' } },
        dossierId: 'HT-2026-000001',
      },
      'filed',
    );
    const out = text();
    for (const secret of ['079088004127', 'Nguyễn', 'Lê Lợi', 'an@example.com', '0903123456', 'secret-token']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('HT-2026-000001');
  });

  it('keeps the logger name', () => {
    const { logger, text } = capture();
    logger.child({ name: 'worker' }).info('up');
    expect(JSON.parse(text()).name).toBe('worker');
  });

  it('gives a stable pseudonym that does not contain the value', () => {
    expect(pseudonym('079088004127')).toBe(pseudonym('079088004127'));
    expect(pseudonym('079088004127')).not.toContain('079088004127');
    expect(pseudonym('079088004127')).not.toBe(pseudonym('079088004128'));
  });
});
