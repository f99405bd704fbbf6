import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback } from 'react';
import type { AnyApplication } from '@/api/types';
import { Loading, NotFound, RemoteError } from '@/components/StatusView';
import { Timeline } from '@/components/Timeline';
import { usePullRefresh } from '@/hooks/usePullRefresh';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { idParam } from '@/routes';
import { formatDateCst, formatDateTimeCst } from '@/utils/format';
import { DeadlineLine, ScoreChange, subjectOf } from '../../components/ApplicationParts';
import { OwnFiles } from '../../components/OwnFiles';
import { ResubmitForm } from '../../components/ResubmitForm';
import { isApplicationKind, loadApplication } from '../../load';
import './index.css';

const DECIDED = new Set(['upheld', 'confirmed', 'approved', 'rejected']);

function Subject({ application }: { application: AnyApplication }) {
  if (application.kind === 'good_info') {
    return (
      <View className="card" data-testid="subject">
        <Text className="card__title">{zh.application.report}</Text>
        <Text className="application__label">{zh.application.category}</Text>
        <Text className="application__line">{application.categoryLabel}</Text>
        {application.level ? (
          <>
            <Text className="application__label">{zh.application.level}</Text>
            <Text className="application__line" data-testid="good-info-level">
              {zh.honourLevels[application.level]}
            </Text>
          </>
        ) : null}
        <Text className="application__label">{zh.application.itemTitle}</Text>
        <Text className="application__line">{application.title}</Text>
        <Text className="application__label">{zh.application.occurredOn}</Text>
        <Text className="application__line">{application.occurredOn}</Text>
        <Text className="application__label">{zh.application.statement}</Text>
        <Text className="application__line">{application.description}</Text>
        <Files application={application} />
      </View>
    );
  }
  return (
    <View className="card" data-testid="subject">
      <Text className="card__title">{zh.application.record}</Text>
      <Text className="application__line">{subjectOf(application)}</Text>
      <Text className="muted">{application.record.occurredOn}</Text>
      {application.kind === 'objection' ? (
        <>
          <Text className="application__label">{zh.application.ground}</Text>
          <Text className="application__line">{application.groundLabel}</Text>
        </>
      ) : null}
      <Text className="application__label">{zh.application.statement}</Text>
      <Text className="application__line" data-testid="statement-text">
        {application.statement}
      </Text>
      <Files application={application} />
    </View>
  );
}

function Files({ application }: { application: AnyApplication }) {
  if (application.evidence.length === 0) return null;
  return (
    <>
      <Text className="application__label">{zh.application.evidence}</Text>
      <OwnFiles files={application.evidence} />
    </>
  );
}

export default function ApplicationPage() {
  const { params } = useRouter();
  const kind = isApplicationKind(params.kind) ? params.kind : null;
  const id = idParam(params.id);
  const load = useCallback(() => loadApplication(kind as NonNullable<typeof kind>, id as number), [kind, id]);
  const [state, reload, refreshing] = useRemote(kind === null || id === null ? null : `${kind}:${id}`, load);
  usePullRefresh(reload, refreshing);

  if (kind === null || id === null) return <NotFound hint={zh.application.notFound} />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error')
    return <RemoteError state={state} onRetry={reload} notFoundHint={zh.application.notFound} />;

  const a = state.data;
  const decided = DECIDED.has(a.status);
  return (
    <View className="page application" data-testid="application" data-status={a.status}>
      {a.status === 'returned' ? (
        <ResubmitForm key={a.events.length} application={a} onResubmitted={() => reload()} />
      ) : null}
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
