import Form from '@rjsf/core';
import { englishStringTranslator, ErrorSchemaBuilder, replaceStringParameters, TranslatableString, type ErrorSchema, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useEffect, useMemo, useState } from 'react';
import { ApiProblem, get, post } from './api';
import { useI18n, type Lang } from './i18n';
import { useSession } from './session';
import { ShownFields } from './Shown';
import type { Task, TaskDetail } from './types';

/**
 * Completing a task: one of its outcomes, with a form built from that outcome's JSON Schema (derived
 * by the API from the procedure's definition, the schema it validates with). The API's answer is
 * the validation: each `errors[].path` under `data.` is shown at its field, `note` and `outcome` at
 * theirs, anything else above the form.
 */
export default function TaskForm({ task, onDone, onCancel }: { task: Task; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, name, lang, problem } = useI18n();
  const { catalog } = useSession();
  const step = catalog.find((p) => p.id === task.procedure)?.steps.find((s) => s.id === task.step);
  const outcomes = step?.outcomes.filter((o) => task.outcomes.includes(o.name)) ?? [];
  const [outcome, setOutcome] = useState(outcomes[0]?.name ?? '');
  const [formData, setFormData] = useState<Record<string, unknown>>({});
  const [note, setNote] = useState('');
  const [fieldErrors, setFieldErrors] = useState<ErrorSchema | undefined>(undefined);
  const [other, setOther] = useState<{ detail: string; note?: string; outcome?: string; general: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [detail, setDetail] = useState<TaskDetail | null>(null);
  const [detailError, setDetailError] = useState<unknown>(undefined);
  useEffect(() => {
    // What the decision rests on, for the one task opened (the inbox lists tasks without it).
    get<TaskDetail>(`/tasks/${task.taskId}`).then(setDetail, setDetailError);
  }, [task.taskId]);
  const selected = outcomes.find((o) => o.name === outcome);
  // In Vietnamese the fields are named by the console; the schema's own descriptions are the API's English.
  const schema = useMemo<RJSFSchema>(() => ({ ...(lang === 'vi' ? withoutDescriptions(selected?.schema) : selected?.schema), $schema: undefined }), [selected, lang]);
  const uiSchema = useMemo(() => labels(schema, (id) => name(id, task.procedure), t('form.submit')), [schema, name, t, task.procedure]);

  async function complete(data: Record<string, unknown>) {
    setBusy(true);
    try {
      const result = await post<{ dossierStatus: string }>(`/tasks/${task.taskId}/complete`, { outcome, data, ...(note.trim() ? { note } : {}) });
      onDone(t('task.completed', { id: task.taskId, status: name(result.dossierStatus, task.procedure) }));
    } catch (error) {
      if (!(error instanceof ApiProblem)) {
        setOther({ detail: problem(error), general: [] });
        return;
      }
      const builder = new ErrorSchemaBuilder();
      const shown = { detail: error.problem.detail || problem(error), general: [] as string[], note: undefined as string | undefined, outcome: undefined as string | undefined };
      for (const e of error.errors) {
        if (e.path.startsWith('data.')) builder.addErrors(e.message, e.path.slice('data.'.length));
        else if (e.path === 'note') shown.note = e.message;
        else if (e.path === 'outcome') shown.outcome = e.message;
        else shown.general.push(e.message);
      }
      setFieldErrors(builder.ErrorSchema);
      setOther(shown);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card task-form" aria-labelledby="task-form-title">
      <h2 id="task-form-title">{t('form.title', { id: task.taskId })}</h2>
      <p>
        {name(task.procedure)} · {name(task.step, task.procedure)} · <a href={`#/dossiers/${task.dossierId}`}>{task.dossierId}</a>
      </p>
      <section className="context" aria-labelledby="task-context-title">
        <h3 id="task-context-title">{t('form.context')}</h3>
        {detailError !== undefined ? (
          <p role="alert" className="alert">{problem(detailError)}</p>
        ) : detail === null ? (
          <p>{t('common.loading')}</p>
        ) : detail.shown.length === 0 ? (
          <p className="muted">{t('common.none')}</p>
        ) : (
          <ShownFields fields={detail.shown} />
        )}
      </section>
      {other && (
        <div role="alert" className="alert">
          <strong>{t('form.invalid')}</strong> {other.detail}
          {other.general.map((g) => (
            <div key={g}>{g}</div>
          ))}
        </div>
      )}
      <fieldset className="outcomes">
        <legend>{t('form.outcome')}</legend>
        {outcomes.map((o) => (
          <label key={o.name} className="radio">
            <input
              type="radio"
              name="outcome"
              value={o.name}
              checked={o.name === outcome}
              onChange={() => {
                setOutcome(o.name);
                setFormData({});
                setFieldErrors(undefined);
                setOther(null);
              }}
            />{' '}
            {name(o.name, task.procedure)}
          </label>
        ))}
        {other?.outcome && <p className="field-error">{other.outcome}</p>}
      </fieldset>
      <label className="note">
        {t('form.note')}
        <textarea name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
        {other?.note && <span className="field-error">{other.note}</span>}
      </label>
      <Form
        key={outcome}
        schema={schema}
        uiSchema={uiSchema}
        formData={formData}
        validator={validator}
        // The API validates (with the procedure's zod schema): its messages are shown at the fields.
        noValidate
        noHtml5Validate
        showErrorList={false}
        extraErrors={fieldErrors}
        disabled={busy}
        translateString={(s, params) => translate(s, params, lang)}
        onChange={(e) => setFormData(isRecord(e.formData) ? e.formData : {})}
        onSubmit={(e) => void complete(isRecord(e.formData) ? e.formData : {})}
      />
      <button type="button" className="secondary" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </section>
  );
}

/** A JSON Schema without its `description`s (nested ones too). */
function withoutDescriptions(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!isRecord(node)) return node;
    return Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === 'description' && typeof value === 'string')).map(([key, value]) => [key, strip(value)]));
  };
  const stripped = strip(schema ?? {});
  return isRecord(stripped) ? stripped : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field labels and choices in the console's language, and text areas for reasons. */
function labels(schema: RJSFSchema, name: (id: string) => string, submitText: string): UiSchema {
  const walk = (node: unknown): UiSchema => {
    if (!isRecord(node)) return {};
    const ui: UiSchema = {};
    if (isRecord(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) {
        ui[key] = { 'ui:title': name(key), ...walk(child), ...(key === 'reason' || key === 'problem' ? { 'ui:widget': 'textarea' } : {}) };
      }
    }
    if (isRecord(node.items)) ui.items = { 'ui:title': name('item'), ...walk(node.items) };
    if (Array.isArray(node.enum)) ui['ui:enumNames'] = node.enum.map((value) => name(String(value)));
    return ui;
  };
  return { ...walk(schema), 'ui:submitButtonOptions': { submitText } };
}

const VI_FORM: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.AddItemButton]: 'Thêm',
  [TranslatableString.AddButton]: 'Thêm',
  [TranslatableString.RemoveButton]: 'Xóa',
  [TranslatableString.MoveUpButton]: 'Lên',
  [TranslatableString.MoveDownButton]: 'Xuống',
  [TranslatableString.EmptyArray]: 'Chưa có mục nào: bấm “Thêm”.',
  [TranslatableString.NewStringDefault]: 'Giá trị mới',
  [TranslatableString.KeyLabel]: '%1 (khóa)',
};

function translate(s: TranslatableString, params: string[] | undefined, lang: Lang): string {
  const vi = lang === 'vi' ? VI_FORM[s] : undefined;
  return vi ? replaceStringParameters(vi, params) : englishStringTranslator(s, params);
}
