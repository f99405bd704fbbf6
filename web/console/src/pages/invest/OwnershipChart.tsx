import ReactECharts from 'echarts-for-react/lib/core';
import { GraphChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { pct, type OwnershipGraph } from './ui';

echarts.use([GraphChart, TooltipComponent, CanvasRenderer]);

const NODE_W = 148;
const NODE_H = 34;
const GAP_X = 176;
const GAP_Y = 96;
/** A level wider than this wraps onto more rows: five boxes fit side by side down to the console's 1024 px. */
const PER_ROW = 5;
const LABEL_CHARS = 9;

const COLOURS = { target: '#1d4ed8', entity: '#ffffff', person: '#dcfce7', external: '#f3f4f6' } as const;

const short = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);

/**
 * Holders above the target, level by level (the target at the bottom), every node the same width
 * with its name cut short and in full in the tooltip; edges carry the share held. Drag and zoom.
 */
export default function OwnershipChart({ graph }: { graph: OwnershipGraph }) {
  const flagged = new Set(graph.holders.filter((h) => h.flags.length).map((h) => h.key));
  const share = new Map(graph.holders.map((h) => [h.key, h.share]));
  const byLevel = new Map<number, OwnershipGraph['nodes']>();
  for (const n of graph.nodes) byLevel.set(n.level, [...(byLevel.get(n.level) ?? []), n]);
  const levels = [...byLevel.keys()].sort((a, b) => a - b);
  const pos = new Map<string, { x: number; y: number }>();
  let row = 0;
  for (const level of levels) {
    const nodes = byLevel.get(level)!;
    for (let start = 0; start < nodes.length; start += PER_ROW) {
      const chunk = nodes.slice(start, start + PER_ROW);
      chunk.forEach((n, i) => pos.set(n.key, { x: (i - (chunk.length - 1) / 2) * GAP_X, y: -row * GAP_Y }));
      row++;
    }
  }
  const rows = Math.max(row, 1);
  const height = Math.min(Math.max(rows * GAP_Y + 80, 320), 1400);
  const data = graph.nodes.map((n) => {
    const isTarget = n.key === graph.target.key;
    return {
      id: n.key,
      name: n.name || n.key,
      ...pos.get(n.key)!,
      symbol: n.kind === 'person' ? 'roundRect' : 'rect',
      symbolSize: [NODE_W, NODE_H],
      // The box is the label's own (fixed width, name cut with an ellipsis): it keeps its size
      // whatever the zoom; the symbol underneath only anchors the edges.
      itemStyle: { color: 'transparent', borderWidth: 0 },
      label: {
        show: true,
        position: 'inside' as const,
        formatter: short(n.name || n.key),
        width: NODE_W - 20,
        overflow: 'truncate' as const,
        align: 'center' as const,
        padding: [8, 10],
        borderRadius: n.kind === 'person' ? 14 : 3,
        backgroundColor: isTarget ? COLOURS.target : COLOURS[n.kind],
        borderColor: flagged.has(n.key) ? '#dc2626' : isTarget ? COLOURS.target : '#94a3b8',
        borderWidth: flagged.has(n.key) ? 3 : 1,
        color: isTarget ? '#fff' : '#111827',
        fontSize: 12,
      },
      tooltip: {
        formatter: [
          `<b>${escapeHtml(n.name)}</b>`,
          n.kind === 'person' ? `自然人 ${n.idNumberMasked ?? ''}` : (n.uscc ?? ''),
          n.grade ? `等级 ${n.grade}（${n.score ?? '—'} 分）` : '',
          share.has(n.key) ? `累计持有目标 ${pct(share.get(n.key)!)}` : '',
          flagged.has(n.key) ? '<span style="color:#dc2626">疑似实际控制人 / 受益所有人</span>' : '',
        ]
          .filter(Boolean)
          .join('<br/>'),
      },
    };
  });
  const links = graph.edges.map((e) => ({
    source: e.from,
    target: e.to,
    label: { show: graph.edges.length <= 120, formatter: pct(e.share), fontSize: 11, color: '#475569' },
    tooltip: { formatter: `持股 ${pct(e.share)}` },
  }));
  return (
    <div data-testid="ownership-graph">
      <ReactECharts
        echarts={echarts}
        style={{ height }}
        notMerge
        option={{
          tooltip: { confine: true },
          series: [
            {
              type: 'graph',
              layout: 'none',
              roam: true,
              // Nodes keep their width whatever the zoom: names stay legible at hundreds of nodes.
              nodeScaleRatio: 0,
              draggable: true,
              data,
              links,
              edgeSymbol: ['none', 'arrow'],
              edgeSymbolSize: 8,
              lineStyle: { color: '#94a3b8', width: 1.2, curveness: 0.08 },
              emphasis: { focus: 'adjacency', lineStyle: { width: 2 } },
              top: 30,
              bottom: 30,
              left: NODE_W / 2 + 10,
              right: NODE_W / 2 + 10,
            },
          ],
        }}
      />
      <div style={{ color: '#6b7280', fontSize: 12 }}>
        箭头由持有人指向被持有企业；红框为疑似实际控制人或受益所有人；滚轮缩放、拖动平移，悬停看全称。
      </div>
    </div>
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
