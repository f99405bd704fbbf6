import { Text, View } from '@tarojs/components';
import type { EvaluationSummary } from '@/api/types';
import { zh } from '@/i18n/zh';
import { formatDateCst } from '@/utils/format';
import './index.css';

interface TrendChartProps {
  /** Newest first, as listEvaluationHistory answers. */
  items: EvaluationSummary[];
  /** How many of the latest evaluations to draw. */
  limit?: number;
}

const CHART_FLOOR = 600;

/**
 * Columns of past totals, oldest on the left. Plain views rather than a canvas, so it renders the
 * same in the mini program and the browser and needs no chart library in the main package. The
 * axis starts at 600, where grade E already is, so that the differences users care about show.
 */
export function TrendChart({ items, limit = 8 }: TrendChartProps) {
  if (items.length === 0) return <Text className="muted">{zh.home.trendEmpty}</Text>;
  const shown = items.slice(0, limit).reverse();
  const floor = Math.min(CHART_FLOOR, ...shown.map((i) => i.total));
  const top = 1000;
  const height = (total: number) => Math.max(4, Math.round(((total - floor) / (top - floor)) * 100));

  return (
    <View className="trend" data-testid="trend">
      <View className="trend__plot">
        {shown.map((item, i) => (
          <View key={`${item.asOf}-${i}`} className="trend__col" data-testid="trend-col">
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
          <Text key={`${item.asOf}-${i}`} className="trend__date">
            {formatDateCst(item.asOf).slice(5)}
          </Text>
        ))}
      </View>
      <Text className="muted trend__caption">
        {shown.length === 1 ? zh.home.trendSingle : zh.home.trendLabel(shown.length)}
      </Text>
    </View>
  );
}
