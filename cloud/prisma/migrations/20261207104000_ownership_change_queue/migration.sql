-- ADR 0022: writers queue what they changed instead of deleting stored penetrations. Two
-- ingestion chunks running in parallel (ADR 0024) deleted overlapping results in opposite orders
-- and could deadlock; an insert never waits on another writer. A read skips a result that a
-- queued change overlaps, and the next store applies the queue under the exclusive lock.
CREATE TABLE "ownership_change" (
    "id" BIGSERIAL NOT NULL,
    "entity_ids" INTEGER[] NOT NULL,
    CONSTRAINT "ownership_change_pkey" PRIMARY KEY ("id")
);

CREATE OR REPLACE FUNCTION ownership_result_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids int[];
BEGIN
  PERFORM pg_advisory_xact_lock_shared(727280, 0);
  IF NOT EXISTS (SELECT 1 FROM ownership_result) THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'entity' THEN
    -- A holder known until now only by USCC is registered: the companies it holds read it anew.
    SELECT array_agg(DISTINCT s.entity_id) INTO ids
    FROM new_rows n JOIN shareholder s ON s.holder_uscc = n.uscc COLLATE "default" AND s.holder_person_id IS NULL;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT entity_id) INTO ids FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT entity_id) INTO ids FROM old_rows;
  ELSE
    SELECT array_agg(DISTINCT entity_id) INTO ids
    FROM (SELECT entity_id FROM new_rows UNION SELECT entity_id FROM old_rows) c;
  END IF;
  IF ids IS NOT NULL AND EXISTS (SELECT 1 FROM ownership_result WHERE members && ids) THEN
    INSERT INTO ownership_change (entity_ids) VALUES (ids);
  END IF;
  RETURN NULL;
END
$$;
