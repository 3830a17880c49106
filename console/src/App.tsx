import { lazy, Suspense } from 'react';
import { Inbox } from './Inbox';
import { useI18n } from './i18n';
import { href, useRoute } from './router';
import { SessionProvider, useSessionState, type Session } from './session';
import { SignIn } from './SignIn';
import { DossierPage } from './DossierPage';

// The dashboard (and its chart library) loads only for supervisors who open it.
const Dashboard = lazy(() => import('./Dashboard'));

export function App() {
  const { state, signIn, signOut } = useSessionState();
  const { t } = useI18n();
  if (state.kind === 'loading') return <Shell><p>{t('common.loading')}</p></Shell>;
  if (state.kind === 'signed-out') return <Shell><SignIn onToken={signIn} error={state.error} /></Shell>;
  const session: Session = { ...state.session, signOut };
  return (
    <SessionProvider session={session}>
      <Shell session={session}>
        <Page session={session} />
      </Shell>
    </SessionProvider>
  );
}

function Page({ session }: { session: Session }) {
  const route = useRoute();
  const { t } = useI18n();
  if (session.me.role === 'citizen') return <main><p role="alert" className="alert">{t('signIn.staffOnly')}</p></main>;
  switch (route.page) {
    case 'dossier':
      return <DossierPage key={route.dossierId} dossierId={route.dossierId} />;
    case 'dashboard':
      return (
        <Suspense fallback={<p>{t('common.loading')}</p>}>
          <Dashboard />
        </Suspense>
      );
    default:
      return <Inbox />;
  }
}

function Shell({ session, children }: { session?: Session; children: React.ReactNode }) {
  const { t, name, lang, setLang } = useI18n();
  const route = useRoute();
  return (
    <>
      <header className="top">
        <div className="brand">
          <strong>{t('app.title')}</strong>
          <span>{t('app.subtitle')}</span>
        </div>
        {session && (
          <nav>
            <a href={href.inbox} aria-current={route.page === 'inbox' ? 'page' : undefined}>
              {t('nav.inbox')}
            </a>
            {(session.me.role === 'supervisor' || session.me.role === 'system') && (
              <a href={href.dashboard} aria-current={route.page === 'dashboard' ? 'page' : undefined}>
                {t('nav.dashboard')}
              </a>
            )}
          </nav>
        )}
        <div className="who">
          {session && (
            <span data-field="me">
              {session.me.sub} · {name(session.me.role)} · {session.me.unit}
            </span>
          )}
          <button type="button" className="link" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} lang={lang === 'vi' ? 'en' : 'vi'}>
            {t('lang.switch')}
          </button>
          {session && (
            <button type="button" className="link" onClick={session.signOut}>
              {t('nav.signOut')}
            </button>
          )}
        </div>
      </header>
      {children}
    </>
  );
}
