import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { EvaluationSummary } from '@/api/types';
import { zh } from '@/i18n/zh';
import { formatDateTimeCst, formatSignedPoints } from '@/utils/format';
import './index.css';

interface TrendChartProps {
  /** Newest first, as listEvaluationHistory answers. */
  items: EvaluationSummary[];
  /** How many of the latest evaluations to draw. */
  limit?: number;
  /** Tapping a record that moved a point opens it. */
  onOpenRecord?: (recordId: number) => void;
}

const CHART_FLOOR = 600;

/** Each column's label: its date, and its time too where two columns share a date. */
function labelsOf(shown: EvaluationSummary[]): { day: string; time: string | null }[] {
  const stamps = shown.map((i) => formatDateTimeCst(i.asOf));
  const days = stamps.map((s) => s.slice(5, 10));
  return stamps.map((s, i) => ({
    day: days[i]!,
    time: days.filter((d) => d === days[i]).length > 1 ? s.slice(11, 16) : null,
  }));
}

function triggerLabel(trigger: string | undefined): string {
  const labels: Record<string, string | undefined> = zh.trend.triggers;
  const other = labels.other ?? '';
  if (!trigger) return other;
  return labels[trigger] ?? labels[trigger.split('.')[0]!] ?? other;
}

/** Why one point is where it is: what moved since the one before, record by record. */
function PointDetail({ item, onOpenRecord }: { item: EvaluationSummary; onOpenRecord?: (recordId: number) => void }) {
  const changes = item.changes ?? [];
  const delta = item.delta ?? null;
  const byRecords = changes.reduce((sum, c) => sum + c.points, 0);
  const rules = delta === null ? 0 : delta - byRecords;
  return (
    <View className="trend__detail" data-testid="trend-detail">
      <View className="trend__detail-head">
        <Text className="trend__detail-when">{formatDateTimeCst(item.asOf)}</Text>
        <Text className="trend__detail-total">{zh.trend.total(item.total, item.grade)}</Text>
      </View>
      <Text className="muted">
        {triggerLabel(item.trigger)}
        {delta === null ? '' : `，${zh.trend.delta(formatSignedPoints(delta))}`}
      </Text>
      {delta === null ? <Text className="trend__line muted">{zh.trend.first}</Text> : null}
      {item.modelChanged ? <Text className="trend__line">{zh.trend.modelChanged(item.modelVersion)}</Text> : null}
      {changes.map((c) => (
        <View
          key={c.recordId}
          className={`trend__change ${onOpenRecord ? 'trend__change--link' : ''}`}
          data-testid="trend-change"
          onClick={onOpenRecord ? () => onOpenRecord(c.recordId) : undefined}
        >
          <View className="trend__change-what">
            <Text className="trend__change-kind">{c.kindLabel}</Text>
            <Text className="muted trend__change-summary">{[c.occurredOn, c.summary].filter(Boolean).join(' ')}</Text>
          </View>
          <Text className={`trend__change-points ${c.points < 0 ? 'trend__change-points--minus' : ''}`}>
            {formatSignedPoints(c.points)}
          </Text>
        </View>
      ))}
      {delta !== null && changes.length > 0 && rules !== 0 ? (
        <View className="trend__change" data-testid="trend-rules">
          <Text className="trend__change-kind">{zh.trend.rules}</Text>
          <Text className={`trend__change-points ${rules < 0 ? 'trend__change-points--minus' : ''}`}>
            {formatSignedPoints(rules)}
          </Text>
        </View>
      ) : null}
      {delta !== null && changes.length === 0 && !item.modelChanged ? (
        <Text className="trend__line muted">{delta === 0 ? zh.trend.unchanged : zh.trend.byTime}</Text>
      ) : null}
    </View>
  );
}

/**
 * Columns of past totals, oldest on the left, each under its own date (and time, where a day has
 * several). Tapping one says what moved it: the records, with their points. Plain views rather than
 * a canvas, so it renders the same in the mini program and the browser and needs no chart library
 * in the main package. The axis starts at 600, where grade E already is, so that the differences
 * users care about show.
 */
export function TrendChart({ items, limit = 8, onOpenRecord }: TrendChartProps) {
  const shown = items.slice(0, limit).reverse();
  const [selected, setSelected] = useState<number | null>(null);
  if (items.length === 0) return <Text className="muted">{zh.home.trendEmpty}</Text>;
  const floor = Math.min(CHART_FLOOR, ...shown.map((i) => i.total));
  const top = 1000;
  const height = (total: number) => Math.max(4, Math.round(((total - floor) / (top - floor)) * 100));
  const labels = labelsOf(shown);
  const active = selected !== null && selected < shown.length ? selected : shown.length - 1;

  return (
    <View className="trend" data-testid="trend">
      <View className="trend__plot">
        {shown.map((item, i) => (
          <View
            key={`${item.asOf}-${i}`}
            className={`trend__col ${i === active ? 'trend__col--active' : ''}`}
            data-testid="trend-col"
            onClick={() => setSelected(i)}
          >
            <Text className="trend__value">{item.total}</Text>
            <View
              className={`trend__bar trend__bar--${item.grade.toLowerCase()}`}
              style={{ height: `${height(item.total)}%` }}
            />
          </View>
        ))}
      </View>
      <View className="trend__axis">
        {shown.map((item, i) => (
          <View
            key={`${item.asOf}-${i}`}
            className={`trend__date ${i === active ? 'trend__date--active' : ''}`}
            data-testid="trend-date"
            onClick={() => setSelected(i)}
          >
            <Text className="trend__day">{labels[i]!.day}</Text>
            {labels[i]!.time ? <Text className="trend__time">{labels[i]!.time}</Text> : null}
          </View>
        ))}
      </View>
      <Text className="muted trend__caption">
        {shown.length === 1 ? zh.home.trendSingle : zh.home.trendLabel(shown.length)}
      </Text>
      <PointDetail item={shown[active]!} onOpenRecord={onOpenRecord} />
    </View>
  );
}
