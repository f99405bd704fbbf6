import { BUCKETS, bucketGroup } from '../db/shard';

/** A range of buckets a database node owns. */
export interface BucketRange {
  node: string;
  from: number;
  to: number;
}

/**
 * Which database node owns which buckets (ADR 0020), as `CYCLE_NODES` spells it:
 * `name=from-to[,name=from-to…]`, every bucket 0..4095 owned exactly once (a node may own several
 * ranges). The default is one node, `main`, owning them all: one queue and one group, as before.
 */
export class NodeMap {
  static readonly DEFAULT = 'main=0-4095';
  /** The ranges in bucket order. */
  readonly ranges: readonly BucketRange[];

  constructor(spec: string = NodeMap.DEFAULT) {
    const ranges: BucketRange[] = [];
    for (const part of spec.split(',')) {
      const m = /^\s*([\w-]+)\s*=\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
      if (!m) throw new RangeError(`CYCLE_NODES: "${part}" is not name=from-to`);
      const from = Number(m[2]);
      const to = Number(m[3]);
      if (from > to || to >= BUCKETS)
        throw new RangeError(`CYCLE_NODES: ${part} is not a range within 0..${BUCKETS - 1}`);
      ranges.push({ node: m[1]!, from, to });
    }
    ranges.sort((a, b) => a.from - b.from);
    let next = 0;
    for (const r of ranges) {
      if (r.from !== next)
        throw new RangeError(`CYCLE_NODES: buckets from ${next} are owned ${r.from < next ? 'twice' : 'by no node'}`);
      next = r.to + 1;
    }
    if (next !== BUCKETS) throw new RangeError(`CYCLE_NODES: buckets ${next}..${BUCKETS - 1} are owned by no node`);
    this.ranges = ranges;
  }

  get nodes(): string[] {
    return [...new Set(this.ranges.map((r) => r.node))];
  }

  /** The ranges `node` owns; a node CYCLE_NODES does not name is refused (a worker's or relay's CYCLE_NODE). */
  rangesOf(node: string): BucketRange[] {
    const own = this.ranges.filter((r) => r.node === node);
    if (!own.length) throw new Error(`CYCLE_NODE ${node} 不在 CYCLE_NODES 中（${this.nodes.join('、')}）`);
    return own;
  }

  /** The node that owns `bucket`. */
  nodeOf(bucket: number): string {
    for (const r of this.ranges) if (bucket >= r.from && bucket <= r.to) return r.node;
    throw new RangeError(`bucket ${bucket} is not within 0..${BUCKETS - 1}`);
  }
}

/**
 * The groups a cycle's chunks are cut within (ADR 0020): each node's ranges, cut further into
 * `bucketGroups` consecutive ranges of buckets (`bucketGroup`; 1: a node's range whole, 4096: one
 * bucket each). A chunk is consecutive entity ids of one group, so it never spans two nodes.
 */
export function chunkGroups(nodes: NodeMap, bucketGroups = 1): { from: number[]; to: number[] } {
  bucketGroup(0, bucketGroups); // validates
  const from: number[] = [];
  for (let b = 0; b < BUCKETS; b++)
    if (
      b === 0 ||
      nodes.nodeOf(b) !== nodes.nodeOf(b - 1) ||
      bucketGroup(b, bucketGroups) !== bucketGroup(b - 1, bucketGroups)
    )
      from.push(b);
  return { from, to: from.map((_, i) => (i + 1 < from.length ? from[i + 1]! - 1 : BUCKETS - 1)) };
}
