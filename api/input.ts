import type { RequestHandler } from 'express';
import { unfitText } from '../common/schemas';
import { say } from './messages';
import { fieldErrors, fieldPath, problems, type FieldError } from './problem';
import type { z } from './zod';

/**
 * What every input of a request goes through before a handler sees it: the body's depth is bounded
 * as soon as it is parsed, then each part is parsed with its schema and every string of it as sent
 * is checked for what no text of this system may hold (control characters, lone surrogates).
 */
export type InputLocation = 'body' | 'query' | 'params';

/**
 * Levels of objects and arrays a body may nest. The deepest body the API takes has 5 (a batch's
 * item's images); the bound stops a body nested thousands deep before anything walks it (zod, the
 * Idempotency-Key's hash, the database), which recursion would not survive.
 */
export const MAX_BODY_DEPTH = 32;
const MAX_STRING_ERRORS = 50;
const MAX_PATH_SEGMENTS = 32;

/** Whether `value` nests more than `max` levels of objects and arrays. Iterative: any depth is safe to ask. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/** After the JSON parser: a body nested deeper than MAX_BODY_DEPTH is a 400, before any other check. */
export const boundBodyDepth: RequestHandler = (req, _res, next) => {
  if (nestsDeeperThan(req.body, MAX_BODY_DEPTH)) {
    throw problems.badRequest(say.tooDeep(MAX_BODY_DEPTH), [{ path: '(body)', message: say.tooDeepField(MAX_BODY_DEPTH) }]);
  }
  next();
};

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

/**
 * `value` parsed with `schema`, and every string of it as sent checked (`unfitStrings`): each bad
 * field named once, the schema's message first. `handledApart` is a top-level field the handler
 * checks item by item with this same function (a batch refuses only its bad items).
 */
export function checkInput<S extends z.ZodType>(schema: S, value: unknown, location: InputLocation, handledApart?: string): Checked<z.output<S>> {
  // The input kept in each issue tells a missing field from one of the wrong type (its message in Vietnamese).
  const parsed = schema.safeParse(value, { reportInput: true });
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
