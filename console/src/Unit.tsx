import { useCallback } from 'react';
import { useSession } from './session';

/** A unit's name from the caller's units (`GET /units`); its code when it is not among them. */
export function useUnitName(): (code: string) => string {
  const { units } = useSession();
  return useCallback((code: string) => units.find((u) => u.code === code)?.name ?? code, [units]);
}

/** A unit as people read it: its name, its code after it in small type. */
export function UnitName({ code }: { code: string }) {
  const name = useUnitName()(code);
  return (
    <span className="unit" data-unit={code}>
      {name}
      {name !== code && <small className="code"> {code}</small>}
    </span>
  );
}
