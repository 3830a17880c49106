import { z } from 'zod';
import { unfitText } from '../common/schemas';
import { ProcedureDocument, type DefinitionProblem } from './document';

/**
 * What publishing a definition document takes besides its schema: compiling the JSON Schemas it
 * holds, parsing a document from anywhere (a shipped file, a request) into problems with paths, and
 * the document's own JSON Schema for editors. Pure: zod only.
 */

/**
 * Whether a JSON Schema compiles: undefined, or why not (the `compiles` of `checkDocument`). A
 * filing and an outcome's data are objects, and the interpreter takes their schemas as zod objects
 * (procedures/defined.ts), so a schema of anything else is refused too.
 */
export function compileJsonSchema(schema: Record<string, unknown>): string | undefined {
  try {
    const compiled = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    return compiled instanceof z.ZodObject ? undefined : 'must describe an object (type: object, with its properties)';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export type ParsedDocument = { ok: true; document: ProcedureDocument } | { ok: false; problems: DefinitionProblem[] };

/** The path of a problem with the whole document (not one of its fields). */
export const WHOLE_DOCUMENT = '(document)';

/**
 * `input` parsed as a `ProcedureDocument`: each problem with its path (`title.vi`, `steps.review.deadline.days`),
 * an unknown key named itself, and every string (values and keys) checked for what no text of this
 * system may hold (control characters, lone surrogates: PostgreSQL's jsonb refuses some of them).
 * The API's own input check says the same of a request's body.
 */
export function parseProcedureDocument(input: unknown): ParsedDocument {
  const parsed = ProcedureDocument.safeParse(input);
  const problems: DefinitionProblem[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }))
          : [{ path: pathOf(issue.path), message: issue.message }],
      );
  const named = new Set(problems.map((p) => p.path));
  problems.push(...unfitStrings(input).filter((p) => !named.has(p.path)));
  if (parsed.success && problems.length === 0) return { ok: true, document: parsed.data };
  return { ok: false, problems };
}

/**
 * The JSON Schema (draft 2020-12) of what an editor writes: the input side of `ProcedureDocument`,
 * where a field with a default may be left out. Served at `GET /api/v1/procedure-definitions/schema`
 * and committed as `procedures/procedure-document.schema.json`.
 */
export function procedureDocumentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ProcedureDocument, { io: 'input' });
  return {
    $schema: schema.$schema,
    title: 'Procedure definition (procedure/1)',
    description: 'A procedure as data, as the administration publishes it (POST /api/v1/procedure-definitions). Each (id, version) is published once and never changes.',
    ...schema,
  };
}

function pathOf(segments: readonly PropertyKey[]): string {
  return segments.map(String).join('.') || WHOLE_DOCUMENT;
}

/** Strings unfit to store as text, named by path (a bad key by its parent); iterative, so any depth is safe. */
function unfitStrings(input: unknown): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: input, path: [] }];
  while (stack.length > 0 && problems.length < 50) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const unfit = unfitText(value);
      if (unfit) problems.push({ path: pathOf(path), message: `must not contain ${unfit}` });
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value).reverse()) {
        const unfit = unfitText(key);
        if (unfit) problems.push({ path: pathOf(path), message: `field names must not contain ${unfit}` });
        else stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return problems;
}
