import type { InterpretedDocument } from '../procedures/defined';

/**
 * What the workflows of a worker share. The SDK gives each workflow its own instance of every module
 * of the bundle (no state of one run may leak into another: workflows/index.ts), except the modules
 * the worker preloads (worker/workflow-bundle.ts): this one, evaluated once before any workflow, its
 * exports then frozen. What it keeps is in closures, which the freeze does not reach: results of pure
 * functions of their key, the same whichever run asked first, and frozen as data.
 *
 * It imports nothing at run time: whatever a preloaded module imports is shared and frozen too, and
 * zod does not survive that (it writes to its own objects as it works).
 */

/**
 * Published documents as the interpreter runs them, by content: each parsed and compiled once per
 * worker instead of once per dossier (workflows/interpreted-documents.ts).
 */
export const interpretedDocuments = sharedByKey<InterpretedDocument>();

/** A result per key, computed by the first run that asks (`undefined`: none, and nothing kept). */
function sharedByKey<T>(): (key: string, compute: () => T | undefined) => T | undefined {
  const entries = new Map<string, T>();
  return (key, compute) => {
    const known = entries.get(key);
    if (known !== undefined) return known;
    const computed = compute();
    if (computed !== undefined) entries.set(key, freezeData(computed));
    return computed;
  };
}

/**
 * Plain objects and arrays frozen, deeply: a run that would change what other runs read fails
 * instead. Objects with behaviour (zod's schemas) are left as they are: frozen, they break, and they
 * change only as zod memoizes what it derives from them, the same in every run.
 */
function freezeData<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) return value;
  Object.freeze(value);
  for (const item of Object.values(value)) freezeData(item);
  return value;
}
