-- ADR 0022: the registration trigger joins the new entities to shareholder in the holder column's
-- collation (entity.uscc is "C"), so the holder index serves it instead of a scan of the table.
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
  IF ids IS NOT NULL THEN
    DELETE FROM ownership_result WHERE members && ids;
  END IF;
  RETURN NULL;
END
$$;
