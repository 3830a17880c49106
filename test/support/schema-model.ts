import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { Client } from 'pg';

/**
 * Drift detection between prisma/schema.prisma and a migrated PostgreSQL database.
 *
 * Prisma's schema engine (which `prisma migrate diff` needs) cannot be installed here, so both
 * sides are reduced to one normalised shape instead: what Prisma Migrate *would* create for the
 * schema (read through the DMMF of @prisma/prisma-schema-wasm), and what the database *does*
 * contain (read from pg_catalog). Normalisation is deliberately limited to the forms Prisma emits
 * for PostgreSQL; anything unusual shows up as a difference rather than being explained away.
 */

export interface DbShape {
  /** Enum type name -> values, in declaration order (order is observable: it sorts). */
  enums: Record<string, string[]>;
  tables: Record<string, TableShape>;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  /** Primary key, unique and plain indexes. */
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

export interface ColumnShape {
  /** Normalised SQL type: `text`, `timestamptz(3)`, `varchar(255)`, `enum:UnitKind`, `text[]`… */
  type: string;
  nullable: boolean;
  /** Normalised default expression (casts stripped), `autoincrement()`, or null for none. */
  default: string | null;
}

export type IndexKind = 'primary key' | 'unique index' | 'index';

export interface IndexShape {
  kind: IndexKind;
  name: string;
  /** Column names, with ` DESC` appended for descending key columns. */
  columns: string[];
  /** Access method: btree unless the schema says `type: Hash` etc. */
  method: string;
  /** Partial-index predicate. Prisma never creates one; kept so a hand-written one is reported. */
  where: string | null;
}

export type ReferentialAction = 'CASCADE' | 'RESTRICT' | 'NO ACTION' | 'SET NULL' | 'SET DEFAULT';

export interface ForeignKeyShape {
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

// ---------------------------------------------------------------------------------------------
// Expected shape: from the Prisma schema
// ---------------------------------------------------------------------------------------------

/** The parts of the DMMF (as printed by get_dmmf) this module reads. */
interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt?: boolean;
  nativeType?: [string, string[]] | null;
  default?: DmmfDefault;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

type DmmfLiteral = string | number | boolean;
type DmmfDefault = DmmfLiteral | DmmfLiteral[] | { name: string; args: unknown[] };

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfEnum {
  name: string;
  dbName: string | null;
  values: { name: string; dbName: string | null }[];
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}

interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

function readDatamodel(schemaText: string): Datamodel {
  let output: string;
  try {
    output = get_dmmf(JSON.stringify({ prismaSchema: schemaText, noColor: true }));
  } catch (error) {
    throw new Error(`Invalid Prisma schema:\n${wasmErrorMessage(error)}`, { cause: error });
  }
  return (JSON.parse(output) as { datamodel: Datamodel }).datamodel;
}

/** The wasm throws its JSON error envelope as the message; keep only the readable part. */
function wasmErrorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  try {
    return (JSON.parse(raw) as { message?: string }).message ?? raw;
  } catch {
    return raw;
  }
}

export function expectedSchemaFromPrisma(schemaText: string): DbShape {
  const datamodel = readDatamodel(schemaText);
  rejectImplicitManyToMany(datamodel.models);
  const enums = new Map(datamodel.enums.map((e) => [e.name, e]));
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const tables: Record<string, TableShape> = {};
  for (const model of datamodel.models) {
    tables[tableName(model)] = {
      columns: Object.fromEntries(scalarFields(model).map((f) => [columnName(f), expectedColumn(f, enums)])),
      indexes: datamodel.indexes.filter((i) => i.model === model.name).map((i) => expectedIndex(i, model)),
      foreignKeys: relationFields(model).map((f) => expectedForeignKey(f, model, models)),
    };
  }
  return {
    enums: Object.fromEntries(datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map(enumValueName)])),
    tables,
  };
}

const tableName = (model: DmmfModel): string => model.dbName ?? model.name;
const columnName = (field: DmmfField): string => field.dbName ?? field.name;
const enumValueName = (value: DmmfEnum['values'][number]): string => value.dbName ?? value.name;
const scalarFields = (model: DmmfModel): DmmfField[] =>
  model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
const relationFields = (model: DmmfModel): DmmfField[] =>
  model.fields.filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0);

function fieldByName(model: DmmfModel, name: string): DmmfField {
  const field = model.fields.find((f) => f.name === name);
  if (!field) throw new Error(`DMMF: model ${model.name} has no field ${name}`);
  return field;
}

/**
 * Implicit m:n relations create a hidden `_AToB` join table this module does not model; fail
 * loudly rather than report that table as "extra" with no explanation.
 */
function rejectImplicitManyToMany(models: DmmfModel[]): void {
  const listRelations = models.flatMap((m) => m.fields.filter((f) => f.kind === 'object' && f.isList));
  const counts = new Map<string, number>();
  for (const f of listRelations) counts.set(f.relationName ?? '', (counts.get(f.relationName ?? '') ?? 0) + 1);
  const implicit = [...counts].filter(([, n]) => n === 2).map(([name]) => name);
  if (implicit.length > 0) {
    throw new Error(`schema-model: implicit many-to-many relations (${implicit.join(', ')}) are not supported yet`);
  }
}

// Prisma's default mapping of scalar types to PostgreSQL columns when no @db attribute is given.
const DEFAULT_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
  Bytes: 'bytea',
};

// @db.X native types -> the base name used in the normalised form (see normalizeDbType).
const NATIVE_TYPES: Record<string, string> = {
  Text: 'text',
  Char: 'char',
  VarChar: 'varchar',
  Bit: 'bit',
  VarBit: 'varbit',
  Uuid: 'uuid',
  Xml: 'xml',
  Inet: 'inet',
  Citext: 'citext',
  Boolean: 'boolean',
  SmallInt: 'smallint',
  Integer: 'integer',
  BigInt: 'bigint',
  Oid: 'oid',
  Real: 'real',
  DoublePrecision: 'double precision',
  Decimal: 'numeric',
  Money: 'money',
  Timestamp: 'timestamp',
  Timestamptz: 'timestamptz',
  Date: 'date',
  Time: 'time',
  Timetz: 'timetz',
  Json: 'json',
  JsonB: 'jsonb',
  ByteA: 'bytea',
};

function expectedColumn(field: DmmfField, enums: Map<string, DmmfEnum>): ColumnShape {
  const enumType = field.kind === 'enum' ? enums.get(field.type) : undefined;
  const base = enumType ? `enum:${enumType.dbName ?? enumType.name}` : scalarType(field);
  return {
    type: field.isList ? `${base}[]` : base,
    // Prisma never puts NOT NULL on scalar lists, required or not (`"tags" TEXT[]`).
    nullable: !field.isRequired || field.isList,
    default: expectedDefault(field, enumType),
  };
}

function scalarType(field: DmmfField): string {
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    const base = NATIVE_TYPES[name];
    if (!base) throw new Error(`schema-model: native type @db.${name} (field ${field.name}) is not mapped`);
    return args.length > 0 ? `${base}(${args.join(',')})` : base;
  }
  const type = DEFAULT_TYPES[field.type];
  if (!type) throw new Error(`schema-model: scalar type ${field.type} (field ${field.name}) is not mapped`);
  return type;
}

/**
 * The default Prisma Migrate writes into the column, normalised like a database default.
 * Client-side generators (uuid(), cuid(), nanoid(), ulid()) and @updatedAt put nothing there.
 */
function expectedDefault(field: DmmfField, enumType: DmmfEnum | undefined): string | null {
  const value = field.default;
  if (value === undefined) return null;
  if (Array.isArray(value)) return `ARRAY[${value.map((v) => literal(v, field, enumType)).join(', ')}]`;
  if (typeof value !== 'object') return literal(value, field, enumType);
  switch (value.name) {
    case 'now':
      return 'CURRENT_TIMESTAMP';
    case 'autoincrement':
      return 'autoincrement()';
    case 'dbgenerated':
      return typeof value.args[0] === 'string' ? normalizeDefault(value.args[0]) : null;
    default:
      return null;
  }
}

// Numbers are written unquoted; the DMMF hands BigInt (and may hand Decimal) defaults as strings.
const NUMERIC_TYPES = new Set(['Int', 'BigInt', 'Float', 'Decimal']);

function literal(value: DmmfLiteral, field: DmmfField, enumType: DmmfEnum | undefined): string {
  if (typeof value !== 'string' || NUMERIC_TYPES.has(field.type)) return String(value);
  const enumValue = enumType?.values.find((v) => v.name === value);
  const text = enumValue ? enumValueName(enumValue) : value;
  return `'${text.replaceAll("'", "''")}'`;
}

const INDEX_KINDS: Record<DmmfIndex['type'], IndexKind> = {
  id: 'primary key',
  unique: 'unique index',
  normal: 'index',
  fulltext: 'index', // MySQL only: the PostgreSQL connector rejects @@fulltext.
};

function expectedIndex(index: DmmfIndex, model: DmmfModel): IndexShape {
  const columns = index.fields.map((f) => columnName(fieldByName(model, f.name)));
  const kind = INDEX_KINDS[index.type];
  return {
    kind,
    name: index.dbName ?? defaultConstraintName(tableName(model), columns, kind),
    columns: index.fields.map((f, i) => (f.sortOrder === 'desc' ? `${columns[i]} DESC` : columns[i]!)),
    method: (index.algorithm ?? 'BTree').toLowerCase(),
    where: null,
  };
}

// PostgreSQL's NAMEDATALEN - 1: Prisma truncates generated names to fit it.
const MAX_IDENTIFIER_BYTES = 63;

/** Prisma's default constraint names (psl-core ConstraintNames): `Table_col1_col2_key` etc. */
function defaultConstraintName(table: string, columns: string[], kind: IndexKind): string {
  if (kind === 'primary key') return `${truncateBytes(table, MAX_IDENTIFIER_BYTES - 5)}_pkey`;
  const suffix = kind === 'unique index' ? '_key' : '_idx';
  return `${truncateBytes(`${table}_${columns.join('_')}`, MAX_IDENTIFIER_BYTES - suffix.length)}${suffix}`;
}

function truncateBytes(text: string, maxBytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -1);
  return out;
}

const REFERENTIAL_ACTIONS: Record<string, ReferentialAction> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

function expectedForeignKey(field: DmmfField, model: DmmfModel, models: Map<string, DmmfModel>): ForeignKeyShape {
  const target = models.get(field.type);
  if (!target) throw new Error(`DMMF: relation ${model.name}.${field.name} points to unknown model ${field.type}`);
  // Prisma's defaults: a required relation restricts deletes, an optional one nulls the reference.
  const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull');
  const onUpdate = field.relationOnUpdate ?? 'Cascade';
  return {
    columns: (field.relationFromFields ?? []).map((name) => columnName(fieldByName(model, name))),
    referencedTable: tableName(target),
    referencedColumns: (field.relationToFields ?? []).map((name) => columnName(fieldByName(target, name))),
    onDelete: referentialAction(onDelete),
    onUpdate: referentialAction(onUpdate),
  };
}

function referentialAction(prismaName: string): ReferentialAction {
  const action = REFERENTIAL_ACTIONS[prismaName];
  if (!action) throw new Error(`schema-model: unknown referential action ${prismaName}`);
  return action;
}

// ---------------------------------------------------------------------------------------------
// Actual shape: from the database
// ---------------------------------------------------------------------------------------------

// Prisma Migrate's own bookkeeping table: not part of the data model.
const IGNORED_TABLES = ['_prisma_migrations'];

const TABLES_SQL = `
SELECT c.relname::text AS table
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT (c.relname = ANY($1))`;

const ENUMS_SQL = `
SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = 'public'
GROUP BY t.typname`;

const COLUMNS_SQL = `
SELECT c.relname::text AS table,
       a.attname::text AS column,
       format_type(a.atttypid, a.atttypmod) AS type,
       et.typname::text AS enum,
       t.typcategory = 'A' AS is_array,
       NOT a.attnotnull AS nullable,
       pg_get_expr(d.adbin, d.adrelid) AS default
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.typtype = 'e'
  AND et.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT (c.relname = ANY($1))
  AND a.attnum > 0 AND NOT a.attisdropped`;

// Key columns in index order; expression keys (attnum 0) are rendered as their expression.
const INDEXES_SQL = `
SELECT ct.relname::text AS table,
       ci.relname::text AS name,
       i.indisprimary AS primary,
       i.indisunique AS unique,
       am.amname::text AS method,
       pg_get_expr(i.indpred, i.indrelid) AS where,
       ARRAY(
         SELECT COALESCE(a.attname::text, pg_get_indexdef(i.indexrelid, k.ord::int, true))
                || CASE WHEN i.indoption[k.ord - 1] & 1 = 1 THEN ' DESC' ELSE '' END
         FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
         WHERE k.ord <= i.indnkeyatts
         ORDER BY k.ord
       ) AS columns
FROM pg_index i
JOIN pg_class ci ON ci.oid = i.indexrelid
JOIN pg_class ct ON ct.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ct.relnamespace
JOIN pg_am am ON am.oid = ci.relam
WHERE n.nspname = 'public' AND ct.relkind IN ('r', 'p') AND NOT (ct.relname = ANY($1))`;

const FOREIGN_KEYS_SQL = `
SELECT cl.relname::text AS table,
       rf.relname::text AS referenced_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS referenced_columns,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_class rf ON rf.oid = con.confrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
WHERE con.contype = 'f' AND n.nspname = 'public' AND cl.relkind IN ('r', 'p') AND NOT (cl.relname = ANY($1))`;

interface ColumnRow {
  table: string;
  column: string;
  type: string;
  enum: string | null;
  is_array: boolean;
  nullable: boolean;
  default: string | null;
}

interface IndexRow {
  table: string;
  name: string;
  primary: boolean;
  unique: boolean;
  method: string;
  where: string | null;
  columns: string[];
}

interface ForeignKeyRow {
  table: string;
  referenced_table: string;
  columns: string[];
  referenced_columns: string[];
  on_delete: string;
  on_update: string;
}

export async function actualSchemaFromDatabase(url: string): Promise<DbShape> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // Every query but ENUMS_SQL takes the ignored table names as $1.
    const query = async <R extends object>(sql: string): Promise<R[]> =>
      (await client.query<R>(sql, sql === ENUMS_SQL ? [] : [IGNORED_TABLES])).rows;
    const tables: Record<string, TableShape> = {};
    for (const { table } of await query<{ table: string }>(TABLES_SQL)) {
      tables[table] = { columns: {}, indexes: [], foreignKeys: [] };
    }
    // The row queries filter tables exactly as TABLES_SQL does, so every row has its table.
    for (const row of await query<ColumnRow>(COLUMNS_SQL)) {
      tables[row.table]!.columns[row.column] = actualColumn(row);
    }
    for (const row of await query<IndexRow>(INDEXES_SQL)) tables[row.table]!.indexes.push(actualIndex(row));
    for (const row of await query<ForeignKeyRow>(FOREIGN_KEYS_SQL)) {
      tables[row.table]!.foreignKeys.push(actualForeignKey(row));
    }
    const enums = await query<{ name: string; values: string[] }>(ENUMS_SQL);
    return { enums: Object.fromEntries(enums.map((e) => [e.name, e.values])), tables };
  } finally {
    await client.end();
  }
}

function actualColumn(row: ColumnRow): ColumnShape {
  return {
    type: row.enum ? `enum:${row.enum}${row.is_array ? '[]' : ''}` : normalizeDbType(row.type),
    nullable: row.nullable,
    default: row.default === null ? null : normalizeDefault(row.default),
  };
}

/** format_type() spells types the SQL-standard way; bring them to the short forms used above. */
export function normalizeDbType(formatted: string): string {
  return formatted
    .replace(/^character varying/, 'varchar')
    .replace(/^character\b/, 'char')
    .replace(/^bit varying/, 'varbit')
    .replace(/^(timestamp|time)(\(\d+\))? with time zone/, (_, base: string, p = '') => `${base}tz${p}`)
    .replace(/^(timestamp|time)(\(\d+\))? without time zone/, '$1$2');
}

// Type names as PostgreSQL prints them after `::`; the multi-word ones must be spelled out.
const CAST_TYPE = [
  '"(?:[^"]|"")*"',
  'character varying',
  'double precision',
  'bit varying',
  '(?:timestamp|time)(?:\\(\\d+\\))? with(?:out)? time zone',
  '[a-z_][a-z0-9_]*',
].join('|');

// A string literal (left alone) or a `::type` cast (removed), so casts inside strings survive.
const LITERAL_OR_CAST = new RegExp(`'(?:[^']|'')*'|::(?:${CAST_TYPE})(?:\\(\\d+(?:,\\s*\\d+)?\\))?(?:\\[\\])*`, 'gi');

/**
 * PostgreSQL stores defaults with the casts it inferred (`'ACTIVE'::"BusinessStatus"`,
 * `'-1'::integer`, `ARRAY['a'::text]`); drop them so they compare with what the schema says.
 */
export function normalizeDefault(expression: string): string {
  if (/^nextval\(/i.test(expression)) return 'autoincrement()';
  const stripped = expression.replace(LITERAL_OR_CAST, (m) => (m.startsWith("'") ? m : '')).trim();
  if (/^now\(\)$/i.test(stripped)) return 'CURRENT_TIMESTAMP';
  return stripped.replace(/^'(-?\d+(?:\.\d+)?)'$/, '$1');
}

function actualIndex(row: IndexRow): IndexShape {
  const kind: IndexKind = row.primary ? 'primary key' : row.unique ? 'unique index' : 'index';
  return { kind, name: row.name, columns: row.columns, method: row.method, where: row.where };
}

const PG_ACTIONS: Record<string, ReferentialAction> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

function actualForeignKey(row: ForeignKeyRow): ForeignKeyShape {
  return {
    columns: row.columns,
    referencedTable: row.referenced_table,
    referencedColumns: row.referenced_columns,
    onDelete: PG_ACTIONS[row.on_delete] ?? 'NO ACTION',
    onUpdate: PG_ACTIONS[row.on_update] ?? 'NO ACTION',
  };
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

/** Human-readable differences, expected-side order first; empty when the shapes agree. */
export function diffSchemas(expected: DbShape, actual: DbShape): string[] {
  return [
    ...diffKeyed(toMap(expected.enums), toMap(actual.enums), (name) => `enum ${name}`, diffEnum),
    ...diffKeyed(toMap(expected.tables), toMap(actual.tables), (name) => `table ${name}`, diffTable),
  ];
}

/**
 * Pairs items by key: reports `missing <item>` / `extra <item>`, and lets `compare` describe the
 * differences between items present on both sides. A missing table is one line, not one per column.
 */
function diffKeyed<T>(
  expected: Map<string, T>,
  actual: Map<string, T>,
  describe: (key: string) => string,
  compare: (key: string, expected: T, actual: T) => string[],
): string[] {
  const out: string[] = [];
  for (const [key, e] of expected) {
    const a = actual.get(key);
    out.push(...(a === undefined ? [`missing ${describe(key)}`] : compare(key, e, a)));
  }
  for (const key of actual.keys()) if (!expected.has(key)) out.push(`extra ${describe(key)}`);
  return out;
}

const toMap = <T>(record: Record<string, T>): Map<string, T> => new Map(Object.entries(record));

function keyBy<T>(items: T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

const itself = (key: string): string => key;

function diffEnum(name: string, expected: string[], actual: string[]): string[] {
  const same = expected.length === actual.length && expected.every((v, i) => v === actual[i]);
  return same ? [] : [`enum ${name}: expected values (${expected.join(', ')}), database has (${actual.join(', ')})`];
}

function diffTable(table: string, expected: TableShape, actual: TableShape): string[] {
  const indexKey = (index: IndexShape): string => describeIndex(table, index);
  const foreignKeyKey = (fk: ForeignKeyShape): string => describeForeignKey(table, fk);
  return [
    ...diffKeyed(toMap(expected.columns), toMap(actual.columns), (c) => `column ${c}`, diffColumn).map(
      (line) => `table ${table}: ${line}`,
    ),
    ...diffKeyed(keyBy(expected.indexes, indexKey), keyBy(actual.indexes, indexKey), itself, diffIndex),
    ...diffKeyed(
      keyBy(expected.foreignKeys, foreignKeyKey),
      keyBy(actual.foreignKeys, foreignKeyKey),
      itself,
      diffForeignKey,
    ),
  ];
}

/** `<subject>: expected <what> X, database has Y`, or nothing when X and Y agree. */
function mismatch(subject: string, what: string, expected: string, actual: string): string[] {
  return expected === actual ? [] : [`${subject}: expected ${what} ${expected}, database has ${actual}`];
}

function diffColumn(column: string, expected: ColumnShape, actual: ColumnShape): string[] {
  const subject = `column ${column}`;
  const nullability =
    expected.nullable === actual.nullable
      ? []
      : expected.nullable
        ? [`${subject}: expected NULL allowed, database has NOT NULL`]
        : [`${subject}: expected NOT NULL, database allows NULL`];
  return [
    ...mismatch(subject, 'type', expected.type, actual.type),
    ...nullability,
    ...mismatch(subject, 'default', expected.default ?? '(none)', actual.default ?? '(none)'),
  ];
}

function describeIndex(table: string, index: IndexShape): string {
  const method = index.method === 'btree' ? '' : ` USING ${index.method}`;
  const where = index.where === null ? '' : ` WHERE ${index.where}`;
  return `${index.kind} on ${table}(${index.columns.join(', ')})${method}${where}`;
}

function diffIndex(description: string, expected: IndexShape, actual: IndexShape): string[] {
  return mismatch(description, 'name', expected.name, actual.name);
}

function describeForeignKey(table: string, fk: ForeignKeyShape): string {
  return `foreign key ${table}(${fk.columns.join(', ')}) -> ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`;
}

function diffForeignKey(description: string, expected: ForeignKeyShape, actual: ForeignKeyShape): string[] {
  return [
    ...mismatch(description, 'ON DELETE', expected.onDelete, actual.onDelete),
    ...mismatch(description, 'ON UPDATE', expected.onUpdate, actual.onUpdate),
  ];
}
