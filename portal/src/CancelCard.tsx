import { useState, type FormEvent } from 'react';
import { ApiProblem, post } from './api';
import { useI18n } from './i18n';
import { ProblemAlert } from './ProblemAlert';
import type { CancelledDossier } from './types';

/** Cancelling before the decision, once confirmed (with a reason if the citizen gives one). */
export function CancelCard({ dossierId, onDone }: { dossierId: string; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function cancel(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      await post<CancelledDossier>(`/dossiers/${dossierId}/cancel`, reason.trim() ? { reason: reason.trim() } : {});
      setConfirming(false);
      onDone(t('cancel.done'));
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card cancel" aria-labelledby="cancel-title">
      <h2 id="cancel-title">{t('cancel.title')}</h2>
      <ProblemAlert error={failure} />
      {!confirming ? (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          {t('cancel.button')}
        </button>
      ) : (
        <form onSubmit={(e) => void cancel(e)}>
          <p>{t('cancel.confirm', { id: dossierId })}</p>
          <label htmlFor="cancel-reason">{t('cancel.reason')}</label>
          <textarea id="cancel-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          <p className="buttons">
            <button type="submit" disabled={busy}>{t('cancel.yes')}</button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              {t('cancel.no')}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}
