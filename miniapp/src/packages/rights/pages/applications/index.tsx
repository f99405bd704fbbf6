import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useCallback, useRef } from 'react';
import type { AnyApplication } from '@/api/types';
import { Empty, Loading, NotFound, RemoteError } from '@/components/StatusView';
import { usePullRefresh } from '@/hooks/usePullRefresh';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { applicationUrl, idParam } from '@/routes';
import { formatDateCst } from '@/utils/format';
import { DeadlineLine, ScoreChange, subjectOf } from '../../components/ApplicationParts';
import { loadMyApplications } from '../../load';
import './index.css';

function Item({ application }: { application: AnyApplication }) {
  return (
    <View
      className="card application-item"
      data-testid={`application-${application.kind}-${application.id}`}
      onClick={() => void Taro.navigateTo({ url: applicationUrl(application.kind, application.id) })}
    >
      <View className="application-item__head">
        <Text className="application-item__kind">{zh.applicationKinds[application.kind]}</Text>
        <Text className={`application-item__status application-item__status--${application.status}`}>
          {application.statusLabel}
        </Text>
      </View>
      <Text className="application-item__subject">{subjectOf(application)}</Text>
      <Text className="muted">{zh.applications.filedAt(formatDateCst(application.filedAt))}</Text>
      <DeadlineLine deadline={application.deadline} />
      <ScoreChange outcome={application.outcome} />
    </View>
  );
}

export default function ApplicationsPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const load = useCallback(() => loadMyApplications(entityId as number), [entityId]);
  const [state, reload, refreshing] = useRemote(entityId === null ? null : String(entityId), load);
  usePullRefresh(reload, refreshing);

  // Coming back from a detail page shows any change at once, without a spinner.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) reload({ quiet: true });
    shown.current = true;
  });

  if (entityId === null) return <NotFound />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  if (state.data.length === 0) return <Empty title={zh.applications.empty} hint={zh.applications.emptyHint} />;

  return (
    <View className="page">
      {state.data.map((application) => (
        <Item key={`${application.kind}-${application.id}`} application={application} />
      ))}
      <Text className="muted applications__hint">{zh.home.pullHint}</Text>
    </View>
  );
}
