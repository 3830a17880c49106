import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * The soak's SMTP server: not the engine's own mail store, a sink in the soak's process that
 * counts every message delivered to it, per recipient, by the Message-ID the engine sets (derived
 * from its Notification row: one per idempotency key) and by recipient and subject. The same
 * Message-ID twice is the same notification sent twice (a retry after the hand-off); the same
 * recipient and subject under two Message-IDs is the same mail asked for twice under two keys.
 */
export interface Delivery {
  to: string;
  subject: string;
  messageId: string;
  /** An idempotency header, should the engine set one (it sets none today: the Message-ID is the key). */
  idempotencyKey?: string;
  at: string;
}

export interface Duplicate {
  to: string;
  subject: string;
  messageIds: string[];
  deliveries: number;
  /** The engine's idempotency keys of those messages (its Notification rows), filled in by the report. */
  idempotencyKeys?: string[];
}

export class MailSink {
  readonly deliveries: Delivery[] = [];
  private server?: SMTPServer;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const idempotency = [...parsed.headers.entries()].find(([name]) => /idempotency/i.test(name))?.[1];
            for (const rcpt of session.envelope.rcptTo) {
              this.deliveries.push({
                to: rcpt.address.toLowerCase(),
                subject: parsed.subject ?? '',
                messageId: parsed.messageId ?? '(none)',
                ...(typeof idempotency === 'string' ? { idempotencyKey: idempotency } : {}),
                at: new Date().toISOString(),
              });
            }
            callback();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Deliveries of the same message (Message-ID, or idempotency key) to the same recipient more than once. */
  sameMessageTwice(): Duplicate[] {
    return this.groups((d) => `${d.to}\n${d.idempotencyKey ?? d.messageId}`).filter((g) => g.deliveries > 1);
  }

  /** The same recipient and subject under more than one message. */
  sameSubjectTwice(): Duplicate[] {
    return this.groups((d) => `${d.to}\n${d.subject}`).filter((g) => g.messageIds.length > 1);
  }

  private groups(key: (d: Delivery) => string): Duplicate[] {
    const groups = new Map<string, Duplicate>();
    for (const d of this.deliveries) {
      const k = key(d);
      const group = groups.get(k) ?? { to: d.to, subject: d.subject, messageIds: [], deliveries: 0 };
      group.deliveries += 1;
      if (!group.messageIds.includes(d.messageId)) group.messageIds.push(d.messageId);
      groups.set(k, group);
    }
    return [...groups.values()];
  }
}
