-- CreateTable
CREATE TABLE "target_check" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "uscc" VARCHAR(18) NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "model_version" INTEGER,
    "grade" CHAR(1),
    "score" INTEGER,
    "flags" TEXT[],
    "findings" INTEGER NOT NULL,
    "snapshot" JSON NOT NULL,

    CONSTRAINT "target_check_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "target_check_entity_id_id_idx" ON "target_check"("entity_id", "id" DESC);

-- A check is a snapshot: never changed, never deleted (a rerun makes a new one).
CREATE FUNCTION target_check_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'target_check is immutable: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER target_check_immutable
  BEFORE UPDATE OR DELETE ON target_check
  FOR EACH ROW EXECUTE FUNCTION target_check_immutable();
