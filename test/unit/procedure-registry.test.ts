import * as bundle from '../../workflows';
import { SHARED_ACTIVITY_SYSTEMS } from '../../activities/shared';
import { LANGUAGES } from '../../procedures/define';
import { DEFINED_WORKFLOW_TYPE } from '../../procedures/defined';
import { PROCEDURES, RETIRED_MODULES, WORKER_MODULES } from '../../procedures';

describe('the registry of procedures', () => {
  it("has each procedure's workflow in the workflow bundle, and no workflow the registry does not know", () => {
    const exported = Object.keys(bundle).filter((name) => name !== 'platformCheckWorkflow').sort();
    // Besides each procedure's own, the interpreter of every procedure published as data, and the
    // retired workflows that runs started before their procedure became data still need.
    const retired = RETIRED_MODULES.map((m) => m.definition.workflowType);
    expect(exported).toEqual([...new Set([...PROCEDURES.all.map((p) => p.workflowType), ...retired, DEFINED_WORKFLOW_TYPE])].sort());
  });

  it('names the system behind every activity, and no activity twice', () => {
    const names = [Object.keys(SHARED_ACTIVITY_SYSTEMS), ...WORKER_MODULES.map((m) => Object.keys(m.systems))].flat();
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(PROCEDURES.all.map((p) => [p.id, p] as const))('%s', (_id, procedure) => {
    const steps = Object.values(procedure.steps);
    const named = [procedure.id, ...steps.map((s) => s.id), ...procedure.statuses, ...procedure.events, ...steps.flatMap((s) => Object.keys(s.outcomes))];

    it.each(LANGUAGES)('has a label in %s for itself, every step, status, event and outcome', (language) => {
      const missing = named.filter((id) => !procedure.labels[language][id]?.trim());
      expect(missing).toEqual([]);
    });

    it('labels the same ids in every language', () => {
      const [first, ...others] = LANGUAGES.map((language) => Object.keys(procedure.labels[language]).sort());
      for (const keys of others) expect(keys).toEqual(first);
    });

    it('declares its closing statuses among its statuses', () => {
      expect(procedure.closedStatuses.filter((s) => !procedure.statuses.includes(s))).toEqual([]);
    });
  });
});
