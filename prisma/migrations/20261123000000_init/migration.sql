-- CreateEnum
CREATE TYPE "UnitKind" AS ENUM ('CITY', 'DEPARTMENT', 'DIVISION', 'DISTRICT', 'WARD');

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('clerk', 'officer', 'supervisor');

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('MALE', 'FEMALE');

-- CreateEnum
CREATE TYPE "CivilStatusKind" AS ENUM ('BIRTH', 'MARRIAGE', 'DEATH', 'PARENT_CHILD_RECOGNITION');

-- CreateEnum
CREATE TYPE "RecordStorage" AS ENUM ('ELECTRONIC', 'PAPER_ARCHIVE');

-- CreateEnum
CREATE TYPE "BusinessKind" AS ENUM ('ENTERPRISE', 'HOUSEHOLD_BUSINESS');

-- CreateEnum
CREATE TYPE "BusinessStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'DISSOLVED');

-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('EMAIL', 'SMS', 'PUSH');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'SENT');

-- CreateTable
CREATE TABLE "Unit" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "UnitKind" NOT NULL,
    "parentCode" TEXT,
    "email" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Staff" (
    "id" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "unitCode" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "pin" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "dateOfBirth" DATE NOT NULL,
    "sex" "Sex" NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "address" TEXT NOT NULL,
    "residenceUnitCode" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("pin")
);

-- CreateTable
CREATE TABLE "CivilStatusRecord" (
    "id" TEXT NOT NULL,
    "kind" "CivilStatusKind" NOT NULL,
    "registrationUnitCode" TEXT NOT NULL,
    "bookNumber" TEXT,
    "pageNumber" INTEGER,
    "registeredOn" DATE NOT NULL,
    "storage" "RecordStorage" NOT NULL,
    "subjectPin" TEXT,
    "partyPins" TEXT[],
    "details" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CivilStatusRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Business" (
    "enterpriseCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "normalizedName" TEXT NOT NULL,
    "kind" "BusinessKind" NOT NULL,
    "address" TEXT NOT NULL,
    "legalRepresentativePin" TEXT NOT NULL,
    "registrationUnitCode" TEXT NOT NULL,
    "registeredOn" DATE NOT NULL,
    "status" "BusinessStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Business_pkey" PRIMARY KEY ("enterpriseCode")
);

-- CreateTable
CREATE TABLE "Vehicle" (
    "plateNumber" TEXT NOT NULL,
    "ownerPin" TEXT NOT NULL,
    "vehicleType" TEXT NOT NULL,
    "brand" TEXT NOT NULL,
    "color" TEXT NOT NULL,
    "registeredOn" DATE NOT NULL,
    "flaggedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Vehicle_pkey" PRIMARY KEY ("plateNumber")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "recipient" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'PENDING',
    "messageId" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SystemCheck" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SystemCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DevMail" (
    "id" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "recipients" TEXT[],
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DevMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Unit_parentCode_idx" ON "Unit"("parentCode");

-- CreateIndex
CREATE UNIQUE INDEX "Staff_email_key" ON "Staff"("email");

-- CreateIndex
CREATE INDEX "Staff_unitCode_role_idx" ON "Staff"("unitCode", "role");

-- CreateIndex
CREATE INDEX "CivilStatusRecord_kind_subjectPin_idx" ON "CivilStatusRecord"("kind", "subjectPin");

-- CreateIndex
CREATE INDEX "CivilStatusRecord_registrationUnitCode_idx" ON "CivilStatusRecord"("registrationUnitCode");

-- CreateIndex
CREATE UNIQUE INDEX "Business_normalizedName_key" ON "Business"("normalizedName");

-- CreateIndex
CREATE INDEX "Vehicle_ownerPin_idx" ON "Vehicle"("ownerPin");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_idempotencyKey_key" ON "Notification"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "SystemCheck_workflowId_key" ON "SystemCheck"("workflowId");

-- CreateIndex
CREATE INDEX "DevMail_receivedAt_idx" ON "DevMail"("receivedAt");

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_parentCode_fkey" FOREIGN KEY ("parentCode") REFERENCES "Unit"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Staff" ADD CONSTRAINT "Staff_unitCode_fkey" FOREIGN KEY ("unitCode") REFERENCES "Unit"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CivilStatusRecord" ADD CONSTRAINT "CivilStatusRecord_registrationUnitCode_fkey" FOREIGN KEY ("registrationUnitCode") REFERENCES "Unit"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Business" ADD CONSTRAINT "Business_registrationUnitCode_fkey" FOREIGN KEY ("registrationUnitCode") REFERENCES "Unit"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vehicle" ADD CONSTRAINT "Vehicle_ownerPin_fkey" FOREIGN KEY ("ownerPin") REFERENCES "Person"("pin") ON DELETE RESTRICT ON UPDATE CASCADE;
