import { useEffect, useState, type FormEvent } from 'react';
import { call } from './api';
import { useI18n } from './i18n';
import type { DemoDirectory } from './types';

/**
 * Dev mode (the API answers `GET /dev/demo`): pick a seeded staff member, the console asks a dev
 * token for them. Production (404 there): paste the identity provider's token, or arrive with it.
 */
export function SignIn({ onToken, error }: { onToken: (token: string) => Promise<void>; error?: unknown }) {
  const { t, name, problem } = useI18n();
  const [demo, setDemo] = useState<DemoDirectory | null | undefined>(undefined);
  const [unit, setUnit] = useState('');
  const [token, setToken] = useState('');
  const [failure, setFailure] = useState<unknown>(error);

  useEffect(() => {
    call<DemoDirectory>('GET', '/dev/demo', { anonymous: true }).then(
      (directory) => {
        setDemo(directory);
        setUnit(directory.staff[0]?.unitCode ?? '');
      },
      () => setDemo(null),
    );
  }, []);

  async function signInAs(member: { id: string; role: string }, unitCode: string) {
    try {
      const issued = await call<{ token: string }>('POST', '/auth/dev-token', { anonymous: true, body: { sub: member.id, role: member.role, unit: unitCode } });
      await onToken(issued.token);
    } catch (e) {
      setFailure(e);
    }
  }

  function submitToken(event: FormEvent) {
    event.preventDefault();
    void onToken(token.trim());
  }

  const group = demo?.staff.find((g) => g.unitCode === unit);
  return (
    <main className="sign-in">
      <h1>{t('signIn.title')}</h1>
      <p className="muted">{t('signIn.staffOnly')}</p>
      {failure !== undefined && <p role="alert" className="alert">{problem(failure)}</p>}
      {demo === undefined && <p>{t('common.loading')}</p>}
      {demo && (
        <section className="card" aria-labelledby="demo-title">
          <h2 id="demo-title">{t('signIn.demo')}</h2>
          <label>
            {t('signIn.unit')}{' '}
            <select value={unit} onChange={(e) => setUnit(e.target.value)} name="unit">
              {demo.staff.map((g) => (
                <option key={g.unitCode} value={g.unitCode}>
                  {g.unitName} ({g.unitCode})
                </option>
              ))}
            </select>
          </label>
          <ul className="members">
            {group?.members.map((m) => (
              <li key={m.id}>
                <button type="button" data-sub={m.id} onClick={() => void signInAs(m, group.unitCode)}>
                  {m.fullName} · {name(m.role)}
                </button>
                <span className="muted"> {m.id}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form className="card" onSubmit={submitToken}>
        <label htmlFor="token">{t('signIn.token')}</label>
        <p className="muted">{t('signIn.tokenHint')}</p>
        <textarea id="token" rows={3} value={token} onChange={(e) => setToken(e.target.value)} spellCheck={false} />
        <button type="submit" disabled={!token.trim()}>
          {t('signIn.useToken')}
        </button>
      </form>
    </main>
  );
}
