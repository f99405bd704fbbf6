import ReactECharts from 'echarts-for-react/lib/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
const COLOURS = ['#15803d', '#65a30d', '#ca8a04', '#ea580c', '#b91c1c'];

export default function GradeChart({ byGrade }: { byGrade: Record<(typeof GRADES)[number], number> }) {
  return (
    <ReactECharts
      echarts={echarts}
      style={{ height: 320 }}
      option={{
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 16, top: 16, bottom: 32 },
        xAxis: { type: 'category', data: GRADES.map((g) => `${g} 级`) },
        yAxis: { type: 'value', name: '主体数', minInterval: 1 },
        series: [
          {
            type: 'bar',
            data: GRADES.map((g, i) => ({ value: byGrade[g], itemStyle: { color: COLOURS[i] } })),
            barMaxWidth: 56,
          },
        ],
      }}
    />
  );
}
