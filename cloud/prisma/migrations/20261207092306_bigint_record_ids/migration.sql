-- Record and version ids become 64-bit (issue 20 item 2, ADR 0023): 130亿 records overflow 2^31.
-- Every column holding one changes with them: versions' record_id, and the record an objection,
-- a repair or a confirmed good-information report points at. Each table is rewritten once (one
-- ALTER TABLE per table, its indexes rebuilt); the foreign key is dropped first and validated
-- once at the end, so the versions' rewrite does not check each row against the records.

-- DropForeignKey
ALTER TABLE "credit_record_version" DROP CONSTRAINT "credit_record_version_record_id_fkey";

-- AlterTable
ALTER TABLE "credit_record" ALTER COLUMN "id" SET DATA TYPE BIGINT;
ALTER SEQUENCE "credit_record_id_seq" AS BIGINT;

-- AlterTable
ALTER TABLE "credit_record_version" ALTER COLUMN "id" SET DATA TYPE BIGINT,
ALTER COLUMN "record_id" SET DATA TYPE BIGINT;
ALTER SEQUENCE "credit_record_version_id_seq" AS BIGINT;

-- AlterTable
ALTER TABLE "good_info_report" ALTER COLUMN "created_record_id" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "objection" ALTER COLUMN "record_id" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "repair_application" ALTER COLUMN "record_id" SET DATA TYPE BIGINT;

-- AddForeignKey
ALTER TABLE "credit_record_version" ADD CONSTRAINT "credit_record_version_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "credit_record"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
