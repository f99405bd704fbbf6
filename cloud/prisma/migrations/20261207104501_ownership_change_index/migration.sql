-- ADR 0022: a read asks whether any queued change overlaps its result's members; after a large
-- delivery the queue holds thousands of ids a row, so the overlap is looked up, not compared row by row.
-- CreateIndex
CREATE INDEX "ownership_change_entity_ids_idx" ON "ownership_change" USING GIN ("entity_ids");
