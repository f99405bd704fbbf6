import { Injectable } from '@nestjs/common';
import type { OwnershipView } from '@heihe/shared';
import type { Prisma } from '../generated/prisma/client';
import { Database } from '../db/database';
import { OWNERSHIP_LOCK } from '../db/ownership-change';
import { BUCKETS, bucketPredicate } from '../db/shard';
import { dateOfDay, dayOf } from '../db/values';

/** An entity as the investment views show it: registration and current score. */
export interface EntityCard {
  id: number;
  uscc: string;
  usccChecksumOk: boolean;
  name: string;
  status: string;
  industryCode: string;
  regionCode: string;
  establishedOn: string;
  registeredCapital: number;
  paidInCapital: number;
  grade: 'A' | 'B' | 'C' | 'D' | 'E' | null;
  score: number | null;
}

export interface HolderRow {
  id: number;
  entityId: number;
  holderName: string;
  holderUscc: string | null;
  holderPersonId: number | null;
  ratio: number;
}

/** A holding above the target, with its level and its holder as registered. */
export interface UpwardHolding extends HolderRow {
  level: number;
  /** The holder's card, when the holder is an entity registered under `holderUscc`. */
  holder: EntityCard | null;
  /** The holder person, when `holderPersonId` names one. */
  person: { name: string; idNumberMasked: string } | null;
}

export interface InvestmentRow {
  investorId: number;
  investorUscc: string;
  investeeUscc: string;
  investeeName: string;
  ratio: number;
  amount: number;
}

export interface ScreenFilter {
  grades: string[];
  chainPrefixes?: string[];
  industryCode?: string;
  regionCode?: string;
  minScore?: number;
  maxScore?: number;
  minRegisteredCapital?: number;
  maxRegisteredCapital?: number;
  minPaidInCapital?: number;
  maxPaidInCapital?: number;
  /** Established on or before this day (minimum age). */
  establishedBy?: string;
  /** Established on or after this day (maximum age). */
  establishedFrom?: string;
  minHeadcount?: number;
  maxHeadcount?: number;
  /** Exclude entities with an active 严重失信 listing counted on this day (window starts at `gateFrom`). */
  gate?: { today: string; from: string };
  after?: { score: number; entityId: number };
  limit: number;
}

const CARD = {
  id: true,
  uscc: true,
  usccChecksumOk: true,
  name: true,
  status: true,
  industryCode: true,
  regionCode: true,
  establishedOn: true,
  registeredCapital: true,
  paidInCapital: true,
  score: { select: { grade: true, total: true } },
} satisfies Prisma.EntitySelect;

type CardRow = Prisma.EntityGetPayload<{ select: typeof CARD }>;

function card(e: CardRow): EntityCard {
  return {
    id: e.id,
    uscc: e.uscc,
    usccChecksumOk: e.usccChecksumOk,
    name: e.name,
    status: e.status,
    industryCode: e.industryCode,
    regionCode: e.regionCode,
    establishedOn: dayOf(e.establishedOn),
    registeredCapital: Number(e.registeredCapital),
    paidInCapital: Number(e.paidInCapital),
    grade: (e.score?.grade ?? null) as EntityCard['grade'],
    score: e.score?.total ?? null,
  };
}

/**
 * The companies above a target ($1) to a depth ($2), each at the level it is first reached at (the
 * target at 0); `first` is the set. Cycles end at the depth.
 */
const UPWARD = `WITH RECURSIVE up(entity_id, level) AS (
         SELECT $1::int, 0
         UNION
         SELECT h.id, u.level + 1
         FROM up u
         JOIN shareholder s ON s.entity_id = u.entity_id AND s.holder_person_id IS NULL AND s.holder_uscc IS NOT NULL
         JOIN entity h ON h.uscc = s.holder_uscc
         WHERE u.level + 1 < $2
       ), first AS (
         SELECT entity_id, min(level) AS level FROM up GROUP BY entity_id
       )`;

/** Holding rows `s` whose holder is a registered company (matched by USCC); callers add `AND s.entity_id = …`. */
const HELD_BY_A_COMPANY = `SELECT 1 FROM shareholder s JOIN entity h ON h.uscc = s.holder_uscc
                           WHERE s.holder_person_id IS NULL`;

/** A penetration's view with its nodes' cards and persons, read fresh. */
export interface OwnershipWithCards {
  view: OwnershipView;
  computedAt: Date;
  cards: EntityCard[];
  persons: Map<number, { name: string; idNumberMasked: string }>;
}

/** The reads of the investment checks, through Prisma Client; plain data out. */
@Injectable()
export class InvestRepository {
  constructor(private readonly db: Database) {}

  async entity(id: number): Promise<EntityCard | null> {
    const e = await this.db.prisma.entity.findFirst({ where: { id }, select: CARD });
    return e && card(e);
  }

  async entitiesByUscc(usccs: string[]): Promise<EntityCard[]> {
    if (!usccs.length) return [];
    return (await this.db.prisma.entity.findMany({ where: { uscc: { in: usccs } }, select: CARD })).map(card);
  }

  async entitiesById(ids: number[]): Promise<EntityCard[]> {
    if (!ids.length) return [];
    return (await this.db.prisma.entity.findMany({ where: { id: { in: ids } }, select: CARD })).map(card);
  }

  async byUsccPrefix(prefix: string, take: number): Promise<EntityCard[]> {
    return (
      await this.db.prisma.entity.findMany({
        where: { uscc: { startsWith: prefix } },
        select: CARD,
        orderBy: { uscc: 'asc' },
        take,
      })
    ).map(card);
  }

  async byName(text: string, take: number): Promise<EntityCard[]> {
    return (
      await this.db.prisma.entity.findMany({
        where: { name: { contains: text } },
        select: CARD,
        orderBy: { id: 'asc' },
        take,
      })
    ).map(card);
  }

  /**
   * Every name an entity was registered under: the `name` of its registration record versions (a
   * rename arrives as a new version, or a new registration row, of the same USCC).
   */
  async registeredNames(entityIds: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (!entityIds.length) return out;
    const rows = await this.db.prisma.creditRecordVersion.findMany({
      where: { kind: 'registration', entityId: { in: entityIds } },
      select: { entityId: true, payload: true },
      orderBy: [{ entityId: 'asc' }, { recordedAt: 'asc' }],
    });
    for (const r of rows) {
      const name = (r.payload as { name?: unknown } | null)?.name;
      if (typeof name !== 'string') continue;
      const names = out.get(r.entityId) ?? [];
      if (!names.includes(name)) names.push(name);
      out.set(r.entityId, names);
    }
    return out;
  }

  /** Entities that were once registered under a name containing `text`. */
  async byRegisteredName(text: string, take: number): Promise<number[]> {
    const rows = await this.db.prisma.creditRecordVersion.findMany({
      where: { kind: 'registration', payload: { path: ['name'], string_contains: text } },
      select: { entityId: true },
      distinct: ['entityId'],
      orderBy: { entityId: 'asc' },
      take,
    });
    return rows.map((r) => r.entityId);
  }

  /**
   * Every holding above the target to `depth` levels, each with the level of its holder (the
   * target's direct holders are at 1), in breadth-first order: by the held company's level, then
   * by row id. A holder entity is climbed from the level it is first reached at; cycles end at the
   * depth. Each row carries its holder: the registered entity's card (an entity holder whose USCC
   * is registered) or the person (name and masked ID number only).
   */
  async holdingsUpward(entityId: number, depth: number): Promise<UpwardHolding[]> {
    // Raw SQL: one recursive CTE with the holders' cards and persons joined, instead of two client
    // queries per level and then one for the cards and one for the persons. Measured by npm run
    // bench:invest: the level-by-level walk took 9.4× a single read of the same rows at p50 (200k
    // entities, depth 10); on the largest graphs (~2,800 holdings, 1,300 persons) the cards and
    // persons through the client cost more than the CTE itself (docs/benchmarks.md).
    const rows = await this.db.query<{
      id: number;
      entityId: number;
      holderName: string;
      holderUscc: string | null;
      holderPersonId: number | null;
      ratio: string;
      level: number;
      hId: number | null;
      hUsccChecksumOk: boolean | null;
      hName: string | null;
      hStatus: string | null;
      hIndustryCode: string | null;
      hRegionCode: string | null;
      hEstablishedOn: string | null;
      hRegisteredCapital: string | null;
      hPaidInCapital: string | null;
      hGrade: string | null;
      hScore: number | null;
      pName: string | null;
      pIdNumberMasked: string | null;
    }>(
      `${UPWARD}
       SELECT s.id, s.entity_id AS "entityId", s.holder_name AS "holderName", s.holder_uscc AS "holderUscc",
         s.holder_person_id AS "holderPersonId", s.ratio::text AS ratio, f.level + 1 AS level,
         h.id AS "hId", h.uscc_checksum_ok AS "hUsccChecksumOk", h.name AS "hName", h.status::text AS "hStatus",
         h.industry_code AS "hIndustryCode", h.region_code AS "hRegionCode", h.established_on::text AS "hEstablishedOn",
         h.registered_capital::text AS "hRegisteredCapital", h.paid_in_capital::text AS "hPaidInCapital",
         sc.grade AS "hGrade", sc.total AS "hScore", p.name AS "pName", p.id_number_masked AS "pIdNumberMasked"
       FROM first f JOIN shareholder s ON s.entity_id = f.entity_id
       LEFT JOIN entity h ON s.holder_person_id IS NULL AND h.uscc = s.holder_uscc
       LEFT JOIN entity_score sc ON sc.entity_id = h.id
       LEFT JOIN person p ON p.id = s.holder_person_id
       ORDER BY f.level, s.id`,
      [entityId, depth],
    );
    return rows.map((r) => ({
      id: r.id,
      entityId: r.entityId,
      holderName: r.holderName,
      holderUscc: r.holderUscc,
      holderPersonId: r.holderPersonId,
      ratio: Number(r.ratio),
      level: Number(r.level),
      holder:
        r.hId === null
          ? null
          : {
              id: r.hId,
              uscc: r.holderUscc!,
              usccChecksumOk: r.hUsccChecksumOk!,
              name: r.hName!,
              status: r.hStatus!,
              industryCode: r.hIndustryCode!,
              regionCode: r.hRegionCode!,
              establishedOn: r.hEstablishedOn!,
              registeredCapital: Number(r.hRegisteredCapital),
              paidInCapital: Number(r.hPaidInCapital),
              grade: (r.hGrade ?? null) as EntityCard['grade'],
              score: r.hScore ?? null,
            },
      person:
        r.holderPersonId === null || r.pName === null ? null : { name: r.pName, idNumberMasked: r.pIdNumberMasked! },
    }));
  }

  /**
   * The holdings of `holdingsUpward` whose holder is a registered entity, in the same order, with
   * the holder's name and establishment day only: what the red flags read.
   */
  async entityHoldingsUpward(
    entityId: number,
    depth: number,
  ): Promise<Array<{ id: number; entityId: number; holder: { id: number; name: string; establishedOn: string } }>> {
    // Raw SQL: holdingsUpward's CTE without the person and external rows, scores and persons: on
    // the bench's largest graphs half the rows and a third of the index probes.
    const rows = await this.db.query<{
      id: number;
      entityId: number;
      hId: number;
      hName: string;
      hEstablishedOn: string;
    }>(
      `${UPWARD}
       SELECT s.id, s.entity_id AS "entityId", h.id AS "hId", h.name AS "hName", h.established_on::text AS "hEstablishedOn"
       FROM first f JOIN shareholder s ON s.entity_id = f.entity_id AND s.holder_person_id IS NULL
       JOIN entity h ON h.uscc = s.holder_uscc
       ORDER BY f.level, s.id`,
      [entityId, depth],
    );
    return rows.map((r) => ({
      id: r.id,
      entityId: r.entityId,
      holder: { id: r.hId, name: r.hName, establishedOn: r.hEstablishedOn },
    }));
  }

  /**
   * The stored penetration with the cards of its entity nodes (the target's among them) and its
   * persons, read fresh: the whole of a warm getOwnershipGraph but its audit row. Null when there
   * is none, or a queued change overlaps it (ADR 0022).
   */
  async storedOwnershipWithCards(entityId: number, depth: number): Promise<OwnershipWithCards | null> {
    return this.withCards(
      `SELECT result, computed_at FROM ownership_result o WHERE entity_id = $1 AND depth = $2
         AND NOT EXISTS (SELECT 1 FROM ownership_change c WHERE c.entity_ids && o.members)`,
      [entityId, depth],
    );
  }

  /** A view computed but not stored (ADR 0022), with its nodes' cards and persons read fresh. */
  async ownershipWithCards(view: OwnershipView, computedAt: Date): Promise<OwnershipWithCards> {
    return (await this.withCards(`SELECT $1::json AS result, $2::timestamptz AS computed_at`, [
      JSON.stringify(view),
      computedAt,
    ]))!;
  }

  private async withCards(source: string, params: unknown[]): Promise<OwnershipWithCards | null> {
    // Raw SQL: the view, the nodes' cards and persons in one round trip instead of five
    // (npm run bench:invest, warm reads; docs/benchmarks.md).
    const [r] = await this.db.query<{
      result: OwnershipView;
      computedAt: Date | string;
      cards: Array<
        Omit<EntityCard, 'registeredCapital' | 'paidInCapital'> & {
          registeredCapital: string | number;
          paidInCapital: string | number;
        }
      >;
      persons: Array<{ id: number; name: string; idNumberMasked: string }>;
    }>(
      `WITH r AS (${source}),
       n AS (SELECT x->>'kind' AS kind, substr(x->>'key', 2)::int AS id
             FROM r, json_array_elements(r.result->'nodes') x WHERE x->>'kind' <> 'external')
       SELECT r.result, r.computed_at AS "computedAt",
         (SELECT coalesce(json_agg(json_build_object('id', e.id, 'uscc', e.uscc, 'usccChecksumOk', e.uscc_checksum_ok,
            'name', e.name, 'status', e.status, 'industryCode', e.industry_code, 'regionCode', e.region_code,
            'establishedOn', e.established_on::text, 'registeredCapital', e.registered_capital::text,
            'paidInCapital', e.paid_in_capital::text, 'grade', sc.grade, 'score', sc.total)), '[]')
          FROM n JOIN entity e ON e.id = n.id LEFT JOIN entity_score sc ON sc.entity_id = e.id
          WHERE n.kind = 'entity') AS cards,
         (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'idNumberMasked', p.id_number_masked)), '[]')
          FROM n JOIN person p ON p.id = n.id WHERE n.kind = 'person') AS persons
       FROM r`,
      params,
    );
    if (!r) return null;
    return {
      view: r.result,
      computedAt: new Date(r.computedAt),
      cards: r.cards.map((c) => ({
        ...c,
        grade: (c.grade ?? null) as EntityCard['grade'],
        score: c.score ?? null,
        registeredCapital: Number(c.registeredCapital),
        paidInCapital: Number(c.paidInCapital),
      })),
      persons: new Map(r.persons.map((p) => [p.id, { name: p.name, idNumberMasked: p.idNumberMasked }])),
    };
  }

  /**
   * In a transaction, before reading the graph of a penetration to store: writers of holdings and
   * registrations take this lock shared (`queueOwnershipChange`), so no write is in flight while it is held and none
   * commits between this read and the store without queueing its change (ADR 0022). Holding it,
   * the queued changes are applied: the results they overlap are deleted, and the queue emptied.
   * Not waited for: while writes are in flight the caller computes without storing (a read), or
   * tries again later (the cycle's warming, ADR 0026), so a store never holds up ingestion (a
   * waiting exclusive request would make every later writer wait behind it). Returns whether the
   * lock is held.
   */
  async lockOwnershipStore(): Promise<boolean> {
    // Raw SQL: an advisory lock, which the client has no API for.
    const [l] = await this.db.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_xact_lock(${OWNERSHIP_LOCK[0]}, ${OWNERSHIP_LOCK[1]}) AS ok`,
    );
    if (!l?.ok) return false;
    // Raw SQL: set-wise; every queued change applied in one statement.
    await this.db.query(
      `WITH q AS (DELETE FROM ownership_change RETURNING entity_ids),
       c AS (SELECT array_agg(DISTINCT x) AS ids FROM q, unnest(q.entity_ids) x)
       DELETE FROM ownership_result o USING c WHERE o.members && c.ids`,
    );
    return true;
  }

  /** Whether a registered company is among the entity's holders (so a walk above it climbs). */
  async heldByACompany(entityId: number): Promise<boolean> {
    // Raw SQL: the holder is matched by USCC, which no relation in the client models.
    const [r] = await this.db.query<{ held: boolean }>(
      `SELECT EXISTS (${HELD_BY_A_COMPANY} AND s.entity_id = $1) AS held`,
      [entityId],
    );
    return Boolean(r?.held);
  }

  /**
   * The entities of a cycle chunk's range with a registered company among their holders and no
   * stored penetration at `depth` that a read could serve (none, or one a queued change hides):
   * what the cycle's warming stores (ADR 0026), in id order.
   */
  async unwarmedOwnership(
    c: { fromBucket: number; toBucket: number; from: number; to: number },
    depth: number,
  ): Promise<number[]> {
    // Raw SQL: one set-wise read per chunk (the holder is matched by USCC, which no relation in the
    // client models) instead of a read per entity. The chunk's buckets are named on both bucketed
    // tables when they are not all of them, by equality for one (ADR 0025).
    const all = c.fromBucket === 0 && c.toBucket === BUCKETS - 1;
    const inE = all ? 'true' : bucketPredicate('e.bucket', c.fromBucket, c.toBucket);
    const inS = all ? 'true' : bucketPredicate('s.bucket', c.fromBucket, c.toBucket);
    const rows = await this.db.query<{ id: number }>(
      `SELECT e.id FROM entity e
       WHERE ${inE} AND e.id BETWEEN $1 AND $2
         AND EXISTS (${HELD_BY_A_COMPANY} AND s.entity_id = e.id AND ${inS})
         AND NOT EXISTS (SELECT 1 FROM ownership_result o WHERE o.entity_id = e.id AND o.depth = $3
                           AND NOT EXISTS (SELECT 1 FROM ownership_change q WHERE q.entity_ids && o.members))
       ORDER BY e.id`,
      [c.from, c.to, depth],
    );
    return rows.map((r) => Number(r.id));
  }

  async saveOwnership(entityId: number, depth: number, members: number[], view: OwnershipView, at: Date) {
    const data = { members, result: view as unknown as Prisma.InputJsonValue, computedAt: at };
    await this.db.prisma.ownershipResult.upsert({
      where: { entityId_depth: { entityId, depth } },
      create: { entityId, depth, ...data },
      update: data,
    });
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
   * What the given entities invest in: their own 对外投资 rows, and the shareholder rows of other
   * entities that name them as holder (the same tie, delivered from the investee's side).
   */
  async investmentsOf(investors: Array<{ id: number; uscc: string }>): Promise<InvestmentRow[]> {
    if (!investors.length) return [];
    const byUscc = new Map(investors.map((i) => [i.uscc, i.id]));
    const usccOf = new Map(investors.map((i) => [i.id, i.uscc]));
    const [own, held] = await Promise.all([
      this.db.prisma.investment.findMany({
        where: { entityId: { in: investors.map((i) => i.id) } },
        select: { entityId: true, investeeUscc: true, investeeName: true, ratio: true, amount: true },
        orderBy: { id: 'asc' },
      }),
      this.db.prisma.shareholder.findMany({
        where: { holderUscc: { in: [...byUscc.keys()] } },
        select: { holderUscc: true, ratio: true, amount: true, entity: { select: { uscc: true, name: true } } },
        orderBy: { id: 'asc' },
      }),
    ]);
    const out = new Map<string, InvestmentRow>();
    for (const r of own) {
      const investorUscc = usccOf.get(r.entityId)!;
      out.set(`${investorUscc}>${r.investeeUscc}`, {
        investorId: r.entityId,
        investorUscc,
        investeeUscc: r.investeeUscc,
        investeeName: r.investeeName,
        ratio: Number(r.ratio),
        amount: Number(r.amount),
      });
    }
    for (const r of held) {
      const key = `${r.holderUscc}>${r.entity.uscc}`;
      if (out.has(key)) continue;
      out.set(key, {
        investorId: byUscc.get(r.holderUscc!)!,
        investorUscc: r.holderUscc!,
        investeeUscc: r.entity.uscc,
        investeeName: r.entity.name,
        ratio: Number(r.ratio),
        amount: Number(r.amount),
      });
    }
    return [...out.values()];
  }

  async chains() {
    return this.db.prisma.industryChain.findMany({ orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
  }

  /** One page of screening, by score (high first) then id: keyset on (total, entity_id). */
  async screen(f: ScreenFilter): Promise<EntityCard[]> {
    const entity: Prisma.EntityWhereInput[] = [];
    if (f.chainPrefixes) entity.push({ OR: f.chainPrefixes.map((p) => ({ industryCode: { startsWith: p } })) });
    if (f.industryCode) entity.push({ industryCode: { startsWith: f.industryCode } });
    if (f.regionCode) entity.push({ regionCode: { startsWith: f.regionCode } });
    if (f.minRegisteredCapital !== undefined || f.maxRegisteredCapital !== undefined)
      entity.push({ registeredCapital: { gte: f.minRegisteredCapital, lte: f.maxRegisteredCapital } });
    if (f.minPaidInCapital !== undefined || f.maxPaidInCapital !== undefined)
      entity.push({ paidInCapital: { gte: f.minPaidInCapital, lte: f.maxPaidInCapital } });
    if (f.establishedBy) entity.push({ establishedOn: { lte: dateOfDay(f.establishedBy) } });
    if (f.establishedFrom) entity.push({ establishedOn: { gte: dateOfDay(f.establishedFrom) } });
    if (f.minHeadcount !== undefined || f.maxHeadcount !== undefined)
      entity.push({
        records: {
          some: {
            kind: 'social_insurance',
            versions: {
              some: {
                supersededAt: null,
                status: { in: ['active', 'under_objection'] },
                amount: { gte: f.minHeadcount, lte: f.maxHeadcount },
              },
            },
          },
        },
      });
    if (f.gate)
      entity.push({
        records: {
          none: {
            kind: 'dishonesty_listing',
            versions: {
              some: {
                supersededAt: null,
                status: { in: ['active', 'under_objection'] },
                occurredOn: { gte: dateOfDay(f.gate.from), lte: dateOfDay(f.gate.today) },
                OR: [{ validTo: null }, { validTo: { gte: dateOfDay(f.gate.today) } }],
              },
            },
          },
        },
      });
    // The keyset's bound on total alone, besides the OR below (which implies it): a bound the
    // planner can put on the walk down entity_score's total index, so a next page starts at the
    // cursor instead of reading past every row of the pages before it.
    const top = f.after ? Math.min(f.after.score, f.maxScore ?? f.after.score) : f.maxScore;
    const where: Prisma.EntityScoreWhereInput = {
      grade: { in: f.grades },
      total: { not: null, gte: f.minScore, lte: top },
      ...(entity.length ? { entity: { AND: entity } } : {}),
      ...(f.after
        ? {
            OR: [{ total: { lt: f.after.score } }, { total: f.after.score, entityId: { gt: f.after.entityId } }],
          }
        : {}),
    };
    const rows = await this.db.prisma.entityScore.findMany({
      where,
      orderBy: [{ total: 'desc' }, { entityId: 'asc' }],
      take: f.limit,
      select: { entity: { select: CARD } },
    });
    return rows.map((r) => card(r.entity));
  }
}
