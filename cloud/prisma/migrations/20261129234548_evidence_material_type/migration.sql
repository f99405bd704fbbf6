-- AlterTable
ALTER TABLE "evidence_file" ADD COLUMN     "material_type" TEXT;
