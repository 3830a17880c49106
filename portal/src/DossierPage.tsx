import { useCallback, useEffect, useState } from 'react';
import { ApiProblem, get } from './api';
import { CancelCard } from './CancelCard';
import { DocumentCard } from './DocumentCard';
import { maskPins, useI18n } from './i18n';
import { ProblemAlert } from './ProblemAlert';
import { flashOfPage, followLink, href } from './router';
import { useSession } from './session';
import { SupplementForm } from './SupplementForm';
import { TrafficNoticeCard } from './TrafficNoticeCard';
import type { Dossier, WorkingTimeView } from './types';

const TRAFFIC_FINE = 'traffic-fine';

/**
 * One dossier: where it stands (status, step, due date, working time used and left), what the
 * citizen can do now (answer a supplement or a traffic notice, cancel, download the document) and
 * its history in the city's local time.
 */
export function DossierPage({ dossierId }: { dossierId: string }) {
  const { t } = useI18n();
  const [dossier, setDossier] = useState<Dossier | undefined>(undefined);
  const [clock, setClock] = useState<WorkingTimeView | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(null);
  const [message, setMessage] = useState<string | undefined>(() => flashOfPage());

  const reload = useCallback(async () => {
    try {
      const [d, c] = await Promise.all([get<Dossier>(`/dossiers/${dossierId}`), get<WorkingTimeView>(`/dossiers/${dossierId}/working-time`)]);
      setDossier(d);
      setClock(c);
      setFailure(null);
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      setFailure(error);
    }
  }, [dossierId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const done = useCallback(
    (text: string) => {
      setMessage(text);
      void reload();
    },
    [reload],
  );

  return (
    <main className="dossier">
      <p>
        <a href={href.dossiers} onClick={followLink}>{t('dossier.back')}</a>
      </p>
      <h1>{t('dossier.title', { id: dossierId })}</h1>
      <p role="status" className={message ? 'notice' : 'visually-hidden'}>
        {message}
      </p>
      <ProblemAlert error={failure} />
      {!dossier && !failure && <p>{t('common.loading')}</p>}
      {dossier && (
        <div className="grid">
          <div>
            <Summary dossier={dossier} />
            {dossier.awaiting?.kind === 'supplement' && <SupplementForm key={dossier.awaiting.round} dossier={dossier} awaiting={dossier.awaiting} onDone={done} />}
            {dossier.awaiting?.kind === 'respond' && dossier.procedure === TRAFFIC_FINE && (
              <TrafficNoticeCard key={`${dossier.awaiting.round}:${dossier.status}`} dossier={dossier} awaiting={dossier.awaiting} onDone={done} />
            )}
            <DocumentCard dossierId={dossier.dossierId} />
            {clock && !clock.closed && dossier.procedure !== TRAFFIC_FINE && <CancelCard dossierId={dossier.dossierId} onDone={done} />}
          </div>
          <div>
            {clock && <WorkingTimeCard clock={clock} />}
            <History dossier={dossier} />
          </div>
        </div>
      )}
    </main>
  );
}

function Summary({ dossier }: { dossier: Dossier }) {
  const { t, name, time } = useI18n();
  const { units } = useSession();
  const unit = units.find((u) => u.code === dossier.unitCode);
  return (
    <section className="card" aria-labelledby="summary-title">
      <h2 id="summary-title">{t('dossier.summary')}</h2>
      <dl>
        <dt>{t('dossier.procedure')}</dt>
        <dd data-field="procedure">{name(dossier.procedure, dossier.procedure)}</dd>
        <dt>{t('dossier.status')}</dt>
        <dd data-field="status">{name(dossier.status, dossier.procedure)}</dd>
        <dt>{t('dossier.currentStep')}</dt>
        <dd data-field="currentStep">{name(dossier.currentStep, dossier.procedure)}</dd>
        <dt>{t('dossier.unit')}</dt>
        <dd>{unit?.name ?? dossier.unitCode}</dd>
        <dt>{t('dossier.received')}</dt>
        <dd>{time(dossier.receivedAt)}</dd>
        <dt>{t('dossier.due')}</dt>
        <dd data-field="due">
          {time(dossier.dueAt)} {dossier.overdue && <span className="badge late">{t('dossier.overdue')}</span>}
        </dd>
      </dl>
    </section>
  );
}

function WorkingTimeCard({ clock }: { clock: WorkingTimeView }) {
  const { t, duration } = useI18n();
  const perDay = clock.workingMinutesPerDay;
  const left = clock.dossier.workingMinutesLeft;
  const hours = clock.officeHours.map((h) => `${h.from}–${h.to}`).join(', ');
  return (
    <section className={`card countdown${left < 0 && !clock.closed ? ' late' : ''}`} aria-labelledby="time-title">
      <h2 id="time-title">{t('dossier.time')}</h2>
      <dl>
        <dt>{t('dossier.used')}</dt>
        <dd data-field="used" data-minutes={clock.dossier.workingMinutesUsed}>
          {duration(clock.dossier.workingMinutesUsed, perDay)}
        </dd>
        {clock.closed ? (
          <>
            <dt>{t('dossier.status')}</dt>
            <dd>{t('dossier.closed')}</dd>
          </>
        ) : (
          <>
            <dt>{left >= 0 ? t('dossier.left') : t('dossier.late')}</dt>
            <dd data-field="left" data-minutes={left}>
              {duration(left, perDay)}
            </dd>
          </>
        )}
      </dl>
      <p className="muted">{t('dossier.officeHours', { hours })}</p>
    </section>
  );
}

function History({ dossier }: { dossier: Dossier }) {
  const { t, name, time } = useI18n();
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('dossier.history')}</h2>
      <ol className="timeline">
        {dossier.history.map((h, i) => (
          <li key={`${h.at}-${i}`}>
            <time dateTime={h.at}>{time(h.at)}</time>
            <div>
              <strong>{name(h.outcome, dossier.procedure)}</strong> <span className="muted">· {name(h.step, dossier.procedure)}</span>
              {h.note && <div className="note">{maskPins(h.note)}</div>}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
