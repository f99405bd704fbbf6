-- CreateEnum
CREATE TYPE "EntityStatus" AS ENUM ('active', 'revoked', 'cancelled');

-- CreateEnum
CREATE TYPE "RecordKind" AS ENUM ('registration', 'annual_report', 'penalty', 'abnormal_listing', 'dishonesty_listing', 'enforcement', 'arrears', 'loan_default', 'tax_grade', 'tax_paid', 'social_insurance', 'honour', 'welfare', 'licence', 'safety_violation', 'key_person_listing');

-- CreateEnum
CREATE TYPE "RecordStatus" AS ENUM ('active', 'under_objection', 'repaired', 'revoked', 'expired');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('minor', 'general', 'serious');

-- CreateTable
CREATE TABLE "entity" (
    "id" SERIAL NOT NULL,
    "uscc" VARCHAR(18) NOT NULL,
    "uscc_checksum_ok" BOOLEAN NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" "EntityStatus" NOT NULL DEFAULT 'active',
    "established_on" DATE NOT NULL,
    "registered_capital" DECIMAL(20,2) NOT NULL,
    "paid_in_capital" DECIMAL(20,2) NOT NULL,
    "industry_code" VARCHAR(5) NOT NULL,
    "region_code" VARCHAR(6) NOT NULL,
    "legal_rep_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "entity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "id_number_cipher" TEXT NOT NULL,
    "id_number_hash" CHAR(64) NOT NULL,
    "id_number_masked" VARCHAR(18) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "entity_person" (
    "entity_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "entity_person_pkey" PRIMARY KEY ("entity_id","person_id","role")
);

-- CreateTable
CREATE TABLE "shareholder" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "source_system" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "holder_name" TEXT NOT NULL,
    "holder_uscc" VARCHAR(18),
    "holder_person_id" INTEGER,
    "ratio" DECIMAL(7,4) NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "shareholder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "investment" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "source_system" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "investee_uscc" VARCHAR(18) NOT NULL,
    "investee_name" TEXT NOT NULL,
    "ratio" DECIMAL(7,4) NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "investment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "financing" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "source_system" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "round" TEXT NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,
    "occurred_on" DATE NOT NULL,
    "investors" TEXT NOT NULL,

    CONSTRAINT "financing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_record" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "kind" "RecordKind" NOT NULL,
    "source_system" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_record_version" (
    "id" SERIAL NOT NULL,
    "record_id" INTEGER NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "kind" "RecordKind" NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "RecordStatus" NOT NULL DEFAULT 'active',
    "category" TEXT,
    "severity" "Severity",
    "amount" DECIMAL(20,2),
    "grade" VARCHAR(4),
    "occurred_on" DATE NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,
    "payload" JSONB NOT NULL,
    "content_hash" CHAR(64) NOT NULL,
    "reason" TEXT NOT NULL DEFAULT 'delivery',
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "superseded_at" TIMESTAMPTZ(3),

    CONSTRAINT "credit_record_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_batch" (
    "id" SERIAL NOT NULL,
    "source_name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL DEFAULT 0,
    "inserted" INTEGER NOT NULL DEFAULT 0,
    "versioned" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_error" (
    "id" SERIAL NOT NULL,
    "batch_id" INTEGER NOT NULL,
    "line" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "ingest_error_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scoring_model" (
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "effective_from" DATE,
    "published_at" TIMESTAMPTZ(3),
    "published_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scoring_model_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "scoring_cycle" (
    "id" SERIAL NOT NULL,
    "model_version" INTEGER NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total_chunks" INTEGER NOT NULL DEFAULT 0,
    "done_chunks" INTEGER NOT NULL DEFAULT 0,
    "entities_done" INTEGER NOT NULL DEFAULT 0,
    "trigger" TEXT NOT NULL DEFAULT 'schedule',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "scoring_cycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cycle_chunk" (
    "cycle_id" INTEGER NOT NULL,
    "chunk_no" INTEGER NOT NULL,
    "from_entity" INTEGER NOT NULL,
    "to_entity" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "worker" TEXT,
    "entities" INTEGER NOT NULL DEFAULT 0,
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "cycle_chunk_pkey" PRIMARY KEY ("cycle_id","chunk_no")
);

-- CreateTable
CREATE TABLE "evaluation" (
    "id" BIGSERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "model_version" INTEGER NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "cycle_id" INTEGER,
    "trigger" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "grade" CHAR(1) NOT NULL,
    "groups" JSONB NOT NULL,
    "indicators" JSONB NOT NULL,
    "effects" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "entity_score" (
    "entity_id" INTEGER NOT NULL,
    "evaluation_id" BIGINT NOT NULL,
    "model_version" INTEGER NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "total" INTEGER NOT NULL,
    "grade" CHAR(1) NOT NULL,

    CONSTRAINT "entity_score_pkey" PRIMARY KEY ("entity_id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" SERIAL NOT NULL,
    "openid" TEXT NOT NULL,
    "unionid" TEXT,
    "privacy_consent_version" TEXT,
    "privacy_consented_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login_at" TIMESTAMPTZ(3),

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enterprise_binding" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "face_verify_id" TEXT,
    "bound_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "enterprise_binding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_attempt" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "entity_uscc" VARCHAR(18) NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verification_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_account" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "totp_secret_cipher" TEXT NOT NULL,
    "failed_logins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "staff_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_session" (
    "id" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" INTEGER NOT NULL,
    "family_id" TEXT NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "rotated_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "auth_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_client" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" TEXT NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "object_type" TEXT NOT NULL,
    "object_id" TEXT,
    "entity_id" INTEGER,
    "detail" JSONB NOT NULL,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "message_id" TEXT NOT NULL,
    "destination" TEXT NOT NULL DEFAULT 'internal',
    "topic" TEXT NOT NULL,
    "entity_id" INTEGER,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "delivered_at" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence_file" (
    "id" TEXT NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "uploaded_by_user" INTEGER,
    "storage_key" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "display_name" TEXT NOT NULL,
    "check_status" TEXT NOT NULL DEFAULT 'pending',
    "check_trace_id" TEXT,
    "application_kind" TEXT,
    "application_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evidence_file_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "objection" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "record_id" INTEGER NOT NULL,
    "record_version" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "ground" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'submitted',
    "filed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_on" DATE NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "decision_reason" TEXT,
    "correction" JSONB,
    "score_before" INTEGER,
    "score_after" INTEGER,
    "grade_before" CHAR(1),
    "grade_after" CHAR(1),

    CONSTRAINT "objection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "good_info_report" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "level" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "occurred_on" DATE NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'submitted',
    "filed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_on" DATE NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "decision_reason" TEXT,
    "created_record_id" INTEGER,
    "score_before" INTEGER,
    "score_after" INTEGER,
    "grade_before" CHAR(1),
    "grade_after" CHAR(1),

    CONSTRAINT "good_info_report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "repair_application" (
    "id" SERIAL NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "record_id" INTEGER NOT NULL,
    "record_version" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "statement" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'submitted',
    "filed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_on" DATE NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "decision_reason" TEXT,
    "score_before" INTEGER,
    "score_after" INTEGER,
    "grade_before" CHAR(1),
    "grade_after" CHAR(1),

    CONSTRAINT "repair_application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_event" (
    "id" SERIAL NOT NULL,
    "application_kind" TEXT NOT NULL,
    "application_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "application_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "regulator_subscription" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "webhook_url" TEXT NOT NULL,
    "secret_cipher" TEXT NOT NULL,
    "industry_prefix" TEXT,
    "region_prefix" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "regulator_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscribe_consent" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "template_id" TEXT NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "subscribe_consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_schedule" (
    "year" INTEGER NOT NULL,
    "holidays" TEXT[],
    "makeup_workdays" TEXT[],
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "loaded_by" TEXT NOT NULL,

    CONSTRAINT "calendar_schedule_pkey" PRIMARY KEY ("year")
);

-- CreateIndex
CREATE UNIQUE INDEX "entity_uscc_key" ON "entity"("uscc");

-- CreateIndex
CREATE INDEX "entity_industry_code_idx" ON "entity"("industry_code");

-- CreateIndex
CREATE INDEX "entity_region_code_idx" ON "entity"("region_code");

-- CreateIndex
CREATE INDEX "entity_legal_rep_id_idx" ON "entity"("legal_rep_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_id_number_hash_key" ON "person"("id_number_hash");

-- CreateIndex
CREATE INDEX "entity_person_person_id_idx" ON "entity_person"("person_id");

-- CreateIndex
CREATE INDEX "shareholder_entity_id_idx" ON "shareholder"("entity_id");

-- CreateIndex
CREATE INDEX "shareholder_holder_uscc_idx" ON "shareholder"("holder_uscc");

-- CreateIndex
CREATE INDEX "shareholder_holder_person_id_idx" ON "shareholder"("holder_person_id");

-- CreateIndex
CREATE UNIQUE INDEX "shareholder_source_system_source_id_key" ON "shareholder"("source_system", "source_id");

-- CreateIndex
CREATE INDEX "investment_entity_id_idx" ON "investment"("entity_id");

-- CreateIndex
CREATE INDEX "investment_investee_uscc_idx" ON "investment"("investee_uscc");

-- CreateIndex
CREATE UNIQUE INDEX "investment_source_system_source_id_key" ON "investment"("source_system", "source_id");

-- CreateIndex
CREATE INDEX "financing_entity_id_idx" ON "financing"("entity_id");

-- CreateIndex
CREATE UNIQUE INDEX "financing_source_system_source_id_key" ON "financing"("source_system", "source_id");

-- CreateIndex
CREATE INDEX "credit_record_entity_id_idx" ON "credit_record"("entity_id");

-- CreateIndex
CREATE UNIQUE INDEX "credit_record_source_system_source_id_key" ON "credit_record"("source_system", "source_id");

-- CreateIndex
CREATE INDEX "credit_record_version_entity_id_recorded_at_idx" ON "credit_record_version"("entity_id", "recorded_at");

-- CreateIndex
CREATE UNIQUE INDEX "credit_record_version_record_id_version_key" ON "credit_record_version"("record_id", "version");

-- CreateIndex
CREATE INDEX "ingest_error_batch_id_idx" ON "ingest_error"("batch_id");

-- CreateIndex
CREATE INDEX "scoring_cycle_status_idx" ON "scoring_cycle"("status");

-- CreateIndex
CREATE INDEX "evaluation_entity_id_as_of_idx" ON "evaluation"("entity_id", "as_of" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "evaluation_cycle_id_entity_id_key" ON "evaluation"("cycle_id", "entity_id");

-- CreateIndex
CREATE INDEX "entity_score_grade_idx" ON "entity_score"("grade");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_openid_key" ON "app_user"("openid");

-- CreateIndex
CREATE INDEX "enterprise_binding_entity_id_idx" ON "enterprise_binding"("entity_id");

-- CreateIndex
CREATE UNIQUE INDEX "enterprise_binding_user_id_entity_id_key" ON "enterprise_binding"("user_id", "entity_id");

-- CreateIndex
CREATE INDEX "verification_attempt_user_id_created_at_idx" ON "verification_attempt"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "verification_attempt_entity_uscc_created_at_idx" ON "verification_attempt"("entity_uscc", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "staff_account_username_key" ON "staff_account"("username");

-- CreateIndex
CREATE UNIQUE INDEX "auth_session_token_hash_key" ON "auth_session"("token_hash");

-- CreateIndex
CREATE INDEX "auth_session_family_id_idx" ON "auth_session"("family_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_client_key_hash_key" ON "api_client"("key_hash");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_hash_key" ON "audit_log"("hash");

-- CreateIndex
CREATE INDEX "audit_log_entity_id_idx" ON "audit_log"("entity_id");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "outbox_delivered_at_available_at_idx" ON "outbox"("delivered_at", "available_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_id_destination_key" ON "outbox"("message_id", "destination");

-- CreateIndex
CREATE UNIQUE INDEX "evidence_file_storage_key_key" ON "evidence_file"("storage_key");

-- CreateIndex
CREATE INDEX "evidence_file_entity_id_idx" ON "evidence_file"("entity_id");

-- CreateIndex
CREATE INDEX "evidence_file_application_kind_application_id_idx" ON "evidence_file"("application_kind", "application_id");

-- CreateIndex
CREATE INDEX "objection_entity_id_idx" ON "objection"("entity_id");

-- CreateIndex
CREATE INDEX "objection_status_due_on_idx" ON "objection"("status", "due_on");

-- CreateIndex
CREATE INDEX "good_info_report_entity_id_idx" ON "good_info_report"("entity_id");

-- CreateIndex
CREATE INDEX "good_info_report_status_due_on_idx" ON "good_info_report"("status", "due_on");

-- CreateIndex
CREATE INDEX "repair_application_entity_id_idx" ON "repair_application"("entity_id");

-- CreateIndex
CREATE INDEX "repair_application_status_due_on_idx" ON "repair_application"("status", "due_on");

-- CreateIndex
CREATE INDEX "application_event_application_kind_application_id_idx" ON "application_event"("application_kind", "application_id");

-- CreateIndex
CREATE INDEX "subscribe_consent_user_id_template_id_used_at_idx" ON "subscribe_consent"("user_id", "template_id", "used_at");

-- AddForeignKey
ALTER TABLE "entity" ADD CONSTRAINT "entity_legal_rep_id_fkey" FOREIGN KEY ("legal_rep_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "entity_person" ADD CONSTRAINT "entity_person_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "entity_person" ADD CONSTRAINT "entity_person_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shareholder" ADD CONSTRAINT "shareholder_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "investment" ADD CONSTRAINT "investment_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "financing" ADD CONSTRAINT "financing_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_record" ADD CONSTRAINT "credit_record_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_record_version" ADD CONSTRAINT "credit_record_version_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "credit_record"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingest_error" ADD CONSTRAINT "ingest_error_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "ingest_batch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cycle_chunk" ADD CONSTRAINT "cycle_chunk_cycle_id_fkey" FOREIGN KEY ("cycle_id") REFERENCES "scoring_cycle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluation" ADD CONSTRAINT "evaluation_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "entity_score" ADD CONSTRAINT "entity_score_entity_id_fkey" FOREIGN KEY ("entity_id") REFERENCES "entity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enterprise_binding" ADD CONSTRAINT "enterprise_binding_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
