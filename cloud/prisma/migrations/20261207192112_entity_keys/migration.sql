-- ADR 0027 step 2: entity's keys hold the bucket, so every foreign key to it is (entity_id, bucket).
-- The five central tables that refer to an entity carry its bucket as entity_bucket.

-- The central tables' foreign keys refer to entity (id); they are remade on (entity_id, entity_bucket).
ALTER TABLE "credit_report" DROP CONSTRAINT "credit_report_entity_id_fkey";
ALTER TABLE "data_authorization" DROP CONSTRAINT "data_authorization_entity_id_fkey";
ALTER TABLE "loan_application" DROP CONSTRAINT "loan_application_entity_id_fkey";
ALTER TABLE "red_list_entry" DROP CONSTRAINT "red_list_entry_entity_id_fkey";
ALTER TABLE "typical_case" DROP CONSTRAINT "typical_case_entity_id_fkey";

-- The primary key becomes (id, bucket), replacing the unique key (id, bucket) the entity-keyed
-- tables' foreign keys refer to; PostgreSQL ties a foreign key to the index it was made on, so those
-- six are remade on the primary key, with their names.
ALTER TABLE "credit_record" DROP CONSTRAINT "credit_record_entity_id_bucket_fkey";
ALTER TABLE "shareholder" DROP CONSTRAINT "shareholder_entity_id_bucket_fkey";
ALTER TABLE "investment" DROP CONSTRAINT "investment_entity_id_bucket_fkey";
ALTER TABLE "financing" DROP CONSTRAINT "financing_entity_id_bucket_fkey";
ALTER TABLE "entity_person" DROP CONSTRAINT "entity_person_entity_id_bucket_fkey";
ALTER TABLE "entity_score" DROP CONSTRAINT "entity_score_entity_id_bucket_fkey";
ALTER TABLE "entity" DROP CONSTRAINT "entity_id_bucket_key";
ALTER TABLE "entity" DROP CONSTRAINT "entity_pkey";
ALTER TABLE "entity" ADD CONSTRAINT "entity_pkey" PRIMARY KEY ("id", "bucket");
ALTER TABLE "credit_record" ADD CONSTRAINT "credit_record_entity_id_bucket_fkey" FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "shareholder" ADD CONSTRAINT "shareholder_entity_id_bucket_fkey" FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "investment" ADD CONSTRAINT "investment_entity_id_bucket_fkey" FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "financing" ADD CONSTRAINT "financing_entity_id_bucket_fkey" FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "entity_person" ADD CONSTRAINT "entity_person_entity_id_bucket_fkey" FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "entity_score" ADD CONSTRAINT "entity_score_entity_id_bucket_fkey" FOREIGN KEY ("entity_id", "bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The USCC is unique with its bucket (a function of it, so the same uniqueness).
CREATE UNIQUE INDEX "entity_uscc_bucket_key" ON "entity"("uscc", "bucket");
DROP INDEX "entity_uscc_key";

-- The entity's bucket on the central rows, filled from the entity before it is required.
ALTER TABLE "credit_report" ADD COLUMN "entity_bucket" SMALLINT;
ALTER TABLE "data_authorization" ADD COLUMN "entity_bucket" SMALLINT;
ALTER TABLE "loan_application" ADD COLUMN "entity_bucket" SMALLINT;
ALTER TABLE "red_list_entry" ADD COLUMN "entity_bucket" SMALLINT;
ALTER TABLE "typical_case" ADD COLUMN "entity_bucket" SMALLINT;
UPDATE "credit_report" t SET "entity_bucket" = e."bucket" FROM "entity" e WHERE e."id" = t."entity_id";
UPDATE "data_authorization" t SET "entity_bucket" = e."bucket" FROM "entity" e WHERE e."id" = t."entity_id";
UPDATE "loan_application" t SET "entity_bucket" = e."bucket" FROM "entity" e WHERE e."id" = t."entity_id";
UPDATE "red_list_entry" t SET "entity_bucket" = e."bucket" FROM "entity" e WHERE e."id" = t."entity_id";
UPDATE "typical_case" t SET "entity_bucket" = e."bucket" FROM "entity" e WHERE e."id" = t."entity_id";
ALTER TABLE "credit_report" ALTER COLUMN "entity_bucket" SET NOT NULL;
ALTER TABLE "data_authorization" ALTER COLUMN "entity_bucket" SET NOT NULL;
ALTER TABLE "loan_application" ALTER COLUMN "entity_bucket" SET NOT NULL;
ALTER TABLE "red_list_entry" ALTER COLUMN "entity_bucket" SET NOT NULL;
ALTER TABLE "typical_case" ALTER COLUMN "entity_bucket" SET NOT NULL;

ALTER TABLE "red_list_entry" ADD CONSTRAINT "red_list_entry_entity_id_entity_bucket_fkey" FOREIGN KEY ("entity_id", "entity_bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "typical_case" ADD CONSTRAINT "typical_case_entity_id_entity_bucket_fkey" FOREIGN KEY ("entity_id", "entity_bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "credit_report" ADD CONSTRAINT "credit_report_entity_id_entity_bucket_fkey" FOREIGN KEY ("entity_id", "entity_bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "data_authorization" ADD CONSTRAINT "data_authorization_entity_id_entity_bucket_fkey" FOREIGN KEY ("entity_id", "entity_bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "loan_application" ADD CONSTRAINT "loan_application_entity_id_entity_bucket_fkey" FOREIGN KEY ("entity_id", "entity_bucket") REFERENCES "entity"("id", "bucket") ON DELETE RESTRICT ON UPDATE CASCADE;
