import { deadlineDefaults, parseSupplement } from '../../procedures/define';
import { businessRegistration } from '../../procedures/business-registration/definition';
import { DEFINED_PROCEDURES } from '../../procedures/definitions';

// Business registration as data (procedures/definitions/business-registration.json) accepts and
// refuses filings as the procedure written as code did (procedures/business-registration/definition.ts):
// the same fields, the same rules across them at the same paths with the same messages, the same
// admissibility, owners, facts and deadlines.

const data = DEFINED_PROCEDURES.find((p) => p.id === 'business-registration')!;
const code = businessRegistration;
const example = code.example.body.data;
const HUONG = '079179006018';
const AN = '079088004127';
const NGOC = '079190012583';

/** A filing's issues as `path: message`, the rules' messages only where the two may word a field's own check differently. */
const issuesOf = (filing: unknown) => {
  const parsed = data.filing.safeParse(filing);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const pathsOf = (procedure: typeof data | typeof code, filing: unknown) => {
  const parsed = procedure.filing.safeParse(filing);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.')).sort();
};

describe('business registration as data', () => {
  it('is run by the interpreter, under the code prefix, statuses and example of the code', () => {
    expect(data).toMatchObject({ workflowType: 'definedProcedureWorkflow', codePrefix: 'BRG', closedStatuses: ['registered'], answers: ['supplement'] });
    expect(data.statuses).toEqual(['verifying-founders', 'in-review', 'registering', 'registered']);
    expect(data.example).toEqual(code.example);
    expect(Object.keys(data.steps)).toEqual(['review']);
    expect(Object.keys(data.steps.review!.outcomes)).toEqual(['approve', 'request-supplement', 'refuse']);
    expect(data.steps.review!.decisions).toEqual(['approve', 'refuse']);
  });

  it('has the deadline settings of the code, row for row', () => {
    expect(deadlineDefaults(data)).toEqual(deadlineDefaults(code));
  });

  it('accepts and refuses what the code did, at the same paths', () => {
    const cases: unknown[] = [
      example,
      { ...example, kind: 'PARTNERSHIP' },
      { ...example, proposedName: '1234' },
      { ...example, proposedName: 'ab' },
      { ...example, headOffice: { unitCode: 'w-ben-thanh', street: '12 Nguyễn Huệ' } },
      { ...example, headOffice: { unitCode: 'W-BEN-THANH', street: '12 Nguyễn Huệ', floor: 3 } },
      { ...example, businessLines: [] },
      { ...example, businessLines: ['561'] },
      { ...example, charterCapital: 0 },
      { ...example, charterCapital: 1.5 },
      { ...example, founders: [] },
      { ...example, founders: [{ pin: '123' }] },
      { ...example, founders: [{ pin: HUONG, capitalShare: -1 }] },
      { ...example, legalRepresentativePin: 'x' },
      { ...example, contactEmail: 'not an address' },
      { ...example, colour: 'blue' },
      { ...example, founders: [{ pin: HUONG }, { pin: AN }] },
      { ...example, kind: 'SOLE_PROPRIETORSHIP' },
      { ...example, charterCapital: 600_000_000 },
      { ...example, founders: [example.founders[0], example.founders[0]], charterCapital: 600_000_000 },
    ];
    for (const filing of cases) expect({ filing, paths: pathsOf(data, filing) }).toEqual({ filing, paths: pathsOf(code, filing) });
  });

  it('states the rules across fields with the messages of the code', () => {
    expect(issuesOf({ ...example, kind: 'SOLE_PROPRIETORSHIP' })).toEqual(['founders: a sole proprietorship has exactly one founder']);
    expect(issuesOf({ ...example, charterCapital: 600_000_000 })).toEqual(["charterCapital: must equal the sum of the founders' capitalShare"]);
    expect(issuesOf({ ...example, founders: [{ pin: HUONG }, { pin: AN, capitalShare: 1 }], charterCapital: 600_000_000 })).toEqual([]);
    expect(issuesOf({ ...example, founders: [{ pin: HUONG }, { pin: HUONG }] })).toEqual(['founders: each founder once']);
  });

  it('is filed by a founder or the representative, at the registration office or a ward', () => {
    // A refusal comes in both languages (the API answers in the request's): the English words here.
    const at = (filerPin: string, code: string, kind: string) => {
      const refusal = data.admissible(example, { filerPin, unit: { code, kind } });
      return typeof refusal === 'object' ? refusal.en : refusal;
    };
    expect(at(HUONG, 'HCMC-DOF', 'DEPARTMENT')).toBeUndefined();
    expect(at(AN, 'W-BEN-THANH', 'WARD')).toBeUndefined();
    expect(data.admissible({ ...example, legalRepresentativePin: NGOC }, { filerPin: NGOC, unit: { code: 'HCMC-DOF', kind: 'DEPARTMENT' } })).toBeUndefined();
    expect(at(NGOC, 'HCMC-DOF', 'DEPARTMENT')).toBe('The filer must be one of the founders or the legal representative');
    expect(at(HUONG, 'HCMC-DOJ', 'DEPARTMENT')).toBe('A business registration is filed at the registration office HCMC-DOF or at a ward');
    expect(at(HUONG, 'HCMC', 'CITY')).toMatch(/is filed at a unit of kind DEPARTMENT or WARD/);
  });

  it('is owned by the founders and the representative; the workflow sees the kind and the head office ward only', () => {
    expect(data.owners({ ...example, legalRepresentativePin: NGOC }, AN).sort()).toEqual([AN, HUONG, NGOC].sort());
    expect(data.facts(example)).toMatchObject({ facts: { kind: 'LIMITED_LIABILITY_COMPANY', headOffice: { unitCode: 'W-BEN-THANH' } } });
  });

  it('takes a supplement of the fields asked for, valid with the rest of the filing', () => {
    expect(parseSupplement(data.filing, example, ['proposedName'], { proposedName: 'Công ty TNHH Trà Sen' })).toMatchObject({ ok: true });
    expect(parseSupplement(data.filing, example, ['charterCapital'], { charterCapital: 1_000 })).toEqual({
      ok: false,
      issues: [{ path: 'charterCapital', message: expect.stringContaining('sum') }],
    });
  });
});
