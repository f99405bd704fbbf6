-- The shard key (issue 20, ADR 0020): an entity's bucket is the last 12 bits of the MD5 of its
-- USCC, 0..4095. cloud/src/db/shard.ts computes the same in Node; shard.spec.ts checks that the two agree.
CREATE FUNCTION uscc_bucket(uscc text) RETURNS smallint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT ('x' || right(md5(uscc), 3))::bit(12)::int::smallint $$;
