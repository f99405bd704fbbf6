import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { getMyXinyiPlus, type MyXinyiPlus } from '@/api';
import { zh } from '@/i18n/zh';
import './index.css';

/**
 * 信易+ at grade A: the measures the administrator's catalogue gives the legal representative of an
 * A-grade entity, or why none applies to this user (the registered legal representative changed, a
 * serious penalty). Secondary to the grade: a failed load shows nothing.
 */
export function XinyiPlus({ entityId }: { entityId: number }) {
  const [data, setData] = useState<MyXinyiPlus | null>(null);
  useEffect(() => {
    let live = true;
    setData(null);
    getMyXinyiPlus(entityId).then(
      (d) => live && setData(d),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [entityId]);
  // No catalogue in force yet: nothing to tell the user.
  if (!data || data.catalogueVersion === null || (!data.eligible && !data.refusal)) return null;
  return (
    <View className="xinyi" data-testid="xinyi-plus">
      <Text className="xinyi__title">{zh.home.xinyiPlus}</Text>
      {data.eligible ? (
        <View>
          <Text className="xinyi__intro">{zh.home.xinyiPlusIntro}</Text>
          {data.measures.map((m) => (
            <View key={m.code} className="xinyi__item" data-testid="xinyi-measure">
              <Text className="xinyi__name">{m.name}</Text>
              <Text className="xinyi__desc">{m.description}</Text>
              <Text className="xinyi__provider">{zh.home.xinyiPlusProvider(m.provider)}</Text>
            </View>
          ))}
        </View>
      ) : (
        <Text className="xinyi__intro">{data.refusal}</Text>
      )}
    </View>
  );
}
