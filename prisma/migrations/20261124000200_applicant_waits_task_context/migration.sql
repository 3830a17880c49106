-- AlterTable
ALTER TABLE "Dossier" ADD COLUMN     "awaiting" JSONB;

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "context" JSONB;
