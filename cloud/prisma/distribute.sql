-- Distribution on Citus (issue 20 item 5c, ADR 0020). Runs after every `npm run db:migrate`, not as a
-- migration: it must run again whenever a migration has given another table its bucket column, and it
-- is idempotent (a table already distributed or made a reference table is left alone). Where the
-- citus extension is not installed (plain PostgreSQL, PGlite) it does nothing.
--
-- * Reference tables (a copy on every node): the model versions and the other catalogues every
--   shard's statements read.
-- * Distributed tables: every table with a `bucket` column, by bucket, colocated with `entity`, so
--   an entity's rows of all of them live on one node. A table whose primary or unique keys do not
--   yet include the bucket (Citus requires it) is skipped with a notice, not half-distributed.
-- * Everything else (auth, audit, the cycle's and ingestion's bookkeeping) stays on the coordinator.
DO $distribute$
DECLARE
  t text;
  ref text[] := ARRAY['scoring_model', 'incentive_catalogue', 'incentive_rule', 'xinyi_plus_catalogue',
                      'xinyi_plus_measure', 'loan_product', 'calendar_schedule'];
  anchor text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RAISE NOTICE 'distribute.sql: no citus extension here, nothing to distribute';
    RETURN;
  END IF;

  FOREACH t IN ARRAY ref LOOP
    IF to_regclass(t) IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = to_regclass(t)) THEN
      EXECUTE format('SELECT create_reference_table(%L)', t);
    END IF;
  END LOOP;

  -- The tables keyed by an entity hold a foreign key to it, so none is distributed before entity
  -- can be; its keys do not hold the bucket yet (ADR 0027 step 2).
  IF EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = 'entity'::regclass AND i.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                      WHERE a.attrelid = i.indrelid AND a.attname = 'bucket' AND a.attnum = ANY (i.indkey))
  ) THEN
    RAISE NOTICE 'distribute.sql: entity has a unique key without bucket; no table distributed yet';
    RETURN;
  END IF;

  -- entity first: the anchor of the colocation group.
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    WHERE c.table_schema = current_schema() AND c.column_name = 'bucket'
    ORDER BY c.table_name <> 'entity', c.table_name
  LOOP
    IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = to_regclass(t)) THEN
      CONTINUE;
    END IF;
    IF EXISTS (
      SELECT 1 FROM pg_index i
      WHERE i.indrelid = to_regclass(t) AND i.indisunique
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                        WHERE a.attrelid = i.indrelid AND a.attname = 'bucket' AND a.attnum = ANY (i.indkey))
    ) THEN
      RAISE NOTICE 'distribute.sql: % has a unique key without bucket; not distributed yet', t;
      CONTINUE;
    END IF;
    anchor := CASE WHEN t = 'entity' OR NOT EXISTS (
                SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'entity'::regclass) THEN 'default'
              ELSE 'entity' END;
    EXECUTE format('SELECT create_distributed_table(%L, %L, colocate_with => %L)', t, 'bucket', anchor);
  END LOOP;
END
$distribute$;
