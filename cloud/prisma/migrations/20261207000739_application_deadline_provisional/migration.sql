-- Deadlines are never refused for a year without an official holiday schedule: they are computed
-- provisionally (weekends + the fixed statutory holidays) and recomputed from due_from when the
-- year is loaded.
ALTER TABLE "good_info_report" ADD COLUMN "due_from" DATE,
ADD COLUMN "due_provisional" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "objection" ADD COLUMN "due_from" DATE,
ADD COLUMN "due_provisional" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "repair_application" ADD COLUMN "due_from" DATE,
ADD COLUMN "due_provisional" BOOLEAN NOT NULL DEFAULT false;

-- Existing deadlines were counted from the China date of the last (re)submission.
UPDATE "objection" a SET "due_from" = (COALESCE(
  (SELECT max(e."at") FROM "application_event" e WHERE e."application_kind" = 'objection' AND e."application_id" = a."id" AND e."status" = 'submitted'),
  a."filed_at") AT TIME ZONE 'Asia/Shanghai')::date;
UPDATE "good_info_report" a SET "due_from" = (COALESCE(
  (SELECT max(e."at") FROM "application_event" e WHERE e."application_kind" = 'good_info' AND e."application_id" = a."id" AND e."status" = 'submitted'),
  a."filed_at") AT TIME ZONE 'Asia/Shanghai')::date;
UPDATE "repair_application" a SET "due_from" = (COALESCE(
  (SELECT max(e."at") FROM "application_event" e WHERE e."application_kind" = 'repair' AND e."application_id" = a."id" AND e."status" = 'submitted'),
  a."filed_at") AT TIME ZONE 'Asia/Shanghai')::date;

ALTER TABLE "good_info_report" ALTER COLUMN "due_from" SET NOT NULL;
ALTER TABLE "objection" ALTER COLUMN "due_from" SET NOT NULL;
ALTER TABLE "repair_application" ALTER COLUMN "due_from" SET NOT NULL;
