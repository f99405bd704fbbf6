-- ADR 0022, ADR 0027 step 4: the writers' own statements queue ownership changes (queueOwnershipChange,
-- under the shared lock 727280,0) instead of triggers on entity and shareholder, which Citus would run
-- on the shard's node, where ownership_result and ownership_change are not.
DROP TRIGGER shareholder_insert_ownership ON shareholder;
DROP TRIGGER shareholder_update_ownership ON shareholder;
DROP TRIGGER shareholder_delete_ownership ON shareholder;
DROP TRIGGER entity_insert_ownership ON entity;
DROP FUNCTION ownership_result_invalidate();
