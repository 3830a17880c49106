import { useEffect, useState } from 'react';
import { ApiProblem, fetchFile, get } from './api';
import { useI18n } from './i18n';
import { ProblemAlert } from './ProblemAlert';
import type { DocumentView } from './types';

/** The document issued for the dossier, if any: its code, a signed PDF to keep, and its public verification page. */
export function DocumentCard({ dossierId }: { dossierId: string }) {
  const { t, time, lang } = useI18n();
  const [document, setDocument] = useState<DocumentView | null | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    get<DocumentView>(`/dossiers/${dossierId}/document`).then(setDocument, (error: unknown) => {
      if (error instanceof ApiProblem && error.status === 404) setDocument(null);
      else setFailure(error);
    });
  }, [dossierId]);

  async function download(code: string) {
    try {
      const { blob, filename } = await fetchFile(`/dossiers/${dossierId}/document`, 'application/pdf');
      const url = URL.createObjectURL(blob);
      const link = Object.assign(window.document.createElement('a'), { href: url, download: filename ?? `${code}.pdf` });
      window.document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setFailure(error);
    }
  }

  if (document === undefined && !failure) return null;
  return (
    <section className="card document" aria-labelledby="document-title">
      <h2 id="document-title">{t('doc.title')}</h2>
      <ProblemAlert error={failure} />
      {document === null && <p className="muted">{t('doc.none')}</p>}
      {document && (
        <>
          <dl>
            <dt>{t('doc.code')}</dt>
            <dd data-field="code" className="code">{document.code}</dd>
            <dt>{t('doc.issuedAt')}</dt>
            <dd>{time(document.issuedAt)}</dd>
          </dl>
          <p className="buttons">
            <button type="button" className="primary" onClick={() => void download(document.code)}>
              {t('doc.download')}
            </button>
            <a href={`/verify/${document.code}?lang=${lang}`}>{t('doc.verify')}</a>
          </p>
        </>
      )}
    </section>
  );
}
