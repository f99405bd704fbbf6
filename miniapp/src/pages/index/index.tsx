import { Button, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  ApiError,
  getEntityEvaluation,
  getSelectedEntityId,
  getUser,
  isSignedIn,
  selectEntity,
  signOut,
  type EnterpriseRef,
  type EntityEvaluation,
} from '@/api';
import { Benefits } from '@/components/Benefits';
import { GradeBadge } from '@/components/GradeBadge';
import { GroupBars } from '@/components/GroupBars';
import { Empty, ErrorState, Loading } from '@/components/StatusView';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { breakdownUrl, ROUTES } from '@/routes';
import { formatDateCst } from '@/utils/format';
import './index.css';

/** A 404 means "not scored yet", which is an empty state rather than an error. */
async function loadEvaluation(entityId: number): Promise<EntityEvaluation | null> {
  try {
    return await getEntityEvaluation(entityId);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

function EvaluationView({ evaluation }: { evaluation: EntityEvaluation }) {
  return (
    <View>
      <View className="card home__summary">
        <GradeBadge grade={evaluation.grade} total={evaluation.total} />
        <View className="home__facts">
          <Text className="muted">
            {zh.home.asOf}：{formatDateCst(evaluation.asOf)}
          </Text>
          <Text className="muted">
            {zh.home.modelVersion}：{zh.home.modelVersionValue(evaluation.modelVersion)}
          </Text>
        </View>
      </View>
      <View className="card">
        <Text className="card__title">{zh.home.groups}</Text>
        <GroupBars groups={evaluation.groups} />
      </View>
      <View className="card">
        <Text className="card__title">{zh.home.benefits}</Text>
        <Benefits grade={evaluation.grade} />
      </View>
      <Button className="btn-primary" onClick={() => void Taro.navigateTo({ url: breakdownUrl(evaluation.entityId) })}>
        {zh.home.viewBreakdown}
      </Button>
    </View>
  );
}

export default function IndexPage() {
  const [enterprises, setEnterprises] = useState<EnterpriseRef[] | null>(null);
  const [entityId, setEntityId] = useState<number | null>(null);

  useDidShow(() => {
    if (!isSignedIn()) {
      void Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    const list = getUser()?.enterprises ?? [];
    const stored = getSelectedEntityId();
    setEnterprises(list);
    setEntityId(list.find((e) => e.entityId === stored)?.entityId ?? list[0]?.entityId ?? null);
  });

  const load = useCallback(() => (entityId === null ? Promise.resolve(null) : loadEvaluation(entityId)), [entityId]);
  const [evaluation, reload] = useRemote(entityId === null ? null : String(entityId), load);

  const onPickEnterprise = (index: number) => {
    const picked = enterprises?.[index];
    if (!picked) return;
    selectEntity(picked.entityId);
    setEntityId(picked.entityId);
  };

  const onLogout = () => {
    signOut();
    void Taro.reLaunch({ url: ROUTES.login });
  };

  if (enterprises === null) return <Loading />;

  const current = enterprises.find((e) => e.entityId === entityId);
  return (
    <View className="page home">
      {current ? (
        <View className="card home__entity">
          <Text className="home__name">{current.name}</Text>
          <Text className="muted">
            {zh.home.uscc}：{current.uscc}
          </Text>
          {enterprises.length > 1 ? (
            <Picker
              mode="selector"
              range={enterprises.map((e) => e.name)}
              value={Math.max(0, enterprises.indexOf(current))}
              onChange={(e) => onPickEnterprise(Number(e.detail.value))}
            >
              <Text className="home__switch">{zh.home.switchEnterprise}</Text>
            </Picker>
          ) : null}
        </View>
      ) : null}

      {entityId === null ? (
        <Empty title={zh.home.notBound} hint={zh.home.notBoundHint} />
      ) : evaluation.status === 'loading' ? (
        <Loading />
      ) : evaluation.status === 'error' ? (
        <ErrorState message={evaluation.message} onRetry={reload} />
      ) : evaluation.data === null ? (
        <Empty title={zh.home.noEvaluation} hint={zh.home.noEvaluationHint} />
      ) : (
        <EvaluationView evaluation={evaluation.data} />
      )}

      <View className="home__footer">
        <Text className="home__logout" onClick={onLogout}>
          {zh.home.logout}
        </Text>
      </View>
    </View>
  );
}
