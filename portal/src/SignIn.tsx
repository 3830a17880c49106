import { useEffect, useState, type FormEvent } from 'react';
import { ApiProblem, call } from './api';
import { useI18n } from './i18n';
import type { DemoDirectory } from './types';

type DemoCitizen = DemoDirectory['citizens'][number];

/**
 * Dev mode (the API answers `GET /dev/demo`): pick a seeded citizen, the portal asks a dev token for
 * them. Production (404 there): paste the identity provider's token, or arrive with it. Citizens are
 * named, never shown by their identification number.
 */
export function SignIn({ onToken, error }: { onToken: (token: string, name?: string) => Promise<void>; error?: string }) {
  const { t } = useI18n();
  const [citizens, setCitizens] = useState<DemoCitizen[] | null | undefined>(undefined);
  const [token, setToken] = useState('');
  const [failure, setFailure] = useState(error);

  useEffect(() => {
    call<DemoDirectory>('GET', '/dev/demo', { anonymous: true }).then(
      (directory) => setCitizens(directory.citizens),
      () => setCitizens(null),
    );
  }, []);

  async function signInAs(citizen: DemoCitizen) {
    try {
      const issued = await call<{ token: string }>('POST', '/auth/dev-token', { anonymous: true, body: { sub: citizen.pin, role: 'citizen' } });
      await onToken(issued.token, citizen.fullName);
    } catch (e) {
      setFailure(e instanceof ApiProblem ? e.message : String(e));
    }
  }

  function submitToken(event: FormEvent) {
    event.preventDefault();
    void onToken(token.trim());
  }

  return (
    <main className="sign-in">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      {failure && (
        <p role="alert" className="alert">
          {failure}
        </p>
      )}
      {citizens === undefined && <p>{t('common.loading')}</p>}
      {citizens && (
        <section className="card" aria-labelledby="demo-title">
          <h2 id="demo-title">{t('signIn.demo')}</h2>
          <ul className="members">
            {citizens.map((c) => (
              <li key={c.pin}>
                <button type="button" onClick={() => void signInAs(c)}>
                  {c.fullName}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form className="card" onSubmit={submitToken}>
        <label htmlFor="token">{t('signIn.token')}</label>
        <p className="muted" id="token-hint">
          {t('signIn.tokenHint')}
        </p>
        <textarea id="token" aria-describedby="token-hint" rows={3} value={token} onChange={(e) => setToken(e.target.value)} spellCheck={false} />
        <button type="submit" disabled={!token.trim()}>
          {t('signIn.useToken')}
        </button>
      </form>
    </main>
  );
}
