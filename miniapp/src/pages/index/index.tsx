import { Button, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import {
  ApiError,
  getEntityEvaluation,
  getSelectedEntityId,
  getUser,
  isSignedIn,
  listEvaluationHistory,
  listMyEnterprises,
  listMyMessages,
  saveEnterprises,
  selectEntity,
  signOut,
  userMessage,
  type EnterpriseRef,
  type EntityEvaluation,
  type EvaluationHistory,
} from '@/api';
import { Benefits } from '@/components/Benefits';
import { GradeBadge } from '@/components/GradeBadge';
import { GroupBars } from '@/components/GroupBars';
import { Empty, ErrorState, Loading } from '@/components/StatusView';
import { TrendChart } from '@/components/TrendChart';
import { XinyiPlus } from '@/components/XinyiPlus';
import { usePullRefresh } from '@/hooks/usePullRefresh';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { applicationsUrl, breakdownUrl, goodInfoUrl, loanProductsUrl, nextGradeUrl, recordUrl, ROUTES } from '@/routes';
import { formatDateCst } from '@/utils/format';
import './index.css';

interface HomeData {
  /** null: not scored yet (the API's 404). */
  evaluation: EntityEvaluation | null;
  history: EvaluationHistory | null;
  historyError: string | null;
}

/** The trend is secondary: when only it fails, the grade still shows. */
async function loadHome(entityId: number): Promise<HomeData> {
  const history = listEvaluationHistory(entityId).then(
    (h) => ({ history: h, historyError: null }),
    (error: unknown) => ({ history: null, historyError: userMessage(error) }),
  );
  let evaluation: EntityEvaluation | null;
  try {
    evaluation = await getEntityEvaluation(entityId);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'NOT_FOUND')) throw error;
    evaluation = null;
  }
  return { evaluation, ...(await history) };
}

function EvaluationView({
  data,
  onRetryTrend,
}: {
  data: HomeData & { evaluation: EntityEvaluation };
  onRetryTrend: () => void;
}) {
  const { evaluation } = data;
  const go = (url: string) => void Taro.navigateTo({ url });
  return (
    <View>
      <View className="card home__summary" data-testid="grade-card">
        <GradeBadge grade={evaluation.grade} total={evaluation.total} />
        <View className="home__facts">
          <Text className="muted">
            {zh.home.asOf}：{formatDateCst(evaluation.asOf)}
          </Text>
          <Text className="muted">
            {zh.home.modelVersion}：{zh.home.modelVersionValue(evaluation.modelVersion)}
          </Text>
          <Text
            className="home__link home__next-grade"
            data-testid="next-grade"
            onClick={() => go(nextGradeUrl(evaluation.entityId))}
          >
            {evaluation.grade === 'A' ? zh.nextGrade.keepA : zh.nextGrade.link}
          </Text>
        </View>
      </View>
      <View className="card">
        <Text className="card__title">{zh.home.groups}</Text>
        <GroupBars groups={evaluation.groups} />
      </View>
      <View className="card">
        <Text className="card__title">{zh.home.trend}</Text>
        {data.history !== null ? (
          <TrendChart
            items={data.history.items}
            onOpenRecord={(recordId) => go(recordUrl(evaluation.entityId, recordId))}
          />
        ) : (
          <ErrorState message={data.historyError ?? zh.errors.UNKNOWN} onRetry={onRetryTrend} />
        )}
      </View>
      <View className="card">
        <Text className="card__title">{zh.home.benefits}</Text>
        <Benefits grade={evaluation.grade} />
        <Button
          className="btn-plain home__loans"
          data-testid="loans"
          onClick={() => go(loanProductsUrl(evaluation.entityId))}
        >
          {zh.home.loans}
        </Button>
        {/* 信易+ after the enterprise's own benefits: it is the legal representative's. */}
        {evaluation.grade === 'A' ? <XinyiPlus entityId={evaluation.entityId} /> : null}
      </View>
      <Button
        className="btn-primary"
        data-testid="view-breakdown"
        onClick={() => go(breakdownUrl(evaluation.entityId))}
      >
        {zh.home.viewBreakdown}
      </Button>
      <View className="home__actions">
        <Button className="btn-plain home__action" onClick={() => go(goodInfoUrl(evaluation.entityId))}>
          {zh.home.reportGoodInfo}
        </Button>
        <Button
          className="btn-plain home__action"
          data-testid="my-applications"
          onClick={() => go(applicationsUrl(evaluation.entityId))}
        >
          {zh.home.myApplications}
        </Button>
      </View>
    </View>
  );
}

export default function IndexPage() {
  const [enterprises, setEnterprises] = useState<EnterpriseRef[] | null>(null);
  const [entityId, setEntityId] = useState<number | null>(null);
  const [unread, setUnread] = useState(0);
  const countUnread = useCallback(() => {
    listMyMessages({ unread: true }).then(
      (m) => setUnread(m.unread),
      () => undefined,
    );
  }, []);

  const pick = useCallback((list: EnterpriseRef[]) => {
    const stored = getSelectedEntityId();
    setEnterprises(list);
    setEntityId(list.find((e) => e.entityId === stored)?.entityId ?? list[0]?.entityId ?? null);
  }, []);

  /** The server's list wins: a binding made or revoked elsewhere shows here. */
  const syncEnterprises = useCallback(() => {
    listMyEnterprises().then(
      ({ items }) => {
        const list = items.map(({ entityId: id, uscc, name }) => ({ entityId: id, uscc, name }));
        saveEnterprises(list);
        pick(list);
      },
      () => undefined,
    );
  }, [pick]);

  const load = useCallback(() => loadHome(entityId as number), [entityId]);
  const [home, reload, refreshing] = useRemote(entityId === null ? null : String(entityId), load);
  usePullRefresh((options) => {
    syncEnterprises();
    countUnread();
    reload(options);
  }, refreshing);

  // Back from a page that may have changed the score (an upheld objection) reloads quietly.
  const shown = useRef(false);
  useDidShow(() => {
    if (!isSignedIn()) {
      void Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    pick(getUser()?.enterprises ?? []);
    if (shown.current) reload({ quiet: true });
    else syncEnterprises();
    shown.current = true;
    countUnread();
  });

  const onPickEnterprise = (index: number) => {
    const picked = enterprises?.[index];
    if (!picked) return;
    selectEntity(picked.entityId);
    setEntityId(picked.entityId);
  };

  const onLogout = async () => {
    const { confirm } = await Taro.showModal({
      title: zh.home.logoutTitle,
      content: zh.home.logoutContent,
      confirmText: zh.home.logout,
      cancelText: zh.common.cancel,
    });
    if (!confirm) return;
    await signOut();
    void Taro.reLaunch({ url: ROUTES.login });
  };

  if (enterprises === null) return <Loading />;

  const current = enterprises.find((e) => e.entityId === entityId);
  return (
    <View className="page home">
      {current ? (
        <View className="card home__entity">
          <Text className="home__name" data-testid="entity-name">
            {current.name}
          </Text>
          <Text className="muted">
            {zh.home.uscc}：{current.uscc}
          </Text>
          <View className="home__links">
            {enterprises.length > 1 ? (
              <Picker
                mode="selector"
                range={enterprises.map((e) => e.name)}
                value={Math.max(0, enterprises.indexOf(current))}
                onChange={(e) => onPickEnterprise(Number(e.detail.value))}
              >
                <Text className="home__link">{zh.home.switchEnterprise}</Text>
              </Picker>
            ) : null}
            <Text className="home__link" onClick={() => void Taro.navigateTo({ url: ROUTES.verify })}>
              {zh.home.addEnterprise}
            </Text>
          </View>
        </View>
      ) : null}

      {entityId === null ? null : (
        <View
          className={`card home__messages ${unread > 0 ? 'home__messages--unread' : ''}`}
          data-testid="messages-link"
          onClick={() => void Taro.navigateTo({ url: ROUTES.messages })}
        >
          <Text className="home__messages-label">{zh.messages.title}</Text>
          <Text className="home__messages-count">{unread > 0 ? zh.messages.linkUnread(unread) : '›'}</Text>
        </View>
      )}

      {entityId === null ? (
        <View>
          <Empty title={zh.home.notBound} hint={zh.home.notBoundHint} />
          <Button
            className="btn-primary"
            data-testid="verify-now"
            onClick={() => void Taro.navigateTo({ url: ROUTES.verify })}
          >
            {zh.home.verifyNow}
          </Button>
        </View>
      ) : home.status === 'loading' ? (
        <Loading />
      ) : home.status === 'error' ? (
        <ErrorState message={home.message} onRetry={reload} />
      ) : home.data.evaluation === null ? (
        <Empty title={zh.home.noEvaluation} hint={zh.home.noEvaluationHint} />
      ) : (
        <EvaluationView data={{ ...home.data, evaluation: home.data.evaluation }} onRetryTrend={() => reload()} />
      )}

      <View className="home__footer">
        <Text className="muted">{zh.home.pullHint}</Text>
        <Text className="home__help" data-testid="help" onClick={() => void Taro.navigateTo({ url: ROUTES.help })}>
          {zh.help.link}
        </Text>
        <Text className="home__help" data-testid="my-data" onClick={() => void Taro.navigateTo({ url: ROUTES.myData })}>
          {zh.myData.link}
        </Text>
        <Text className="home__logout" data-testid="logout" onClick={() => void onLogout()}>
          {zh.home.logout}
        </Text>
      </View>
    </View>
  );
}
