-- The audit trail is append-only (hand-written: Prisma does not model triggers or functions).
--
-- 1. A row trigger refuses every UPDATE, and every DELETE except the retention purge's.
--    It binds whatever role connects, the table owner included; only a superuser or the owner
--    can disable it, and the hash chain (npm run audit:verify) shows what was changed then.
-- 2. Privileges: UPDATE, DELETE and TRUNCATE are revoked from PUBLIC. Grant the application's
--    role SELECT and INSERT only (GRANT SELECT, INSERT ON audit_log TO <role>; plus USAGE on
--    audit_log_id_seq), and let a different role own the schema.
-- 3. audit_log_purge(retention_days) deletes rows older than the retention, which may not be
--    shorter than 184 days (six months, Cybersecurity Law art. 21). It deletes a prefix of the
--    chain and keeps the newest row, so what remains still verifies.

CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('heihe.audit_purge', true) = 'on'
     AND OLD.at < now() - interval '184 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

CREATE OR REPLACE FUNCTION audit_log_purge(retention_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  cutoff timestamptz;
  first_kept bigint;
  newest bigint;
  purged bigint;
BEGIN
  IF retention_days IS NULL OR retention_days < 184 THEN
    RAISE EXCEPTION 'audit retention must be at least 184 days, got %', retention_days
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  cutoff := now() - make_interval(days => retention_days);
  SELECT min(id) INTO first_kept FROM audit_log WHERE at >= cutoff;
  SELECT max(id) INTO newest FROM audit_log;
  PERFORM set_config('heihe.audit_purge', 'on', true);
  DELETE FROM audit_log
   WHERE at < cutoff
     AND id < coalesce(first_kept, newest);
  GET DIAGNOSTICS purged = ROW_COUNT;
  PERFORM set_config('heihe.audit_purge', 'off', true);
  RETURN purged;
END
$$;

REVOKE ALL ON FUNCTION audit_log_purge(integer) FROM PUBLIC;
