-- CreateTable
CREATE TABLE "ViolationCode" (
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "fineAmount" INTEGER NOT NULL,

    CONSTRAINT "ViolationCode_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Violation" (
    "dossierId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "plateNumber" TEXT,
    "violationCode" TEXT NOT NULL,
    "capturedAt" TIMESTAMPTZ(3) NOT NULL,
    "locationUnitCode" TEXT NOT NULL,
    "fineAmount" INTEGER,
    "ownerPin" TEXT,
    "noticeCode" TEXT,
    "noticeAt" TIMESTAMPTZ(3),
    "publishedAt" TIMESTAMPTZ(3),
    "flaggedAt" TIMESTAMPTZ(3),
    "settledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Violation_pkey" PRIMARY KEY ("dossierId")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "dossierId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "paidBy" TEXT NOT NULL,
    "paidAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Violation_fingerprint_key" ON "Violation"("fingerprint");

-- CreateIndex
CREATE INDEX "Violation_plateNumber_idx" ON "Violation"("plateNumber");

-- CreateIndex
CREATE INDEX "Violation_publishedAt_idx" ON "Violation"("publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_idempotencyKey_key" ON "Payment"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Payment_dossierId_idx" ON "Payment"("dossierId");

-- AddForeignKey
ALTER TABLE "Violation" ADD CONSTRAINT "Violation_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Violation" ADD CONSTRAINT "Violation_violationCode_fkey" FOREIGN KEY ("violationCode") REFERENCES "ViolationCode"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Violation"("dossierId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Payments are public money: rows are only ever added (the append-only function of migration
-- 20261124000300 refuses every UPDATE, DELETE and TRUNCATE).
CREATE TRIGGER "Payment_append_only"
  BEFORE UPDATE OR DELETE ON "Payment"
  FOR EACH ROW EXECUTE FUNCTION "append_only"();

CREATE TRIGGER "Payment_no_truncate"
  BEFORE TRUNCATE ON "Payment"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only"();

-- InsertData
-- Fines of violations that cameras detect, integer VND: the middle of each range of Nghị định
-- 168/2024/NĐ-CP (the usual level when no circumstance aggravates or mitigates). A new decree is
-- new rows.
INSERT INTO "ViolationCode" ("code", "description", "fineAmount") VALUES
    ('RED-LIGHT-CAR', 'Ô tô không chấp hành hiệu lệnh của đèn tín hiệu giao thông', 19000000),
    ('RED-LIGHT-MOTORBIKE', 'Xe mô tô, xe gắn máy không chấp hành hiệu lệnh của đèn tín hiệu giao thông', 5000000),
    ('SPEED-05-10-CAR', 'Ô tô chạy quá tốc độ quy định từ 05 km/h đến dưới 10 km/h', 900000),
    ('SPEED-10-20-CAR', 'Ô tô chạy quá tốc độ quy định từ 10 km/h đến 20 km/h', 5000000),
    ('SPEED-20-35-CAR', 'Ô tô chạy quá tốc độ quy định trên 20 km/h đến 35 km/h', 7000000),
    ('SPEED-10-20-MOTORBIKE', 'Xe mô tô, xe gắn máy chạy quá tốc độ quy định từ 10 km/h đến 20 km/h', 900000),
    ('WRONG-LANE-CAR', 'Ô tô đi không đúng phần đường hoặc làn đường quy định', 5000000),
    ('WRONG-LANE-MOTORBIKE', 'Xe mô tô, xe gắn máy đi không đúng phần đường hoặc làn đường quy định', 500000),
    ('NO-HELMET-MOTORBIKE', 'Người điều khiển xe mô tô, xe gắn máy không đội mũ bảo hiểm', 500000),
    ('NO-STOPPING-CAR', 'Ô tô dừng, đỗ xe tại nơi có biển cấm dừng, cấm đỗ', 900000);

-- The notice is due 10 calendar days after the detection (DOMAIN.md §3), not 10 working days as
-- the first calendar-data migration had it; a row an operator changed since stays as it is.
UPDATE "DeadlineSetting" SET "mode" = 'calendar-days', "remindBeforeMinutes" = 2880
  WHERE "procedure" = 'traffic-fine' AND "step" = 'dossier' AND "mode" = 'working-days' AND "workingDays" = 10
    AND "remindBeforeMinutes" = 480;
