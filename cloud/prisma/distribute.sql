-- Distribution on Citus (issue 20 item 5c, ADRs 0020 and 0027). Runs after every `npm run db:migrate`,
-- not as a migration: it must run again whenever a migration has given another table its bucket
-- column, and it is idempotent (a table already distributed or made a reference table is left alone).
-- Where the citus extension is not installed (plain PostgreSQL, PGlite) it does nothing, unless the
-- session sets `heihe.distribute_plan = on`: then it only writes what it would do into the temporary
-- table `distribution_plan` (step, action, target, detail), which is how it is tested without Citus.
--
-- * Reference tables (a copy on every node): the model versions and the other catalogues every
--   shard's statements read.
-- * Distributed tables: every table with a `bucket` column whose primary and unique keys all hold it
--   (Citus requires it), by bucket, colocated with `entity`, so an entity's rows of all of them live
--   on one node. A table with a bucket column and a key without it is left local, with a notice.
--   Nothing is distributed while `entity`'s own keys do not hold the bucket.
-- * Everything else (auth, audit, the enterprise's applications, the staff-wide lists, persons, the
--   cycle's and ingestion's bookkeeping) stays on the coordinator.
-- * A foreign key between a distributed table and a coordinator table (the central rows' keys to
--   `entity`, the entity's to `person`) is dropped first, with a notice: Citus refuses them. Their
--   writers read the row they refer to first, and entities and persons are never deleted (ADR 0027).
-- * Citus runs a distributed table's triggers on the node of its shard, where coordinator tables
--   are not. A trigger on a table to distribute that only writes rows of the same bucket is listed
--   in `colocated` below; any other (one that reads or writes coordinator tables) blocks the whole
--   distribution, with a notice naming it: such work belongs in the application (ADR 0027 step 4).
DO $distribute$
DECLARE
  ref text[] := ARRAY['scoring_model', 'incentive_catalogue', 'incentive_rule', 'xinyi_plus_catalogue',
                      'xinyi_plus_measure', 'loan_product', 'calendar_schedule'];
  -- Triggers that write only rows of their own row's bucket: registration opens the entity's score
  -- row; a new negative record queues its record.negative message in the outbox (ADR 0027 step 4).
  colocated text[] := ARRAY['entity_score_row_per_entity', 'record_negative_to_outbox'];
  blockers text[];
  citus boolean := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus');
  plan_only boolean := coalesce(current_setting('heihe.distribute_plan', true), '') = 'on';
  dist text[];
  t text;
  fk record;
  step int := 0;
  done boolean;
BEGIN
  IF NOT citus AND NOT plan_only THEN
    RAISE NOTICE 'distribute.sql: no citus extension here, nothing to distribute';
    RETURN;
  END IF;
  IF plan_only THEN
    CREATE TEMP TABLE IF NOT EXISTS distribution_plan (step int, action text, target text, detail text);
    TRUNCATE distribution_plan;
  END IF;

  -- The tables to distribute: a bucket column in every primary and unique key; entity first, the
  -- anchor of the colocation group; none at all while entity does not qualify.
  SELECT coalesce(array_agg(c.relname::text ORDER BY c.relname <> 'entity', c.relname), '{}') INTO dist
  FROM pg_class c
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
    AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'bucket' AND NOT a.attisdropped)
    AND NOT EXISTS (
      SELECT 1 FROM pg_index i
      WHERE i.indrelid = c.oid AND i.indisunique
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                        WHERE a.attrelid = i.indrelid AND a.attname = 'bucket' AND a.attnum = ANY (i.indkey)));
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    WHERE c.table_schema = current_schema() AND c.column_name = 'bucket' AND NOT c.table_name = ANY (dist)
    ORDER BY 1
  LOOP
    RAISE NOTICE 'distribute.sql: % has a unique key without bucket; left on the coordinator', t;
  END LOOP;
  IF NOT 'entity' = ANY (dist) THEN
    RAISE NOTICE 'distribute.sql: entity has a unique key without bucket; no table distributed yet';
    dist := '{}';
  END IF;
  SELECT array_agg(c.relname || '.' || g.tgname ORDER BY c.relname, g.tgname) INTO blockers
  FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
  WHERE NOT g.tgisinternal AND c.relname::text = ANY (dist) AND NOT g.tgname::text = ANY (colocated)
    AND c.relnamespace = current_schema()::regnamespace;
  IF blockers IS NOT NULL THEN
    RAISE NOTICE 'distribute.sql: triggers that reach coordinator tables (%); no table distributed yet',
      array_to_string(blockers, ', ');
    FOREACH t IN ARRAY blockers LOOP
      step := step + 1;
      IF plan_only THEN
        INSERT INTO distribution_plan VALUES (step, 'blocked by trigger', t, 'reaches coordinator tables');
      END IF;
    END LOOP;
    dist := '{}';
  END IF;

  -- 1. The foreign keys Citus refuses: between a table to distribute and one that stays local, and
  -- from a reference table to a local one.
  FOR fk IN
    SELECT k.conname::text AS name, a.relname::text AS tab, b.relname::text AS refs
    FROM pg_constraint k JOIN pg_class a ON a.oid = k.conrelid JOIN pg_class b ON b.oid = k.confrelid
    WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace
      AND (((a.relname::text = ANY (dist)) <> (b.relname::text = ANY (dist)) AND NOT b.relname::text = ANY (ref))
           OR (a.relname::text = ANY (ref) AND NOT b.relname::text = ANY (ref || dist)))
    ORDER BY 2, 1
  LOOP
    step := step + 1;
    IF plan_only THEN
      INSERT INTO distribution_plan VALUES (step, 'drop foreign key', fk.tab || '.' || fk.name, 'refers to ' || fk.refs);
    ELSE
      RAISE NOTICE 'distribute.sql: dropping foreign key %.% to % (a distributed and a coordinator table)',
        fk.tab, fk.name, fk.refs;
      EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', fk.tab, fk.name);
    END IF;
  END LOOP;
  -- Between two distributed tables Citus refuses ON UPDATE CASCADE (Prisma's default) on a key that
  -- holds the distribution column: those keys are made again without it (ids and buckets never change).
  FOR fk IN
    SELECT k.conname::text AS name, a.relname::text AS tab, pg_get_constraintdef(k.oid) AS def
    FROM pg_constraint k JOIN pg_class a ON a.oid = k.conrelid JOIN pg_class b ON b.oid = k.confrelid
    WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace AND k.confupdtype <> 'a'
      AND a.relname::text = ANY (dist) AND b.relname::text = ANY (dist)
    ORDER BY 2, 1
  LOOP
    step := step + 1;
    IF plan_only THEN
      INSERT INTO distribution_plan VALUES (step, 'remake foreign key', fk.tab || '.' || fk.name, 'without ON UPDATE CASCADE');
    ELSE
      EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, ADD CONSTRAINT %I %s', fk.tab, fk.name, fk.name,
                     regexp_replace(fk.def, ' ON UPDATE (CASCADE|SET NULL|SET DEFAULT|RESTRICT)', ''));
    END IF;
  END LOOP;
  -- The allowed triggers write their own bucket's rows, which Citus runs only with this setting.
  IF EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
             WHERE NOT g.tgisinternal AND c.relname::text = ANY (dist)) THEN
    step := step + 1;
    IF plan_only THEN
      INSERT INTO distribution_plan VALUES (step, 'allow colocated triggers', current_database(), 'citus.enable_unsafe_triggers');
    ELSE
      EXECUTE format('ALTER DATABASE %I SET citus.enable_unsafe_triggers = on', current_database());
      PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
    END IF;
  END IF;

  -- 2. Reference tables, then 3. the distributed tables (dynamic SQL: pg_dist_partition and the
  -- Citus functions exist only where citus does).
  FOREACH t IN ARRAY ref LOOP
    CONTINUE WHEN to_regclass(t) IS NULL;
    step := step + 1;
    IF plan_only THEN
      INSERT INTO distribution_plan VALUES (step, 'reference table', t, NULL);
      CONTINUE;
    END IF;
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = $1::regclass)' INTO done USING t;
    IF NOT done THEN
      EXECUTE format('SELECT create_reference_table(%L)', t);
    END IF;
  END LOOP;
  FOREACH t IN ARRAY dist LOOP
    step := step + 1;
    IF plan_only THEN
      INSERT INTO distribution_plan
        VALUES (step, 'distribute by bucket', t, CASE WHEN t = 'entity' THEN 'anchor' ELSE 'colocated with entity' END);
      CONTINUE;
    END IF;
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = $1::regclass)' INTO done USING t;
    IF NOT done THEN
      EXECUTE format('SELECT create_distributed_table(%L, %L, colocate_with => %L)', t, 'bucket',
                     CASE WHEN t = 'entity' THEN 'default' ELSE 'entity' END);
    END IF;
  END LOOP;
END
$distribute$;
