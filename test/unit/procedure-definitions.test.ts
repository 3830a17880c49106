import { PROCEDURES } from '../../procedures';
import { businessRegistration } from '../../procedures/business-registration/definition';
import { civilStatusExtract } from '../../procedures/civil-status-extract/definition';
import { deadlineDefaults, findStep, parseOutcome, parseSupplement } from '../../procedures/define';

// The procedure definitions and what is derived from them: one schema per outcome and filing, used
// by the API and by the workflows' validators alike.

describe('the procedure registry', () => {
  it('lists each procedure once, with its own code prefix and workflow type', () => {
    // The civil-status extract and business registration, once code, are published as data (procedures/definitions/).
    expect(PROCEDURES.ids).toEqual(['civil-status-extract', 'business-registration', 'traffic-fine', 'marital-status-certificate', 'birth-registration']);
    expect(new Set(PROCEDURES.all.map((p) => p.codePrefix)).size).toBe(PROCEDURES.all.length);
    // Business registration is published as data now (procedures/definitions/business-registration.json).
    expect(PROCEDURES.get('business-registration')?.workflowType).toBe('definedProcedureWorkflow');
    expect(PROCEDURES.get('traffic-fine')?.workflowType).toBe('trafficFineWorkflow');
    // Traffic cases are opened by POST /violations, not filed by citizens.
    expect(PROCEDURES.citizenFiled.map((p) => p.id)).toEqual(['civil-status-extract', 'business-registration', 'marital-status-certificate', 'birth-registration']);
    expect(PROCEDURES.get('civil-status-extract')?.workflowType).toBe('definedProcedureWorkflow');
  });

  it('knows every status, and which close a dossier', () => {
    expect(PROCEDURES.statuses[0]).toBe('received');
    expect(PROCEDURES.statuses).toEqual(expect.arrayContaining(['awaiting-supplement', 'lapsed', 'issued', 'registered', 'in-review']));
    expect([...PROCEDURES.closedStatuses].sort()).toEqual(['cancelled', 'dismissed', 'issued', 'lapsed', 'paid', 'refused', 'registered']);
  });

  it("derives the deadline settings from each definition's steps and own deadlines", () => {
    const rows = deadlineDefaults(businessRegistration);
    expect(rows.map((r) => r.step).sort()).toEqual(['dossier', 'review', 'supplement']);
    expect(rows.find((r) => r.step === 'supplement')).toMatchObject({ mode: 'calendar-days', workingDays: 60 });
    // The procedure as data keeps the settings of the code it replaced, row for row.
    expect(deadlineDefaults(PROCEDURES.get('business-registration')!)).toEqual(rows);
    const extract = PROCEDURES.get('civil-status-extract')!;
    expect(deadlineDefaults(extract).find((r) => r.step === 'verify-and-sign')).toMatchObject({ mode: 'same-day-cutoff', cutoffTime: '15:00', endOfDayTime: '17:00' });
    // The archive search gives the dossier 5 working days from receipt, as the code's `dossier-archive` did.
    expect(deadlineDefaults(extract).find((r) => r.step === 'archive-search/dossier')).toMatchObject({ mode: 'working-days', workingDays: 5, remindBeforeMinutes: 480 });
    // The retired code's own keys stay seeded for its runs still open.
    expect(deadlineDefaults(civilStatusExtract).find((r) => r.step === 'dossier-archive')).toMatchObject({ mode: 'working-days', workingDays: 5 });
  });

  it('gives each example filing a valid body for its own schema and rules', () => {
    for (const procedure of PROCEDURES.all) {
      const parsed = procedure.filing.safeParse(procedure.example.body.data);
      expect({ id: procedure.id, ok: parsed.success }).toEqual({ id: procedure.id, ok: true });
      // Filed at its own kind of unit, it is admissible; at a department, those filed at wards only are not.
      const at = (kind: string) => procedure.admissible(parsed.data!, { filerPin: procedure.example.as.sub, unit: { code: procedure.example.body.unitCode, kind } }) ?? 'ok';
      const wardOnly = ['civil-status-extract', 'marital-status-certificate', 'birth-registration'].includes(procedure.id);
      expect({ id: procedure.id, atDepartment: at('DEPARTMENT') === 'ok' }).toEqual({ id: procedure.id, atDepartment: !wardOnly });
      if (wardOnly) expect(at('WARD')).toBe('ok');
    }
  });
});

describe('task outcomes', () => {
  const review = findStep(businessRegistration, 'review')!;

  it('parses the data of an outcome with its schema, an absent one as empty', () => {
    expect(parseOutcome(review, 'approve', undefined)).toEqual({ ok: true, data: {} });
    expect(parseOutcome(review, 'refuse', { reason: '  Name taken  ' })).toEqual({ ok: true, data: { reason: 'Name taken' } });
  });

  it('says which outcome is unknown and which fields are wrong', () => {
    expect(parseOutcome(review, 'maybe', {})).toMatchObject({ ok: false, unknownOutcome: true });
    const bad = parseOutcome(review, 'request-supplement', { items: [{ field: 'colour', problem: 'x' }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path.join('.')).sort()).toEqual(['items.0.field', 'items.0.problem']);
    expect(parseOutcome(review, 'approve', { extra: 1 }).ok).toBe(false);
  });

  it('refuses an archive entry without the people the record names', () => {
    // The published document's step as the API checks it, and the retired code's, for its runs still open.
    for (const procedure of [PROCEDURES.get('civil-status-extract')!, civilStatusExtract]) {
      const search = findStep(procedure, 'archive-search')!;
      const bad = parseOutcome(search, 'found', { record: { registeredOn: '1985-01-30', partyPins: [], details: {} } });
      expect(bad.ok).toBe(false);
      const good = parseOutcome(search, 'found', { record: { registeredOn: '1985-01-30', bookNumber: 'KS-1985/01', pageNumber: 4, partyPins: ['079085006342'], details: { childName: 'Lê Hoàng Phúc' } } });
      expect(good.ok).toBe(true);
    }
  });
});

describe('supplements', () => {
  const filed = businessRegistration.example.body.data;

  it('applies only the fields asked for, validated as at filing', () => {
    const ok = parseSupplement(businessRegistration.filing, filed, ['proposedName'], { proposedName: ' Công ty TNHH Trà Sen ' });
    expect(ok).toEqual({ ok: true, changes: { proposedName: 'Công ty TNHH Trà Sen' }, filing: expect.objectContaining({ charterCapital: filed.charterCapital }) });
  });

  it('names a field that was not asked for, and a change that breaks the filing', () => {
    const notAsked = parseSupplement(businessRegistration.filing, filed, ['proposedName'], { charterCapital: 1 });
    expect(notAsked).toEqual({ ok: false, issues: [{ path: 'charterCapital', message: expect.stringContaining('was not asked for') }] });
    // Founders' shares must still add up to the charter capital.
    const broken = parseSupplement(businessRegistration.filing, filed, ['charterCapital'], { charterCapital: 1_000 });
    expect(broken).toEqual({ ok: false, issues: [{ path: 'charterCapital', message: expect.stringContaining('sum') }] });
    expect(parseSupplement(businessRegistration.filing, filed, ['proposedName'], {})).toMatchObject({ ok: false });
  });
});
