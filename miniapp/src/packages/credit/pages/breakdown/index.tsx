import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useCallback, useRef } from 'react';
import { getEntityEvaluation } from '@/api';
import { GradeBadge } from '@/components/GradeBadge';
import { IndicatorBreakdown } from '@/components/IndicatorBreakdown';
import { Loading, NotFound, RemoteError } from '@/components/StatusView';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { idParam, recordUrl, reportsUrl } from '@/routes';
import { formatDateCst } from '@/utils/format';
import './index.css';

export default function BreakdownPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);

  const load = useCallback(() => getEntityEvaluation(entityId as number), [entityId]);
  const [evaluation, reload] = useRemote(entityId === null ? null : String(entityId), load);

  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) reload({ quiet: true });
    shown.current = true;
  });

  if (entityId === null) return <NotFound />;
  if (evaluation.status === 'loading') return <Loading />;
  if (evaluation.status === 'error') return <RemoteError state={evaluation} onRetry={reload} />;

  const data = evaluation.data;
  return (
    <View className="page breakdown-page">
      <View className="card breakdown-page__head">
        <View className="breakdown-page__facts">
          <Text className="breakdown-page__name">{data.name}</Text>
          <Text className="muted">
            {zh.home.asOf}：{formatDateCst(data.asOf)}
          </Text>
          <Text className="muted">
            {zh.home.modelVersion}：{zh.home.modelVersionValue(data.modelVersion)}
          </Text>
        </View>
        <GradeBadge grade={data.grade} total={data.total} />
      </View>
      <Text className="muted breakdown-page__hint">{zh.breakdown.tapHint}</Text>
      <IndicatorBreakdown
        groups={data.groups}
        indicators={data.indicators}
        records={data.records}
        onOpenRecord={(recordId) => void Taro.navigateTo({ url: recordUrl(data.entityId, recordId) })}
      />
      <Button
        className="btn-plain breakdown-page__report"
        data-testid="open-reports"
        onClick={() => void Taro.navigateTo({ url: reportsUrl(data.entityId) })}
      >
        出具信用报告（PDF）
      </Button>
    </View>
  );
}
