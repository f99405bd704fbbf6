import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback } from 'react';
import type { AnyApplication } from '@/api/types';
import { ErrorState, Loading } from '@/components/StatusView';
import { Timeline } from '@/components/Timeline';
import { usePullRefresh } from '@/hooks/usePullRefresh';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { idParam } from '@/routes';
import { formatDateCst, formatDateTimeCst } from '@/utils/format';
import { DeadlineLine, ScoreChange, subjectOf } from '../../components/ApplicationParts';
import { isApplicationKind, loadApplication } from '../../load';
import './index.css';

const DECIDED = new Set(['upheld', 'confirmed', 'approved', 'rejected']);

function Subject({ application }: { application: AnyApplication }) {
  return (
    <View className="card">
      <Text className="card__title">
        {application.kind === 'good_info' ? zh.application.category : zh.application.record}
      </Text>
      <Text className="application__line">{subjectOf(application)}</Text>
      {application.kind === 'good_info' ? (
        <Text className="application__line">
          {application.categoryLabel} · {application.occurredOn}
        </Text>
      ) : (
        <Text className="muted">{application.record.occurredOn}</Text>
      )}
      {application.kind === 'objection' ? (
        <>
          <Text className="application__label">{zh.application.ground}</Text>
          <Text className="application__line">{application.groundLabel}</Text>
        </>
      ) : null}
      <Text className="application__label">{zh.application.statement}</Text>
      <Text className="application__line">
        {application.kind === 'good_info' ? application.description : application.statement}
      </Text>
      {application.evidence.length > 0 ? (
        <>
          <Text className="application__label">{zh.application.evidence}</Text>
          {application.evidence.map((file) => (
            <Text key={file.id} className="application__file">
              {file.displayName}
            </Text>
          ))}
        </>
      ) : null}
    </View>
  );
}

export default function ApplicationPage() {
  const { params } = useRouter();
  const kind = isApplicationKind(params.kind) ? params.kind : null;
  const id = idParam(params.id);
  const load = useCallback(() => loadApplication(kind as NonNullable<typeof kind>, id as number), [kind, id]);
  const [state, reload, refreshing] = useRemote(kind === null || id === null ? null : `${kind}:${id}`, load);
  usePullRefresh(reload, refreshing);

  if (kind === null || id === null) return <ErrorState message={zh.application.notFound} />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={reload} />;

  const a = state.data;
  const decided = DECIDED.has(a.status);
  return (
    <View className="page application" data-testid="application" data-status={a.status}>
      <View className="card">
        <Text className="muted">{zh.applicationKinds[a.kind]}</Text>
        <Text className={`application__status application__status--${a.status}`} data-testid="application-status">
          {a.statusLabel}
        </Text>
        <Text className="muted">{a.entityName}</Text>
        <DeadlineLine deadline={a.deadline} detailed />
      </View>

      {decided || a.decisionReason ? (
        <View className="card" data-testid="decision">
          <Text className="card__title">{zh.application.decision}</Text>
          <Text className={`application__decision application__status--${a.status}`}>{a.statusLabel}</Text>
          {a.decidedAt ? (
            <Text className="muted">{zh.application.decidedAt(formatDateTimeCst(a.decidedAt))}</Text>
          ) : null}
          {a.decisionReason ? (
            <>
              <Text className="application__label">{zh.application.reason}</Text>
              <Text className="application__line" data-testid="decision-reason">
                {a.decisionReason}
              </Text>
            </>
          ) : null}
        </View>
      ) : null}

      <View className="card">
        <Text className="card__title">{zh.application.outcome}</Text>
        {a.outcome.scoreBefore !== null && a.outcome.scoreAfter !== null ? (
          <ScoreChange outcome={a.outcome} />
        ) : (
          <Text className="muted">{zh.application.noOutcome}</Text>
        )}
      </View>

      <Subject application={a} />

      <View className="card">
        <Text className="card__title">{zh.application.timeline}</Text>
        <Timeline kind={a.kind} events={a.events} />
        <Text className="muted">{zh.applications.filedAt(formatDateCst(a.filedAt))}</Text>
      </View>
    </View>
  );
}
