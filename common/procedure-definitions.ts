import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkDocument, type AdapterSpec, type DefinitionProblem, type ProcedureDocument, type Text } from '../procedures/document';
import { compileJsonSchema, parseProcedureDocument } from '../procedures/document-checks';
import { canonicalJson } from './canonical-json';

/**
 * Publishing procedures as data: each (id, version) of a `ProcedureDocument` is published once, in
 * the `ProcedureDefinition` table, and never changes (the table is append-only). The hash names the
 * content: sha256 of the canonical JSON of the parsed document, defaults filled in, so neither key
 * order nor an omitted default changes it.
 *
 * Used by the migration runner (the definitions shipped in `procedures/definitions/`, over a pg
 * client) and by the API (`/api/v1/procedure-definitions`, over Prisma): both hand in the same small
 * SQL session, so both publish by the same rules.
 */

/** One statement at a time: `$1`-style parameters, rows back. */
export interface SqlSession {
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
}
/** Runs `work` in one transaction (committed when it resolves, rolled back when it throws). */
export type Transact = <T>(work: (sql: SqlSession) => Promise<T>) => Promise<T>;

export interface PublishedDefinition {
  id: string;
  version: number;
  hash: string;
  publishedAt: Date;
  publishedBy: string;
}

export interface ListedDefinition extends PublishedDefinition {
  title: Text;
  /** The highest version of its id. */
  latest: boolean;
}

export type PublishResult =
  | { outcome: 'published'; definition: PublishedDefinition }
  /** The same (id, version) with the same content was published before: nothing done. */
  | { outcome: 'unchanged'; definition: PublishedDefinition }
  | { outcome: 'invalid'; problems: DefinitionProblem[] }
  | { outcome: 'conflict'; detail: string };

export interface PublishOptions {
  adapters: Readonly<Record<string, AdapterSpec>>;
  /** Who publishes: an administrator's id, or `shipped:<file>`. */
  publishedBy: string;
  /**
   * Refuse a version below the latest of its id (the API: versions only go up). The shipped folder
   * publishes whatever is absent, whatever was published through the API meanwhile.
   */
  requireNewest: boolean;
}

/** sha256 (hex) of the document's canonical JSON. */
export function definitionHash(document: ProcedureDocument): string {
  return createHash('sha256').update(canonicalJson(document), 'utf8').digest('hex');
}

/** Versions are PostgreSQL integers. */
export const MAX_VERSION = 2_147_483_647;

// Two publications of one procedure id never interleave: an advisory lock per id, for the
// transaction. The two-key form (its own key space, apart from the migrations' single key), first
// key 'PROC'.
const LOCK_CLASS = 0x50524f43;

const COLUMNS = `"id", "version", "hash", "publishedAt", "publishedBy"`;

/**
 * Publishes a parsed document: checked (`checkDocument` with these adapters), then inserted unless
 * its (id, version) exists. The same content again is `unchanged`; other content under a published
 * (id, version), or (with `requireNewest`) a version below the latest, is a `conflict`.
 */
export async function publishDefinition(transact: Transact, document: ProcedureDocument, options: PublishOptions): Promise<PublishResult> {
  const problems = [
    ...(document.version > MAX_VERSION ? [{ path: 'version', message: `must be at most ${MAX_VERSION}` }] : []),
    ...checkDocument(document, options.adapters, compileJsonSchema),
  ];
  if (problems.length > 0) return { outcome: 'invalid', problems };
  const hash = definitionHash(document);
  const { id, version } = document;
  return transact<PublishResult>(async (sql) => {
    await sql.query('SELECT 1 AS "locked" FROM pg_advisory_xact_lock($1::int, hashtext($2::text))', [LOCK_CLASS, id]);
    const [existing] = await sql.query<PublishedDefinition>(`SELECT ${COLUMNS} FROM "ProcedureDefinition" WHERE "id" = $1 AND "version" = $2::int`, [id, version]);
    const [{ latest } = { latest: null }] = await sql.query<{ latest: number | null }>(`SELECT max("version") AS "latest" FROM "ProcedureDefinition" WHERE "id" = $1`, [id]);
    const next = (latest ?? 0) + 1;
    if (existing) {
      if (existing.hash === hash) return { outcome: 'unchanged', definition: existing };
      return {
        outcome: 'conflict',
        detail:
          `${id} version ${version} is already published with other content (hash ${existing.hash}, ` +
          `published ${existing.publishedAt.toISOString()} by ${existing.publishedBy}); a published version never changes: publish the change as version ${next}`,
      };
    }
    if (options.requireNewest && latest !== null && version < latest) {
      return { outcome: 'conflict', detail: `${id} version ${version} is older than its latest published version ${latest}: publish it as version ${next}` };
    }
    const [inserted] = await sql.query<PublishedDefinition>(
      `INSERT INTO "ProcedureDefinition" ("id", "version", "hash", "document", "publishedBy") VALUES ($1, $2::int, $3, $4::jsonb, $5) RETURNING ${COLUMNS}`,
      [id, version, hash, JSON.stringify(document), options.publishedBy],
    );
    return { outcome: 'published', definition: inserted! };
  });
}

/** Every published version (of one id, if given): by id, the newest version first. */
export async function listDefinitions(sql: SqlSession, filter: { id?: string } = {}): Promise<ListedDefinition[]> {
  return sql.query<ListedDefinition>(
    `SELECT ${COLUMNS}, "document"->'title' AS "title", "version" = max("version") OVER (PARTITION BY "id") AS "latest"
       FROM "ProcedureDefinition" WHERE $1::text IS NULL OR "id" = $1::text ORDER BY "id", "version" DESC`,
    [filter.id ?? null],
  );
}

/** One published version with its document, if published. */
export async function findDefinition(sql: SqlSession, id: string, version: number): Promise<(PublishedDefinition & { document: ProcedureDocument }) | undefined> {
  const [row] = await sql.query<PublishedDefinition & { document: ProcedureDocument }>(
    `SELECT ${COLUMNS}, "document" FROM "ProcedureDefinition" WHERE "id" = $1 AND "version" = $2::int`,
    [id, version],
  );
  return row;
}

/** A shipped definition that cannot be published: the start stops, naming the file. */
export class ShippedDefinitionError extends Error {
  override name = 'ShippedDefinitionError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

export interface ShippedResult {
  file: string;
  id: string;
  version: number;
  outcome: 'published' | 'unchanged';
}

/**
 * Publishes every `*.json` of `dir` (one document per procedure version) whose (id, version) is
 * absent, in file name order. A file that does not parse, fails the checks, or holds other content
 * under a published (id, version) throws a `ShippedDefinitionError` naming it; files before it stay
 * published (each is a transaction of its own, and publishing them again changes nothing).
 */
export async function publishShippedDefinitions(
  transact: Transact,
  dir: string,
  adapters: Readonly<Record<string, AdapterSpec>>,
): Promise<ShippedResult[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const results: ShippedResult[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = displayPath(path.join(dir, name));
    let input: unknown;
    try {
      input = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
    } catch (error) {
      throw new ShippedDefinitionError(file, `not a JSON document (${error instanceof Error ? error.message : String(error)})`);
    }
    const parsed = parseProcedureDocument(input);
    if (!parsed.ok) throw new ShippedDefinitionError(file, invalid(parsed.problems));
    const result = await publishDefinition(transact, parsed.document, { adapters, publishedBy: `shipped:${name}`, requireNewest: false });
    if (result.outcome === 'invalid') throw new ShippedDefinitionError(file, invalid(result.problems));
    if (result.outcome === 'conflict') throw new ShippedDefinitionError(file, result.detail);
    results.push({ file, id: parsed.document.id, version: parsed.document.version, outcome: result.outcome });
  }
  return results;
}

/** A pg client (or pool client) as a `Transact`: BEGIN, the work, COMMIT (ROLLBACK when it throws). */
export function pgTransact(client: { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> }): Transact {
  const session: SqlSession = { query: async <R>(text: string, params?: readonly unknown[]) => (await client.query(text, params ? [...params] : undefined)).rows as R[] };
  return async (work) => {
    await client.query('BEGIN');
    try {
      const result = await work(session);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
}

function invalid(problems: DefinitionProblem[]): string {
  return `not a valid procedure definition: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
