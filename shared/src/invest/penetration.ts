/**
 * Ownership penetration (股权穿透), pure: who ultimately owns a target, summed over all paths and
 * correct through cross-holdings and cycles. The method and its reasons are in
 * docs/adr/0014-ownership-penetration.md.
 *
 * Nodes are opaque keys (the API uses `e<id>` for entities and `p<id>` for persons). A holding says
 * `holder` owns `share` (0..1) of `company`. Entities are companies that may themselves be held;
 * persons are natural persons and absorb what reaches them.
 */

export type HolderKind = 'person' | 'entity';

export interface Holding {
  holder: string;
  holderKind: HolderKind;
  /** An entity key. */
  company: string;
  /** 0..1 of the company. */
  share: number;
}

export interface PenetrationOptions {
  /**
   * The longest holding chain followed, in edges (a direct holder is at depth 1). A walk round a
   * cycle counts every edge it passes. Mass still on its way when the depth runs out is `truncated`.
   */
  maxDepth?: number;
  /** The walk stops once the mass still moving is below this. */
  tolerance?: number;
  /** How many evidence paths a flag or holder lists at most. */
  maxPaths?: number;
}

/** One step of an evidence path: `from` holds `share` of `to`. */
export interface PathEdge {
  from: string;
  to: string;
  share: number;
}

export interface OwnershipPath {
  /** From the holder down to the target. */
  edges: PathEdge[];
  /** The product of the edges' shares. */
  share: number;
}

export type OwnershipFlagCode = 'actual_controller' | 'beneficial_owner';

export interface OwnershipFlag {
  code: OwnershipFlagCode;
  /** 疑似实际控制人 | 受益所有人 */
  label: string;
  /** Which rule and threshold, in words. */
  reason: string;
  /** The evidence: for control, the chain of majorities; for ownership, the largest paths. */
  paths: OwnershipPath[];
}

export interface UltimateHolder {
  key: string;
  kind: HolderKind;
  /**
   * The cumulative share in the target, over every path (cycles included). For an entity: it holds
   * this share as an end point (its own holders are unknown, or lie beyond the depth).
   */
  share: number;
  /** The part of `share` that came through a direct holding. */
  directShare: number;
  /** The simple paths with the largest shares (at most `maxPaths`). */
  paths: OwnershipPath[];
  /** Some of the share came round a cycle: the simple paths sum to less than `share`. */
  viaCycle: boolean;
  flags: OwnershipFlag[];
}

export interface Penetration {
  target: string;
  /** Natural persons first, then end-point entities; each by share, largest first, then key. */
  holders: UltimateHolder[];
  /** Of the target, the part whose holders are not known (a company's listed shares sum below 1). */
  unknown: number;
  /** Of the target, the part still moving when `maxDepth` ran out. */
  truncated: number;
  /** Of the target, the part caught in a cycle that no one outside holds (a closed cross-holding). */
  trapped: number;
  /** Levels walked. */
  depth: number;
  /** Companies whose listed holdings summed above 100%; they were scaled down to 100%. */
  overSubscribed: string[];
}

export const ACTUAL_CONTROL_THRESHOLD = 0.5;
/** 中国人民银行令〔2024〕第3号《受益所有人信息管理办法》第六条：直接或间接拥有 25% 以上股权。 */
export const BENEFICIAL_OWNER_THRESHOLD = 0.25;
/** Shares arrive as NUMERIC(7,4); float sums of them are compared within this. */
const EPS = 1e-9;

const DEFAULTS: Required<PenetrationOptions> = { maxDepth: 10_000, tolerance: 1e-15, maxPaths: 5 };

interface Graph {
  /** company → its holders and their (normalised) shares */
  up: Map<string, Map<string, number>>;
  kind: Map<string, HolderKind>;
  overSubscribed: string[];
}

function buildGraph(holdings: readonly Holding[]): Graph {
  const up = new Map<string, Map<string, number>>();
  const kind = new Map<string, HolderKind>();
  for (const h of holdings) {
    if (!(h.share > 0) || h.holder === h.company) continue;
    kind.set(h.holder, h.holderKind);
    kind.set(h.company, 'entity');
    let holders = up.get(h.company);
    if (!holders) up.set(h.company, (holders = new Map()));
    holders.set(h.holder, (holders.get(h.holder) ?? 0) + Math.min(h.share, 1));
  }
  const overSubscribed: string[] = [];
  for (const [company, holders] of up) {
    let sum = 0;
    for (const s of holders.values()) sum += s;
    if (sum > 1 + EPS) {
      overSubscribed.push(company);
      for (const [h, s] of holders) holders.set(h, s / sum);
    }
  }
  return { up, kind, overSubscribed: overSubscribed.sort() };
}

/** Is `company` held by anyone in the graph (so the walk goes on above it)? */
const isHeld = (g: Graph, key: string) => (g.up.get(key)?.size ?? 0) > 0;

/**
 * The target's mass, walked upward level by level: at level k it sits on the companies k holding
 * edges above the target; each person (or end-point entity) absorbs what reaches it. The sum of
 * the levels is the absorbing-chain solution e_t·(I−Q)⁻¹·R, truncated at `maxDepth`.
 */
function walk(g: Graph, target: string, o: Required<PenetrationOptions>) {
  const absorbed = new Map<string, number>();
  const direct = new Map<string, number>();
  let unknown = 0;
  let frontier = new Map<string, number>([[target, 1]]);
  let depth = 0;
  let moving = 1;
  // Closed cycles keep their mass for ever; a cycle's mass shrinks geometrically otherwise.
  let lastMoving = Infinity;
  let stalled = 0;
  while (frontier.size && depth < o.maxDepth && moving > o.tolerance) {
    depth++;
    const next = new Map<string, number>();
    for (const [company, mass] of frontier) {
      const holders = g.up.get(company);
      let listed = 0;
      for (const [holder, share] of holders ?? []) {
        listed += share;
        const m = mass * share;
        if (g.kind.get(holder) === 'person' || !isHeld(g, holder)) {
          absorbed.set(holder, (absorbed.get(holder) ?? 0) + m);
          if (depth === 1) direct.set(holder, (direct.get(holder) ?? 0) + m);
        } else next.set(holder, (next.get(holder) ?? 0) + m);
      }
      unknown += mass * Math.max(0, 1 - listed);
    }
    frontier = next;
    moving = 0;
    for (const m of frontier.values()) moving += m;
    // A closed cross-holding loses nothing per level: stop once the moving mass stops shrinking.
    if (moving >= lastMoving - o.tolerance) stalled++;
    else stalled = 0;
    lastMoving = moving;
    if (stalled >= 2 * (g.up.size + 1)) break;
  }
  let remaining = 0;
  for (const m of frontier.values()) remaining += m;
  const closed = frontier.size > 0 && depth < o.maxDepth && moving > o.tolerance;
  return {
    absorbed,
    direct,
    unknown,
    depth,
    truncated: closed ? 0 : remaining > o.tolerance ? remaining : 0,
    trapped: closed ? remaining : 0,
  };
}

/**
 * Simple paths from `holder` down to `target`, largest share first. The search is bounded (a dense
 * graph has exponentially many), so `complete` says whether every path was seen.
 */
function simplePaths(g: Graph, holder: string, target: string): { paths: OwnershipPath[]; complete: boolean } {
  const down = downEdges(g);
  const found: OwnershipPath[] = [];
  let budget = 20_000;
  const onPath = new Set<string>([holder]);
  const edges: PathEdge[] = [];
  const visit = (node: string, share: number) => {
    if (budget-- <= 0) return;
    if (node === target) {
      found.push({ edges: [...edges], share });
      return;
    }
    for (const [company, s] of down.get(node) ?? []) {
      if (onPath.has(company)) continue;
      onPath.add(company);
      edges.push({ from: node, to: company, share: s });
      visit(company, share * s);
      edges.pop();
      onPath.delete(company);
    }
  };
  visit(holder, 1);
  return {
    paths: found.sort(
      (a, b) =>
        Math.round((b.share - a.share) * 1e12) ||
        a.edges.length - b.edges.length ||
        (pathKey(a) < pathKey(b) ? -1 : pathKey(a) > pathKey(b) ? 1 : 0),
    ),
    complete: budget >= 0,
  };
}

const pathKey = (p: OwnershipPath) => p.edges.map((e) => e.to).join('>');

const downCache = new WeakMap<Graph, Map<string, Array<[string, number]>>>();
function downEdges(g: Graph): Map<string, Array<[string, number]>> {
  let down = downCache.get(g);
  if (down) return down;
  down = new Map();
  for (const [company, holders] of g.up)
    for (const [holder, share] of holders) {
      let list = down.get(holder);
      if (!list) down.set(holder, (list = []));
      list.push([company, share]);
    }
  for (const list of down.values()) list.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  downCache.set(g, down);
  return down;
}

/**
 * Control (实际控制): a person controls a company they hold more than half of directly, or of which
 * they and the companies they already control hold more than half together. Grown to a fixed
 * point; at most one person can control a company. Returns, per controlled company, the holders
 * whose shares made the majority, and the round it was reached in (for the evidence chain).
 */
function controlOf(g: Graph, person: string): Map<string, { round: number; by: Array<[string, number]> }> {
  const controlled = new Map<string, { round: number; by: Array<[string, number]> }>();
  const down = downEdges(g);
  // A company's bloc in round r only grows through holders controlled in round r − 1 (the person
  // itself in round 0), so only the companies those hold are looked at: the rounds and majorities
  // are those of scanning every company each round, without the scans (the bench's largest graph:
  // ~1,300 persons × ~1,400 companies per round).
  let last = [person];
  for (let round = 0; last.length; round++) {
    const candidates = new Set<string>();
    for (const holder of last)
      for (const [company] of down.get(holder) ?? []) if (!controlled.has(company)) candidates.add(company);
    const grew: string[] = [];
    for (const company of candidates) {
      const by: Array<[string, number]> = [];
      let bloc = 0;
      for (const [holder, share] of g.up.get(company)!)
        if (holder === person || (controlled.get(holder)?.round ?? Infinity) < round) {
          bloc += share;
          by.push([holder, share]);
        }
      if (bloc > ACTUAL_CONTROL_THRESHOLD + EPS) {
        controlled.set(company, { round, by: by.sort((a, b) => b[1] - a[1]) });
        grew.push(company);
      }
    }
    last = grew;
  }
  return controlled;
}

function controlChain(
  person: string,
  target: string,
  controlled: Map<string, { round: number; by: Array<[string, number]> }>,
): OwnershipPath {
  const edges: PathEdge[] = [];
  let node = target;
  // Each step goes to a controller reached in an earlier round, so the chain ends at the person.
  while (node !== person) {
    const c = controlled.get(node)!;
    const [holder, share] = c.by[0]!;
    edges.unshift({ from: holder, to: node, share });
    node = holder;
  }
  return { edges, share: edges.reduce((p, e) => p * e.share, 1) };
}

const pct = (x: number) => `${(Math.round(x * 1e4) / 100).toFixed(2)}%`;

/**
 * Penetrates the holdings above `target` to its ultimate holders: each natural person's cumulative
 * share summed over all paths (through cycles too), the entities where the walk ends, and the
 * flags 疑似实际控制人 and 受益所有人 with their evidence paths.
 */
export function penetrate(target: string, holdings: readonly Holding[], options: PenetrationOptions = {}): Penetration {
  const o = { ...DEFAULTS, ...options };
  const g = buildGraph(holdings);
  const w = walk(g, target, o);
  const holders: UltimateHolder[] = [];
  for (const [key, share] of w.absorbed) {
    const kind = g.kind.get(key) ?? 'entity';
    const all = simplePaths(g, key, target);
    const paths = all.paths.slice(0, o.maxPaths);
    const simpleSum = all.paths.reduce((s, p) => s + p.share, 0);
    const flags: OwnershipFlag[] = [];
    if (kind === 'person') {
      const controlled = controlOf(g, key);
      if (controlled.has(target)) {
        const chain = controlChain(key, target, controlled);
        flags.push({
          code: 'actual_controller',
          label: '疑似实际控制人',
          reason:
            chain.edges.length === 1
              ? `直接持股 ${pct(chain.share)}，超过 50%`
              : `通过其控制的企业逐层持股均超过 50%（共 ${chain.edges.length} 层）`,
          paths: [chain],
        });
      }
      if (share >= BENEFICIAL_OWNER_THRESHOLD - EPS)
        flags.push({
          code: 'beneficial_owner',
          label: '受益所有人',
          reason: `直接或间接拥有 ${pct(share)} 股权，不低于 25%（中国人民银行令〔2024〕第3号）`,
          paths,
        });
      else if (controlled.has(target))
        flags.push({
          code: 'beneficial_owner',
          label: '受益所有人',
          reason: '通过控制关系实际控制该企业（中国人民银行令〔2024〕第3号）',
          paths: flags[0]!.paths,
        });
    }
    holders.push({
      key,
      kind,
      share,
      directShare: w.direct.get(key) ?? 0,
      paths,
      viaCycle: all.complete && share > simpleSum + EPS,
      flags,
    });
  }
  holders.sort(
    (a, b) =>
      Number(a.kind === 'entity') - Number(b.kind === 'entity') ||
      b.share - a.share ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return {
    target,
    holders,
    unknown: w.unknown,
    truncated: w.truncated,
    trapped: w.trapped,
    depth: w.depth,
    overSubscribed: g.overSubscribed,
  };
}
