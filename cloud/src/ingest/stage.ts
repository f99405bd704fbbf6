import { bucketPredicate } from '../db/shard';

/**
 * The staging table a chunk is copied into, and the set-wise statements that apply it, in this
 * order: persons, entities, entity ids for every row, rows whose entity is not registered, record
 * identities, record versions, relations. A chunk stages each source key at most once
 * (`prepareChunk` keeps the last row per key), so every statement runs once per chunk.
 *
 * A chunk holds the advisory locks of its rows' buckets (ADR 0024), not a global one: what is keyed
 * by an entity (entity, its records' versions, its key persons) has no other writer meanwhile, and
 * persons, shared by every bucket, are upserted with ON CONFLICT in one ordered statement.
 *
 * The registrations and shareholder statements return what they changed (`changed`) and the chunk
 * queues it in its transaction (`queueOwnershipChange`, ADR 0022): no trigger on those tables does.
 */

export const STAGE_COLUMNS = [
  'line',
  'type',
  'source_system',
  'source_id',
  'uscc',
  'content_hash',
  // registration and record rows: the versioned record
  'kind',
  'status',
  'entity_status',
  'category',
  'severity',
  'amount',
  'grade',
  'occurred_on',
  'valid_from',
  'valid_to',
  'payload',
  // registration rows: the entity
  'name',
  'entity_type',
  'established_on',
  'registered_capital',
  'uscc_checksum_ok',
  'industry_code',
  'region_code',
  // the natural person a row names: legal representative, shareholder, key person
  'person_name',
  'person_hash',
  'person_cipher',
  'person_masked',
  // relations
  'counterpart_uscc',
  'counterpart_name',
  'ratio',
  'round',
  'investors',
  'role',
] as const;

export type StageColumn = (typeof STAGE_COLUMNS)[number];

/**
 * Temporary and emptied at every commit or rollback: nothing staged outlives its chunk. Keys are in
 * the "C" collation, as the columns they are matched against (migration key_columns_collate_c).
 */
export const STAGE_DDL = `
  CREATE TEMP TABLE IF NOT EXISTS ingest_stage (
    line int NOT NULL, type text NOT NULL,
    source_system text COLLATE "C" NOT NULL, source_id text COLLATE "C" NOT NULL, uscc text COLLATE "C" NOT NULL,
    content_hash char(64) NOT NULL,
    kind text, status text, entity_status text, category text, severity text, amount numeric, grade text,
    occurred_on date, valid_from date, valid_to date, payload text,
    name text, entity_type text, established_on date, registered_capital numeric, uscc_checksum_ok boolean,
    industry_code text, region_code text,
    person_name text, person_hash char(64) COLLATE "C", person_cipher text, person_masked text,
    counterpart_uscc text, counterpart_name text, ratio numeric, round text, investors text, role text,
    entity_id int, bucket smallint
  ) ON COMMIT DELETE ROWS`;

/**
 * Inserts the rows of `source` whose key is new and updates those whose `compared` values differ,
 * in one statement, and counts inserted / versioned (updated) / unchanged. A plain insert costs about
 * half of INSERT … ON CONFLICT, whose speculative insertion writes and then confirms every row. No
 * other writer adds an entity's key meanwhile: the chunk holds its buckets' locks (ADR 0024), and a
 * source key (relations) is unique within its bucket, which the key names (ADR 0027). `source` names
 * its columns as the table's, with values already cast to the columns' types so equal values compare
 * equal.
 */
function upsert(o: {
  table: string;
  key: string[];
  compared: string[];
  insertOnly?: string[];
  source: string;
  touch?: string;
  /** ` AND <predicate>` on the table's rows (alias t) naming the chunk's bucket, when it has one (`Routed`). */
  routed?: string;
  /**
   * Returned as the array `changed`: this column of the inserted rows, and with `updated` of the
   * updated ones (alias t), what the chunk hands to `queueOwnershipChange` (ADR 0022).
   */
  changed?: { inserted: string; updated?: string };
}) {
  const cols = [...o.key, ...o.compared, ...(o.insertOnly ?? [])];
  const onKey = o.key.map((k) => `t.${k} = src.${k}`).join(' AND ') + (o.routed ?? '');
  return `
    WITH src AS (${o.source}),
    ins AS (
      INSERT INTO ${o.table} (${cols.join(', ')})
      SELECT ${cols.join(', ')} FROM src WHERE NOT EXISTS (SELECT 1 FROM ${o.table} t WHERE ${onKey})
      RETURNING ${o.changed?.inserted ?? 'NULL'} AS changed
    ), upd AS (
      UPDATE ${o.table} t SET ${o.compared.map((c) => `${c} = src.${c}`).join(', ')}${o.touch ?? ''}
      FROM src WHERE ${onKey}
        AND (${o.compared.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${o.compared.map((c) => `src.${c}`).join(', ')})
      RETURNING ${o.changed?.updated ?? 'NULL'} AS changed
    ), n AS (SELECT (SELECT count(*) FROM src) AS src, (SELECT count(*) FROM ins) AS ins, (SELECT count(*) FROM upd) AS upd)
    SELECT ins::int AS inserted, upd::int AS versioned, (src - ins - upd)::int AS unchanged${
      o.changed
        ? `,
      (SELECT array_agg(DISTINCT c.changed) FROM (SELECT changed FROM ins UNION ALL SELECT changed FROM upd) c
        WHERE c.changed IS NOT NULL) AS changed`
        : ''
    } FROM n`;
}

/**
 * Every person the chunk names, in one statement: those of registrations, and those of other rows
 * whose entity is registered (before or in this chunk). A person is created once per keyed hash; a
 * later row may correct the name, a non-registration row's name winning over a registration's, the
 * last line over earlier ones. Persons are shared by every bucket, so two chunks of different
 * buckets may name one person at once: the insert is ON CONFLICT DO NOTHING (the later waits for the
 * earlier's commit, then finds the row), and the rows it renames are locked first, in hash order,
 * as the inserts go, so two chunks never wait on each other's persons in a cycle. Unchanged persons
 * are not locked: chunks naming the same legal representative do not serialise on it.
 */
const persons = (inBucket: Routed) => `
  WITH src AS (
    SELECT DISTINCT ON (s.person_hash) s.person_hash AS id_number_hash, s.person_name AS name,
      s.person_cipher AS id_number_cipher, s.person_masked AS id_number_masked
    FROM ingest_stage s
    WHERE s.person_hash IS NOT NULL
      AND (s.type = 'registration'
        OR EXISTS (SELECT 1 FROM ingest_stage r WHERE r.type = 'registration' AND r.uscc = s.uscc)
        OR EXISTS (SELECT 1 FROM entity e WHERE e.uscc = s.uscc${inBucket('e')}))
    ORDER BY s.person_hash, s.type <> 'registration' DESC, s.line DESC
  ), ins AS (
    INSERT INTO person (id_number_hash, name, id_number_cipher, id_number_masked)
    SELECT id_number_hash, name, id_number_cipher, id_number_masked FROM src
    WHERE NOT EXISTS (SELECT 1 FROM person t WHERE t.id_number_hash = src.id_number_hash)
    ORDER BY id_number_hash
    ON CONFLICT (id_number_hash) DO NOTHING
    RETURNING 1
  ), renamed AS (
    SELECT t.id, src.name FROM person t JOIN src ON t.id_number_hash = src.id_number_hash
    WHERE t.name IS DISTINCT FROM src.name
    ORDER BY t.id_number_hash
    FOR NO KEY UPDATE OF t
  ), upd AS (
    UPDATE person t SET name = renamed.name FROM renamed WHERE t.id = renamed.id RETURNING 1
  )
  SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS renamed`;

/** Relations are current state: a change updates the row in place (counted as versioned). */
const relation = (
  inBucket: Routed,
  table: string,
  select: string,
  compared: string[],
  changed?: { inserted: string; updated: string },
) =>
  upsert({
    table,
    key: ['source_system', 'source_id', 'bucket'],
    compared,
    insertOnly: ['entity_id'],
    routed: inBucket('t'),
    changed,
    source: `
      SELECT s.source_system, s.source_id, s.entity_id, s.bucket, ${select}
      FROM ingest_stage s LEFT JOIN person p ON p.id_number_hash = s.person_hash
      WHERE s.type = '${table}' AND s.entity_id IS NOT NULL`,
  });

/**
 * ` AND <alias>.bucket = b` when the chunk's rows are all of one bucket, else nothing: a statement
 * of a one-bucket chunk names its bucket on every bucketed table it reads (ADR 0025), so a
 * partitioned or distributed table routes it to one partition. A chunk of several buckets (the
 * default: one bucket group) reads as before; naming a set would cost a comparison per bucket per row.
 * The predicate is `bucketPredicate`'s, as the cycle's.
 */
type Routed = (alias: string) => string;

function routedTo(buckets: readonly number[]): Routed {
  if (buckets.length !== 1) return () => '';
  const b = buckets[0]!;
  return (alias) => ` AND ${bucketPredicate(`${alias}.bucket`, b, b)}`;
}

/**
 * The statements that apply a staged chunk whose rows are of `buckets` (ascending, as prepareChunk
 * gives them). A source key is unique within its entity's bucket (ADR 0027) and looked up there: a
 * key delivered for an entity of another bucket than the one holding it makes a new record or
 * relation of that entity, whatever the chunk's buckets, and two parallel deliveries of it for
 * different buckets no longer collide (each bucket's chunk holds that bucket's lock).
 */
export function applyStageSql(buckets: readonly number[]) {
  const inBucket = routedTo(buckets);
  return {
    persons: persons(inBucket),

    /**
     * The latest registration of a USCC in the chunk wins; an identical one changes nothing.
     * $1: the chunk's instant, from the injected clock.
     */
    entities: upsert({
      table: 'entity',
      key: ['uscc'],
      compared: [
        'name',
        'type',
        'status',
        'established_on',
        'registered_capital',
        'paid_in_capital',
        'industry_code',
        'region_code',
        'legal_rep_id',
      ],
      insertOnly: ['bucket', 'uscc_checksum_ok', 'updated_at'],
      touch: ', updated_at = $1::timestamptz',
      routed: inBucket('t'),
      // A registration (not an update) may name a holder known until now only by its USCC.
      changed: { inserted: 'uscc' },
      source: `
      SELECT DISTINCT ON (s.uscc) s.uscc, uscc_bucket(s.uscc) AS bucket, s.uscc_checksum_ok, s.name, s.entity_type AS type,
        s.entity_status::"EntityStatus" AS status, s.established_on, s.registered_capital::numeric(20, 2) AS registered_capital,
        s.amount::numeric(20, 2) AS paid_in_capital, s.industry_code, s.region_code, p.id AS legal_rep_id, $1::timestamptz AS updated_at
      FROM ingest_stage s LEFT JOIN person p ON p.id_number_hash = s.person_hash
      WHERE s.type = 'registration'
      ORDER BY s.uscc, s.line DESC`,
    }),

    resolveEntities: `
    UPDATE ingest_stage s SET entity_id = e.id, bucket = e.bucket FROM entity e WHERE e.uscc = s.uscc${inBucket('e')}`,

    unregistered: `
    INSERT INTO ingest_error (batch_id, line, field, reason)
    SELECT $1, line, 'uscc', '主体未登记：请先报送该统一社会信用代码的登记信息'
    FROM ingest_stage WHERE entity_id IS NULL
    RETURNING line, field, reason`,

    /**
     * Record identities not seen in the entity's bucket. Plain insert (see `upsert`): the entity's
     * bucket is locked, and a source key is unique within it (ADR 0027). Ids are
     * drawn in line order, so an entity's records are numbered in the order they were delivered,
     * whatever else shares the chunk (the staging table's scan order is not the line order once
     * rows are updated): the engine reads facts in record-id order and breaks ties by it, and the
     * same delivery cut per shard must score alike (sim:shards).
     */
    newRecords: `
    INSERT INTO credit_record (entity_id, bucket, kind, source_system, source_id)
    SELECT s.entity_id, s.bucket, s.kind::"RecordKind", s.source_system, s.source_id
    FROM ingest_stage s
    WHERE s.kind IS NOT NULL AND s.entity_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM credit_record r
        WHERE r.source_system = s.source_system AND r.source_id = s.source_id AND r.bucket = s.bucket${inBucket('r')})
    ORDER BY s.line`,

    /**
     * A new version for every record whose content hash differs from its current version's; the
     * current one is superseded at the same instant. A correction from the source keeps the agency's
     * own decisions on the record: an open objection, a repair, a revocation after an upheld objection.
     * $1: the chunk's instant, from the injected clock (the system time of the versions it writes).
     */
    versions: `
    WITH cur AS (
      SELECT s.entity_id, s.bucket, s.kind, s.status, s.category, s.severity, s.amount, s.grade, s.occurred_on, s.valid_from,
        s.valid_to, s.payload, s.content_hash,
        r.id AS record_id, v.version AS cur_version, v.status::text AS cur_status, v.content_hash AS cur_hash
      FROM ingest_stage s
      JOIN credit_record r ON r.source_system = s.source_system AND r.source_id = s.source_id AND r.bucket = s.bucket${inBucket('r')}
      LEFT JOIN credit_record_version v ON v.record_id = r.id AND v.bucket = r.bucket AND v.superseded_at IS NULL${inBucket('v')}
      WHERE s.kind IS NOT NULL AND s.entity_id IS NOT NULL
    ), changed AS (
      SELECT * FROM cur WHERE cur_hash IS DISTINCT FROM content_hash
    ), superseded AS (
      UPDATE credit_record_version v SET superseded_at = $1::timestamptz FROM changed c
      WHERE v.record_id = c.record_id AND v.version = c.cur_version${inBucket('v')}
    ), added AS (
      INSERT INTO credit_record_version (record_id, entity_id, bucket, kind, version, status, category, severity, amount,
        grade, occurred_on, valid_from, valid_to, payload, content_hash, reason, recorded_at)
      SELECT record_id, entity_id, bucket, kind::"RecordKind", coalesce(cur_version, 0) + 1,
        (CASE WHEN status = 'active' AND cur_status IN ('under_objection', 'repaired', 'revoked') THEN cur_status
              ELSE status END)::"RecordStatus",
        category, severity::"Severity", amount, grade, occurred_on, valid_from, valid_to, payload::jsonb,
        content_hash, 'delivery', $1::timestamptz
      FROM changed
    )
    SELECT (SELECT count(*) FROM changed WHERE cur_version IS NULL)::int AS inserted,
      (SELECT count(*) FROM changed WHERE cur_version IS NOT NULL)::int AS versioned,
      (SELECT count(*) FROM cur WHERE cur_hash = content_hash)::int AS unchanged,
      (SELECT array_agg(DISTINCT entity_id) FROM changed) AS entities`,

    shareholders: relation(
      inBucket,
      'shareholder',
      `s.counterpart_name AS holder_name, s.counterpart_uscc AS holder_uscc, p.id AS holder_person_id,
      s.ratio::numeric(7, 4) AS ratio, s.amount::numeric(20, 2) AS amount`,
      ['holder_name', 'holder_uscc', 'holder_person_id', 'ratio', 'amount'],
      // The companies whose holdings changed (entity_id is insert-only: an update keeps the row's).
      { inserted: 'entity_id', updated: 't.entity_id' },
    ),
    investments: relation(
      inBucket,
      'investment',
      `s.counterpart_uscc AS investee_uscc, s.counterpart_name AS investee_name, s.ratio::numeric(7, 4) AS ratio,
      s.amount::numeric(20, 2) AS amount`,
      ['investee_uscc', 'investee_name', 'ratio', 'amount'],
    ),
    financings: relation(
      inBucket,
      'financing',
      `s.round, s.amount::numeric(20, 2) AS amount, s.occurred_on, s.investors`,
      ['round', 'amount', 'occurred_on', 'investors'],
    ),

    /** Key persons are facts without content: present or not. */
    keyPersons: `
    WITH ins AS (
      INSERT INTO entity_person (entity_id, bucket, person_id, role)
      SELECT s.entity_id, s.bucket, p.id, s.role FROM ingest_stage s JOIN person p ON p.id_number_hash = s.person_hash
      WHERE s.type = 'key_person' AND s.entity_id IS NOT NULL
      ON CONFLICT DO NOTHING RETURNING 1
    )
    SELECT count(*)::int AS inserted, 0 AS versioned,
      ((SELECT count(*) FROM ingest_stage WHERE type = 'key_person' AND entity_id IS NOT NULL)
        - count(*))::int AS unchanged
    FROM ins`,
  };
}
