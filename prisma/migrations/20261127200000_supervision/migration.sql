-- AlterTable
ALTER TABLE "StaffAction" ADD COLUMN     "details" JSONB;

-- CreateIndex
CREATE INDEX "Dossier_unitCode_receivedAt_idx" ON "Dossier"("unitCode", "receivedAt");
