-- CreateTable
CREATE TABLE "ProcedureDefinition" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedBy" TEXT NOT NULL,

    CONSTRAINT "ProcedureDefinition_pkey" PRIMARY KEY ("id","version")
);

-- What the application checks, kept by the database too: versions count from 1, the hash is a
-- sha256 in lower-case hex.
ALTER TABLE "ProcedureDefinition" ADD CONSTRAINT "ProcedureDefinition_version_check" CHECK ("version" >= 1);
ALTER TABLE "ProcedureDefinition" ADD CONSTRAINT "ProcedureDefinition_hash_check" CHECK ("hash" ~ '^[0-9a-f]{64}$');

-- A published version of a procedure never changes (dossiers are pinned to its id, version and
-- hash): rows are only ever added (the append-only function of migration 20261124000300 refuses
-- every UPDATE, DELETE and TRUNCATE). A change is a new version.
CREATE TRIGGER "ProcedureDefinition_append_only"
  BEFORE UPDATE OR DELETE ON "ProcedureDefinition"
  FOR EACH ROW EXECUTE FUNCTION "append_only"();

CREATE TRIGGER "ProcedureDefinition_no_truncate"
  BEFORE TRUNCATE ON "ProcedureDefinition"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only"();
