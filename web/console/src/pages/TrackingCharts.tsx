import ReactECharts from 'echarts-for-react/lib/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { Ok } from '@web/api/client';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

// ECharts loads with these charts (Dashboard imports this module lazily), never with the first route.

const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
const GRADE_COLOURS = ['#15803d', '#65a30d', '#ca8a04', '#ea580c', '#b91c1c'];

/** 'YYYY-MM-DD' of an instant in China time. */
const chinaDay = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Counts by grade per finished cycle, stacked, oldest cycle on the left. */
export function GradeHistoryChart({ cycles }: { cycles: Ok<'getGradeHistory'>['cycles'] }) {
  return (
    <ReactECharts
      echarts={echarts}
      style={{ height: 300 }}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 56, right: 16, top: 36, bottom: 40 },
        xAxis: { type: 'category', data: cycles.map((c) => `第 ${c.id} 批\n${chinaDay(c.asOf)}`) },
        yAxis: { type: 'value', name: '主体数', minInterval: 1 },
        series: GRADES.map((g, i) => ({
          name: `${g} 级`,
          type: 'bar',
          stack: 'grades',
          data: cycles.map((c) => c.byGrade[g]),
          itemStyle: { color: GRADE_COLOURS[i] },
          barMaxWidth: 48,
        })),
      }}
    />
  );
}

export interface StackedRow {
  label: string;
  values: Record<string, number>;
}
export interface StackedSeries {
  key: string;
  name: string;
  colour: string;
}

/** Horizontal stacked bars: one row per category (applications by kind, by status). */
export function StackedBars({
  rows,
  series,
  height = 220,
}: {
  rows: StackedRow[];
  series: StackedSeries[];
  height?: number;
}) {
  return (
    <ReactECharts
      echarts={echarts}
      style={{ height }}
      option={{
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { bottom: 0 },
        grid: { left: 112, right: 32, top: 16, bottom: 72 },
        xAxis: { type: 'value', name: '件', minInterval: 1 },
        yAxis: { type: 'category', data: rows.map((r) => r.label), inverse: true },
        series: series.map((s) => ({
          name: s.name,
          type: 'bar',
          stack: 'all',
          data: rows.map((r) => r.values[s.key] ?? 0),
          itemStyle: { color: s.colour },
          barMaxWidth: 28,
        })),
      }}
    />
  );
}

/** Vertical bars, one colour each (the ageing of open cases). */
export function Bars({
  items,
  height = 240,
  unit = '件',
}: {
  items: Array<{ label: string; value: number; colour: string }>;
  height?: number;
  unit?: string;
}) {
  return (
    <ReactECharts
      echarts={echarts}
      style={{ height }}
      option={{
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 48, right: 16, top: 24, bottom: 48 },
        xAxis: {
          type: 'category',
          data: items.map((i) => i.label),
          axisLabel: { interval: 0, width: 72, overflow: 'break' },
        },
        yAxis: { type: 'value', name: unit, minInterval: 1 },
        series: [
          {
            type: 'bar',
            data: items.map((i) => ({ value: i.value, itemStyle: { color: i.colour } })),
            barMaxWidth: 40,
            label: { show: true, position: 'top' },
          },
        ],
      }}
    />
  );
}

/** Objections decided per month: upheld beside rejected. */
export function OutcomesChart({ months }: { months: Ok<'getObjectionOutcomes'>['months'] }) {
  return (
    <ReactECharts
      echarts={echarts}
      style={{ height: 260 }}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 36, bottom: 32 },
        xAxis: {
          type: 'category',
          data: months.map((m) => `${Number(m.month.slice(5))}月`),
          axisLabel: { interval: 0 },
        },
        yAxis: { type: 'value', name: '件', minInterval: 1 },
        series: [
          {
            name: '异议成立',
            type: 'bar',
            data: months.map((m) => m.upheld),
            itemStyle: { color: '#1d4ed8' },
            barMaxWidth: 24,
          },
          {
            name: '异议不成立',
            type: 'bar',
            data: months.map((m) => m.rejected),
            itemStyle: { color: '#94a3b8' },
            barMaxWidth: 24,
          },
        ],
      }}
    />
  );
}

/** How long each cycle run took, oldest on the left: in seconds while every run is short, else in minutes. */
export function CycleDurationChart({ items }: { items: Ok<'listCycleRuns'>['items'] }) {
  const done = items.filter((c) => c.durationSeconds !== null).reverse();
  const minutes = done.some((c) => (c.durationSeconds ?? 0) >= 120);
  const unit = minutes ? '分钟' : '秒';
  const value = (s: number) => (minutes ? Math.round((s / 60) * 10) / 10 : Math.round(s * 10) / 10);
  return (
    <ReactECharts
      echarts={echarts}
      style={{ height: 220 }}
      option={{
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v} ${unit}` },
        grid: { left: 56, right: 16, top: 32, bottom: 32 },
        xAxis: { type: 'category', data: done.map((c) => `第 ${c.id} 批`) },
        yAxis: { type: 'value', name: `耗时（${unit}）`, minInterval: minutes ? undefined : 1 },
        series: [
          {
            type: 'bar',
            data: done.map((c) => value(c.durationSeconds ?? 0)),
            itemStyle: { color: '#0f766e' },
            barMaxWidth: 32,
            label: { show: true, position: 'top', formatter: (p: { value: number }) => `${p.value} ${unit}` },
          },
        ],
      }}
    />
  );
}
