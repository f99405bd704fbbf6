-- DropForeignKey
ALTER TABLE "evaluation" DROP CONSTRAINT "evaluation_entity_id_fkey";

-- AlterTable
ALTER TABLE "evaluation" ALTER COLUMN "groups" SET DATA TYPE JSON,
ALTER COLUMN "indicators" SET DATA TYPE JSON,
ALTER COLUMN "effects" SET DATA TYPE JSON;
