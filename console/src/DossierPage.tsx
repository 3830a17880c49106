import { useCallback, useEffect, useState } from 'react';
import { ApiProblem, get } from './api';
import { useI18n } from './i18n';
import { href } from './router';
import type { Dossier, WorkingTimeView } from './types';
import { UnitName } from './Unit';

interface IssuedDocument {
  code: string;
  kind: string;
  issuedAt: string;
}

// The countdown is recounted by the API (office hours, holidays) once a minute.
const RECOUNT_MS = 60_000;

/** A dossier: where it stands, the working time left, its history, documents and open tasks. */
export function DossierPage({ dossierId }: { dossierId: string }) {
  const { t, name, time, localize, workingTime, problem, documentKind } = useI18n();
  const [dossier, setDossier] = useState<Dossier | null>(null);
  const [clock, setClock] = useState<WorkingTimeView | null>(null);
  const [document, setDocument] = useState<IssuedDocument | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const load = useCallback(async () => {
    try {
      const [d, w] = await Promise.all([get<Dossier>(`/dossiers/${dossierId}`), get<WorkingTimeView>(`/dossiers/${dossierId}/working-time`)]);
      setDossier(d);
      setClock(w);
      setDocument(await get<IssuedDocument>(`/dossiers/${dossierId}/document`).catch((e: unknown) => (e instanceof ApiProblem && e.status === 404 ? null : Promise.reject(e))));
    } catch (e) {
      setError(e);
    }
  }, [dossierId]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      get<WorkingTimeView>(`/dossiers/${dossierId}/working-time`).then(setClock, () => undefined);
    }, RECOUNT_MS);
    return () => clearInterval(timer);
  }, [load, dossierId]);

  if (error !== undefined) return <main><p role="alert" className="alert">{problem(error)}</p></main>;
  if (!dossier || !clock) return <main><p>{t('common.loading')}</p></main>;
  const taskClock = new Map(clock.tasks.map((c) => [c.taskId, c]));
  return (
    <main className="dossier">
      <p>
        <a href={href.inbox}>{t('dossier.back')}</a>
      </p>
      <h1>{t('dossier.title', { id: dossier.dossierId })}</h1>
      <div className="grid">
        <section className="card summary">
          <dl>
            <dt>{t('inbox.procedure')}</dt>
            <dd>{name(dossier.procedure)}</dd>
            <dt>{t('inbox.unit')}</dt>
            <dd>
              <UnitName code={dossier.unitCode} />
            </dd>
            <dt>{t('dossier.status')}</dt>
            <dd data-field="status">{name(dossier.status, dossier.procedure)}</dd>
            <dt>{t('dossier.currentStep')}</dt>
            <dd data-field="currentStep">{name(dossier.currentStep, dossier.procedure)}</dd>
            <dt>{t('dossier.received')}</dt>
            <dd>{time(dossier.receivedAt)}</dd>
            <dt>{t('dossier.due')}</dt>
            <dd>
              {time(dossier.dueAt)} {dossier.overdue && <span className="badge late">{t('task.overdue')}</span>}
            </dd>
          </dl>
        </section>
        <section className={`card countdown ${clock.dossier.workingMinutesLeft < 0 ? 'late' : ''}`} aria-labelledby="countdown-title">
          <h2 id="countdown-title">{t('dossier.countdown')}</h2>
          {clock.closed ? (
            <p className="big">{t('dossier.closed')}</p>
          ) : (
            <p className="big" data-field="countdown" data-minutes={clock.dossier.workingMinutesLeft}>
              {workingTime(clock.dossier.workingMinutesLeft, clock.workingMinutesPerDay)}
            </p>
          )}
          <p className="muted">{t('countdown.officeHours', { hours: clock.officeHours.map((h) => `${h.from}–${h.to}`).join(', ') })}</p>
          {dossier.awaiting && <p className="notice">{t('dossier.awaiting', { due: time(dossier.awaiting.dueAt) })}</p>}
        </section>
      </div>
      <section className="card" aria-labelledby="tasks-title">
        <h2 id="tasks-title">{t('dossier.openTasks')}</h2>
        {dossier.openTasks.length === 0 ? (
          <p className="muted">{t('common.none')}</p>
        ) : (
          <ul className="open-tasks">
            {dossier.openTasks.map((task) => {
              const left = taskClock.get(task.taskId);
              return (
                <li key={task.taskId}>
                  <strong>{name(task.step, dossier.procedure)}</strong> · {task.taskId} · <UnitName code={task.unitCode} /> · {t('task.due')} {time(task.dueAt)}{' '}
                  {left && <span className={left.workingMinutesLeft < 0 ? 'badge late' : 'badge'}>{workingTime(left.workingMinutesLeft, clock.workingMinutesPerDay)}</span>}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="docs-title">
        <h2 id="docs-title">{t('dossier.documents')}</h2>
        {document ? (
          <dl>
            <dt>{t('doc.kind')}</dt>
            <dd>{documentKind(document.kind)}</dd>
            <dt>{t('doc.code')}</dt>
            <dd>
              {document.code} (<a href={`/api/v1/documents/${document.code}/verify`}>{t('dossier.verify')}</a>)
            </dd>
            <dt>{t('doc.issuedAt')}</dt>
            <dd>{time(document.issuedAt)}</dd>
          </dl>
        ) : (
          <p className="muted">{t('dossier.noDocument')}</p>
        )}
        {dossier.result && (
          <details>
            <summary>{t('dossier.result')}</summary>
            <dl className="result">
              {Object.entries(dossier.result).map(([key, value]) => (
                <div key={key}>
                  <dt>{name(key, dossier.procedure)}</dt>
                  <dd>{localize(typeof value === 'string' ? value : JSON.stringify(value))}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
      </section>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t('dossier.history')}</h2>
        <ol className="timeline">
          {dossier.history.map((h, i) => (
            <li key={i}>
              <time dateTime={h.at}>{time(h.at)}</time>
              <div>
                <strong>{name(h.step, dossier.procedure)}</strong> — {name(h.outcome, dossier.procedure)} <span className="muted">({h.actor})</span>
                {h.note && <div className="note">{localize(h.note)}</div>}
              </div>
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
