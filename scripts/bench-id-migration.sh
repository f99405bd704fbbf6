#!/bin/bash
# The bigint_record_ids migration (ADR 0023) on a seeded database, timed against baselines in the
# same run: docs/scale.md ("Ids that last"). Runs on the bench cluster only, never on :5432.
#
#   git worktree add /tmp/wt-before 239bd57^      # the schema before the migration
#   npm run build -w shared && npm run build -w cloud
#   N=200000 scripts/bench-id-migration.sh /tmp/wt-before
#
# Seeds with the worktree's migrations and bench:cycle's SEED_SQL (N entities × 15 records, one
# version each: explicit ids, the same SQL at both commits), adds an objection and a repair per
# 1,000 records, then: a COPY out and a VACUUM FULL of the tables (baselines), `npm run db:migrate`
# (this checkout's migrations), a VACUUM FULL again; row counts, a checksum of every row's text and
# the sizes before and after. KEEP=1 leaves the database.
set -euo pipefail
BEFORE=${1:?usage: scripts/bench-id-migration.sh <worktree at the commit before the migration>}
REPO=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-200000}
U=${BENCH_SERVER:-postgres://postgres@127.0.0.1:5433}
case "$U" in *:5432*) echo "refusing to run on :5432 (CI's server)" >&2; exit 2 ;; esac
DB=bench_ids_$(date +%s)
P="psql -v ON_ERROR_STOP=1 -X -q -At"
t() { local s; s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }
echo "uptime: $(uptime)"
$P "$U/postgres" -c "CREATE DATABASE $DB"
SEED=$(mktemp)
node -e "
  const { migrate } = require('$REPO/cloud/dist/db/migrator.js');
  const { SEED_SQL } = require('$REPO/cloud/dist/bench/cycle.bench.js');
  migrate({ kind: 'postgres', url: '$U/$DB' }, { migrationsDir: '$BEFORE/cloud/prisma/migrations' })
    .then(() => process.stdout.write(SEED_SQL($N)));" > "$SEED"
echo "seed ($N entities × 15 records), s: $(t $P "$U/$DB" -f "$SEED")"
rm -f "$SEED"
$P "$U/$DB" -c "INSERT INTO app_user (openid) VALUES ('bench');
INSERT INTO objection (entity_id, record_id, record_version, user_id, ground, statement, due_on, due_from)
  SELECT r.entity_id, r.id, 1, (SELECT id FROM app_user), 'wrong', 'bench', current_date, current_date FROM credit_record r WHERE r.id % 1000 = 7;
INSERT INTO repair_application (entity_id, record_id, record_version, user_id, statement, due_on, due_from)
  SELECT r.entity_id, r.id, 1, (SELECT id FROM app_user), 'bench', current_date, current_date FROM credit_record r WHERE r.id % 1000 = 8;"
$P "$U/$DB" -c "VACUUM ANALYZE"
TABLES="credit_record, credit_record_version, objection, repair_application, good_info_report"
sums() {
  $P "$U/$DB" -c "SELECT 'credit_record', count(*), md5(string_agg(md5(r::text), '' ORDER BY id)) FROM credit_record r
    UNION ALL SELECT 'credit_record_version', count(*), md5(string_agg(md5(v::text), '' ORDER BY id)) FROM credit_record_version v
    UNION ALL SELECT 'objection', count(*), md5(string_agg(md5(o::text), '' ORDER BY id)) FROM objection o
    UNION ALL SELECT 'repair_application', count(*), md5(string_agg(md5(a::text), '' ORDER BY id)) FROM repair_application a"
}
sizes() {
  $P "$U/$DB" -F' ' -c "SELECT c.relname, pg_relation_size(c.oid) AS heap, pg_indexes_size(c.oid) AS indexes,
    (SELECT data_type FROM information_schema.columns WHERE table_name = c.relname AND column_name = 'id')
    FROM pg_class c WHERE c.relname IN ('credit_record', 'credit_record_version') ORDER BY 1"
}
BEFORE_SUM=$(sums); echo "$BEFORE_SUM"; sizes
echo "baseline: COPY out of credit_record and credit_record_version, s: $(t $P "$U/$DB" -c '\copy credit_record TO /dev/null' -c '\copy credit_record_version TO /dev/null')"
echo "baseline: VACUUM FULL of the five tables, s: $(t $P "$U/$DB" -c "VACUUM FULL $TABLES")"
echo "npm run db:migrate, s: $(cd "$REPO" && t env DATABASE_URL="$U/$DB" npm run db:migrate)"
$P "$U/$DB" -F' ' -c "SELECT migration_name, extract(epoch FROM finished_at - started_at) FROM _prisma_migrations
  WHERE migration_name >= '20261207092306' ORDER BY started_at"
$P "$U/$DB" -F' ' -c "SELECT sequencename, data_type FROM pg_sequences WHERE sequencename LIKE 'credit_record%'"
AFTER_SUM=$(sums); echo "$AFTER_SUM"; sizes
[ "$BEFORE_SUM" = "$AFTER_SUM" ] && echo "row counts and checksums equal" || { echo "CHECKSUMS DIFFER" >&2; exit 1; }
echo "baseline: VACUUM FULL again (bigint), s: $(t $P "$U/$DB" -c "VACUUM FULL $TABLES")"
echo "uptime: $(uptime)"
[ -n "${KEEP:-}" ] || $P "$U/postgres" -c "DROP DATABASE $DB WITH (FORCE)"
