import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../../common/canonical-json';
import { definitionHash } from '../../common/procedure-definitions';
import { ADAPTER_SPECS } from '../../procedures/adapter-specs';
import { checkDocument, ProcedureDocument } from '../../procedures/document';
import { compileJsonSchema, parseProcedureDocument, procedureDocumentJsonSchema } from '../../procedures/document-checks';
import { changed, smallDocument } from '../support/procedure-document';

// Publishing procedures as data: the hash that names a published version's content must not depend
// on how the JSON was written (key order, defaults left out), and the document's JSON Schema for
// editors is committed as generated.

const SCHEMA_FILE = path.join(__dirname, '../../procedures/procedure-document.schema.json');

/** The same object with the keys of every object in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]));
}

describe('canonicalJson', () => {
  it('sorts the keys of every object, keeps the order of arrays, and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson([2, 1])).toBe('[2,1]');
  });

  it('spells one value one way whatever the key order', () => {
    const doc = smallDocument();
    expect(canonicalJson(reversedKeys(doc))).toBe(canonicalJson(doc));
  });

  it('sorts keys by UTF-16 code units and writes strings and numbers as JSON.stringify does', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"Z":3,"z":2,"é":1}');
    expect(canonicalJson({ s: 'Giấy "xác nhận"\n', n: 1e21, f: 0.1, neg: -0 })).toBe('{"f":0.1,"n":1e+21,"neg":0,"s":"Giấy \\"xác nhận\\"\\n"}');
  });

  it('leaves out undefined members and writes undefined array items as null, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ at: new Date('2026-12-02T00:00:00Z') })).toBe('{"at":"2026-12-02T00:00:00.000Z"}');
  });
});

describe('the hash of a definition document', () => {
  const parse = (input: unknown) => ProcedureDocument.parse(input);

  it('is the sha256 (hex) of the canonical JSON', () => {
    const literal = { b: 1, a: ['x', { d: 2, c: 3 }] } as unknown as ProcedureDocument;
    expect(definitionHash(literal)).toBe(createHash('sha256').update('{"a":["x",{"c":3,"d":2}],"b":1}').digest('hex'));
  });

  it('is stable across releases', () => {
    // Pinned. Published versions keep their hash, and a shipped file is compared by the hash of its
    // parsed document: a default added to (or changed in) procedures/document.ts changes this hash,
    // and would make every shipped definition conflict with its published version at the next start.
    expect(definitionHash(parse({ ...smallDocument('pinned'), codePrefix: 'TST' }))).toBe(PINNED_HASH);
  });

  it('does not change with key order, nor with a default written out', () => {
    const hash = definitionHash(parse(smallDocument()));
    expect(definitionHash(parse(reversedKeys(smallDocument())))).toBe(hash);
    expect(definitionHash(parse({ ...smallDocument(), openedBy: 'citizen', labels: {} }))).toBe(hash);
    expect(definitionHash(parse(changed(smallDocument(), 'steps.review.deadline.cutoffTime', '15:00')))).toBe(hash);
  });

  it('changes with any content', () => {
    const hash = definitionHash(parse(smallDocument()));
    expect(definitionHash(parse(changed(smallDocument(), 'title.en', 'Another certificate')))).not.toBe(hash);
    expect(definitionHash(parse(smallDocument('test-certificate', 2)))).not.toBe(hash);
    expect(definitionHash(parse(changed(smallDocument(), 'filedAt', ['DISTRICT', 'WARD'])))).not.toBe(definitionHash(parse(changed(smallDocument(), 'filedAt', ['WARD', 'DISTRICT']))));
  });
});

describe('checking a document', () => {
  it('passes the small document with the shipped adapters', () => {
    const parsed = parseProcedureDocument(smallDocument());
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(checkDocument(parsed.document, ADAPTER_SPECS, compileJsonSchema)).toEqual([]);
  });

  it('compiles JSON Schemas with zod: undefined, or why not', () => {
    expect(compileJsonSchema({ type: 'object', properties: { a: { type: 'string' } } })).toBeUndefined();
    expect(compileJsonSchema({ type: 'strin' })).toEqual(expect.stringContaining('strin'));
  });

  it('names each bad path of a document that does not parse: missing, unknown, malformed, unfit text', () => {
    const input = changed(changed(changed(smallDocument(), 'title.vi', undefined), 'colour', 'blue'), 'codePrefix', 'tst');
    const bad = parseProcedureDocument(changed(input, 'legalBasis.en', 'Circular\u0000'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path).sort()).toEqual(['codePrefix', 'colour', 'legalBasis.en', 'title.vi']);
    const notAnObject = parseProcedureDocument([]);
    expect(notAnObject.ok ? [] : notAnObject.problems.map((p) => p.path)).toEqual(['(document)']);
  });
});

describe('the JSON Schema of a definition document', () => {
  it('is committed as generated (UPDATE_DEFINITION_SCHEMA=1 rewrites procedures/procedure-document.schema.json)', async () => {
    const generated = `${JSON.stringify(procedureDocumentJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_DEFINITION_SCHEMA === '1') await writeFile(SCHEMA_FILE, generated);
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    if (committed !== generated) {
      throw new Error(
        'procedures/procedure-document.schema.json is stale: procedures/document.ts changed. Regenerate it with ' +
          '`UPDATE_DEFINITION_SCHEMA=1 npx jest test/unit/procedure-publishing.test.ts` and commit it.',
      );
    }
  });

  it('describes the input side: a field with a default may be left out', () => {
    const schema = procedureDocumentJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'id', 'version', 'title', 'steps', 'start']));
    expect(schema.required).not.toContain('openedBy');
    expect(schema.properties).toHaveProperty('steps');
  });
});

const PINNED_HASH = '12a4d9714633e80a03ac932791321336ea9a5e55e5761e010017229cc2104e17';
