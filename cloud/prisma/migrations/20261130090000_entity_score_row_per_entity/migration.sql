-- One entity_score row per entity, from its registration (docs/adr/0008-score-row-per-entity.md).
-- The row is empty (all null) until the entity's first evaluation; every score written after that,
-- the first included, is an update in place. An update that leaves entity_id alone does not check
-- the foreign key to entity, where inserting each first score did (a row lock on the entity per
-- score: in a first cycle, more than the rest of the score's write). Hand-written in part: Prisma
-- does not model triggers, functions or CHECK constraints.

-- AlterTable
ALTER TABLE "entity_score" ALTER COLUMN "evaluation_id" DROP NOT NULL,
ALTER COLUMN "model_version" DROP NOT NULL,
ALTER COLUMN "as_of" DROP NOT NULL,
ALTER COLUMN "total" DROP NOT NULL,
ALTER COLUMN "grade" DROP NOT NULL;

-- A score is all there or not at all.
ALTER TABLE "entity_score" ADD CONSTRAINT "entity_score_whole" CHECK (
  (evaluation_id IS NULL AND model_version IS NULL AND as_of IS NULL AND total IS NULL AND grade IS NULL)
  OR (evaluation_id IS NOT NULL AND model_version IS NOT NULL AND as_of IS NOT NULL AND total IS NOT NULL AND grade IS NOT NULL));

-- An empty row is half the size of a whole one. At fillfactor 50 the empty rows filled their pages
-- twice as densely as whole rows would, and a first cycle found room on the page for only about half
-- of its updates (the rest moved to new pages and added index entries). A quarter filled, a page
-- of empty rows takes them all whole, and then each day's new versions beside them (HOT).
ALTER TABLE "entity_score" SET (fillfactor = 25);

-- The rows of the entities registered so far.
INSERT INTO "entity_score" ("entity_id") SELECT "id" FROM "entity" ON CONFLICT ("entity_id") DO NOTHING;

-- And of every entity registered from now on, set-wise per statement (ingestion inserts in batches).
CREATE OR REPLACE FUNCTION entity_score_open_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO entity_score (entity_id) SELECT id FROM registered;
  RETURN NULL;
END
$$;

CREATE TRIGGER entity_score_row_per_entity
  AFTER INSERT ON entity
  REFERENCING NEW TABLE AS registered
  FOR EACH STATEMENT EXECUTE FUNCTION entity_score_open_rows();
