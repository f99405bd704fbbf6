-- Identifiers compared by bytes (hand-written: Prisma does not model column collations).
--
-- Delivery keys (source system, source ID), USCCs and ID-number hashes are codes, never text a
-- person reads in collation order: equality is all they need, and their order in the "C" collation
-- is their order in C.UTF-8 for these ASCII characters. Under a locale collation every comparison
-- in their B-tree indexes calls strcoll; under "C" it is a memcmp. Ingestion probes and inserts
-- these indexes once or twice per delivered row (ADR 0005).

ALTER TABLE "credit_record"
  ALTER COLUMN "source_system" TYPE TEXT COLLATE "C",
  ALTER COLUMN "source_id" TYPE TEXT COLLATE "C";

ALTER TABLE "shareholder"
  ALTER COLUMN "source_system" TYPE TEXT COLLATE "C",
  ALTER COLUMN "source_id" TYPE TEXT COLLATE "C";

ALTER TABLE "investment"
  ALTER COLUMN "source_system" TYPE TEXT COLLATE "C",
  ALTER COLUMN "source_id" TYPE TEXT COLLATE "C";

ALTER TABLE "financing"
  ALTER COLUMN "source_system" TYPE TEXT COLLATE "C",
  ALTER COLUMN "source_id" TYPE TEXT COLLATE "C";

ALTER TABLE "entity" ALTER COLUMN "uscc" TYPE VARCHAR(18) COLLATE "C";

ALTER TABLE "person" ALTER COLUMN "id_number_hash" TYPE CHAR(64) COLLATE "C";
