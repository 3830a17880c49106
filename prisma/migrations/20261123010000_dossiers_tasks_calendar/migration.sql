-- CreateTable
CREATE TABLE "Dossier" (
    "id" TEXT NOT NULL,
    "procedure" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "applicantPin" TEXT,
    "data" JSONB NOT NULL,
    "currentStep" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "result" JSONB,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Dossier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DossierEvent" (
    "id" TEXT NOT NULL,
    "dossierId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "step" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "DossierEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "dossierId" TEXT NOT NULL,
    "procedure" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "assignee" TEXT,
    "status" TEXT NOT NULL,
    "outcomes" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),
    "completedBy" TEXT,
    "outcome" TEXT,
    "data" JSONB,
    "note" TEXT,
    "remindedAt" TIMESTAMPTZ(3),
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IssuedDocument" (
    "code" TEXT NOT NULL,
    "dossierId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "issuedAt" TIMESTAMPTZ(3) NOT NULL,
    "content" JSONB NOT NULL,

    CONSTRAINT "IssuedDocument_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "CalendarDay" (
    "scope" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "working" BOOLEAN NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "CalendarDay_pkey" PRIMARY KEY ("scope","date")
);

-- CreateTable
CREATE TABLE "DeadlineSetting" (
    "procedure" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "workingDays" INTEGER NOT NULL,
    "cutoffTime" TEXT NOT NULL,
    "endOfDayTime" TEXT NOT NULL,
    "remindBeforeMinutes" INTEGER NOT NULL,
    "secondEscalationAfterWorkingDays" INTEGER NOT NULL,

    CONSTRAINT "DeadlineSetting_pkey" PRIMARY KEY ("procedure","step")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "callerSub" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "status" INTEGER,
    "response" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("callerSub","key")
);

-- CreateIndex
CREATE INDEX "Dossier_applicantPin_idx" ON "Dossier"("applicantPin");

-- CreateIndex
CREATE INDEX "Dossier_unitCode_status_idx" ON "Dossier"("unitCode", "status");

-- CreateIndex
CREATE INDEX "Dossier_status_dueAt_idx" ON "Dossier"("status", "dueAt");

-- CreateIndex
CREATE INDEX "DossierEvent_dossierId_at_idx" ON "DossierEvent"("dossierId", "at");

-- CreateIndex
CREATE INDEX "Task_unitCode_status_idx" ON "Task"("unitCode", "status");

-- CreateIndex
CREATE INDEX "Task_dossierId_idx" ON "Task"("dossierId");

-- CreateIndex
CREATE INDEX "Task_status_dueAt_idx" ON "Task"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "IssuedDocument_dossierId_key" ON "IssuedDocument"("dossierId");

-- AddForeignKey
ALTER TABLE "Dossier" ADD CONSTRAINT "Dossier_unitCode_fkey" FOREIGN KEY ("unitCode") REFERENCES "Unit"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DossierEvent" ADD CONSTRAINT "DossierEvent_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_unitCode_fkey" FOREIGN KEY ("unitCode") REFERENCES "Unit"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
