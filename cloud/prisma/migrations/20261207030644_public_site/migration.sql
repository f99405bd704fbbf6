-- CreateTable
CREATE TABLE "red_list_entry" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "grade" CHAR(1) NOT NULL,
    "graded_at" TIMESTAMPTZ(3) NOT NULL,
    "listed_at" TIMESTAMPTZ(3) NOT NULL,
    "listed_by" TEXT NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdraw_reason" TEXT,

    CONSTRAINT "red_list_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "typical_case" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'nominated',
    "nominated_by" TEXT NOT NULL,
    "nominated_by_name" TEXT NOT NULL,
    "nominated_at" TIMESTAMPTZ(3) NOT NULL,
    "check" JSONB,
    "checked_at" TIMESTAMPTZ(3),
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by" TEXT,
    "review_reason" TEXT,
    "notice_from" TIMESTAMPTZ(3),
    "notice_until" TIMESTAMPTZ(3),
    "story" TEXT,
    "photos" JSONB NOT NULL DEFAULT '[]',
    "consent_by" TEXT,
    "consent_on" DATE,
    "consent_document" TEXT,
    "published_at" TIMESTAMPTZ(3),
    "published_by" TEXT,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_by" TEXT,
    "withdraw_reason" TEXT,

    CONSTRAINT "typical_case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "typical_case_objection" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "statement" TEXT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "decision_note" TEXT,

    CONSTRAINT "typical_case_objection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "red_list_entry_entity_id_idx" ON "red_list_entry"("entity_id");

-- CreateIndex
CREATE INDEX "red_list_entry_withdrawn_at_listed_at_idx" ON "red_list_entry"("withdrawn_at", "listed_at");

-- CreateIndex
CREATE INDEX "typical_case_entity_id_idx" ON "typical_case"("entity_id");

-- CreateIndex
CREATE INDEX "typical_case_status_published_at_idx" ON "typical_case"("status", "published_at");

-- CreateIndex
CREATE INDEX "typical_case_objection_case_id_status_idx" ON "typical_case_objection"("case_id", "status");

-- CreateIndex
CREATE INDEX "typical_case_objection_status_submitted_at_idx" ON "typical_case_objection"("status", "submitted_at");

-- AddForeignKey
ALTER TABLE "red_list_entry" ADD CONSTRAINT "red_list_entry_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "typical_case" ADD CONSTRAINT "typical_case_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "typical_case_objection" ADD CONSTRAINT "typical_case_objection_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "typical_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Automatic withdrawal (诚信典型案例 and 诚信主体名单), set-wise, in the transaction that causes it.
-- A statement trigger with a transition table sees every version one ingestion statement (or COPY)
-- adds at once. A new negative record (first version, current, in its window) withdraws the
-- entity's open typical cases; a serious one (严重失信主体名单, or a serious penalty: the credit
-- gate of results/credit-gate.ts) also takes it off the red list. Each withdrawal leaves a timeline
-- event and an audit row (actor 'system'; the sealer hashes rows written without a content hash).
CREATE OR REPLACE FUNCTION site_withdraw_on_record() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  today date := (now() AT TIME ZONE 'Asia/Shanghai')::date;
BEGIN
  WITH neg AS (
    SELECT entity_id, bool_or(kind = 'dishonesty_listing' OR (kind = 'penalty' AND severity = 'serious')) AS serious
    FROM new_versions
    WHERE version = 1 AND superseded_at IS NULL AND status IN ('active', 'under_objection')
      AND kind IN ('penalty', 'abnormal_listing', 'dishonesty_listing', 'enforcement', 'arrears', 'loan_default',
                   'safety_violation', 'key_person_listing')
      AND valid_from <= today AND (valid_to IS NULL OR valid_to > today)
    GROUP BY entity_id
  ), cases AS (
    UPDATE typical_case c SET status = 'withdrawn', withdrawn_at = now(), withdrawn_by = 'system',
      withdraw_reason = '该主体新增失信或负面信用记录，案例自动撤销'
    FROM neg
    WHERE c.entity_id = neg.entity_id AND c.status IN ('nominated', 'checked', 'notice', 'published')
    RETURNING c.id, c.entity_id
  ), events AS (
    INSERT INTO application_event (application_kind, application_id, at, status, actor, note)
    SELECT 'typical_case', id, now(), 'withdrawn', 'system', '新增负面信用记录，自动撤销' FROM cases
  ), red AS (
    UPDATE red_list_entry r SET withdrawn_at = now(), withdraw_reason = 'serious_record'
    FROM neg
    WHERE neg.serious AND r.entity_id = neg.entity_id AND r.withdrawn_at IS NULL
    RETURNING r.id, r.entity_id
  )
  INSERT INTO audit_log (at, actor_kind, actor_id, action, object_type, object_id, entity_id, detail)
  SELECT now(), 'system', 'site.auto-withdraw', 'typical_case.withdraw', 'typical_case', id::text, entity_id,
    '{"cause":"negative_record","automatic":true}'::jsonb FROM cases
  UNION ALL
  SELECT now(), 'system', 'site.auto-withdraw', 'red_list.withdraw', 'red_list_entry', id::text, entity_id,
    '{"cause":"serious_record","automatic":true}'::jsonb FROM red;
  RETURN NULL;
END
$$;

CREATE TRIGGER site_withdraw_on_record AFTER INSERT ON credit_record_version
  REFERENCING NEW TABLE AS new_versions
  FOR EACH STATEMENT EXECUTE FUNCTION site_withdraw_on_record();

-- A downgrade (the evaluation writer's internal grade.changed message, in the evaluation's
-- transaction) below A withdraws the entity's open typical cases and takes it off the red list.
CREATE OR REPLACE FUNCTION site_withdraw_on_downgrade() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH down AS (
    SELECT DISTINCT ON (entity_id) entity_id, payload->>'to' AS to_grade
    FROM new_rows
    WHERE topic = 'grade.changed' AND destination = 'internal' AND entity_id IS NOT NULL
      AND payload->>'to' <> 'A'
    ORDER BY entity_id, id DESC
  ), cases AS (
    UPDATE typical_case c SET status = 'withdrawn', withdrawn_at = now(), withdrawn_by = 'system',
      withdraw_reason = '该主体信用等级下调为 ' || down.to_grade || ' 级，案例自动撤销'
    FROM down
    WHERE c.entity_id = down.entity_id AND c.status IN ('nominated', 'checked', 'notice', 'published')
    RETURNING c.id, c.entity_id, down.to_grade
  ), events AS (
    INSERT INTO application_event (application_kind, application_id, at, status, actor, note)
    SELECT 'typical_case', id, now(), 'withdrawn', 'system', '信用等级下调为 ' || to_grade || ' 级，自动撤销' FROM cases
  ), red AS (
    UPDATE red_list_entry r SET withdrawn_at = now(), withdraw_reason = 'downgrade'
    FROM down
    WHERE r.entity_id = down.entity_id AND r.withdrawn_at IS NULL
    RETURNING r.id, r.entity_id, down.to_grade
  )
  INSERT INTO audit_log (at, actor_kind, actor_id, action, object_type, object_id, entity_id, detail)
  SELECT now(), 'system', 'site.auto-withdraw', 'typical_case.withdraw', 'typical_case', id::text, entity_id,
    jsonb_build_object('cause', 'downgrade', 'grade', to_grade, 'automatic', true) FROM cases
  UNION ALL
  SELECT now(), 'system', 'site.auto-withdraw', 'red_list.withdraw', 'red_list_entry', id::text, entity_id,
    jsonb_build_object('cause', 'downgrade', 'grade', to_grade, 'automatic', true) FROM red;
  RETURN NULL;
END
$$;

CREATE TRIGGER site_withdraw_on_downgrade AFTER INSERT ON outbox
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION site_withdraw_on_downgrade();
