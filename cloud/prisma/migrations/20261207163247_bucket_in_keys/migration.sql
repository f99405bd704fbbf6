-- DropForeignKey
ALTER TABLE "credit_record_version" DROP CONSTRAINT "credit_record_version_record_id_fkey";

-- DropForeignKey
ALTER TABLE "entity_score" DROP CONSTRAINT "entity_score_entity_id_fkey";

-- DropIndex
DROP INDEX "credit_record_source_system_source_id_key";

-- DropIndex
DROP INDEX "credit_record_version_record_id_version_key";

-- DropIndex
DROP INDEX "evaluation_entity_id_as_of_cycle_id_key";

-- DropIndex
DROP INDEX "financing_source_system_source_id_key";

-- DropIndex
DROP INDEX "investment_source_system_source_id_key";

-- DropIndex
DROP INDEX "shareholder_source_system_source_id_key";

-- AlterTable
ALTER TABLE "credit_record" DROP CONSTRAINT "credit_record_pkey",
ADD CONSTRAINT "credit_record_pkey" PRIMARY KEY ("id", "bucket");

-- AlterTable
ALTER TABLE "credit_record_version" DROP CONSTRAINT "credit_record_version_pkey",
ADD CONSTRAINT "credit_record_version_pkey" PRIMARY KEY ("id", "bucket");

-- AlterTable
ALTER TABLE "entity_person" DROP CONSTRAINT "entity_person_pkey",
ADD CONSTRAINT "entity_person_pkey" PRIMARY KEY ("entity_id", "person_id", "role", "bucket");

-- AlterTable
ALTER TABLE "entity_score" DROP CONSTRAINT "entity_score_pkey",
ADD CONSTRAINT "entity_score_pkey" PRIMARY KEY ("entity_id", "bucket");

-- AlterTable
ALTER TABLE "evaluation" DROP CONSTRAINT "evaluation_pkey",
ADD CONSTRAINT "evaluation_pkey" PRIMARY KEY ("id", "bucket");

-- AlterTable
ALTER TABLE "financing" DROP CONSTRAINT "financing_pkey",
ADD CONSTRAINT "financing_pkey" PRIMARY KEY ("id", "bucket");

-- AlterTable
ALTER TABLE "investment" DROP CONSTRAINT "investment_pkey",
ADD CONSTRAINT "investment_pkey" PRIMARY KEY ("id", "bucket");

-- AlterTable
ALTER TABLE "shareholder" DROP CONSTRAINT "shareholder_pkey",
ADD CONSTRAINT "shareholder_pkey" PRIMARY KEY ("id", "bucket");

-- CreateIndex
CREATE UNIQUE INDEX "credit_record_source_system_source_id_bucket_key" ON "credit_record"("source_system", "source_id", "bucket");

-- CreateIndex
CREATE UNIQUE INDEX "credit_record_version_record_id_version_bucket_key" ON "credit_record_version"("record_id", "version", "bucket");

-- CreateIndex
CREATE UNIQUE INDEX "evaluation_entity_id_as_of_cycle_id_bucket_key" ON "evaluation"("entity_id", "as_of" DESC, "cycle_id", "bucket");

-- CreateIndex
CREATE UNIQUE INDEX "financing_source_system_source_id_bucket_key" ON "financing"("source_system", "source_id", "bucket");

-- CreateIndex
CREATE UNIQUE INDEX "investment_source_system_source_id_bucket_key" ON "investment"("source_system", "source_id", "bucket");

-- CreateIndex
CREATE UNIQUE INDEX "shareholder_source_system_source_id_bucket_key" ON "shareholder"("source_system", "source_id", "bucket");

-- AddForeignKey
ALTER TABLE "credit_record_version" ADD CONSTRAINT "credit_record_version_record_id_bucket_fkey" FOREIGN KEY ("record_id", "bucket") REFERENCES "credit_record"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "entity_score" ADD CONSTRAINT "entity_score_entity_id_bucket_fkey" FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
