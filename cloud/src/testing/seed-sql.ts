/**
 * SQL that registers entities 1..n with placeholder details (USCC `91` + the id, zero-padded), for
 * specs that need entities to hang records on and do not care who they are.
 */
export function entitiesSql(n: number): string {
  return `
INSERT INTO entity (id, uscc, bucket, uscc_checksum_ok, name, type, established_on, registered_capital, paid_in_capital,
                    industry_code, region_code, updated_at)
SELECT e, '91' || lpad(e::text, 16, '0'), uscc_bucket('91' || lpad(e::text, 16, '0')), false, '主体' || e, '有限责任公司', date '2010-01-01', 1e6, 1e6, 'C1310', '231102', now()
FROM generate_series(1, ${n}) e;`;
}
