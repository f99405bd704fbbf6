import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useMemo } from 'react';
import { getEntityEvaluation, getPublishedModel } from '@/api';
import type { EntityEvaluation } from '@/api/types';
import { GradeBadge } from '@/components/GradeBadge';
import { Loading, NotFound, RemoteError } from '@/components/StatusView';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { goodInfoUrl, idParam, objectionUrl, recordUrl, repairUrl } from '@/routes';
import { formatSignedPoints } from '@/utils/format';
import { recordName } from '@/utils/record-facts';
import { carriesModel } from '../../what-if';
import { wayUp, type CostlyRecord, type WayUp } from '../../next-grade';
import './index.css';

const go = (url: string) => void Taro.navigateTo({ url });

function Gap({ way }: { way: WayUp }) {
  return (
    <View className="card next-grade__head" data-testid="gap">
      <GradeBadge grade={way.grade} total={way.total} />
      {way.next ? (
        <View className="next-grade__gap">
          <Text className="next-grade__gap-text" data-testid="gap-text">
            {zh.nextGrade.gap(way.next.grade, way.next.gap)}
          </Text>
          <Text className="muted">{zh.nextGrade.cutoff(way.next.grade, way.next.cutoff)}</Text>
        </View>
      ) : (
        <Text className="next-grade__gap-text">{zh.nextGrade.top}</Text>
      )}
    </View>
  );
}

function Grades({ way }: { way: WayUp }) {
  const rows = [
    { grade: 'A', range: zh.nextGrade.atLeast(way.cutoffs.A), earns: zh.nextGrade.earns.A },
    { grade: 'B', range: zh.nextGrade.between(way.cutoffs.B, way.cutoffs.A), earns: zh.nextGrade.earns.B },
    { grade: 'C', range: zh.nextGrade.between(way.cutoffs.C, way.cutoffs.B), earns: zh.nextGrade.earns.C },
    { grade: 'D', range: zh.nextGrade.between(way.cutoffs.D, way.cutoffs.C), earns: zh.nextGrade.earns.D },
    { grade: 'E', range: zh.nextGrade.below(way.cutoffs.D), earns: zh.nextGrade.earns.E },
  ] as const;
  return (
    <View className="card">
      <Text className="card__title">{zh.nextGrade.grades}</Text>
      {rows.map((r) => (
        <View key={r.grade} className={`next-grade__row ${r.grade === way.grade ? 'next-grade__row--current' : ''}`}>
          <Text className="next-grade__letter">{r.grade}</Text>
          <View className="next-grade__what">
            <Text className="next-grade__range">
              {r.range}
              {r.grade === way.grade ? zh.nextGrade.current : ''}
            </Text>
            <Text className="muted">{r.earns}</Text>
          </View>
        </View>
      ))}
      <Text className="muted next-grade__note">{zh.nextGrade.notPunishment}</Text>
    </View>
  );
}

function Costly({ entityId, item, gap }: { entityId: number; item: CostlyRecord; gap: number | null }) {
  const { record, estimate } = item;
  const closes = estimate !== null && gap !== null && estimate.delta >= gap;
  return (
    <View className="next-grade__record" data-testid={`costly-${record.recordId}`}>
      <View className="next-grade__record-head" onClick={() => go(recordUrl(entityId, record.recordId))}>
        <Text className="next-grade__record-name">{recordName(record)}</Text>
        <Text className="next-grade__cost">{formatSignedPoints(-item.cost)}</Text>
      </View>
      <Text className="muted">{item.until ? zh.nextGrade.until(item.until) : zh.nextGrade.noEnd}</Text>
      {estimate ? (
        <Text className={`next-grade__estimate ${closes ? 'next-grade__estimate--closes' : ''}`}>
          {zh.nextGrade.estimate(formatSignedPoints(estimate.delta), estimate.totalAfter, estimate.gradeAfter)}
        </Text>
      ) : null}
      {item.inProgress ? (
        <Text className="next-grade__busy">{zh.nextGrade.inProgress}</Text>
      ) : (
        <View className="next-grade__actions">
          <Text className="next-grade__action" onClick={() => go(objectionUrl(entityId, record.recordId))}>
            {zh.nextGrade.object}
          </Text>
          <Text className="next-grade__action" onClick={() => go(repairUrl(entityId, record.recordId))}>
            {zh.nextGrade.repair}
          </Text>
        </View>
      )}
    </View>
  );
}

export default function NextGradePage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const load = useCallback(async () => {
    const evaluation: EntityEvaluation = await getEntityEvaluation(entityId as number);
    const definition = carriesModel(evaluation.modelVersion)
      ? undefined
      : (await getPublishedModel(evaluation.modelVersion)).definition;
    return { evaluation, definition };
  }, [entityId]);
  const [state, reload] = useRemote(entityId === null ? null : String(entityId), load);
  const way = useMemo(
    () => (state.status === 'ready' ? wayUp(state.data.evaluation, state.data.definition) : null),
    [state],
  );

  if (entityId === null) return <NotFound />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  if (way === null) return <NotFound hint={zh.nextGrade.unavailable} />;

  const gap = way.next?.gap ?? null;
  return (
    <View className="page next-grade" data-testid="next-grade">
      <Gap way={way} />
      <View className="card">
        <Text className="card__title">{zh.nextGrade.costly}</Text>
        {way.costly.length === 0 ? (
          <Text className="muted">{zh.nextGrade.noCostly}</Text>
        ) : (
          <>
            <Text className="muted next-grade__hint">{zh.nextGrade.costlyHint}</Text>
            {way.costly.map((item) => (
              <Costly key={item.record.recordId} entityId={entityId} item={item} gap={gap} />
            ))}
          </>
        )}
      </View>
      <View className="card">
        <Text className="card__title">{zh.nextGrade.goodInfo}</Text>
        <Text className="muted">{zh.nextGrade.goodInfoHint}</Text>
        <Button className="btn-plain next-grade__good" onClick={() => go(goodInfoUrl(entityId))}>
          {zh.home.reportGoodInfo}
        </Button>
      </View>
      <Grades way={way} />
      <Text className="muted next-grade__note">{zh.nextGrade.estimateNote}</Text>
    </View>
  );
}
