-- The shard key on an entity's relations (issue 20 item 1, ADR 0025): shareholders, outbound
-- investments, financing rounds and key persons carry their entity's bucket, held to it by the
-- foreign key (entity_id, bucket), as credit_record does.

ALTER TABLE "shareholder" ADD COLUMN "bucket" SMALLINT;
UPDATE "shareholder" x SET "bucket" = e."bucket" FROM "entity" e WHERE e."id" = x."entity_id";
ALTER TABLE "shareholder" ALTER COLUMN "bucket" SET NOT NULL;
ALTER TABLE "shareholder" DROP CONSTRAINT "shareholder_entity_id_fkey";
ALTER TABLE "shareholder" ADD CONSTRAINT "shareholder_entity_id_bucket_fkey"
  FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "investment" ADD COLUMN "bucket" SMALLINT;
UPDATE "investment" x SET "bucket" = e."bucket" FROM "entity" e WHERE e."id" = x."entity_id";
ALTER TABLE "investment" ALTER COLUMN "bucket" SET NOT NULL;
ALTER TABLE "investment" DROP CONSTRAINT "investment_entity_id_fkey";
ALTER TABLE "investment" ADD CONSTRAINT "investment_entity_id_bucket_fkey"
  FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "financing" ADD COLUMN "bucket" SMALLINT;
UPDATE "financing" x SET "bucket" = e."bucket" FROM "entity" e WHERE e."id" = x."entity_id";
ALTER TABLE "financing" ALTER COLUMN "bucket" SET NOT NULL;
ALTER TABLE "financing" DROP CONSTRAINT "financing_entity_id_fkey";
ALTER TABLE "financing" ADD CONSTRAINT "financing_entity_id_bucket_fkey"
  FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "entity_person" ADD COLUMN "bucket" SMALLINT;
UPDATE "entity_person" x SET "bucket" = e."bucket" FROM "entity" e WHERE e."id" = x."entity_id";
ALTER TABLE "entity_person" ALTER COLUMN "bucket" SET NOT NULL;
ALTER TABLE "entity_person" DROP CONSTRAINT "entity_person_entity_id_fkey";
ALTER TABLE "entity_person" ADD CONSTRAINT "entity_person_entity_id_bucket_fkey"
  FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
