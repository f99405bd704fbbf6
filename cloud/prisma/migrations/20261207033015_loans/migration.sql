-- CreateTable
CREATE TABLE "loan_product" (
    "id" SERIAL NOT NULL,
    "bank_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "min_amount" INTEGER NOT NULL,
    "max_amount" INTEGER NOT NULL,
    "min_rate_bp" INTEGER NOT NULL,
    "max_rate_bp" INTEGER NOT NULL,
    "term_months" INTEGER NOT NULL,
    "min_grade" CHAR(1) NOT NULL,
    "industries" TEXT[],
    "regions" TEXT[],
    "sla_days" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loan_product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "data_authorization" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "bank_id" INTEGER NOT NULL,
    "scopes" TEXT[],
    "purpose" TEXT NOT NULL,
    "granted_by" INTEGER NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "data_authorization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loan_application" (
    "id" SERIAL NOT NULL,
    "product_id" INTEGER NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "authorization_id" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "term_months" INTEGER NOT NULL,
    "purpose" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "approved_amount" INTEGER,
    "approved_rate_bp" INTEGER,
    "reject_reason" TEXT,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loan_application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loan_application_event" (
    "id" SERIAL NOT NULL,
    "application_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "loan_application_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "loan_product_bank_id_name_key" ON "loan_product"("bank_id", "name");

-- CreateIndex
CREATE INDEX "data_authorization_bank_id_entity_id_idx" ON "data_authorization"("bank_id", "entity_id");

-- CreateIndex
CREATE INDEX "data_authorization_entity_id_id_idx" ON "data_authorization"("entity_id", "id" DESC);

-- CreateIndex
CREATE INDEX "loan_application_product_id_id_idx" ON "loan_application"("product_id", "id" DESC);

-- CreateIndex
CREATE INDEX "loan_application_entity_id_id_idx" ON "loan_application"("entity_id", "id" DESC);

-- CreateIndex
CREATE INDEX "loan_application_event_application_id_id_idx" ON "loan_application_event"("application_id", "id");

-- AddForeignKey
ALTER TABLE "loan_product" ADD CONSTRAINT "loan_product_bank_id_fkey" FOREIGN KEY ("bank_id") REFERENCES "api_client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_authorization" ADD CONSTRAINT "data_authorization_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_authorization" ADD CONSTRAINT "data_authorization_bank_id_fkey" FOREIGN KEY ("bank_id") REFERENCES "api_client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loan_application" ADD CONSTRAINT "loan_application_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "loan_product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loan_application" ADD CONSTRAINT "loan_application_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loan_application" ADD CONSTRAINT "loan_application_authorization_id_fkey" FOREIGN KEY ("authorization_id") REFERENCES "data_authorization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loan_application_event" ADD CONSTRAINT "loan_application_event_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "loan_application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The service checks these too; the table refuses what no code path should write.
ALTER TABLE "loan_product" ADD CONSTRAINT "loan_product_ranges_check"
  CHECK (min_amount > 0 AND min_amount <= max_amount AND min_rate_bp > 0 AND min_rate_bp <= max_rate_bp
         AND term_months > 0 AND sla_days > 0 AND min_grade IN ('A', 'B', 'C', 'D', 'E'));
ALTER TABLE "data_authorization" ADD CONSTRAINT "data_authorization_window_check" CHECK (expires_at > granted_at);
ALTER TABLE "loan_application" ADD CONSTRAINT "loan_application_status_check"
  CHECK (status IN ('submitted', 'accepted', 'approved', 'rejected', 'disbursed'));
