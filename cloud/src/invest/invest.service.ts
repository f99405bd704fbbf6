import { Injectable } from '@nestjs/common';
import {
  AppError,
  checkUscc,
  ErrorCodes,
  INVEST_NOTICE,
  normalizeUscc,
  type EntitySearchResult,
  type OutboundInvestments,
  type OwnershipGraph,
  type ScreenQuery,
  type ScreenResult,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { chinaDate } from '../common/china-time';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { InvestRepository, type EntityCard } from './invest.repository';
import { OwnershipStore } from './ownership.store';

type Match = EntitySearchResult['items'][number]['matches'][number];
type Node = OwnershipGraph['nodes'][number];

const DEFAULT_PURPOSE = '招商信用核查';
/** 严重失信 listings count for at most 3 years (国办发〔2025〕22号). */
const SERIOUS_WINDOW_YEARS = 3;
const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
const WEIGHT = {
  uscc: { exact: 100, prefix: 80, contains: 0 },
  name: { exact: 90, prefix: 70, contains: 50 },
  former_name: { exact: 60, prefix: 45, contains: 40 },
} as const;
const CANDIDATES = 200;

function yearsBefore(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) - years;
  const md = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${String(y).padStart(4, '0')}-${md}`;
}

function textMatch(value: string, q: string): Match['kind'] | null {
  if (value === q) return 'exact';
  if (value.startsWith(q)) return 'prefix';
  if (value.includes(q)) return 'contains';
  return null;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const KIND_WORDS = { exact: '完全一致', prefix: '开头为', contains: '包含' } as const;

const node = (key: string, kind: Node['kind'], level: number, over: Partial<Node> = {}): Node => ({
  key,
  kind,
  name: '',
  entityId: null,
  uscc: null,
  idNumberMasked: null,
  status: null,
  grade: null,
  score: null,
  level,
  ...over,
});

const entityNode = (e: EntityCard, level: number): Node =>
  node(`e${e.id}`, 'entity', level, {
    name: e.name,
    entityId: e.id,
    uscc: e.uscc,
    status: e.status,
    grade: e.grade,
    score: e.score,
  });

/**
 * 精准招商: entity resolution, ownership penetration upward, investments downward and screening.
 * Every read is audited with who, which target and why (the officer's stated purpose).
 */
@Injectable()
export class InvestService {
  constructor(
    private readonly repo: InvestRepository,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly store: OwnershipStore,
  ) {}

  async search(q: string, limit: number, purpose: string | undefined, who: Principal): Promise<EntitySearchResult> {
    const text = q.trim();
    const code = normalizeUscc(text);
    const found = new Map<number, { e: EntityCard; matches: Match[]; rank: number }>();
    const add = (e: EntityCard, m: Match) => {
      const weight = WEIGHT[m.field][m.kind];
      const hit = found.get(e.id) ?? { e, matches: [], rank: 0 };
      if (!hit.matches.some((x) => x.field === m.field)) hit.matches.push(m);
      hit.rank = Math.max(hit.rank, weight);
      found.set(e.id, hit);
    };

    let usccInfo: EntitySearchResult['query']['uscc'] = null;
    if (/^[0-9A-Z]{18}$/.test(code)) {
      const c = checkUscc(code);
      if (c.ok) {
        usccInfo = {
          uscc: c.uscc,
          checksumOk: c.checksumOk,
          note: c.checksumOk ? null : '校验位不符：可能为早期赋码，需人工核查，不等于主体不存在',
        };
        for (const e of await this.repo.entitiesByUscc([c.uscc]))
          add(e, {
            field: 'uscc',
            kind: 'exact',
            reason: c.checksumOk ? '统一社会信用代码完全一致' : '统一社会信用代码完全一致（校验位不符，需人工核查）',
          });
      }
    } else if (/^[0-9A-Z]{6,17}$/.test(code)) {
      for (const e of await this.repo.byUsccPrefix(code, limit))
        add(e, { field: 'uscc', kind: 'prefix', reason: `统一社会信用代码开头为“${code}”` });
    }

    for (const e of await this.repo.byName(text, CANDIDATES)) {
      const kind = textMatch(e.name, text)!;
      add(e, { field: 'name', kind, reason: `名称${KIND_WORDS[kind]}“${text}”` });
    }

    const formerIds = (await this.repo.byRegisteredName(text, CANDIDATES)).filter((id) => !found.has(id));
    const formerCards = await this.repo.entitiesById(formerIds);
    const names = await this.repo.registeredNames([...found.keys(), ...formerCards.map((e) => e.id)]);
    for (const e of formerCards)
      for (const former of names.get(e.id) ?? []) {
        if (former === e.name) continue;
        const kind = textMatch(former, text);
        if (kind) add(e, { field: 'former_name', kind, reason: `曾用名“${former}”${KIND_WORDS[kind]}“${text}”` });
      }

    const items = [...found.values()]
      .sort(
        (a, b) =>
          b.rank - a.rank ||
          (b.e.score ?? -1) - (a.e.score ?? -1) ||
          a.e.name.length - b.e.name.length ||
          a.e.id - b.e.id,
      )
      .slice(0, limit)
      .map(({ e, matches, rank }) => ({
        entityId: e.id,
        uscc: e.uscc,
        usccChecksumOk: e.usccChecksumOk,
        name: e.name,
        formerNames: (names.get(e.id) ?? []).filter((n) => n !== e.name),
        status: e.status,
        industryCode: e.industryCode,
        regionCode: e.regionCode,
        grade: e.grade,
        score: e.score,
        rank,
        matches: matches.sort((a, b) => WEIGHT[b.field][b.kind] - WEIGHT[a.field][a.kind]),
      }));
    await this.audit(who, 'invest.search', null, purpose, { q: text, results: items.length });
    return { query: { q: text, uscc: usccInfo }, items };
  }

  /**
   * The holdings above the target, loaded to `depth` levels with their holders in one read (breadth-first order), penetrated to their
   * ultimate holders (ADR 0014). Persons are the `person` rows the ingestion matched by keyed ID
   * hash; only their masked ID numbers leave this service.
   */
  async ownership(
    entityId: number,
    depth: number,
    purpose: string | undefined,
    who: Principal,
  ): Promise<OwnershipGraph> {
    const graph = await this.ownershipGraph(entityId, depth);
    await this.audit(who, 'invest.ownership.view', graph.target.entityId, purpose, {
      depth,
      nodes: graph.nodes.length,
      persons: graph.nodes.filter((n) => n.kind === 'person').length,
      flags: graph.holders.flatMap((h) => h.flags.map((f) => `${f.code}:${h.key}`)),
    });
    return graph;
  }

  /**
   * The ownership graph without its audit row: for callers that audit the whole (a check). Served
   * from the target's stored penetration (ADR 0022), computed and stored first when there is none;
   * the cards of the nodes shown are read fresh, so grades and names are today's.
   */
  async ownershipGraph(entityId: number, depth: number): Promise<OwnershipGraph> {
    let stored = await this.repo.storedOwnershipWithCards(entityId, depth);
    if (!stored) {
      await this.requireEntity(entityId);
      // What was computed is served, stored or not (writes in flight keep it from being stored),
      // with its nodes' cards read fresh as a stored read's are.
      const computed = await this.store.compute(entityId, depth);
      stored = await this.repo.ownershipWithCards(computed.view, computed.computedAt);
    }
    const v = stored.view;
    const persons = stored.persons;
    const cardOf = new Map(stored.cards.map((e) => [e.id, e]));
    const target = cardOf.get(entityId)!;
    const nodes = new Map<string, Node>();
    for (const n of v.nodes) {
      const id = Number(n.key.slice(1));
      const e = n.kind === 'entity' ? cardOf.get(id) : undefined;
      const p = n.kind === 'person' ? persons.get(id) : undefined;
      nodes.set(
        n.key,
        e
          ? entityNode(e, n.level)
          : p
            ? node(n.key, 'person', n.level, { name: p.name, idNumberMasked: p.idNumberMasked })
            : node(n.key, n.kind, n.level, { name: n.name ?? '', uscc: n.uscc ?? null }),
      );
    }
    return {
      target: nodes.get(`e${target.id}`) ?? entityNode(target, 0),
      asOf: this.clock.now().toISOString(),
      depth,
      nodes: [...nodes.values()].sort((a, b) => a.level - b.level || (a.key < b.key ? -1 : 1)),
      edges: v.edges,
      holders: v.holders.map((h) => {
        const n = nodes.get(h.key);
        return {
          key: h.key,
          kind: n?.kind ?? h.kind,
          name: n?.name ?? '',
          idNumberMasked: n?.idNumberMasked ?? null,
          share: h.share,
          directShare: h.directShare,
          viaCycle: h.viaCycle,
          paths: h.paths,
          flags: h.flags,
        };
      }),
      unknown: v.unknown,
      truncated: v.truncated,
      trapped: v.trapped,
      overSubscribed: v.overSubscribed,
      computedAt: stored.computedAt.toISOString(),
      holdersTotal: v.holdersTotal,
      holdersOmittedShare: v.holdersOmittedShare,
      nodesTotal: v.nodesTotal,
      edgesTotal: v.edgesTotal,
      treeDepth: v.treeDepth,
      collapsed: v.collapsed,
      notice: INVEST_NOTICE,
    };
  }

  /** Investees level by level, each once (investment cycles end where they close). */
  async investments(
    entityId: number,
    depth: number,
    purpose: string | undefined,
    who: Principal,
  ): Promise<OutboundInvestments> {
    const r = await this.outbound(entityId, depth);
    await this.audit(who, 'invest.investments.view', r.entityId, purpose, { depth, investees: r.items.length });
    return r;
  }

  /** Outbound investments without their audit row: for callers that audit the whole (a check). */
  async outbound(entityId: number, depth: number): Promise<OutboundInvestments> {
    const root = await this.requireEntity(entityId);
    const seen = new Set<string>([root.uscc]);
    const items: OutboundInvestments['items'] = [];
    let frontier: Array<{ id: number; uscc: string }> = [{ id: root.id, uscc: root.uscc }];
    for (let level = 1; level <= depth && frontier.length; level++) {
      const rows = (await this.repo.investmentsOf(frontier))
        .filter((r) => !seen.has(r.investeeUscc))
        .sort((a, b) => cmp(a.investorUscc, b.investorUscc) || cmp(a.investeeUscc, b.investeeUscc));
      const known = new Map(
        (await this.repo.entitiesByUscc([...new Set(rows.map((r) => r.investeeUscc))])).map((e) => [e.uscc, e]),
      );
      const next: Array<{ id: number; uscc: string }> = [];
      for (const r of rows) {
        const e = known.get(r.investeeUscc);
        items.push({
          level,
          investorUscc: r.investorUscc,
          investeeUscc: r.investeeUscc,
          investeeName: e?.name ?? r.investeeName,
          entityId: e?.id ?? null,
          ratio: r.ratio,
          amount: r.amount,
          status: e?.status ?? null,
          grade: e?.grade ?? null,
          score: e?.score ?? null,
        });
      }
      for (const r of rows) {
        if (seen.has(r.investeeUscc)) continue;
        seen.add(r.investeeUscc);
        const e = known.get(r.investeeUscc);
        if (e) next.push({ id: e.id, uscc: e.uscc });
      }
      frontier = next;
    }
    return { entityId: root.id, uscc: root.uscc, name: root.name, depth, items, notice: INVEST_NOTICE };
  }

  async screen(q: ScreenQuery, who: Principal): Promise<ScreenResult> {
    const today = chinaDate(this.clock.now());
    const chains = await this.repo.chains();
    let chainPrefixes: string[] | undefined;
    if (q.chain) {
      const chain = chains.find((c) => c.code === q.chain);
      if (!chain) throw new AppError(ErrorCodes.NOT_FOUND, '产业链不存在');
      chainPrefixes = chain.prefixes;
    }
    const admitted = GRADES.slice(0, GRADES.indexOf(q.minGrade) + 1) as readonly string[];
    const grades = (q.grades ?? [...GRADES]).filter((g) => admitted.includes(g));
    const after = q.cursor
      ? { score: Number(q.cursor.split('.')[0]), entityId: Number(q.cursor.split('.')[1]) }
      : undefined;
    const rows = await this.repo.screen({
      grades,
      chainPrefixes,
      industryCode: q.industryCode,
      regionCode: q.regionCode,
      minScore: q.minScore,
      maxScore: q.maxScore,
      minRegisteredCapital: q.minRegisteredCapital,
      maxRegisteredCapital: q.maxRegisteredCapital,
      minPaidInCapital: q.minPaidInCapital,
      maxPaidInCapital: q.maxPaidInCapital,
      establishedBy: q.minAgeYears !== undefined ? yearsBefore(today, q.minAgeYears) : undefined,
      establishedFrom: q.maxAgeYears !== undefined ? yearsBefore(today, q.maxAgeYears + 1) : undefined,
      minHeadcount: q.minHeadcount,
      maxHeadcount: q.maxHeadcount,
      gate: q.creditGate ? { today, from: yearsBefore(today, SERIOUS_WINDOW_YEARS) } : undefined,
      after,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const result: ScreenResult = {
      items: page.map((e) => ({
        entityId: e.id,
        uscc: e.uscc,
        name: e.name,
        status: e.status,
        industryCode: e.industryCode,
        regionCode: e.regionCode,
        establishedOn: e.establishedOn,
        registeredCapital: e.registeredCapital,
        paidInCapital: e.paidInCapital,
        grade: e.grade!,
        score: e.score!,
        chains: chains.filter((c) => c.prefixes.some((p) => e.industryCode.startsWith(p))).map((c) => c.name),
      })),
      nextCursor: rows.length > q.limit && last ? `${last.score}.${last.id}` : null,
      notice: INVEST_NOTICE,
    };
    const { purpose, cursor: _cursor, limit: _limit, ...filters } = q;
    await this.audit(who, 'invest.screen', null, purpose, { filters, results: result.items.length });
    return result;
  }

  async chains() {
    const rows = await this.repo.chains();
    return {
      items: rows.map((c) => ({
        code: c.code,
        name: c.name,
        prefixes: c.prefixes,
        updatedAt: c.updatedAt.toISOString(),
        updatedBy: c.updatedBy,
      })),
    };
  }

  async requireEntity(id: number): Promise<EntityCard> {
    const e = await this.repo.entity(id);
    if (!e) throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在');
    return e;
  }

  audit(
    who: Principal,
    action: string,
    entityId: number | null,
    purpose: string | undefined,
    detail: Record<string, unknown>,
  ): Promise<void> {
    return appendAudit(
      this.db,
      {
        ...actorOf(who),
        action,
        objectType: 'entity',
        objectId: entityId === null ? null : String(entityId),
        entityId,
        detail: { purpose: purpose || DEFAULT_PURPOSE, ...detail },
      },
      { now: this.clock.now() },
    );
  }
}
