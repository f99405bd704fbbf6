-- The cycle per shard (issue 20 item 4, ADR 0020). A chunk is a range of buckets and of entity ids;
-- chunks made before this migration keep their id range over every bucket (the defaults).
ALTER TABLE "cycle_chunk" ADD COLUMN     "from_bucket" SMALLINT NOT NULL DEFAULT 0,
ADD COLUMN     "to_bucket" SMALLINT NOT NULL DEFAULT 4095;

-- An entity's bucket, the shard key (ADR 0020): computed for the existing rows here, written by
-- ingestion for new ones, and held to uscc_bucket(uscc) by a check (a USCC never changes).
ALTER TABLE "entity" ADD COLUMN     "bucket" SMALLINT;
UPDATE "entity" SET "bucket" = uscc_bucket("uscc");
ALTER TABLE "entity" ALTER COLUMN "bucket" SET NOT NULL;
ALTER TABLE "entity" ADD CONSTRAINT "entity_bucket_of_uscc" CHECK ("bucket" = uscc_bucket("uscc"));

-- CreateIndex
CREATE INDEX "entity_bucket_id_idx" ON "entity"("bucket", "id");
