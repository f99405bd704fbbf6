-- Audit rows are inserted without a lock and sealed into a hash chain later (ADR 0010).
--
-- audit_log loses its in-row chain (prev_hash, hash): each row keeps the writer's content hash
-- (null on the rows written before this migration; the sealer hashes those from their content)
-- and the id of its inserting transaction, so the sealer takes a row only once every older
-- transaction has ended. The chain lives in audit_seal, one row per sealed audit row, in sealing
-- order. The first sealer run after this migration seals every existing row; verify the old chain
-- (audit:verify of the previous release) before migrating, since its hashes are dropped here.
--
-- The tables and the trigger, REVOKE and purge below are hand-written (Prisma does not model
-- them). Grant the application's role SELECT and INSERT on audit_seal too, and USAGE on
-- audit_seal_seq_seq.

-- DropIndex
DROP INDEX "audit_log_hash_key";

-- AlterTable
ALTER TABLE "audit_log" DROP COLUMN "hash",
DROP COLUMN "prev_hash",
ADD COLUMN     "content_hash" CHAR(64),
ADD COLUMN     "tx" xid8 NOT NULL DEFAULT pg_current_xact_id();

-- CreateTable
CREATE TABLE "audit_seal" (
    "seq" BIGSERIAL NOT NULL,
    "audit_id" BIGINT NOT NULL,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "sealed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_seal_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_seal_audit_id_key" ON "audit_seal"("audit_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_seal_prev_hash_key" ON "audit_seal"("prev_hash");

-- CreateIndex
CREATE INDEX "audit_log_tx_id_idx" ON "audit_log"("tx", "id");

-- AddForeignKey
ALTER TABLE "audit_seal" ADD CONSTRAINT "audit_seal_audit_id_fkey" FOREIGN KEY ("audit_id") REFERENCES "audit_log"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- audit_seal is append-only like audit_log: the purge alone deletes, and only seals of rows older
-- than 184 days.
CREATE OR REPLACE FUNCTION audit_seal_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('heihe.audit_purge', true) = 'on'
     AND EXISTS (SELECT 1 FROM audit_log WHERE id = OLD.audit_id AND at < now() - interval '184 days') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_seal is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_seal_append_only
  BEFORE UPDATE OR DELETE ON audit_seal
  FOR EACH ROW EXECUTE FUNCTION audit_seal_refuse_change();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_seal FROM PUBLIC;

-- The purge cuts the seal chain as a prefix, in sealing order: up to the first seal of a row inside
-- the retention, and never the newest seal (the next one links to it). It deletes those seals and
-- their rows; unsealed rows wait for the sealer. The first kept seal is the 'retained' anchor.
CREATE OR REPLACE FUNCTION audit_log_purge(retention_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  cutoff timestamptz;
  first_kept bigint;
  newest bigint;
  ids bigint[];
  purged bigint;
BEGIN
  IF retention_days IS NULL OR retention_days < 184 THEN
    RAISE EXCEPTION 'audit retention must be at least 184 days, got %', retention_days
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  cutoff := now() - make_interval(days => retention_days);
  SELECT min(s.seq) INTO first_kept FROM audit_seal s JOIN audit_log a ON a.id = s.audit_id WHERE a.at >= cutoff;
  SELECT max(seq) INTO newest FROM audit_seal;
  PERFORM set_config('heihe.audit_purge', 'on', true);
  WITH gone AS (DELETE FROM audit_seal WHERE seq < coalesce(first_kept, newest) RETURNING audit_id)
  SELECT array_agg(audit_id) INTO ids FROM gone;
  DELETE FROM audit_log WHERE id = ANY (ids);
  GET DIAGNOSTICS purged = ROW_COUNT;
  PERFORM set_config('heihe.audit_purge', 'off', true);
  RETURN purged;
END
$$;

REVOKE ALL ON FUNCTION audit_log_purge(integer) FROM PUBLIC;
