import { ApiProblem } from './api';
import { maskPins, useI18n } from './i18n';

/** What went wrong with a request, above the form: the API's detail and every bad field by its name. */
export function ProblemAlert({ error, title, fieldName }: { error: unknown; title?: string; fieldName?: (path: string) => string }) {
  const { t } = useI18n();
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error : undefined;
  const errors = problem?.errors ?? [];
  return (
    <div role="alert" className="alert">
      {title && <strong>{title} </strong>}
      {maskPins(problem ? problem.message : String(error))}
      {errors.length > 0 && (
        <>
          <p className="alert-count">{t('common.errors', { n: errors.length })}</p>
          <ul>
            {errors.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                {fieldName ? fieldName(e.path) : e.path}: {maskPins(e.message)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
