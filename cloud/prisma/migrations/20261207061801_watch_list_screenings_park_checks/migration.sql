-- AlterTable
ALTER TABLE "staff_account" ADD COLUMN     "department_subscription_id" INTEGER;

-- CreateTable
CREATE TABLE "watch_item" (
    "id" SERIAL NOT NULL,
    "staff_id" INTEGER NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "radius" INTEGER NOT NULL DEFAULT 2,
    "purpose" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "scope_at" TIMESTAMPTZ(3) NOT NULL,
    "scope_truncated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "watch_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "watch_scope" (
    "watch_id" INTEGER NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "distance" INTEGER NOT NULL,

    CONSTRAINT "watch_scope_pkey" PRIMARY KEY ("watch_id","entity_id")
);

-- CreateTable
CREATE TABLE "watch_alert" (
    "id" SERIAL NOT NULL,
    "watch_id" INTEGER NOT NULL,
    "staff_id" INTEGER NOT NULL,
    "watched_entity_id" INTEGER NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "distance" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "cause_key" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "watch_alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "saved_screening" (
    "id" SERIAL NOT NULL,
    "staff_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "purpose" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "last_run_at" TIMESTAMPTZ(3),
    "last_result" JSON,
    "last_diff" JSON,
    "runs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "saved_screening_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "park_check" (
    "id" SERIAL NOT NULL,
    "staff_id" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "park" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "total" INTEGER NOT NULL,
    "passed" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "rows" JSON NOT NULL,

    CONSTRAINT "park_check_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "watch_item_staff_id_entity_id_key" ON "watch_item"("staff_id", "entity_id");

-- CreateIndex
CREATE INDEX "watch_scope_entity_id_idx" ON "watch_scope"("entity_id");

-- CreateIndex
CREATE INDEX "watch_alert_staff_id_id_idx" ON "watch_alert"("staff_id", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "watch_alert_watch_id_cause_key_key" ON "watch_alert"("watch_id", "cause_key");

-- CreateIndex
CREATE UNIQUE INDEX "saved_screening_staff_id_name_key" ON "saved_screening"("staff_id", "name");

-- CreateIndex
CREATE INDEX "park_check_staff_id_id_idx" ON "park_check"("staff_id", "id" DESC);

-- AddForeignKey
ALTER TABLE "watch_scope" ADD CONSTRAINT "watch_scope_watch_id_fkey" FOREIGN KEY ("watch_id") REFERENCES "watch_item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 关注预警 for new negative records (ADR 0020). A statement trigger with a transition table sees
-- every version one ingestion statement (or COPY) or decision adds at once, in that transaction.
-- It queues one internal outbox message per new negative record (first version, current, active
-- or under objection) of an entity some watch's related set holds; the outbox handler
-- (invest/watch.outbox.ts) writes the alerts and the department webhooks. Unwatched entities cost
-- one index probe; the message ID makes a second queueing harmless.
CREATE OR REPLACE FUNCTION invest_watch_on_record() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox (message_id, destination, topic, entity_id, payload)
  SELECT 'invest.watch.record:' || v.id, 'internal', 'invest.watch.record', v.entity_id,
    jsonb_build_object('versionId', v.id, 'recordId', v.record_id, 'entityId', v.entity_id, 'kind', v.kind,
      'category', v.category, 'severity', v.severity, 'status', v.status,
      'occurredOn', to_char(v.occurred_on, 'YYYY-MM-DD'), 'recordedAt', v.recorded_at,
      'summary', v.payload->>'summary', 'authority', v.payload->>'authority')
  FROM new_versions v
  WHERE v.version = 1 AND v.superseded_at IS NULL AND v.status IN ('active', 'under_objection')
    AND v.kind IN ('penalty', 'abnormal_listing', 'dishonesty_listing', 'enforcement', 'arrears', 'loan_default',
                   'safety_violation', 'key_person_listing')
    AND EXISTS (SELECT 1 FROM watch_scope s WHERE s.entity_id = v.entity_id)
  ON CONFLICT (message_id, destination) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER invest_watch_on_record AFTER INSERT ON credit_record_version
  REFERENCING NEW TABLE AS new_versions
  FOR EACH STATEMENT EXECUTE FUNCTION invest_watch_on_record();

-- An 入园 check is a record of what the officer saw: never changed or deleted.
CREATE OR REPLACE FUNCTION park_check_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'park_check rows are immutable' USING ERRCODE = 'P0001';
END
$$;

CREATE TRIGGER park_check_immutable BEFORE UPDATE OR DELETE ON park_check
  FOR EACH ROW EXECUTE FUNCTION park_check_immutable();
