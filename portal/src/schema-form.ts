import { lazy } from 'react';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import type { Lang } from './language';
import type { CatalogEntry } from './types';
import { isRecord, type FieldError } from './values';

export { isRecord, type FieldError } from './values';

/**
 * What the filing and supplement forms share: the procedure's JSON Schema as @rjsf renders it,
 * labelled in the portal's language from the catalog, and the API's field errors by path. (Types
 * only from the form library here: the library itself loads with `SchemaForm`.)
 */

/** The form itself, loaded when a page shows one. */
export const SchemaForm = lazy(() => import('./SchemaForm'));

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

/** The API's `errors[]` under `prefix` (`data.`), their paths relative to the form's data; the others as they are. */
export function placeErrors(errors: readonly FieldError[], prefix: string): { atFields: FieldError[]; others: FieldError[] } {
  return {
    atFields: errors.filter((e) => e.path.startsWith(prefix)).map((e) => ({ path: e.path.slice(prefix.length), message: e.message })),
    others: errors.filter((e) => !e.path.startsWith(prefix)),
  };
}
