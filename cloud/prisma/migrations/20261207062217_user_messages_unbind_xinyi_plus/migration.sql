-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "privacy_withdrawn_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "enterprise_binding" ADD COLUMN     "revoked_reason" TEXT;

-- CreateTable
CREATE TABLE "user_message" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "entity_id" INTEGER,
    "message_key" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link_kind" TEXT NOT NULL,
    "link_id" INTEGER,
    "application_kind" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "xinyi_plus_catalogue" (
    "version" INTEGER NOT NULL,
    "effective_from" DATE NOT NULL,
    "basis" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_by" TEXT NOT NULL,

    CONSTRAINT "xinyi_plus_catalogue_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "xinyi_plus_measure" (
    "catalogue_version" INTEGER NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "item_codes" TEXT[],
    "position" INTEGER NOT NULL,

    CONSTRAINT "xinyi_plus_measure_pkey" PRIMARY KEY ("catalogue_version","code")
);

-- CreateIndex
CREATE INDEX "user_message_user_id_created_at_idx" ON "user_message"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "user_message_user_id_message_key_key" ON "user_message"("user_id", "message_key");

-- AddForeignKey
ALTER TABLE "xinyi_plus_measure" ADD CONSTRAINT "xinyi_plus_measure_catalogue_version_fkey" FOREIGN KEY ("catalogue_version") REFERENCES "xinyi_plus_catalogue"("version") ON DELETE RESTRICT ON UPDATE CASCADE;
