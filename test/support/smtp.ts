import { startEmbeddedSmtp, type ReceivedMail } from '../../system/embedded-smtp';

export interface TestSmtp {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Resolves with the mail matching `predicate`, waiting for it to arrive. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/** A real SMTP server on a free loopback port that keeps what it receives for the test to read. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  const server = await startEmbeddedSmtp({
    port: 0,
    onMail: (mail) => {
      mails.push(mail);
      waiters.splice(0).forEach((wake) => wake());
    },
  });
  return {
    url: server.url,
    port: server.port,
    mails,
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.find(predicate);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching mail within ${timeoutMs} ms (received ${mails.length})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    stop: () => server.stop(),
  };
}
