import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiProblem, get, newIdempotencyKey, post } from './api';
import { CITY_UTC_OFFSET_MINUTES } from '../../common/local-time';
import { useI18n } from './i18n';
import { ProblemAlert } from './ProblemAlert';
import type { Dossier, TrafficAnswered, TrafficNotice } from './types';

type Awaiting = NonNullable<Dossier['awaiting']>;
const DAY_MS = 86_400_000;

/** A calendar day in the city, `days` from today: `2026-12-07`. */
function cityDate(days = 0): string {
  return new Date(Date.now() + CITY_UTC_OFFSET_MINUTES * 60_000 + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * A payment's key, kept (in the tab) from the first attempt until the payment succeeds: a double
 * click, a retry after a lost answer or a reload pays once.
 */
const paymentKeys = {
  of(dossierId: string): string {
    const stored = sessionStorage.getItem(`portal.payment.${dossierId}`);
    if (stored) return stored;
    const key = newIdempotencyKey();
    sessionStorage.setItem(`portal.payment.${dossierId}`, key);
    return key;
  },
  settled: (dossierId: string) => sessionStorage.removeItem(`portal.payment.${dossierId}`),
};

/** A traffic-fine notice: what was recorded and what is owed; the owner accepts (with a date), disputes or pays. */
export function TrafficNoticeCard({ dossier, awaiting, onDone }: { dossier: Dossier; awaiting: Awaiting; onDone: (message: string) => void }) {
  const { t, time, money, date } = useI18n();
  const [notice, setNotice] = useState<TrafficNotice | undefined>(undefined);
  const [payBy, setPayBy] = useState('');
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Set at once (a state is seen by the next click only after a render): a second click sends nothing.
  const inFlight = useRef(false);
  const id = dossier.dossierId;

  useEffect(() => {
    get<TrafficNotice>(`/dossiers/${id}/notice`).then(setNotice, setFailure);
  }, [id]);

  async function respond(body: object, done: (answer: TrafficAnswered) => string, idempotencyKey?: string) {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    try {
      const answer = await post<TrafficAnswered>(`/dossiers/${id}/respond`, body, { idempotencyKey });
      onDone(done(answer));
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      setFailure(error);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  function pay() {
    if (!notice) return;
    void respond({ action: 'pay', amount: notice.balance }, (answer) => {
      paymentKeys.settled(id);
      return t('notice.paid', { amount: money(answer.payment?.amount ?? notice.balance), id: answer.payment?.paymentId ?? '' });
    }, paymentKeys.of(id));
  }
  function accept(event: FormEvent) {
    event.preventDefault();
    void respond({ action: 'accept', payBy }, () => t('notice.accepted', { date: payBy.split('-').reverse().join('/') }));
  }
  function dispute(event: FormEvent) {
    event.preventDefault();
    void respond({ action: 'dispute', reason }, () => t('notice.disputed'));
  }
  const errorAt = (path: string) => (failure instanceof ApiProblem ? failure.errors.find((e) => e.path === path)?.message : undefined);

  return (
    <section className="card action notice-card" aria-labelledby="notice-title">
      <h2 id="notice-title">{t('notice.title')}</h2>
      <ProblemAlert error={failure} fieldName={(path) => (path === 'payBy' ? t('notice.payBy') : path === 'reason' ? t('notice.reason') : path)} />
      {notice && (
        <dl>
          <dt>{t('notice.violation')}</dt>
          <dd>{notice.violation}</dd>
          <dt>{t('notice.captured')}</dt>
          <dd>{time(notice.capturedAt)}</dd>
          {notice.plateNumber && (
            <>
              <dt>{t('notice.plate')}</dt>
              <dd>{notice.plateNumber}</dd>
            </>
          )}
          <dt>{t('notice.fine')}</dt>
          <dd>{money(notice.fineAmount)}</dd>
          <dt>{t('notice.balance')}</dt>
          <dd data-field="balance">{money(notice.balance)}</dd>
          <dt>{t('notice.answerBy')}</dt>
          <dd>{date(awaiting.dueAt)}</dd>
        </dl>
      )}
      {notice && notice.balance > 0 && (
        <div className="answer">
          <h3>{t('notice.pay')}</h3>
          <button type="button" className="primary" disabled={busy} onClick={pay}>
            {t('notice.payButton', { amount: money(notice.balance) })}
          </button>
        </div>
      )}
      <form className="answer" onSubmit={accept}>
        <h3>{t('notice.accept')}</h3>
        <label htmlFor="payBy">{t('notice.payBy')}</label>
        <input
          id="payBy"
          type="date"
          required
          min={cityDate()}
          max={cityDate(notice?.maxPromiseDays ?? 30)}
          value={payBy}
          onChange={(e) => setPayBy(e.target.value)}
          aria-invalid={errorAt('payBy') ? true : undefined}
          aria-describedby={errorAt('payBy') ? 'payBy-error' : undefined}
        />
        {errorAt('payBy') && <p className="field-error" id="payBy-error">{errorAt('payBy')}</p>}
        <button type="submit" disabled={busy || !payBy}>{t('notice.acceptSubmit')}</button>
      </form>
      <form className="answer" onSubmit={dispute}>
        <h3>{t('notice.dispute')}</h3>
        <label htmlFor="reason">{t('notice.reason')}</label>
        <textarea
          id="reason"
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={errorAt('reason') ? true : undefined}
          aria-describedby={errorAt('reason') ? 'reason-error' : undefined}
        />
        {errorAt('reason') && <p className="field-error" id="reason-error">{errorAt('reason')}</p>}
        <button type="submit" disabled={busy}>{t('notice.disputeSubmit')}</button>
      </form>
    </section>
  );
}
