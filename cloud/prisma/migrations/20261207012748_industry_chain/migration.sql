-- CreateTable
CREATE TABLE "industry_chain" (
    "code" VARCHAR(32) NOT NULL,
    "name" TEXT NOT NULL,
    "prefixes" TEXT[],
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL DEFAULT 'migration',

    CONSTRAINT "industry_chain_pkey" PRIMARY KEY ("code")
);

-- Heihe's key chains (黑河市重点产业链) mapped onto GB/T 4754-2017 classes. The agency edits these
-- rows; the prefixes are what screening matches an entity's industry code against.
INSERT INTO "industry_chain" ("code", "name", "prefixes", "sort_order") VALUES
  ('soybean', '大豆全产业链', ARRAY['A0121', 'C1329', 'C1331', 'C1392', 'F5111', 'F5127'], 1),
  ('hemp', '汉麻', ARRAY['A0132', 'C1731', 'C1732', 'C1733', 'C2740'], 2),
  ('sea_buckthorn', '沙棘', ARRAY['A0159', 'C1523', 'C1492', 'C2740'], 3),
  ('minerals', '矿产', ARRAY['B06', 'B08', 'B09', 'B10', 'B11', 'C31', 'C32'], 4),
  ('export_processing', '进出口加工', ARRAY['C1310', 'C1331', 'C2011', 'C2021', 'F5181', 'F5191'], 5),
  ('green_energy', '绿色能源', ARRAY['D4415', 'D4416', 'D4417', 'D4419', 'D443', 'C3825', 'N7711'], 6),
  ('ice_snow', '冰雪经济', ARRAY['R89', 'N786', 'C2442', 'H611'], 7),
  ('russia_trade', '对俄经贸', ARRAY['F5181', 'F5191', 'G5431', 'G58', 'G595'], 8);
