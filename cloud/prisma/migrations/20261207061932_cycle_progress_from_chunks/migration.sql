-- AlterTable
ALTER TABLE "scoring_cycle" DROP COLUMN "done_chunks",
DROP COLUMN "entities_done";
