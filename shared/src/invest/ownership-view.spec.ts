import { ownershipView, type OwnershipViewNode } from './ownership-view';
import { penetrate, type Holding } from './penetration';

/** Levels by breadth-first search from the target, as the API's walk gives them. */
function levels(target: string, holdings: Holding[]): Map<string, OwnershipViewNode> {
  const nodes = new Map<string, OwnershipViewNode>([[target, { key: target, kind: 'entity', level: 0 }]]);
  let frontier = [target];
  for (let level = 1; frontier.length; level++) {
    const next: string[] = [];
    for (const h of holdings)
      if (frontier.includes(h.company) && !nodes.has(h.holder)) {
        nodes.set(h.holder, { key: h.holder, kind: h.holderKind, level });
        next.push(h.holder);
      }
    frontier = next;
  }
  return nodes;
}

describe('ownershipView', () => {
  it('shows a small graph whole', () => {
    const holdings: Holding[] = [
      { holder: 'A', holderKind: 'entity', company: 'T', share: 0.6 },
      { holder: 'P', holderKind: 'person', company: 'T', share: 0.4 },
      { holder: 'Q', holderKind: 'person', company: 'A', share: 1 },
    ];
    const v = ownershipView(penetrate('T', holdings), holdings, levels('T', holdings));

    expect(v.nodes.map((n) => n.key).sort()).toEqual(['A', 'P', 'Q', 'T']);
    expect(v.edges).toHaveLength(3);
    expect(v).toMatchObject({ treeDepth: 2, collapsed: [], nodesTotal: 4, holdersTotal: 2, holdersOmittedShare: 0 });
  });

  // T ← C1 (60%) ← … ← C12 ← the controller (100%); T ← W (40%), which 300 persons hold equally.
  const chain: Holding[] = [{ holder: 'C1', holderKind: 'entity', company: 'T', share: 0.6 }];
  for (let i = 1; i < 12; i++) chain.push({ holder: `C${i + 1}`, holderKind: 'entity', company: `C${i}`, share: 1 });
  chain.push({ holder: 'BOSS', holderKind: 'person', company: 'C12', share: 1 });
  chain.push({ holder: 'W', holderKind: 'entity', company: 'T', share: 0.4 });
  for (let i = 0; i < 300; i++) chain.push({ holder: `p${i}`, holderKind: 'person', company: 'W', share: 1 / 300 });
  const p = penetrate('T', chain);
  const v = ownershipView(p, chain, levels('T', chain), { maxNodes: 50, maxHolders: 5 });

  it('cuts the tree at the deepest level within the budget, and lists what it left closed', () => {
    // Level 2 would add W's 300 holders: only T, C1 and W are shown by level, and the path nodes.
    expect(v.treeDepth).toBe(1);
    expect(v.collapsed).toEqual(['W']);
    expect(v.nodesTotal).toBe(315);
  });

  it('keeps every flagged holder with its evidence, and the nodes of its paths', () => {
    expect(v.holders[0]).toMatchObject({ key: 'BOSS', share: 0.6 });
    expect(v.holders[0]!.flags.map((f) => f.code)).toEqual(['actual_controller', 'beneficial_owner']);
    const shown = new Set(v.nodes.map((n) => n.key));
    for (let i = 1; i <= 12; i++) expect(shown.has(`C${i}`)).toBe(true);
    expect(v.edges.filter((e) => e.to.startsWith('C') || e.to === 'T')).toHaveLength(14);
  });

  it('counts the holders it does not list and what they hold', () => {
    expect(v.holders).toHaveLength(5);
    expect(v.holdersTotal).toBe(301);
    expect(v.holdersOmittedShare).toBeCloseTo(0.4 * (296 / 300), 12);
    expect(v.holders.reduce((s, h) => s + h.share, 0) + v.holdersOmittedShare).toBeCloseTo(1, 12);
  });
});
