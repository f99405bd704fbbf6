import { Injectable } from '@nestjs/common';
import { RISK_KINDS } from '@heihe/shared';
import { Database } from '../db/database';
import { dayOf, idOf } from '../db/values';

export type PersonRole = 'legal_representative' | 'director' | 'supervisor' | 'manager';

/** A tie from one entity to a neighbour: who reached whom, over what. */
export interface Tie {
  from: number;
  to: number;
  relation: 'shareholder' | 'investee' | 'key_person';
  /** The person, for key_person ties. */
  personId: number | null;
  /** Their name (never the ID number), for key_person ties. */
  personName: string | null;
}

export interface RiskRecordRow {
  recordId: number;
  version: number;
  entityId: number;
  kind: string;
  status: string;
  category: string | null;
  severity: 'minor' | 'general' | 'serious' | null;
  occurredOn: string;
  validFrom: string;
  validTo: string | null;
  authority: string | null;
  documentNo: string | null;
  summary: string | null;
}

const ROLES = new Set<string>(['legal_representative', 'director', 'supervisor', 'manager']);
const text = (v: unknown) => (typeof v === 'string' && v ? v : null);

/**
 * The set-wise reads of the related set, key persons and risk records, through Prisma Client: one
 * query per kind of tie for a whole ring of the breadth-first walk, never one per entity.
 */
@Injectable()
export class RelatedRepository {
  constructor(private readonly db: Database) {}

  /** Key persons of the given entities: the registered legal representative and the key-person rows. */
  async keyPersonsOf(entityIds: number[]): Promise<Array<{ entityId: number; personId: number; role: PersonRole }>> {
    if (!entityIds.length) return [];
    const [reps, roles] = await Promise.all([
      this.db.prisma.entity.findMany({
        where: { id: { in: entityIds }, legalRepId: { not: null } },
        select: { id: true, legalRepId: true },
      }),
      this.db.prisma.entityPerson.findMany({
        where: { entityId: { in: entityIds } },
        select: { entityId: true, personId: true, role: true },
      }),
    ]);
    return dedupe([
      ...reps.map((r) => ({ entityId: r.id, personId: r.legalRepId!, role: 'legal_representative' as const })),
      ...roles.filter((r) => ROLES.has(r.role)).map((r) => ({ ...r, role: r.role as PersonRole })),
    ]);
  }

  /** Every post the given persons hold, in any entity (legal representative or key-person row). */
  async postsOf(personIds: number[]): Promise<Array<{ entityId: number; personId: number; role: PersonRole }>> {
    if (!personIds.length) return [];
    const [reps, roles] = await Promise.all([
      this.db.prisma.entity.findMany({
        where: { legalRepId: { in: personIds } },
        select: { id: true, legalRepId: true },
      }),
      this.db.prisma.entityPerson.findMany({
        where: { personId: { in: personIds } },
        select: { entityId: true, personId: true, role: true },
      }),
    ]);
    return dedupe([
      ...reps.map((r) => ({ entityId: r.id, personId: r.legalRepId!, role: 'legal_representative' as const })),
      ...roles.filter((r) => ROLES.has(r.role)).map((r) => ({ ...r, role: r.role as PersonRole })),
    ]);
  }

  /** Shareholdings of the given persons (shareholder rows the ingestion matched by keyed ID hash). */
  async holdingsOf(personIds: number[]): Promise<Array<{ entityId: number; personId: number; ratio: number }>> {
    if (!personIds.length) return [];
    const rows = await this.db.prisma.shareholder.findMany({
      where: { holderPersonId: { in: personIds } },
      select: { entityId: true, holderPersonId: true, ratio: true },
      orderBy: { id: 'asc' },
    });
    const out = new Map<string, { entityId: number; personId: number; ratio: number }>();
    for (const r of rows) {
      const k = `${r.holderPersonId}:${r.entityId}`;
      const hit = out.get(k);
      if (hit) hit.ratio += Number(r.ratio);
      else out.set(k, { entityId: r.entityId, personId: r.holderPersonId!, ratio: Number(r.ratio) });
    }
    return [...out.values()];
  }

  async persons(ids: number[]): Promise<Map<number, { name: string; idNumberMasked: string }>> {
    if (!ids.length) return new Map();
    const rows = await this.db.prisma.person.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, idNumberMasked: true },
    });
    return new Map(rows.map((r) => [r.id, { name: r.name, idNumberMasked: r.idNumberMasked }]));
  }

  /**
   * One ring of the related set: every tie from the given entities to another registered entity —
   * their entity shareholders, their investees (own investment rows, and shareholder rows naming
   * them), and the other companies of their key persons (legal representative, directors,
   * supervisors, managers). Ties come by kind in that order (holders, investments, shareholder rows
   * naming them, key persons); a key person's ties follow the entity's legal representative first,
   * then its key-person rows.
   */
  async neighbours(entityIds: number[]): Promise<Tie[]> {
    if (!entityIds.length) return [];
    // Raw SQL: the ring's four kinds of tie in one statement instead of eight client queries in
    // three round trips; measured by npm run bench:invest (50k entities, load average ~10): a ring
    // p50 11.1 → 4.5 ms (docs/benchmarks.md).
    const rows = await this.db.query<Tie>(
      `WITH f AS (
         SELECT id, uscc, legal_rep_id FROM entity WHERE id = ANY($1::int[])
       ), people AS (
         SELECT id AS entity_id, legal_rep_id AS person_id, 0 AS kind, NULL::tid AS at FROM f WHERE legal_rep_id IS NOT NULL
         UNION ALL
         SELECT ep.entity_id, ep.person_id, 1, ep.ctid FROM entity_person ep
         WHERE ep.entity_id = ANY($1::int[]) AND ep.role = ANY($2::text[])
       ), posts AS (
         SELECT e.id AS entity_id, e.legal_rep_id AS person_id FROM entity e
         WHERE e.legal_rep_id IN (SELECT person_id FROM people)
         UNION
         SELECT ep.entity_id, ep.person_id FROM entity_person ep
         WHERE ep.person_id IN (SELECT person_id FROM people) AND ep.role = ANY($2::text[])
       ), ties AS (
         SELECT s.entity_id AS "from", h.id AS "to", 'shareholder' AS relation, NULL::int AS "personId", 1 AS grp, 0 AS kind, NULL::tid AS at
         FROM shareholder s JOIN entity h ON h.uscc = s.holder_uscc
         WHERE s.entity_id = ANY($1::int[]) AND s.holder_uscc IS NOT NULL
         UNION ALL
         SELECT i.entity_id, h.id, 'investee', NULL, 2, 0, NULL
         FROM investment i JOIN entity h ON h.uscc = i.investee_uscc
         WHERE i.entity_id = ANY($1::int[])
         UNION ALL
         SELECT f.id, s.entity_id, 'investee', NULL, 3, 0, NULL
         -- In the holder column's collation, so that its index serves (entity.uscc is "C"; equal either way).
         FROM entity f JOIN shareholder s ON s.holder_uscc = f.uscc COLLATE "default"
         WHERE f.id = ANY($1::int[])
         UNION ALL
         SELECT p.entity_id, po.entity_id, 'key_person', p.person_id, 4, p.kind, p.at
         FROM people p JOIN posts po ON po.person_id = p.person_id
       )
       SELECT t."from", t."to", t.relation, t."personId", p.name AS "personName"
       FROM ties t LEFT JOIN person p ON p.id = t."personId"
       WHERE t."from" <> t."to"
       ORDER BY t."from", t."to", t.grp, t.kind, t.at`,
      [entityIds, [...ROLES]],
    );
    return rows;
  }

  /** The current version of every record of a risk kind of the given entities. */
  async riskRecords(entityIds: number[]): Promise<RiskRecordRow[]> {
    if (!entityIds.length) return [];
    const rows = await this.db.prisma.creditRecordVersion.findMany({
      where: { entityId: { in: entityIds }, supersededAt: null, kind: { in: [...RISK_KINDS] } },
      select: {
        recordId: true,
        version: true,
        entityId: true,
        kind: true,
        status: true,
        category: true,
        severity: true,
        occurredOn: true,
        validFrom: true,
        validTo: true,
        payload: true,
      },
      orderBy: [{ entityId: 'asc' }, { recordId: 'asc' }],
    });
    return rows.map((r) => {
      const p = (r.payload ?? {}) as Record<string, unknown>;
      return {
        recordId: idOf(r.recordId),
        version: r.version,
        entityId: r.entityId,
        kind: r.kind,
        status: r.status,
        category: r.category,
        severity: r.severity,
        occurredOn: dayOf(r.occurredOn),
        validFrom: dayOf(r.validFrom),
        validTo: r.validTo ? dayOf(r.validTo) : null,
        authority: text(p.authority),
        documentNo: text(p.documentNo),
        summary: text(p.summary),
      };
    });
  }

  async financings(entityId: number) {
    const rows = await this.db.prisma.financing.findMany({
      where: { entityId },
      select: { round: true, amount: true, occurredOn: true, investors: true },
      orderBy: [{ occurredOn: 'asc' }, { id: 'asc' }],
    });
    return rows.map((r) => ({
      round: r.round,
      amount: Number(r.amount),
      occurredOn: dayOf(r.occurredOn),
      investors: r.investors,
    }));
  }

  /**
   * When the registered capital changed: the recorded time of every registration version (of any of
   * the entity's registration records) whose registered capital differs from the one before it.
   */
  async capitalChanges(entityId: number): Promise<Date[]> {
    const rows = await this.db.prisma.creditRecordVersion.findMany({
      where: { entityId, kind: 'registration' },
      select: { payload: true, recordedAt: true },
      orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }],
    });
    const out: Date[] = [];
    let last: number | null = null;
    for (const r of rows) {
      const cap = Number((r.payload as { registeredCapital?: unknown } | null)?.registeredCapital);
      if (!Number.isFinite(cap)) continue;
      if (last !== null && cap !== last) out.push(r.recordedAt);
      last = cap;
    }
    return out;
  }

  /** The stored evaluation behind an entity's current score. */
  async currentEvaluation(entityId: number) {
    const s = await this.db.prisma.entityScore.findFirst({
      where: { entityId },
      select: { evaluationId: true },
    });
    if (!s?.evaluationId) return null;
    return this.db.prisma.evaluation.findFirst({
      where: { id: s.evaluationId },
      select: { modelVersion: true, asOf: true, total: true, grade: true },
    });
  }
}

function dedupe<T extends { entityId: number; personId: number; role: string }>(rows: T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = `${r.entityId}:${r.personId}:${r.role}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
