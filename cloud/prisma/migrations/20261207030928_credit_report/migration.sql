-- CreateTable
CREATE TABLE "credit_report" (
    "id" SERIAL NOT NULL,
    "report_no" VARCHAR(32) NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "enterprise_name" TEXT NOT NULL,
    "uscc" VARCHAR(18) NOT NULL,
    "purpose" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_by_id" TEXT NOT NULL,
    "generated_at" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "code_hash" CHAR(64) NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "size" INTEGER NOT NULL,
    "pages" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,
    "data_hash" CHAR(64) NOT NULL,
    "summary" JSON NOT NULL,

    CONSTRAINT "credit_report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credit_report_report_no_key" ON "credit_report"("report_no");

-- CreateIndex
CREATE UNIQUE INDEX "credit_report_storage_key_key" ON "credit_report"("storage_key");

-- CreateIndex
CREATE INDEX "credit_report_entity_id_id_idx" ON "credit_report"("entity_id", "id" DESC);

-- CreateIndex
CREATE INDEX "credit_report_sha256_idx" ON "credit_report"("sha256");

-- AddForeignKey
ALTER TABLE "credit_report" ADD CONSTRAINT "credit_report_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An issued report is a document: never changed, never deleted (new data makes a new report).
CREATE FUNCTION credit_report_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'credit_report is immutable: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER credit_report_immutable
  BEFORE UPDATE OR DELETE ON credit_report
  FOR EACH ROW EXECUTE FUNCTION credit_report_immutable();
