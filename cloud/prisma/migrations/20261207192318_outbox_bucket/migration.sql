-- The outbox is per node (ADR 0027 step 3): every message carries the bucket of its entity, or for a
-- message about no entity (a cycle, a model) the bucket of its message id, and the bucket joins its
-- keys, so a node's relay claims its own buckets' rows and a distributed outbox keeps each message on
-- the node of its entity. Hand-written in part: the fill, and the trigger that queues watch alerts.

-- Existing rows: their entity's bucket, else their message id's (the same hash, uscc_bucket).
ALTER TABLE "outbox" ADD COLUMN "bucket" SMALLINT;
UPDATE "outbox" o SET "bucket" = e."bucket" FROM "entity" e WHERE e."id" = o."entity_id";
UPDATE "outbox" SET "bucket" = uscc_bucket("message_id") WHERE "bucket" IS NULL;
ALTER TABLE "outbox" ALTER COLUMN "bucket" SET NOT NULL;

-- DropIndex
DROP INDEX "outbox_delivered_at_available_at_idx";

-- DropIndex
DROP INDEX "outbox_message_id_destination_key";

-- AlterTable
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_pkey",
ADD CONSTRAINT "outbox_pkey" PRIMARY KEY ("id", "bucket");

-- CreateIndex: the relay's claim, due rows of its buckets.
CREATE INDEX "outbox_delivered_at_bucket_available_at_idx" ON "outbox"("delivered_at", "bucket", "available_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_id_destination_bucket_key" ON "outbox"("message_id", "destination", "bucket");

-- The watch alert for a new negative record is queued in its version's bucket (the entity's).
CREATE OR REPLACE FUNCTION invest_watch_on_record() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox (message_id, destination, topic, entity_id, bucket, payload)
  SELECT 'invest.watch.record:' || v.id, 'internal', 'invest.watch.record', v.entity_id, v.bucket,
    jsonb_build_object('versionId', v.id, 'recordId', v.record_id, 'entityId', v.entity_id, 'kind', v.kind,
      'category', v.category, 'severity', v.severity, 'status', v.status,
      'occurredOn', to_char(v.occurred_on, 'YYYY-MM-DD'), 'recordedAt', v.recorded_at,
      'summary', v.payload->>'summary', 'authority', v.payload->>'authority')
  FROM new_versions v
  WHERE v.version = 1 AND v.superseded_at IS NULL AND v.status IN ('active', 'under_objection')
    AND v.kind IN ('penalty', 'abnormal_listing', 'dishonesty_listing', 'enforcement', 'arrears', 'loan_default',
                   'safety_violation', 'key_person_listing')
    AND EXISTS (SELECT 1 FROM watch_scope s WHERE s.entity_id = v.entity_id)
  ON CONFLICT (message_id, destination, bucket) DO NOTHING;
  RETURN NULL;
END
$$;
