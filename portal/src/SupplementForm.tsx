import type { RJSFSchema } from '@rjsf/utils';
import { Suspense, useMemo, useState } from 'react';
import { ApiProblem, post } from './api';
import { maskPins, useI18n } from './i18n';
import { ProblemAlert } from './ProblemAlert';
import { fieldLabel, formSchema, isRecord, placeErrors, SchemaForm, uiSchemaFor, type FieldError } from './schema-form';
import { useSession } from './session';
import type { AnsweredDossier, Dossier } from './types';

type Awaiting = NonNullable<Dossier['awaiting']>;

/**
 * Answering a supplement request: a form of only the filing fields the office asked for, each with
 * the office's words on what is wrong, as the procedure's filing schema defines them.
 */
export function SupplementForm({ dossier, awaiting, onDone }: { dossier: Dossier; awaiting: Awaiting; onDone: (message: string) => void }) {
  const { t, lang, time } = useI18n();
  const { catalog } = useSession();
  const entry = catalog.find((p) => p.id === dossier.procedure);
  const [formData, setFormData] = useState<Record<string, unknown>>({});
  const [atFields, setAtFields] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const schema = useMemo(() => askedSchema(formSchema(entry?.filing), awaiting.items), [entry, awaiting]);
  const uiSchema = useMemo(() => uiSchemaFor(schema, entry, lang, t('supplement.submit')), [schema, entry, lang, t]);

  async function answer(data: Record<string, unknown>) {
    setBusy(true);
    try {
      await post<AnsweredDossier>(`/dossiers/${dossier.dossierId}/supplement`, { data });
      onDone(t('supplement.sent'));
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      setAtFields(placeErrors(error.errors, 'data.').atFields);
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card action supplement" aria-labelledby="supplement-title">
      <h2 id="supplement-title">{t('supplement.title')}</h2>
      <p>{t('supplement.intro', { due: time(awaiting.dueAt) })}</p>
      <ProblemAlert error={failure} fieldName={(path) => fieldLabel(entry, lang, path.split('.').at(-1) ?? path, undefined)} />
      <Suspense fallback={<p>{t('common.loading')}</p>}>
        <SchemaForm
          schema={schema}
          uiSchema={uiSchema}
          formData={formData}
          fieldErrors={atFields}
          disabled={busy}
          idPrefix="supplement"
          onChange={setFormData}
          onSubmit={(data) => void answer(data)}
        />
      </Suspense>
    </section>
  );
}

/** The filing schema cut down to the fields asked for, each described by what the office found wrong. */
function askedSchema(filing: RJSFSchema, items: Awaiting['items']): RJSFSchema {
  const properties = isRecord(filing.properties) ? filing.properties : {};
  const asked: Record<string, unknown> = {};
  for (const item of items) {
    const key = item.field.split('.')[0] ?? item.field;
    const field = properties[key];
    const problem = maskPins(item.problem);
    asked[key] = { ...(isRecord(field) ? field : { type: 'string' }), description: problem };
  }
  return { type: 'object', properties: Object.fromEntries(Object.entries(asked).map(([k, v]) => [k, isRecord(v) ? v : {}])), required: Object.keys(asked) };
}
