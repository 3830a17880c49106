-- CreateTable
CREATE TABLE "StaffAction" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "taskId" TEXT,
    "dossierId" TEXT,
    "note" TEXT,

    CONSTRAINT "StaffAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StaffAction_dossierId_idx" ON "StaffAction"("dossierId");

-- CreateIndex
CREATE INDEX "StaffAction_unitCode_at_idx" ON "StaffAction"("unitCode", "at");

-- Staff actions are an audit trail like the dossier's history: rows are only ever added.

CREATE TRIGGER "StaffAction_append_only"
  BEFORE UPDATE OR DELETE ON "StaffAction"
  FOR EACH ROW EXECUTE FUNCTION "append_only"();

CREATE TRIGGER "StaffAction_no_truncate"
  BEFORE TRUNCATE ON "StaffAction"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only"();
