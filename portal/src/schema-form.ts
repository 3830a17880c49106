import { englishStringTranslator, ErrorSchemaBuilder, replaceStringParameters, TranslatableString, type ErrorSchema, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import type { Lang } from './language';
import type { CatalogEntry } from './types';

/**
 * What the filing and supplement forms share: the procedure's JSON Schema as @rjsf renders it,
 * labelled in the portal's language from the catalog, and the API's field errors placed at their
 * fields. The API validates (with the procedure's own schema): the form shows its messages.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON Schema as the form library takes it (the draft's `$schema` left out: Ajv needs not fetch it). */
export function formSchema(schema: Record<string, unknown> | undefined): RJSFSchema {
  const { $schema: _draft, ...rest } = schema ?? {};
  return { type: 'object', ...rest };
}

/** A field's name: the procedure's label in the language, else the schema's title (Vietnamese), else its key. */
export function fieldLabel(entry: CatalogEntry | undefined, lang: Lang, key: string, schema: unknown): string {
  const title = isRecord(schema) && typeof schema.title === 'string' ? schema.title : undefined;
  return entry?.labels[lang][key] ?? title ?? key;
}

/** The top-level fields of a filing schema, required ones first. */
export function fieldsOf(schema: RJSFSchema): Array<{ key: string; schema: unknown; required: boolean }> {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const properties = isRecord(schema.properties) ? Object.entries(schema.properties) : [];
  return properties.map(([key, child]) => ({ key, schema: child, required: required.has(key) })).sort((a, b) => Number(b.required) - Number(a.required));
}

/** Labels and choices in the portal's language; long texts in text areas. */
export function uiSchemaFor(schema: RJSFSchema, entry: CatalogEntry | undefined, lang: Lang, submitText: string): UiSchema {
  const walk = (node: unknown): UiSchema => {
    if (!isRecord(node)) return {};
    const ui: UiSchema = {};
    if (isRecord(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) {
        const long = isRecord(child) && typeof child.maxLength === 'number' && child.maxLength > 200;
        ui[key] = { 'ui:title': fieldLabel(entry, lang, key, child), ...walk(child), ...(long ? { 'ui:widget': 'textarea' } : {}) };
      }
    }
    if (isRecord(node.items)) ui.items = walk(node.items);
    if (Array.isArray(node.enum)) ui['ui:enumNames'] = node.enum.map((value) => entry?.labels[lang][String(value)] ?? String(value));
    return ui;
  };
  return { ...walk(schema), 'ui:submitButtonOptions': { submitText } };
}

/** The API's `errors[]` under `prefix` (`data.`) as the form's errors at their fields; the others returned as they are. */
export function placeErrors(errors: ReadonlyArray<{ path: string; message: string }>, prefix: string): { atFields: ErrorSchema; others: Array<{ path: string; message: string }> } {
  const builder = new ErrorSchemaBuilder();
  const others: Array<{ path: string; message: string }> = [];
  for (const e of errors) {
    if (e.path.startsWith(prefix)) builder.addErrors(e.message, e.path.slice(prefix.length));
    else others.push(e);
  }
  return { atFields: builder.ErrorSchema, others };
}

const VI_FORM: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.AddItemButton]: 'Thêm',
  [TranslatableString.AddButton]: 'Thêm',
  [TranslatableString.RemoveButton]: 'Xóa',
  [TranslatableString.MoveUpButton]: 'Lên',
  [TranslatableString.MoveDownButton]: 'Xuống',
  [TranslatableString.CopyButton]: 'Sao chép',
  [TranslatableString.EmptyArray]: 'Chưa có mục nào: bấm “Thêm”.',
  [TranslatableString.NewStringDefault]: 'Giá trị mới',
  [TranslatableString.KeyLabel]: '%1 (khóa)',
  [TranslatableString.OptionalObjectAdd]: 'Thêm',
  [TranslatableString.OptionalObjectRemove]: 'Bỏ',
};

/** The form library's own words (buttons), in the portal's language. */
export function translateForm(lang: Lang) {
  return (s: TranslatableString, params?: string[]): string => {
    const vi = lang === 'vi' ? VI_FORM[s] : undefined;
    return vi ? replaceStringParameters(vi, params) : englishStringTranslator(s, params);
  };
}
