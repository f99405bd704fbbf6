import { Text, View } from '@tarojs/components';
import type { GroupScore } from '@/api/types';
import { percentOf } from '@/utils/format';
import './index.css';

interface GroupBarsProps {
  groups: GroupScore[];
}

export function GroupBars({ groups }: GroupBarsProps) {
  return (
    <View className="group-bars">
      {groups.map((group) => (
        <View key={group.code} className="group-bars__row">
          <View className="group-bars__label">
            <Text>{group.name}</Text>
            <Text className="group-bars__value">
              {group.points} / {group.max}
            </Text>
          </View>
          <View className="group-bars__track">
            <View className="group-bars__fill" style={{ width: `${percentOf(group.points, group.max)}%` }} />
          </View>
        </View>
      ))}
    </View>
  );
}
