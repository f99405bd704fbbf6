-- AlterTable
ALTER TABLE "api_client" ADD COLUMN     "industry_prefix" TEXT,
ADD COLUMN     "legal_basis" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "purpose" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "region_prefix" TEXT;

-- CreateTable
CREATE TABLE "result_use" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER NOT NULL,
    "event_id" VARCHAR(128) NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "measure" VARCHAR(32) NOT NULL,
    "outcome" VARCHAR(16) NOT NULL,
    "applied_on" DATE NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "reported_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "result_use_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "result_use_entity_id_idx" ON "result_use"("entity_id");

-- CreateIndex
CREATE UNIQUE INDEX "result_use_client_id_event_id_measure_key" ON "result_use"("client_id", "event_id", "measure");

-- AddForeignKey
ALTER TABLE "result_use" ADD CONSTRAINT "result_use_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "api_client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
