import Form from '@rjsf/core';
import { englishStringTranslator, ErrorSchemaBuilder, replaceStringParameters, TranslatableString, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useMemo } from 'react';
import { useI18n, type Lang } from './i18n';
import { isRecord, type FieldError } from './values';

/**
 * A form built from a JSON Schema by @rjsf (loaded only with the pages that file or answer: the
 * library and its validator are most of the portal's weight). The API validates, with the
 * procedure's own schema: the errors it named are shown at their fields.
 */
export default function SchemaForm(props: {
  schema: RJSFSchema;
  uiSchema: UiSchema;
  formData: Record<string, unknown>;
  /** The API's errors, their paths relative to the form's data (`purposeDetail`, `child.fullName`). */
  fieldErrors: readonly FieldError[];
  disabled: boolean;
  idPrefix?: string;
  onChange(data: Record<string, unknown>): void;
  onSubmit(data: Record<string, unknown>): void;
}) {
  const { lang } = useI18n();
  const extraErrors = useMemo(() => {
    const builder = new ErrorSchemaBuilder();
    for (const e of props.fieldErrors) builder.addErrors(e.message, e.path);
    return builder.ErrorSchema;
  }, [props.fieldErrors]);
  return (
    <Form
      schema={props.schema}
      uiSchema={props.uiSchema}
      formData={props.formData}
      validator={validator}
      noValidate
      noHtml5Validate
      showErrorList={false}
      extraErrors={extraErrors}
      disabled={props.disabled}
      idPrefix={props.idPrefix}
      translateString={translateForm(lang)}
      onChange={(e) => props.onChange(isRecord(e.formData) ? e.formData : {})}
      onSubmit={(e) => props.onSubmit(isRecord(e.formData) ? e.formData : {})}
    />
  );
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
function translateForm(lang: Lang) {
  return (s: TranslatableString, params?: string[]): string => {
    const vi = lang === 'vi' ? VI_FORM[s] : undefined;
    return vi ? replaceStringParameters(vi, params) : englishStringTranslator(s, params);
  };
}
