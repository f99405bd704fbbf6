-- CreateTable
CREATE TABLE "ownership_result" (
    "entity_id" INTEGER NOT NULL,
    "depth" INTEGER NOT NULL,
    "members" INTEGER[],
    "result" JSON NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ownership_result_pkey" PRIMARY KEY ("entity_id","depth")
);

-- CreateIndex
CREATE INDEX "ownership_result_members_idx" ON "ownership_result" USING GIN ("members");

-- ADR 0022: a write that can change a stored penetration deletes it in the writer's transaction.
-- Writers take the lock shared; a reader storing a result takes it exclusively around its read of
-- the graph and its write, so a result is never stored from a graph older than a committed write.
CREATE FUNCTION ownership_result_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
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
    FROM new_rows n JOIN shareholder s ON s.holder_uscc = n.uscc AND s.holder_person_id IS NULL;
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

CREATE TRIGGER shareholder_insert_ownership AFTER INSERT ON shareholder
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ownership_result_invalidate();
CREATE TRIGGER shareholder_update_ownership AFTER UPDATE ON shareholder
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ownership_result_invalidate();
CREATE TRIGGER shareholder_delete_ownership AFTER DELETE ON shareholder
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ownership_result_invalidate();
CREATE TRIGGER entity_insert_ownership AFTER INSERT ON entity
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ownership_result_invalidate();
