import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '../../prisma/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { actualSchemaFromDatabase, diffSchemas, expectedSchemaFromPrisma } from '../support/schema-model';

/**
 * The migrations under prisma/migrations are written by hand (Prisma's schema engine is not
 * available to generate them), so nothing else keeps them in step with prisma/schema.prisma.
 * This test does: it migrates a fresh database and compares it with what Prisma Migrate would
 * have created for the schema. The other cases prove the comparison can fail in both directions.
 */

const SCHEMA_PATH = path.join(__dirname, '../../prisma/schema.prisma');

async function execute(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Inserts `text` right after the opening line of `model <name> {`, failing if it is not there. */
function addToModel(schema: string, model: string, text: string): string {
  const opening = new RegExp(`^model ${model} \\{\\n`, 'm');
  if (!opening.test(schema)) throw new Error(`schema has no model ${model}`);
  return schema.replace(opening, (line) => `${line}${text}\n`);
}

describe('schema drift between prisma/schema.prisma and prisma/migrations', () => {
  const databases: TestDatabase[] = [];
  let schema: string;
  let migrated: TestDatabase;

  async function database(options?: { migrate?: boolean }): Promise<TestDatabase> {
    const db = await createTestDatabase(options);
    databases.push(db);
    return db;
  }

  beforeAll(async () => {
    schema = await readFile(SCHEMA_PATH, 'utf8');
    migrated = await database();
  });

  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  it('the migrated database is exactly what the schema describes', async () => {
    expect(diffSchemas(expectedSchemaFromPrisma(schema), await actualSchemaFromDatabase(migrated.url))).toEqual([]);
  });

  it('reports a database changed behind the schema’s back', async () => {
    const db = await database();
    await execute(
      db.url,
      `ALTER TABLE "Staff" ALTER COLUMN "email" DROP NOT NULL;
       DROP INDEX "Vehicle_ownerPin_idx";
       ALTER TABLE "Person" ADD COLUMN "nickname" TEXT;`,
    );

    const diff = diffSchemas(expectedSchemaFromPrisma(schema), await actualSchemaFromDatabase(db.url));

    expect(diff.sort()).toEqual(
      [
        'table Staff: column email: expected NOT NULL, database allows NULL',
        'missing index on Vehicle(ownerPin)',
        'table Person: extra column nickname',
      ].sort(),
    );
  });

  it('reports a schema change that has no migration', async () => {
    const changed =
      addToModel(schema, 'Staff', '  nickname String?') +
      '\nmodel AuditEntry {\n  id String @id @default(uuid())\n  note String\n}\n';

    const diff = diffSchemas(expectedSchemaFromPrisma(changed), await actualSchemaFromDatabase(migrated.url));

    expect(diff.sort()).toEqual(['missing table AuditEntry', 'table Staff: missing column nickname'].sort());
  });

  it('understands the Prisma features the schema does not use yet', async () => {
    const db = await database({ migrate: false });
    await execute(db.url, FEATURES_SQL);

    expect(diffSchemas(expectedSchemaFromPrisma(FEATURES_SCHEMA), await actualSchemaFromDatabase(db.url))).toEqual([]);
  });

  it('every migration directory holds a migration.sql, and the lock names postgresql', async () => {
    const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
    const directories = entries.filter((e) => e.isDirectory()).map((e) => e.name);
    const withoutSql: string[] = [];
    for (const name of directories) {
      const sql = await stat(path.join(MIGRATIONS_DIR, name, 'migration.sql')).catch(() => null);
      if (!sql?.isFile()) withoutSql.push(name);
    }
    const lock = await readFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8');

    expect(directories.length).toBeGreaterThan(0);
    expect(withoutSql).toEqual([]);
    expect(lock).toMatch(/^provider\s*=\s*"postgresql"\s*$/m);
  });
});

/**
 * A schema exercising what the real one does not (mapped names, composite and named keys, sort
 * order, index type, native types, literal / list / enum / generated defaults, client-side
 * defaults, explicit referential actions), with the SQL Prisma Migrate generates for it.
 */
const FEATURES_SCHEMA = `
datasource db {
  provider = "postgresql"
}

model Account {
  id        Int      @id @default(autoincrement())
  balance   BigInt   @default(5)
  ratio     Float    @default(1.5)
  amount    Decimal  @default(2.5)
  price     Decimal  @db.Decimal(10, 2)
  label     String   @default("it's") @db.VarChar(255)
  token     String   @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  avatar    Bytes?
  settings  Json     @default("{}")
  scores    Int[]    @default([1, 2])
  colour    Colour   @default(RED) @map("colour_value")
  palette   Colour[]
  updatedAt DateTime @updatedAt
  seenAt    DateTime @default(now()) @db.Timestamptz(6)
  slug      String   @default(cuid())
  links     Link[]

  @@unique([balance, ratio], map: "account_balance_ratio")
  @@index([label(sort: Desc), settings], map: "account_label")
  @@index([price], type: Hash)
  @@map("accounts")
}

model Link {
  x         Int
  y         Int
  accountId Int?
  account   Account? @relation(fields: [accountId], references: [id], onDelete: Cascade, onUpdate: NoAction)

  @@id([x, y], map: "link_pk")
  @@unique([y, x])
}

enum Colour {
  RED   @map("red")
  GREEN

  @@map("colour")
}
`;

const FEATURES_SQL = `
CREATE TYPE "colour" AS ENUM ('red', 'GREEN');

CREATE TABLE "accounts" (
    "id" SERIAL NOT NULL,
    "balance" BIGINT NOT NULL DEFAULT 5,
    "ratio" DOUBLE PRECISION NOT NULL DEFAULT 1.5,
    "amount" DECIMAL(65,30) NOT NULL DEFAULT 2.5,
    "price" DECIMAL(10,2) NOT NULL,
    "label" VARCHAR(255) NOT NULL DEFAULT 'it''s',
    "token" UUID NOT NULL DEFAULT gen_random_uuid(),
    "avatar" BYTEA,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "scores" INTEGER[] DEFAULT ARRAY[1, 2]::INTEGER[],
    "colour_value" "colour" NOT NULL DEFAULT 'red',
    "palette" "colour"[],
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "seenAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "slug" TEXT NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Link" (
    "x" INTEGER NOT NULL,
    "y" INTEGER NOT NULL,
    "accountId" INTEGER,

    CONSTRAINT "link_pk" PRIMARY KEY ("x","y")
);

CREATE INDEX "account_label" ON "accounts"("label" DESC, "settings");
CREATE INDEX "accounts_price_idx" ON "accounts" USING HASH ("price");
CREATE UNIQUE INDEX "account_balance_ratio" ON "accounts"("balance", "ratio");
CREATE UNIQUE INDEX "Link_y_x_key" ON "Link"("y", "x");

ALTER TABLE "Link" ADD CONSTRAINT "Link_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id")
    ON DELETE CASCADE ON UPDATE NO ACTION;
`;
