import { Text, View } from '@tarojs/components';
import type { Grade } from '@/api/types';
import { zh } from '@/i18n/zh';
import './index.css';

interface GradeBadgeProps {
  grade: Grade;
  total: number;
}

export function GradeBadge({ grade, total }: GradeBadgeProps) {
  return (
    <View className="grade-badge">
      <View
        className={`grade-badge__circle grade-badge__circle--${grade.toLowerCase()}`}
        ariaLabel={`${zh.home.grade} ${grade}`}
      >
        <Text className="grade-badge__grade">{grade}</Text>
      </View>
      <View className="grade-badge__score">
        <Text className="grade-badge__total">{total}</Text>
        <Text className="grade-badge__unit">{zh.common.points}</Text>
      </View>
      <Text className="muted">{zh.home.score}</Text>
    </View>
  );
}
