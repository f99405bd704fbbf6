-- CreateTable
CREATE TABLE "incentive_catalogue" (
    "version" INTEGER NOT NULL,
    "effective_from" DATE NOT NULL,
    "basis" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_by" TEXT NOT NULL,

    CONSTRAINT "incentive_catalogue_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "incentive_rule" (
    "catalogue_version" INTEGER NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "grade" CHAR(1) NOT NULL,
    "measures" TEXT[],

    CONSTRAINT "incentive_rule_pkey" PRIMARY KEY ("catalogue_version","item_code","grade")
);

-- CreateTable
CREATE TABLE "incentive_check_tally" (
    "day" DATE NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "outcome" TEXT NOT NULL,
    "checks" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "incentive_check_tally_pkey" PRIMARY KEY ("day","item_code","outcome")
);

-- CreateTable
CREATE TABLE "result_feed_event" (
    "seq" BIGSERIAL NOT NULL,
    "tx" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "evaluation_id" BIGINT NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "from_grade" CHAR(1) NOT NULL,
    "to_grade" CHAR(1) NOT NULL,

    CONSTRAINT "result_feed_event_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "result_feed_event_evaluation_id_key" ON "result_feed_event"("evaluation_id");

-- CreateIndex
CREATE INDEX "result_feed_event_tx_seq_idx" ON "result_feed_event"("tx", "seq");

-- AddForeignKey
ALTER TABLE "incentive_rule" ADD CONSTRAINT "incentive_rule_catalogue_version_fkey" FOREIGN KEY ("catalogue_version") REFERENCES "incentive_catalogue"("version") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below: the first catalogue version and the feed's trigger (Prisma models neither).

-- Catalogue v1, after the plan (黑市开招办发〔2023〕2号): A-grade entities get every measure; B-grade
-- entities 告知承诺 and 同等条件优先; C to E none. Item `*` is the default for every approval item.
INSERT INTO "incentive_catalogue" ("version", "effective_from", "basis", "published_by") VALUES
  (1, DATE '2026-12-07', '黑市开招办发〔2023〕2号“信用评价结果应用”：信用良好主体在行政审批中给予绿色通道，在政策扶持中同等条件下优先', 'migration');
INSERT INTO "incentive_rule" ("catalogue_version", "item_code", "grade", "measures") VALUES
  (1, '*', 'A', ARRAY['green_channel', 'tolerance_acceptance', 'commitment', 'equal_priority']),
  (1, '*', 'B', ARRAY['commitment', 'equal_priority']),
  (1, '*', 'C', ARRAY[]::text[]),
  (1, '*', 'D', ARRAY[]::text[]),
  (1, '*', 'E', ARRAY[]::text[]);

-- Every grade change the evaluation writer queues (internal `grade.changed`, in the evaluation's
-- transaction) becomes a feed event in that same transaction. The WHEN clause keeps the trigger
-- off every other outbox row; a first score is no change and queues nothing.
CREATE OR REPLACE FUNCTION result_feed_from_outbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO result_feed_event (evaluation_id, entity_id, from_grade, to_grade)
  VALUES ((NEW.payload->>'evaluationId')::bigint, NEW.entity_id, NEW.payload->>'from', NEW.payload->>'to')
  ON CONFLICT (evaluation_id) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER result_feed_from_outbox AFTER INSERT ON outbox
  FOR EACH ROW WHEN (NEW.topic = 'grade.changed' AND NEW.destination = 'internal')
  EXECUTE FUNCTION result_feed_from_outbox();
