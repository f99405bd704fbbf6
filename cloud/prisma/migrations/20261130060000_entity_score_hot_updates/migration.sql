-- The cycle updates every row of entity_score once per cycle (docs/adr/0007-cycle-scoring-thread.md).
-- No query read entity_score by grade through its index (the distribution scans the table), and an
-- index on an updated column keeps an update from staying on its page: dropped. Half of each page
-- is left free, so each daily update is a heap-only tuple (HOT) next to the row it replaces and
-- touches no index.
DROP INDEX "entity_score_grade_idx";
ALTER TABLE "entity_score" SET (fillfactor = 50);
