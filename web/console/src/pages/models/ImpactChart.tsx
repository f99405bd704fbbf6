import ReactECharts from 'echarts-for-react/lib/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
type ByGrade = Record<(typeof GRADES)[number], number>;

/** The grade distribution under the model in force and under the draft, side by side. */
export default function ImpactChart({ before, after }: { before: ByGrade; after: ByGrade }) {
  return (
    <ReactECharts
      echarts={echarts}
      style={{ height: 300 }}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 36, bottom: 32 },
        xAxis: { type: 'category', data: GRADES.map((g) => `${g} 级`) },
        yAxis: { type: 'value', name: '主体数', minInterval: 1 },
        series: [
          {
            name: '现行模型',
            type: 'bar',
            data: GRADES.map((g) => before[g]),
            itemStyle: { color: '#94a3b8' },
            barMaxWidth: 40,
          },
          {
            name: '本草稿',
            type: 'bar',
            data: GRADES.map((g) => after[g]),
            itemStyle: { color: '#1d4ed8' },
            barMaxWidth: 40,
          },
        ],
      }}
    />
  );
}
