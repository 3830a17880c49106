import { useEffect, useState } from 'react';
import { get } from './api';
import { useI18n } from './i18n';
import { ProblemAlert } from './ProblemAlert';
import { followLink, href } from './router';
import type { DossierRow } from './types';

/** The citizen's dossiers, newest first: procedure, status and step in words, due date. */
export function MyDossiers() {
  const { t, name, time } = useI18n();
  const [rows, setRows] = useState<DossierRow[] | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    get<DossierRow[]>('/dossiers').then(setRows, setFailure);
  }, []);

  return (
    <main>
      <h1>{t('list.title')}</h1>
      <ProblemAlert error={failure} />
      {rows === undefined && !failure && <p>{t('common.loading')}</p>}
      {rows?.length === 0 && <p>{t('list.empty')}</p>}
      {rows && rows.length > 0 && (
        <>
          <p className="muted">{t('list.count', { n: rows.length })}</p>
          <ul className="cards dossiers">
            {rows.map((d) => (
              <li key={d.dossierId} className={`card dossier-row${d.overdue ? ' overdue' : ''}`} data-dossier={d.dossierId}>
                <h2>
                  <a href={href.dossier(d.dossierId)} onClick={followLink}>
                    {name(d.procedure, d.procedure)}
                  </a>
                </h2>
                <dl>
                  <dt>{t('list.code')}</dt>
                  <dd className="code">{d.dossierId}</dd>
                  <dt>{t('dossier.status')}</dt>
                  <dd data-field="status">{name(d.status, d.procedure)}</dd>
                  <dt>{t('dossier.currentStep')}</dt>
                  <dd data-field="currentStep">{name(d.currentStep, d.procedure)}</dd>
                  <dt>{t('dossier.due')}</dt>
                  <dd data-field="due">
                    {time(d.dueAt)} {d.overdue && <span className="badge late">{t('dossier.overdue')}</span>}
                  </dd>
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
