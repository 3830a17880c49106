import { Suspense, useMemo, useRef, useState } from 'react';
import { ApiProblem, newIdempotencyKey, post } from './api';
import { kindName } from './Catalog';
import { useI18n } from './i18n';
import { ProblemAlert } from './ProblemAlert';
import { followLink, href, navigate } from './router';
import { fieldLabel, formSchema, placeErrors, SchemaForm, uiSchemaFor, type FieldError } from './schema-form';
import { useSession } from './session';
import type { CatalogEntry, FiledDossier } from './types';

/**
 * Filing a dossier: the unit it is filed at (units of the kinds the procedure names, by name) and a
 * form built from the procedure's filing schema. The API's answer is the validation: `data.*` errors
 * at their fields, `unitCode` at the unit, and all of them in a summary above.
 */
export function FilingPage({ procedureId }: { procedureId: string }) {
  const { t } = useI18n();
  const { catalog } = useSession();
  const entry = catalog.find((p) => p.id === procedureId && p.openedBy === 'citizen' && p.filing);
  if (!entry) {
    return (
      <main>
        <p role="alert" className="alert">{t('file.unknown')}</p>
        <a href={href.catalog} onClick={followLink}>{t('file.back')}</a>
      </main>
    );
  }
  return <Filing entry={entry} />;
}

function Filing({ entry }: { entry: CatalogEntry }) {
  const { t, lang } = useI18n();
  const { units } = useSession();
  const [unitCode, setUnitCode] = useState('');
  const [formData, setFormData] = useState<Record<string, unknown>>({});
  const [atFields, setAtFields] = useState<FieldError[]>([]);
  const [unitError, setUnitError] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One key per body: the same filing sent twice (a double click, a retry) makes one dossier.
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const schema = useMemo(() => formSchema(entry.filing), [entry]);
  const uiSchema = useMemo(() => uiSchemaFor(schema, entry, lang, t('file.submit')), [schema, entry, lang, t]);
  const offeredUnits = useMemo(
    () => units.filter((u) => entry.filedAt.length === 0 || entry.filedAt.includes(u.kind)).sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    [units, entry],
  );
  const fieldName = (path: string) => (path === 'unitCode' ? t('file.unit') : fieldLabel(entry, lang, path.split('.').at(-1) ?? path, undefined));

  async function file(data: Record<string, unknown>) {
    const body = { procedure: entry.id, unitCode, data };
    const serialized = JSON.stringify(body);
    if (attempt.current?.body !== serialized) attempt.current = { body: serialized, key: newIdempotencyKey() };
    setBusy(true);
    try {
      const filed = await post<FiledDossier>('/dossiers', body, { idempotencyKey: attempt.current.key });
      navigate(href.dossier(filed.dossierId), t('file.filed', { id: filed.dossierId }));
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      const placed = placeErrors(error.errors, 'data.');
      setAtFields(placed.atFields);
      setUnitError(placed.others.find((e) => e.path === 'unitCode')?.message);
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main>
      <p>
        <a href={href.catalog} onClick={followLink}>{t('file.back')}</a>
      </p>
      <h1>{t('file.title', { name: entry.title[lang] })}</h1>
      <ProblemAlert error={failure} title={t('file.invalid')} fieldName={fieldName} />
      <section className="card filing">
        <div className={`form-group unit${unitError ? ' has-error' : ''}`}>
          <label htmlFor="unitCode">{t('file.unit')}</label>
          <select
            id="unitCode"
            name="unitCode"
            value={unitCode}
            onChange={(e) => setUnitCode(e.target.value)}
            aria-invalid={unitError ? true : undefined}
            aria-describedby={unitError ? 'unitCode-error' : undefined}
          >
            <option value="">{t('file.unitPick')}</option>
            {offeredUnits.map((u) => (
              <option key={u.code} value={u.code}>
                {u.name} ({kindName(t, u.kind)})
              </option>
            ))}
          </select>
          {unitError && (
            <p className="field-error" id="unitCode-error">
              {unitError}
            </p>
          )}
        </div>
        <Suspense fallback={<p>{t('common.loading')}</p>}>
          <SchemaForm schema={schema} uiSchema={uiSchema} formData={formData} fieldErrors={atFields} disabled={busy} onChange={setFormData} onSubmit={(data) => void file(data)} />
        </Suspense>
      </section>
    </main>
  );
}
