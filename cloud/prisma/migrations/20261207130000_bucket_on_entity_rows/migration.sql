-- The shard key on the rows a cycle chunk reads and writes (issue 20 item 1, ADR 0025): records,
-- their versions, evaluations and current scores carry their entity's bucket, so every statement of
-- a chunk can name its buckets on every table it touches, and a distributed database can colocate
-- them with `entity`. Hand-written in part: Prisma does not model triggers.

-- The target of the composite foreign keys below: an entity's id with its bucket.
ALTER TABLE "entity" ADD CONSTRAINT "entity_id_bucket_key" UNIQUE ("id", "bucket");

-- Records: filled from their entity, then held to it by the foreign key (entity_id, bucket).
ALTER TABLE "credit_record" ADD COLUMN "bucket" SMALLINT;
UPDATE "credit_record" r SET "bucket" = e."bucket" FROM "entity" e WHERE e."id" = r."entity_id";
ALTER TABLE "credit_record" ALTER COLUMN "bucket" SET NOT NULL;
ALTER TABLE "credit_record" DROP CONSTRAINT "credit_record_entity_id_fkey";
ALTER TABLE "credit_record" ADD CONSTRAINT "credit_record_entity_id_bucket_fkey"
  FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Versions: written with their record's bucket in the same statement (ingestion, corrections).
ALTER TABLE "credit_record_version" ADD COLUMN "bucket" SMALLINT;
UPDATE "credit_record_version" v SET "bucket" = e."bucket" FROM "entity" e WHERE e."id" = v."entity_id";
ALTER TABLE "credit_record_version" ALTER COLUMN "bucket" SET NOT NULL;

-- Evaluations: no foreign key, as before (ADR 0006); written with the bucket of the entity_score row.
ALTER TABLE "evaluation" ADD COLUMN "bucket" SMALLINT;
UPDATE "evaluation" v SET "bucket" = e."bucket" FROM "entity" e WHERE e."id" = v."entity_id";
ALTER TABLE "evaluation" ALTER COLUMN "bucket" SET NOT NULL;

-- Current scores: opened with the entity's bucket by the registration trigger, the row's only
-- writer of entity_id. Its foreign key stays (entity_id): a composite one would need a second
-- unique index on the table every score update writes (ADR 0008).
ALTER TABLE "entity_score" ADD COLUMN "bucket" SMALLINT;
UPDATE "entity_score" s SET "bucket" = e."bucket" FROM "entity" e WHERE e."id" = s."entity_id";
ALTER TABLE "entity_score" ALTER COLUMN "bucket" SET NOT NULL;

CREATE OR REPLACE FUNCTION entity_score_open_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO entity_score (entity_id, bucket) SELECT id, bucket FROM registered;
  RETURN NULL;
END
$$;
