import type { ReactNode } from 'react';
import { useI18n } from './i18n';
import type { useSession } from './session';

/** The toolbar of the inbox and the dashboard: procedure and unit filters, and refresh. */
export function Filters(props: {
  /** Shown first in the toolbar (the inbox's tabs). */
  children?: ReactNode;
  procedure: string;
  setProcedure(v: string): void;
  unitCode: string;
  setUnitCode(v: string): void;
  catalog: ReturnType<typeof useSession>['catalog'];
  units: ReturnType<typeof useSession>['units'];
  onRefresh(): void;
}) {
  const { t, name } = useI18n();
  return (
    <div className="toolbar">
      {props.children}
      <label>
        {t('inbox.procedure')}{' '}
        <select name="procedure" value={props.procedure} onChange={(e) => props.setProcedure(e.target.value)}>
          <option value="">{t('common.all')}</option>
          {props.catalog.map((p) => (
            <option key={p.id} value={p.id}>
              {name(p.id)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('inbox.unit')}{' '}
        <select name="unitCode" value={props.unitCode} onChange={(e) => props.setUnitCode(e.target.value)}>
          <option value="">{t('common.all')}</option>
          {props.units.map((u) => (
            <option key={u.code} value={u.code}>
              {u.name} ({u.code})
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="secondary" onClick={props.onRefresh}>
        {t('common.refresh')}
      </button>
    </div>
  );
}
