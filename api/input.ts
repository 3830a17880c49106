import { unfitText } from '../common/schemas';
import { fieldErrors, fieldPath, type FieldError } from './problem';
import type { z } from './zod';

/**
 * What every input of a request goes through before a handler sees it: each part is parsed with its
 * schema and every string of it as sent is checked for what no text of this system may hold
 * (control characters, lone surrogates).
 */
export type InputLocation = 'body' | 'query' | 'params';

const MAX_STRING_ERRORS = 50;
const MAX_PATH_SEGMENTS = 32;

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

/**
 * `value` parsed with `schema`, and every string of it as sent checked (`unfitStrings`): each bad
 * field named once, the schema's message first. `handledApart` is a top-level field the handler
 * checks item by item with this same function (a batch refuses only its bad items).
 */
export function checkInput<S extends z.ZodType>(schema: S, value: unknown, location: InputLocation, handledApart?: string): Checked<z.output<S>> {
  const parsed = schema.safeParse(value);
  const errors = parsed.success ? [] : fieldErrors(parsed.error.issues, location);
  const named = new Set(errors.map((e) => e.path));
  errors.push(...unfitStrings(value, location, handledApart).filter((e) => !named.has(e.path)));
  if (parsed.success && errors.length === 0) return { ok: true, data: parsed.data };
  return { ok: false, errors };
}

interface Node {
  value: unknown;
  key?: string;
  parent?: Node;
}

function pathOf(node: Node | undefined): string[] {
  const segments: string[] = [];
  for (let n = node; n?.key !== undefined; n = n.parent) segments.push(n.key);
  segments.reverse();
  return segments.length > MAX_PATH_SEGMENTS ? [...segments.slice(0, MAX_PATH_SEGMENTS), '…'] : segments;
}

/**
 * Every string of the input as sent (values and keys, at any depth, also where a schema lets
 * unknown data through) checked with `unfitText`: one error per field that has some. A bad key is
 * named by its parent (the key itself is no text to echo). Iterative, with each path built only for
 * a field in error, so that a deeply nested input costs neither the stack nor quadratic time.
 */
function unfitStrings(input: unknown, location: InputLocation, handledApart?: string): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Node[] = [{ value: input }];
  while (stack.length > 0 && errors.length < MAX_STRING_ERRORS) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      const unfit = unfitText(node.value);
      if (unfit) errors.push({ path: fieldPath(pathOf(node), location), message: `must not contain ${unfit}` });
    } else if (node.value && typeof node.value === 'object') {
      for (const [key, value] of Object.entries(node.value).reverse()) {
        const unfit = unfitText(key);
        if (unfit) errors.push({ path: fieldPath(pathOf(node), location), message: `field names must not contain ${unfit}` });
        else if (!(node.parent === undefined && key === handledApart)) stack.push({ value, key, parent: node });
      }
    }
  }
  return errors;
}
