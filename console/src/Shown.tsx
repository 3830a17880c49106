import { useEffect, useState } from 'react';
import { imageData } from './api';
import { useI18n } from './i18n';
import type { ShownField } from './types';

/**
 * What the person deciding a task sees (`GET /tasks/{taskId}`: `shown`), as labelled fields in the
 * console's language: a value, a list of things of one kind (each its own small list of fields), or
 * the evidence's images.
 */
export function ShownFields({ fields }: { fields: ShownField[] }) {
  const { lang } = useI18n();
  return (
    <dl className="shown">
      {fields.map((field) => (
        <div key={field.key} className="shown-field" data-shown={field.key}>
          <dt>{field.label[lang]}</dt>
          <dd>
            {field.text && <span className="value">{field.text[lang]}</span>}
            {field.items && (
              <ul className="shown-items">
                {field.items.map((lines, i) => (
                  <li key={i}>
                    <dl>
                      {lines.map((line) => (
                        <div key={line.key} data-line={line.key}>
                          <dt>{line.label[lang]}</dt>
                          <dd>{line.text[lang]}</dd>
                        </div>
                      ))}
                    </dl>
                  </li>
                ))}
              </ul>
            )}
            {field.images && <EvidenceImages images={field.images} />}
          </dd>
        </div>
      ))}
    </dl>
  );
}

type Loaded = { kind: 'loading' } | { kind: 'shown'; src: string } | { kind: 'failed'; error: unknown };

function EvidenceImages({ images }: { images: NonNullable<ShownField['images']> }) {
  return (
    <ul className="evidence">
      {images.map((image, i) => (
        <li key={`${image.sha256}-${i}`}>
          <EvidenceImage n={i + 1} href={image.href} sha256={image.sha256} />
        </li>
      ))}
    </ul>
  );
}

/** One image, fetched with the caller's token and shown as a `data:` URL (the CSP allows images from there). */
function EvidenceImage({ n, href, sha256 }: { n: number; href: string | null; sha256: string }) {
  const { t, problem } = useI18n();
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  useEffect(() => {
    if (!href) return;
    let current = true;
    imageData(href).then(
      (src) => current && setLoaded({ kind: 'shown', src }),
      (error: unknown) => current && setLoaded({ kind: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [href]);
  if (!href) return <span className="muted">{t('form.imageNoAddress', { n, hash: sha256.slice(0, 12) })}</span>;
  if (loaded.kind === 'failed') return <span className="field-error">{t('form.imageFailed', { n, reason: problem(loaded.error) })}</span>;
  if (loaded.kind === 'loading') return <span className="muted">{t('common.loading')}</span>;
  return <img src={loaded.src} alt={t('form.image', { n })} data-sha256={sha256} />;
}
