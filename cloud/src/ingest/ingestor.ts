import crypto from 'node:crypto';
import {
  parseIngestRow,
  type FinancingRow,
  type IngestReport,
  type IngestRow,
  type InvestmentRow,
  type KeyPersonRow,
  type RecordRow,
  type RegistrationRow,
  type RowError,
  type ShareholderRow,
  checkUscc,
} from '@heihe/shared';
import type { Database, Sql } from '../db/database';
import type { PiiVault } from '../pii/pii';

export interface RawLine {
  line: number;
  raw: unknown;
  /** Set when the line could not even be parsed (bad JSON, bad CSV quoting). */
  error?: string;
}

export interface ChunkResult {
  inserted: number;
  versioned: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  /** Entities whose scoring inputs changed: the dynamic re-score takes these. */
  changedEntityIds: number[];
}

interface PendingVersion {
  entityId: number;
  kind: string;
  status: string;
  category: string | null;
  severity: string | null;
  amount: number | null;
  grade: string | null;
  occurredOn: string;
  validFrom: string;
  validTo: string | null;
  payload: object;
  hash: string;
  row: RegistrationRow | RecordRow;
}

interface Located<T> {
  line: number;
  row: T;
  hash: string;
}

/** A chunk validated and hashed, ready to apply: the CPU half, which can overlap the previous chunk's I/O. */
export interface PreparedChunk {
  lines: number;
  res: ChunkResult;
  passes: Located<IngestRow>[][];
}

/** Content hash of a delivered row: a re-delivery with the same hash adds nothing. */
function contentHash(row: IngestRow): string {
  const keys = Object.keys(row).sort();
  const canon = JSON.stringify(row, keys);
  return crypto.createHash('sha256').update(canon).digest('hex');
}

const AGENCY_STATES = new Set(['under_objection', 'repaired', 'revoked']);

function emptyResult(): ChunkResult {
  return { inserted: 0, versioned: 0, unchanged: 0, rejected: 0, errors: [], changedEntityIds: [] };
}

/**
 * Applies delivered rows set-wise. Each chunk is one transaction: a process killed mid-file
 * leaves whole chunks applied and the rest untouched, and re-running the file is idempotent on
 * (source system, source ID), so a rerun simply completes it.
 */
export class Ingestor {
  constructor(
    private readonly db: Database,
    private readonly vault: PiiVault,
  ) {}

  async startBatch(sourceName: string): Promise<number> {
    const [b] = await this.db.query<{ id: number }>(`INSERT INTO ingest_batch (source_name) VALUES ($1) RETURNING id`, [
      sourceName,
    ]);
    return b!.id;
  }

  async finishBatch(batchId: number, status: 'done' | 'failed'): Promise<IngestReport> {
    const [b] = await this.db.query<IngestReport>(
      `UPDATE ingest_batch SET status = $2, finished_at = now() WHERE id = $1
       RETURNING id AS "batchId", total, inserted, versioned, unchanged, rejected`,
      [batchId, status],
    );
    const errors = await this.db.query<RowError>(
      `SELECT line, field, reason FROM ingest_error WHERE batch_id = $1 ORDER BY line, id`,
      [batchId],
    );
    return { ...b!, errors };
  }

  async applyChunk(batchId: number, lines: RawLine[]): Promise<ChunkResult> {
    return this.apply(batchId, this.prepare(lines));
  }

  prepare(lines: RawLine[]): PreparedChunk {
    const res = emptyResult();
    const valid: Located<IngestRow>[] = [];
    for (const l of lines) {
      if (l.error) {
        res.rejected++;
        res.errors.push({ line: l.line, field: '(line)', reason: l.error });
        continue;
      }
      const p = parseIngestRow(l.raw, l.line);
      if (p.ok) valid.push({ line: l.line, row: p.row, hash: contentHash(p.row) });
      else {
        res.rejected++;
        res.errors.push(...p.errors);
      }
    }
    // The same source key twice in one chunk: later rows go to a following pass so each pass
    // sees every key once and versions stack in delivery order.
    const passes: Located<IngestRow>[][] = [];
    const seenIn = new Map<string, number>();
    for (const v of valid) {
      const key = `${v.row.sourceSystem}\u0000${v.row.sourceId}`;
      const p = (seenIn.get(key) ?? -1) + 1;
      seenIn.set(key, p);
      (passes[p] ??= []).push(v);
    }
    return { lines: lines.length, res, passes };
  }

  async apply(batchId: number, prepared: PreparedChunk): Promise<ChunkResult> {
    const { res, passes } = prepared;
    const lines = { length: prepared.lines };
    const changed = new Set<number>();
    await this.db.tx(async (sql) => {
      for (const pass of passes) await this.applyPass(sql, pass, res, changed);
      await sql.query(
        `UPDATE ingest_batch SET total = total + $2, inserted = inserted + $3, versioned = versioned + $4,
           unchanged = unchanged + $5, rejected = rejected + $6 WHERE id = $1`,
        [batchId, lines.length, res.inserted, res.versioned, res.unchanged, res.rejected],
      );
      if (res.errors.length)
        await sql.query(
          `INSERT INTO ingest_error (batch_id, line, field, reason)
           SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
          [batchId, res.errors.map((e) => e.line), res.errors.map((e) => e.field), res.errors.map((e) => e.reason)],
        );
    });
    res.changedEntityIds = [...changed].sort((a, b) => a - b);
    return res;
  }

  private async applyPass(sql: Sql, pass: Located<IngestRow>[], res: ChunkResult, changed: Set<number>) {
    const by = <T extends IngestRow['type']>(t: T) =>
      pass.filter((p): p is Located<Extract<IngestRow, { type: T }>> => p.row.type === t);
    const regs = by('registration');
    if (regs.length) await this.upsertRegistrations(sql, regs);

    const usccs = [...new Set(pass.map((p) => p.row.uscc))];
    const entityIds = new Map(
      (
        await sql.query<{ id: number; uscc: string }>(`SELECT id, uscc FROM entity WHERE uscc = ANY($1::text[])`, [
          usccs,
        ])
      ).map((r) => [r.uscc, r.id]),
    );
    const located = pass.filter((p) => {
      if (entityIds.has(p.row.uscc)) return true;
      res.rejected++;
      res.errors.push({ line: p.line, field: 'uscc', reason: '主体未登记：请先报送该统一社会信用代码的登记信息' });
      return false;
    });
    const inPass = (t: IngestRow['type']) => located.filter((p) => p.row.type === t);

    await this.applyRecords(
      sql,
      [...(inPass('registration') as Located<RegistrationRow>[]), ...(inPass('record') as Located<RecordRow>[])],
      entityIds,
      res,
      changed,
    );
    await this.upsertShareholders(sql, inPass('shareholder') as Located<ShareholderRow>[], entityIds, res);
    await this.upsertInvestments(sql, inPass('investment') as Located<InvestmentRow>[], entityIds, res);
    await this.upsertFinancings(sql, inPass('financing') as Located<FinancingRow>[], entityIds, res);
    await this.upsertKeyPersons(sql, inPass('key_person') as Located<KeyPersonRow>[], entityIds, res);
  }

  private async upsertPersons(sql: Sql, people: { name: string; idNumber: string }[]): Promise<Map<string, number>> {
    const sealed = new Map<string, { name: string; cipher: string; masked: string }>();
    for (const p of people) {
      const s = this.vault.seal(p.idNumber);
      sealed.set(s.hash, { name: p.name, cipher: s.cipher, masked: s.masked });
    }
    const hashes = [...sealed.keys()];
    const rows = await sql.query<{ id: number; hash: string }>(
      `INSERT INTO person (name, id_number_cipher, id_number_hash, id_number_masked)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (id_number_hash) DO UPDATE SET name = EXCLUDED.name
       RETURNING id, id_number_hash AS hash`,
      [
        hashes.map((h) => sealed.get(h)!.name),
        hashes.map((h) => sealed.get(h)!.cipher),
        hashes,
        hashes.map((h) => sealed.get(h)!.masked),
      ],
    );
    return new Map(rows.map((r) => [r.hash, r.id]));
  }

  private async upsertRegistrations(sql: Sql, regs: Located<RegistrationRow>[]) {
    const personIds = await this.upsertPersons(
      sql,
      regs.map((r) => ({ name: r.row.legalRepName, idNumber: r.row.legalRepIdNumber })),
    );
    const rows = regs.map((r) => r.row);
    await sql.query(
      `INSERT INTO entity (uscc, uscc_checksum_ok, name, type, status, established_on, registered_capital,
         paid_in_capital, industry_code, region_code, legal_rep_id, updated_at)
       SELECT u, ok, n, t, s::"EntityStatus", e, rc, pc, ic, reg, lr, now()
       FROM unnest($1::text[], $2::bool[], $3::text[], $4::text[], $5::text[], $6::date[], $7::numeric[],
                   $8::numeric[], $9::text[], $10::text[], $11::int[]) AS x(u, ok, n, t, s, e, rc, pc, ic, reg, lr)
       ON CONFLICT (uscc) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, status = EXCLUDED.status,
         established_on = EXCLUDED.established_on, registered_capital = EXCLUDED.registered_capital,
         paid_in_capital = EXCLUDED.paid_in_capital, industry_code = EXCLUDED.industry_code,
         region_code = EXCLUDED.region_code, legal_rep_id = EXCLUDED.legal_rep_id, updated_at = now()
       WHERE (entity.name, entity.type, entity.status, entity.established_on, entity.registered_capital,
              entity.paid_in_capital, entity.industry_code, entity.region_code, entity.legal_rep_id)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.type, EXCLUDED.status, EXCLUDED.established_on,
              EXCLUDED.registered_capital, EXCLUDED.paid_in_capital, EXCLUDED.industry_code, EXCLUDED.region_code,
              EXCLUDED.legal_rep_id)`,
      [
        rows.map((r) => r.uscc),
        rows.map((r) => {
          const c = checkUscc(r.uscc);
          return c.ok && c.checksumOk;
        }),
        rows.map((r) => r.name),
        rows.map((r) => r.entityType),
        rows.map((r) => r.status),
        rows.map((r) => r.establishedOn),
        rows.map((r) => r.registeredCapital),
        rows.map((r) => r.paidInCapital),
        rows.map((r) => r.industryCode),
        rows.map((r) => r.regionCode),
        rows.map((r) => personIds.get(this.vault.hash(r.legalRepIdNumber)) ?? null),
      ],
    );
  }

  /** Registrations and credit records become versioned records. */
  private async applyRecords(
    sql: Sql,
    items: Located<RegistrationRow | RecordRow>[],
    entityIds: Map<string, number>,
    res: ChunkResult,
    changed: Set<number>,
  ) {
    if (!items.length) return;
    const facts = items.map(({ row, hash }): PendingVersion => {
      const entityId = entityIds.get(row.uscc)!;
      if (row.type === 'registration') {
        // The person's ID number never enters a record payload: the payload keeps only the hash.
        const { legalRepIdNumber, ...rest } = row;
        return {
          entityId,
          kind: 'registration',
          status: 'active',
          category: row.entityType,
          severity: null,
          amount: row.paidInCapital,
          grade: null,
          occurredOn: row.establishedOn,
          validFrom: row.establishedOn,
          validTo: null,
          payload: {
            name: rest.name,
            entityType: rest.entityType,
            status: rest.status,
            registeredCapital: rest.registeredCapital,
            industryCode: rest.industryCode,
            regionCode: rest.regionCode,
            legalRepName: rest.legalRepName,
            legalRepIdHash: this.vault.hash(legalRepIdNumber),
          },
          hash,
          row,
        };
      }
      return {
        entityId,
        kind: row.kind,
        status: row.status,
        category: row.category ?? null,
        severity: row.severity ?? null,
        amount: row.amount ?? null,
        grade: row.grade ?? null,
        occurredOn: row.occurredOn,
        validFrom: row.validFrom ?? row.occurredOn,
        validTo: row.validTo ?? null,
        // Typed columns carry the scoring inputs; the payload keeps the rest of the delivery.
        payload: { documentNo: row.documentNo ?? null, authority: row.authority ?? null, summary: row.summary ?? null },
        hash,
        row,
      };
    });
    const ids = await sql.query<{ id: number; source_system: string; source_id: string }>(
      `WITH input AS (
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS x(entity_id, kind, source_system, source_id)
       ), ins AS (
         INSERT INTO credit_record (entity_id, kind, source_system, source_id)
         SELECT entity_id, kind::"RecordKind", source_system, source_id FROM input
         ON CONFLICT (source_system, source_id) DO NOTHING
         RETURNING id, source_system, source_id
       )
       SELECT id, source_system, source_id FROM ins
       UNION ALL
       SELECT r.id, r.source_system, r.source_id FROM credit_record r
       JOIN input i ON i.source_system = r.source_system AND i.source_id = r.source_id`,
      [
        facts.map((f) => f.entityId),
        facts.map((f) => f.kind),
        facts.map((f) => f.row.sourceSystem),
        facts.map((f) => f.row.sourceId),
      ],
    );
    const recordIds = new Map(ids.map((r) => [`${r.source_system}\u0000${r.source_id}`, r.id]));
    const current = new Map(
      (
        await sql.query<{ record_id: number; version: number; content_hash: string; status: string }>(
          `SELECT record_id, version, content_hash, status::text FROM credit_record_version
           WHERE record_id = ANY($1::int[]) AND superseded_at IS NULL`,
          [[...recordIds.values()]],
        )
      ).map((r) => [r.record_id, r]),
    );

    const toInsert: (PendingVersion & { recordId: number; version: number })[] = [];
    const superseded: number[] = [];
    for (const f of facts) {
      const recordId = recordIds.get(`${f.row.sourceSystem}\u0000${f.row.sourceId}`)!;
      const cur = current.get(recordId);
      if (cur && cur.content_hash === f.hash) {
        res.unchanged++;
        continue;
      }
      // A correction from the source keeps the agency's own decisions on the record: an open
      // objection, a repair, a revocation after an upheld objection.
      const status = cur && f.status === 'active' && AGENCY_STATES.has(cur.status) ? cur.status : f.status;
      if (cur) {
        superseded.push(recordId);
        res.versioned++;
      } else res.inserted++;
      toInsert.push({ ...f, status, recordId, version: (cur?.version ?? 0) + 1 });
      changed.add(f.entityId);
    }
    if (superseded.length)
      await sql.query(
        `UPDATE credit_record_version SET superseded_at = now()
         WHERE record_id = ANY($1::int[]) AND superseded_at IS NULL`,
        [superseded],
      );
    if (!toInsert.length) return;
    await sql.query(
      `INSERT INTO credit_record_version (record_id, entity_id, kind, version, status, category, severity, amount,
         grade, occurred_on, valid_from, valid_to, payload, content_hash, reason, recorded_at)
       SELECT rid, eid, k::"RecordKind", v, s::"RecordStatus", c, sev::"Severity", a, g, o, vf, vt, p::jsonb, h,
         'delivery', now()
       FROM unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::numeric[],
                   $9::text[], $10::date[], $11::date[], $12::date[], $13::text[], $14::text[])
         AS x(rid, eid, k, v, s, c, sev, a, g, o, vf, vt, p, h)`,
      [
        toInsert.map((f) => f.recordId),
        toInsert.map((f) => f.entityId),
        toInsert.map((f) => f.kind),
        toInsert.map((f) => f.version),
        toInsert.map((f) => f.status),
        toInsert.map((f) => f.category),
        toInsert.map((f) => f.severity),
        toInsert.map((f) => f.amount),
        toInsert.map((f) => f.grade),
        toInsert.map((f) => f.occurredOn),
        toInsert.map((f) => f.validFrom),
        toInsert.map((f) => f.validTo),
        toInsert.map((f) => JSON.stringify(f.payload)),
        toInsert.map((f) => f.hash),
      ],
    );
  }

  private async upsertShareholders(
    sql: Sql,
    items: Located<ShareholderRow>[],
    ids: Map<string, number>,
    res: ChunkResult,
  ) {
    if (!items.length) return;
    const holders = items.filter((i) => i.row.holderIdNumber);
    const personIds = holders.length
      ? await this.upsertPersons(
          sql,
          holders.map((h) => ({ name: h.row.holderName, idNumber: h.row.holderIdNumber! })),
        )
      : new Map<string, number>();
    const rows = items.map((i) => i.row);
    const out = await sql.query<{ inserted: boolean }>(
      `INSERT INTO shareholder (entity_id, source_system, source_id, holder_name, holder_uscc, holder_person_id, ratio, amount)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::numeric[], $8::numeric[])
       ON CONFLICT (source_system, source_id) DO UPDATE SET holder_name = EXCLUDED.holder_name,
         holder_uscc = EXCLUDED.holder_uscc, holder_person_id = EXCLUDED.holder_person_id,
         ratio = EXCLUDED.ratio, amount = EXCLUDED.amount
       WHERE (shareholder.holder_name, shareholder.holder_uscc, shareholder.holder_person_id, shareholder.ratio,
              shareholder.amount) IS DISTINCT FROM (EXCLUDED.holder_name, EXCLUDED.holder_uscc,
              EXCLUDED.holder_person_id, EXCLUDED.ratio, EXCLUDED.amount)
       RETURNING (xmax = 0) AS inserted`,
      [
        rows.map((r) => ids.get(r.uscc)!),
        rows.map((r) => r.sourceSystem),
        rows.map((r) => r.sourceId),
        rows.map((r) => r.holderName),
        rows.map((r) => r.holderUscc ?? null),
        rows.map((r) => (r.holderIdNumber ? (personIds.get(this.vault.hash(r.holderIdNumber)) ?? null) : null)),
        rows.map((r) => r.ratio),
        rows.map((r) => r.amount),
      ],
    );
    this.countUpserts(out, rows.length, res);
  }

  private async upsertInvestments(
    sql: Sql,
    items: Located<InvestmentRow>[],
    ids: Map<string, number>,
    res: ChunkResult,
  ) {
    if (!items.length) return;
    const rows = items.map((i) => i.row);
    const out = await sql.query<{ inserted: boolean }>(
      `INSERT INTO investment (entity_id, source_system, source_id, investee_uscc, investee_name, ratio, amount)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[])
       ON CONFLICT (source_system, source_id) DO UPDATE SET investee_uscc = EXCLUDED.investee_uscc,
         investee_name = EXCLUDED.investee_name, ratio = EXCLUDED.ratio, amount = EXCLUDED.amount
       WHERE (investment.investee_uscc, investment.investee_name, investment.ratio, investment.amount)
         IS DISTINCT FROM (EXCLUDED.investee_uscc, EXCLUDED.investee_name, EXCLUDED.ratio, EXCLUDED.amount)
       RETURNING (xmax = 0) AS inserted`,
      [
        rows.map((r) => ids.get(r.uscc)!),
        rows.map((r) => r.sourceSystem),
        rows.map((r) => r.sourceId),
        rows.map((r) => r.investeeUscc),
        rows.map((r) => r.investeeName),
        rows.map((r) => r.ratio),
        rows.map((r) => r.amount),
      ],
    );
    this.countUpserts(out, rows.length, res);
  }

  private async upsertFinancings(sql: Sql, items: Located<FinancingRow>[], ids: Map<string, number>, res: ChunkResult) {
    if (!items.length) return;
    const rows = items.map((i) => i.row);
    const out = await sql.query<{ inserted: boolean }>(
      `INSERT INTO financing (entity_id, source_system, source_id, round, amount, occurred_on, investors)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::date[], $7::text[])
       ON CONFLICT (source_system, source_id) DO UPDATE SET round = EXCLUDED.round, amount = EXCLUDED.amount,
         occurred_on = EXCLUDED.occurred_on, investors = EXCLUDED.investors
       WHERE (financing.round, financing.amount, financing.occurred_on, financing.investors)
         IS DISTINCT FROM (EXCLUDED.round, EXCLUDED.amount, EXCLUDED.occurred_on, EXCLUDED.investors)
       RETURNING (xmax = 0) AS inserted`,
      [
        rows.map((r) => ids.get(r.uscc)!),
        rows.map((r) => r.sourceSystem),
        rows.map((r) => r.sourceId),
        rows.map((r) => r.round),
        rows.map((r) => r.amount),
        rows.map((r) => r.occurredOn),
        rows.map((r) => r.investors),
      ],
    );
    this.countUpserts(out, rows.length, res);
  }

  private async upsertKeyPersons(sql: Sql, items: Located<KeyPersonRow>[], ids: Map<string, number>, res: ChunkResult) {
    if (!items.length) return;
    const personIds = await this.upsertPersons(
      sql,
      items.map((i) => ({ name: i.row.name, idNumber: i.row.idNumber })),
    );
    const rows = items.map((i) => i.row);
    const out = await sql.query<{ entity_id: number }>(
      `INSERT INTO entity_person (entity_id, person_id, role)
       SELECT * FROM unnest($1::int[], $2::int[], $3::text[])
       ON CONFLICT DO NOTHING RETURNING entity_id`,
      [
        rows.map((r) => ids.get(r.uscc)!),
        rows.map((r) => personIds.get(this.vault.hash(r.idNumber))!),
        rows.map((r) => r.role),
      ],
    );
    res.inserted += out.length;
    res.unchanged += rows.length - out.length;
  }

  /**
   * Relations are current-state data (they feed investment checks, not scores): a change updates
   * the row in place and counts as `versioned`; rows not returned were identical.
   */
  private countUpserts(out: { inserted: boolean }[], total: number, res: ChunkResult) {
    for (const o of out) {
      if (o.inserted) res.inserted++;
      else res.versioned++;
    }
    res.unchanged += total - out.length;
  }
}
