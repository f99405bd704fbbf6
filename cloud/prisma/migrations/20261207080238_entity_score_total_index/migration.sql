-- CreateIndex
CREATE INDEX "entity_score_total_entity_id_idx" ON "entity_score"("total" DESC, "entity_id");
