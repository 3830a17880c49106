import { lazy, Suspense, useEffect, useState } from 'react';
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

/**
 * The header: the console's name, its pages, the language and who is signed in. On a phone the
 * pages, the language and the identity fold into a menu; signing out stays in the header.
 */
function Shell({ session, children }: { session?: Session; children: React.ReactNode }) {
  const { t, name, lang, setLang } = useI18n();
  const route = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route]);
  return (
    <>
      <header className="top">
        <div className="brand">
          <strong>{t('app.title')}</strong>
          <span>{t('app.subtitle')}</span>
        </div>
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="top-menu" onClick={() => setMenuOpen((open) => !open)}>
          {t('nav.menu')}
        </button>
        <div id="top-menu" className={menuOpen ? 'menu open' : 'menu'}>
          {session && (
            <nav aria-label={t('nav.menu')}>
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
                {session.me.sub} · {name(session.me.role)}
                {session.me.unit && (
                  <>
                    {' · '}
                    <UnitOf code={session.me.unit} units={session.units} />
                  </>
                )}
              </span>
            )}
            <button type="button" className="link" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} lang={lang === 'vi' ? 'en' : 'vi'}>
              {t('lang.switch')}
            </button>
          </div>
        </div>
        {session && (
          <button type="button" className="link sign-out" onClick={session.signOut}>
            {t('nav.signOut')}
          </button>
        )}
      </header>
      {children}
    </>
  );
}

/** The header's unit (outside the session's provider): its name, the code in small type. */
function UnitOf({ code, units }: { code: string; units: Session['units'] }) {
  const unit = units.find((u) => u.code === code);
  return (
    <span className="unit">
      {unit?.name ?? code}
      {unit && <small className="code"> {code}</small>}
    </span>
  );
}
