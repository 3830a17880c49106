-- CreateTable
CREATE TABLE "CitizenPreference" (
    "pin" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CitizenPreference_pkey" PRIMARY KEY ("pin")
);

-- What the API checks, kept by the database too: a PIN is 12 digits, a language one the system speaks.
ALTER TABLE "CitizenPreference" ADD CONSTRAINT "CitizenPreference_pin_check" CHECK ("pin" ~ '^[0-9]{12}$');
ALTER TABLE "CitizenPreference" ADD CONSTRAINT "CitizenPreference_language_check" CHECK ("language" IN ('vi', 'en'));
