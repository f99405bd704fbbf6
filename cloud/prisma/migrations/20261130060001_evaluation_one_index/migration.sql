-- One index on evaluation instead of two (docs/adr/0007-cycle-scoring-thread.md): (entity_id, as_of DESC)
-- serves an entity's history, and since a cycle's evaluations all carry the cycle's as-of, adding
-- cycle_id and making it unique allows one evaluation per entity and cycle, as (cycle_id, entity_id) did.

-- DropIndex
DROP INDEX "evaluation_cycle_id_entity_id_key";

-- DropIndex
DROP INDEX "evaluation_entity_id_as_of_idx";

-- CreateIndex
CREATE UNIQUE INDEX "evaluation_entity_id_as_of_cycle_id_key" ON "evaluation"("entity_id", "as_of" DESC, "cycle_id");
