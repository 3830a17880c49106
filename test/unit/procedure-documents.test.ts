import { z } from 'zod';
import { ADAPTERS, ADAPTER_SPECS } from '../../activities/adapters';
import { definitionHash } from '../../common/procedure-definitions';
import { deadlineDefaults, LANGUAGES, parseOutcome } from '../../procedures/define';
import { parseSupplementFields } from '../../procedures/define';
import { amendFacts, DEFINED_WORKFLOW_TYPE, pickFacts } from '../../procedures/defined';
import { definitionFromDocument } from '../../procedures/definition-from-document';
import { DEFINED_PROCEDURES, documentProblems, DOCUMENT_FILES, publish, PUBLISHED_DOCUMENTS } from '../../procedures/definitions';
import { checkDocument, ProcedureDocument, type DefinitionProblem, type ProcedureDocumentInput } from '../../procedures/document';
import { compileJsonSchema } from '../../procedures/document-checks';

// Procedures published as data (procedures/definitions/*.json): each document parses and passes the
// checks a published document must pass; each kind of mistake is reported at its exact path; and a
// document becomes an entry of the registry's type (procedures/defined.ts).

const raw = (file: string) => structuredClone(DOCUMENT_FILES[file]) as ProcedureDocumentInput;
const marital = () => raw('marital-status-certificate.json');
const birth = () => raw('birth-registration.json');

/** A document's problems: the schema's issues, else the checks' (what publishing refuses it with). */
const problemsOf = (input: unknown): DefinitionProblem[] => documentProblems(input).problems;

describe('the published documents', () => {
  it.each(Object.keys(DOCUMENT_FILES))('%s parses and passes checkDocument with the adapters the worker has', (file) => {
    const parsed = ProcedureDocument.safeParse(DOCUMENT_FILES[file]);
    expect(parsed.success).toBe(true);
    expect(checkDocument(parsed.data!, ADAPTER_SPECS, compileJsonSchema)).toEqual([]);
  });

  it('include the marital-status certificate, birth registration, business registration and the civil-status extract, each procedure with a code prefix of its own in all its versions', () => {
    const prefixes = new Map<string, Set<string>>();
    for (const { document } of PUBLISHED_DOCUMENTS) prefixes.set(document.id, (prefixes.get(document.id) ?? new Set()).add(document.codePrefix));
    expect(Object.fromEntries([...prefixes].map(([id, set]) => [id, [...set]]))).toMatchObject({ 'marital-status-certificate': ['MSC'], 'birth-registration': ['BRN'], 'business-registration': ['BRG'], 'civil-status-extract': ['CSE'] });
    const all = [...prefixes.values()].flatMap((set) => [...set]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('every text in Vietnamese and English', () => {
    const texts: Array<{ vi?: unknown; en?: unknown }> = [];
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        const keys = Object.keys(value);
        if (keys.includes('vi') || keys.includes('en')) texts.push(value);
        else Object.values(value).forEach(walk);
      }
    };
    PUBLISHED_DOCUMENTS.forEach((p) => walk(p.document));
    expect(texts.length).toBeGreaterThan(50);
    expect(texts.filter((t) => typeof t.vi !== 'string' || typeof t.en !== 'string' || !t.vi || !t.en)).toEqual([]);
  });

  it('are pinned by the hash of their content, whatever the layout of the JSON', () => {
    const [first] = PUBLISHED_DOCUMENTS;
    // Every object's keys in the reverse order.
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]))
          : value;
    const relaid = reversed(first!.document);
    expect(JSON.stringify(relaid)).not.toBe(JSON.stringify(first!.document));
    expect(definitionHash(ProcedureDocument.parse(relaid))).toBe(first!.hash);
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names adapters the worker implements, and only those', () => {
    expect(Object.keys(ADAPTERS).sort()).toEqual(Object.keys(ADAPTER_SPECS).sort());
    for (const [name, adapter] of Object.entries(ADAPTERS)) expect({ name, outcomes: adapter.outcomes, input: adapter.input }).toEqual({ name, ...ADAPTER_SPECS[name as keyof typeof ADAPTER_SPECS] });
  });

  it('a document with problems is refused when published, naming each', () => {
    const doc = marital();
    doc.steps['verify-applicant'] = { ...doc.steps['verify-applicant']!, adapter: 'population.guess' } as never;
    expect(() => publish('broken.json', doc)).toThrow('broken.json is not a valid procedure document:\n  steps.verify-applicant.adapter: unknown adapter population.guess');
  });
});

describe('checkDocument: each problem at its path', () => {
  it('an unknown adapter', () => {
    const doc = marital();
    (doc.steps['check-marital'] as { adapter: string }).adapter = 'civil-status.horoscope';
    expect(problemsOf(doc)).toEqual([
      {
        path: 'steps.check-marital.adapter',
        message: `unknown adapter civil-status.horoscope (known: ${Object.keys(ADAPTER_SPECS).sort().join(', ')})`,
      },
    ]);
  });

  it('a step nothing leads to', () => {
    const doc = marital();
    doc.steps.orphan = { kind: 'end', status: 'issued' };
    expect(problemsOf(doc)).toEqual([{ path: 'steps.orphan', message: 'no step leads to orphan' }]);
  });

  it("an adapter's outcome with no next step, and an outcome the adapter does not have", () => {
    const doc = marital();
    const check = doc.steps['check-marital'] as { outcomes: Record<string, unknown> };
    check.outcomes.separated = check.outcomes.divorced;
    delete check.outcomes.divorced;
    expect(problemsOf(doc)).toEqual([
      { path: 'steps.check-marital.outcomes', message: 'outcome divorced of civil-status.marital-status has no next step' },
      { path: 'steps.check-marital.outcomes.separated', message: 'civil-status.marital-status has no outcome separated' },
    ]);
  });

  it("a task's outcome leading to no step", () => {
    const doc = birth();
    (doc.steps.review as { outcomes: Record<string, { next: string }> }).outcomes.approve!.next = 'registr';
    expect(problemsOf(doc)).toEqual([
      { path: 'steps.review.outcomes.approve.next', message: 'no step registr' },
      // Only approval led there.
      { path: 'steps.register', message: 'no step leads to register' },
      { path: 'steps.issue-certificate', message: 'no step leads to issue-certificate' },
      { path: 'steps.result', message: 'no step leads to result' },
      { path: 'steps.done', message: 'no step leads to done' },
    ]);
  });

  it('an invalid JSON Schema of an outcome and of the filing', () => {
    const doc = marital();
    (doc.steps.review as { outcomes: Record<string, { schema?: unknown }> }).outcomes.refuse!.schema = { type: 'text' };
    doc.filing.schema = { type: 'array', items: { type: 'string' } };
    expect(problemsOf(doc)).toEqual([
      { path: 'filing.schema', message: 'must describe an object (type: object, with its properties)' },
      { path: 'steps.review.outcomes.refuse.schema', message: 'Unsupported type: text' },
    ]);
  });

  it('a bad deadline: no days in working days, a cut-off after the end of the day', () => {
    const doc = birth();
    doc.deadlines.dossier = { mode: 'working-days', days: 0, remindBeforeMinutes: 60 };
    (doc.steps.review as { deadline: unknown }).deadline = { mode: 'same-day-cutoff', remindBeforeMinutes: 60, cutoffTime: '17:30', endOfDayTime: '17:00' };
    expect(problemsOf(doc)).toEqual([
      { path: 'deadlines.dossier.days', message: 'must be at least 1 unless mode is same-day-cutoff' },
      { path: 'steps.review.deadline.cutoffTime', message: 'must not be after endOfDayTime' },
    ]);
  });

  it('an input the adapter does not take, a wait after no task, a refusal without a reason', () => {
    const doc = birth();
    (doc.steps.register as { input: Record<string, unknown> }).input.birthWeight = 3200;
    (doc.steps.supplement as { itemsFrom: string }).itemsFrom = 'register';
    delete (doc.steps.refused as { reason?: unknown }).reason;
    expect(problemsOf(doc)).toEqual([
      { path: 'steps.supplement.itemsFrom', message: 'register is not a task' },
      { path: 'steps.register.input.birthWeight', message: 'civil-status.register-birth takes no input birthWeight' },
      { path: 'steps.refused.reason', message: 'a refusal needs the reason the applicant is told' },
    ]);
  });

  it('a registry view that does not exist, the record view with no result to read its id from, an entry of shows of no kind', () => {
    const doc = raw('civil-status-extract.v2.json');
    const sign = doc.steps['verify-and-sign'] as { shows: string[] };
    sign.shows = ['view:population.applicant', 'view:population.spouse', 'view:civil-status.record'];
    expect(problemsOf(doc)).toEqual([
      { path: 'steps.verify-and-sign.shows.1', message: 'unknown view population.spouse (known: civil-status.record, population.applicant)' },
      { path: 'steps.verify-and-sign.shows.2', message: 'view civil-status.record reads the recordId of a result the step shows: name results.<step>' },
    ]);
    sign.shows = ['view:population applicant'];
    expect(problemsOf(doc)).toEqual([{ path: 'steps.verify-and-sign.shows.0', message: 'must be filing.<field>, results.<step> or view:<name>' }]);
  });
});

describe('definitionFromDocument', () => {
  const [maritalDefinition, birthDefinition] = DEFINED_PROCEDURES;

  it('makes a data-defined procedure an entry of the registry type, run by the interpreter', () => {
    expect(maritalDefinition).toMatchObject({
      id: 'marital-status-certificate',
      title: 'Certificate of marital status',
      codePrefix: 'MSC',
      workflowType: DEFINED_WORKFLOW_TYPE,
      openedBy: 'citizen',
      statuses: ['verifying-applicant', 'checking-records', 'in-review', 'verifying', 'issuing', 'issued'],
      closedStatuses: ['issued'],
      answers: ['supplement'],
      lookups: [],
      example: { as: { sub: '079092009853', role: 'citizen' }, body: { procedure: 'marital-status-certificate', unitCode: 'W-BINH-THANH' } },
    });
    expect([...maritalDefinition!.events].sort()).toEqual(['closed', 'divorced', 'issued', 'married', 'mismatch', 'single', 'unknown-person', 'verified', 'widowed']);
    expect(birthDefinition!.events).toEqual(['closed', 'verified', 'unknown-person', 'mismatch', 'registered', 'issued']);
  });

  it('each task step as a human step: role, deadline, outcomes with their schemas, decisions', () => {
    const review = maritalDefinition!.steps.review!;
    expect(review).toMatchObject({ id: 'review', title: 'Review and sign the certificate', role: 'clerk', decisions: ['approve', 'refuse'] });
    expect(review.deadline).toEqual({ mode: 'working-days', workingDays: 3, remindBeforeMinutes: 480, cutoffTime: '15:00', endOfDayTime: '17:00', secondEscalationAfterWorkingDays: 2 });
    expect(Object.keys(review.outcomes)).toEqual(['approve', 'request-supplement', 'extend', 'refuse']);
    expect(parseOutcome(review, 'approve', undefined)).toEqual({ ok: true, data: {} });
    expect(parseOutcome(review, 'approve', { extra: 1 }).ok).toBe(false);
    expect(parseOutcome(review, 'refuse', {}).ok).toBe(false);
    expect(parseOutcome(review, 'refuse', { reason: 'The applicant lives elsewhere' })).toEqual({ ok: true, data: { reason: 'The applicant lives elsewhere' } });
    const items = [{ field: 'purposeDetail', problem: 'say which bank asks for it' }];
    expect(parseOutcome(review, 'request-supplement', { items })).toEqual({ ok: true, data: { items } });
    expect(parseOutcome(review, 'request-supplement', { items: [{ field: 'colour', problem: 'missing' }] }).ok).toBe(false);
    expect(birthDefinition!.steps.review!.deadline).toMatchObject({ mode: 'same-day-cutoff', workingDays: 0, cutoffTime: '15:00' });
  });

  it("the deadlines: the dossier's, each wait's and each extension's, as the settings rows hold them", () => {
    expect(deadlineDefaults(maritalDefinition!).map((r) => [r.step, r.mode, r.workingDays])).toEqual([
      ['dossier', 'working-days', 3],
      ['supplement', 'calendar-days', 30],
      ['verify/dossier', 'working-days', 20],
      ['review', 'working-days', 3],
      ['verify', 'working-days', 20],
    ]);
    expect(deadlineDefaults(birthDefinition!).map((r) => [r.step, r.mode])).toEqual([
      ['dossier', 'same-day-cutoff'],
      ['supplement', 'calendar-days'],
      ['review', 'same-day-cutoff'],
    ]);
  });

  it('the filing schema as zod: the example is valid, extra or wrong fields are not', () => {
    const { filing, example } = birthDefinition!;
    expect(filing).toBeInstanceOf(z.ZodObject);
    expect(filing.safeParse(example.body.data).success).toBe(true);
    expect(filing.safeParse({ ...example.body.data, colour: 'blue' }).success).toBe(false);
    expect(filing.safeParse({ ...example.body.data, motherPin: '123' }).success).toBe(false);
    expect(filing.safeParse({ ...example.body.data, child: { fullName: 'A B' } }).success).toBe(false);
  });

  it('the owners: the filer and the people at filing.owners; the facts: the fields the document names, nothing personal', () => {
    const data = birthDefinition!.example.body.data;
    expect(birthDefinition!.owners(data, '079088004127')).toEqual(['079088004127', '079190012583']);
    expect(birthDefinition!.owners({ ...data, fatherPin: undefined }, '079000000001')).toEqual(['079000000001', '079190012583']);
    const request = maritalDefinition!.facts({ purpose: 'OTHER', purposeDetail: 'A bank loan', intendedSpouseName: 'X Y' });
    expect(request).toEqual({ definition: { id: 'marital-status-certificate', version: 1, hash: PUBLISHED_DOCUMENTS[0]!.hash, document: PUBLISHED_DOCUMENTS[0]!.document }, facts: { purpose: 'OTHER' } });
  });

  it('where it is filed: the kinds of unit the document names', () => {
    const context = (kind: string) => ({ filerPin: '079088004127', unit: { code: 'X', kind } });
    expect(maritalDefinition!.admissible({}, context('WARD'))).toBeUndefined();
    expect(maritalDefinition!.admissible({}, context('DEPARTMENT'))).toEqual({
      vi: 'Hồ sơ “Cấp Giấy xác nhận tình trạng hôn nhân” nộp tại phường, xã (đơn vị loại WARD)',
      en: 'Certificate of marital status is filed at a unit of kind WARD',
    });
  });

  it.each(LANGUAGES)('labels in %s: itself, every step, status, event and outcome, and the fields', (language) => {
    for (const definition of DEFINED_PROCEDURES) {
      const doc = PUBLISHED_DOCUMENTS.find((p) => p.document.id === definition.id)!.document;
      const outcomes = Object.values(doc.steps).flatMap((s) => (s.kind === 'check' || s.kind === 'task' ? Object.keys(s.outcomes) : []));
      const titled = Object.entries(doc.steps)
        .filter(([, s]) => s.kind !== 'branch')
        .map(([id]) => id);
      const named = [definition.id, 'receive', ...titled, ...definition.statuses, ...definition.events, ...outcomes, ...Object.keys(doc.labels)];
      expect(named.filter((id) => !definition.labels[language][id]?.trim())).toEqual([]);
    }
    expect(DEFINED_PROCEDURES[0]!.labels.vi['in-review']).toBe('Đang thẩm định');
    expect(DEFINED_PROCEDURES[1]!.labels.en.motherPin).toBe("Mother's personal number");
  });

  it('throws a clear error on a filing schema that is not an object', () => {
    const doc = ProcedureDocument.parse({ ...marital(), filing: { ...marital().filing, schema: { type: 'string' } } });
    expect(() => definitionFromDocument(doc, 'h')).toThrow('marital-status-certificate: filing.schema must describe an object (type: object, with its properties)');
  });
});

describe('the helpers of the interpreter', () => {
  const filing = DEFINED_PROCEDURES[1]!.filing;

  it('compiles a JSON Schema, or says why not', () => {
    expect(compileJsonSchema({ type: 'object', properties: { a: { type: 'string' } } })).toBeUndefined();
    expect(compileJsonSchema({ type: 'object', properties: { a: { type: 'nothing' } } })).toBe('Unsupported type: nothing');
    expect(compileJsonSchema({ type: 'number' })).toBe('must describe an object (type: object, with its properties)');
  });

  it('checks a supplement field by field against the filing schema, only the fields asked for', () => {
    const child = { fullName: 'Nguyễn Minh Thư', sex: 'FEMALE', dateOfBirth: '2026-11-20', placeOfBirth: 'Bệnh viện Từ Dũ' };
    expect(parseSupplementFields(filing, ['child'], { child })).toEqual({ child });
    expect(parseSupplementFields(filing, ['child'], { fatherPin: '079088004127' })).toBe('fatherPin: was not asked for (asked: child)');
    expect(parseSupplementFields(filing, ['fatherPin'], { fatherPin: '12' })).toMatch(/^fatherPin: /);
    expect(parseSupplementFields(filing, ['child'], { child: { ...child, sex: 'X' } })).toMatch(/^child\.sex: /);
    expect(parseSupplementFields(filing, ['child'], {})).toBe('give at least one of child');
  });

  it('picks the facts as nested as in the filing, and takes a supplemented one anew', () => {
    const doc = { filing: { facts: ['purpose', 'record.kind'] } } as unknown as Parameters<typeof pickFacts>[0];
    const facts = pickFacts(doc, { purpose: 'OTHER', record: { kind: 'BIRTH', pin: '079088004127' }, secret: 1 });
    expect(facts).toEqual({ purpose: 'OTHER', record: { kind: 'BIRTH' } });
    expect(amendFacts(doc, facts, { purpose: 'MARRIAGE' })).toEqual({ purpose: 'MARRIAGE', record: { kind: 'BIRTH' } });
    expect(facts.purpose).toBe('OTHER');
  });
});
