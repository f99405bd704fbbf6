/**
 * What is stored of a penetration and shown of it (ADR 0022): the ultimate holders a person reads
 * (the largest, and every flagged one, with their evidence), and the tree to the depth that stays
 * readable, plus every node an evidence path passes. Pure: the API stores its output per target and
 * serves it until a shareholder write deletes it.
 */
import type { Holding, Penetration, PathEdge, UltimateHolder } from './penetration';

export type OwnershipNodeKind = 'entity' | 'person' | 'external';

/** A node of the upstream set: its key, its level (edges on the shortest route to the target). */
export interface OwnershipViewNode {
  key: string;
  kind: OwnershipNodeKind;
  level: number;
  /** External holders only (known by name or an unregistered USCC): cards are read fresh for the rest. */
  name?: string;
  uscc?: string | null;
}

export interface OwnershipView {
  /** The holders shown: the first `maxHolders` of `penetrate`'s order, and every flagged one (unflagged ones with their largest paths). */
  holders: UltimateHolder[];
  holdersTotal: number;
  /** Of the target, what the holders not shown hold together. */
  holdersOmittedShare: number;
  unknown: number;
  truncated: number;
  trapped: number;
  overSubscribed: string[];
  /** The nodes shown: every node to `treeDepth` levels, the holders shown and their paths' nodes. */
  nodes: OwnershipViewNode[];
  /** Holding edges between nodes shown (a holder's several rows in one company summed). */
  edges: PathEdge[];
  nodesTotal: number;
  edgesTotal: number;
  /** Every node to this level is shown. */
  treeDepth: number;
  /** Entity nodes shown with holders that are not: opened by reading that entity's own ownership. */
  collapsed: string[];
}

export interface OwnershipViewOptions {
  /** The tree is shown to the deepest level at which it has at most this many nodes (level 1 at least). */
  maxNodes?: number;
  maxHolders?: number;
  /** Evidence paths kept of a holder without flags (a flagged holder keeps all `penetrate` listed). */
  maxPathsUnflagged?: number;
}

export const OWNERSHIP_VIEW_DEFAULTS: Required<OwnershipViewOptions> = {
  maxNodes: 120,
  maxHolders: 20,
  maxPathsUnflagged: 3,
};

export function ownershipView(
  p: Penetration,
  holdings: readonly Holding[],
  nodes: ReadonlyMap<string, OwnershipViewNode>,
  options: OwnershipViewOptions = {},
): OwnershipView {
  const o = { ...OWNERSHIP_VIEW_DEFAULTS, ...options };
  const holders = p.holders
    .filter((h, i) => i < o.maxHolders || h.flags.length > 0)
    .map((h) => (h.flags.length ? h : { ...h, paths: h.paths.slice(0, o.maxPathsUnflagged) }));
  const omitted = p.holders.filter((h, i) => !(i < o.maxHolders || h.flags.length > 0));

  const perLevel = new Map<number, number>();
  for (const n of nodes.values()) perLevel.set(n.level, (perLevel.get(n.level) ?? 0) + 1);
  let treeDepth = 1;
  let count = (perLevel.get(0) ?? 0) + (perLevel.get(1) ?? 0);
  for (let level = 2; perLevel.has(level); level++) {
    count += perLevel.get(level)!;
    if (count > o.maxNodes) break;
    treeDepth = level;
  }
  if (![...perLevel.keys()].some((l) => l > treeDepth)) treeDepth = Math.max(treeDepth, ...perLevel.keys());

  const shown = new Set<string>([p.target]);
  for (const n of nodes.values()) if (n.level <= treeDepth) shown.add(n.key);
  for (const h of holders) {
    shown.add(h.key);
    for (const path of [...h.paths, ...h.flags.flatMap((f) => f.paths)])
      for (const e of path.edges) shown.add(e.from).add(e.to);
  }

  const merged = new Map<string, PathEdge>();
  for (const h of holdings) {
    const k = `${h.holder}>${h.company}`;
    const e = merged.get(k);
    if (e) e.share += h.share;
    else merged.set(k, { from: h.holder, to: h.company, share: h.share });
  }
  const edges: PathEdge[] = [];
  const collapsed = new Set<string>();
  for (const e of merged.values()) {
    if (!shown.has(e.to)) continue;
    if (shown.has(e.from)) edges.push(e);
    else collapsed.add(e.to);
  }

  return {
    holders,
    holdersTotal: p.holders.length,
    holdersOmittedShare: omitted.reduce((s, h) => s + h.share, 0),
    unknown: p.unknown,
    truncated: p.truncated,
    trapped: p.trapped,
    overSubscribed: p.overSubscribed,
    nodes: [...shown].flatMap((k) => {
      const n = nodes.get(k);
      return n ? [n] : [];
    }),
    edges,
    nodesTotal: nodes.size,
    edgesTotal: merged.size,
    treeDepth,
    collapsed: [...collapsed].sort(),
  };
}
