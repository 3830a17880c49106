import { useEffect, type ReactNode } from 'react';
import { ApiProblem, call } from './api';
import { Catalog } from './Catalog';
import { DossierPage } from './DossierPage';
import { FilingPage } from './FilingPage';
import { useI18n, type Lang } from './i18n';
import { MyDossiers } from './MyDossiers';
import { followLink, href, useRoute } from './router';
import { SessionProvider, useSessionState, type Session } from './session';
import { SignIn } from './SignIn';

export function App() {
  const { state, signIn, signOut } = useSessionState();
  const { t, lang } = useI18n();
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  if (state.kind === 'loading') return <Shell><main><p>{t('common.loading')}</p></main></Shell>;
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
  if (session.me.role !== 'citizen') {
    return (
      <main>
        <p role="alert" className="alert">{t('signIn.citizensOnly')}</p>
      </main>
    );
  }
  switch (route.page) {
    case 'file':
      return <FilingPage key={route.procedure} procedureId={route.procedure} />;
    case 'dossiers':
      return <MyDossiers />;
    case 'dossier':
      return <DossierPage key={route.dossierId} dossierId={route.dossierId} />;
    default:
      return <Catalog />;
  }
}

/** The person's language, told to the API when it keeps one (mail in the chosen language); an API without it is fine. */
async function rememberLanguage(language: Lang): Promise<void> {
  try {
    await call('PUT', '/me/language', { body: { language } });
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
  }
}

function Shell({ session, children }: { session?: Session; children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const route = useRoute();
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  function switchLanguage() {
    setLang(other);
    if (session) void rememberLanguage(other);
  }
  const last4 = session?.me.sub.slice(-4);
  return (
    <>
      <header className="top">
        <a className="brand" href={href.catalog} onClick={followLink}>
          <strong>{t('app.title')}</strong>
          <span>{t('app.subtitle')}</span>
        </a>
        {session && (
          <nav aria-label={t('nav.label')}>
            <a href={href.catalog} onClick={followLink} aria-current={route.page === 'catalog' || route.page === 'file' ? 'page' : undefined}>
              {t('nav.catalog')}
            </a>
            <a href={href.dossiers} onClick={followLink} aria-current={route.page === 'dossiers' || route.page === 'dossier' ? 'page' : undefined}>
              {t('nav.dossiers')}
            </a>
          </nav>
        )}
        <div className="who">
          {session && (
            <span className="me" data-field="me">
              {session.name ?? `${t('me.citizen')} ••••${last4}`}
            </span>
          )}
          <button type="button" className="link" onClick={switchLanguage} lang={other}>
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
