import { Text, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import { useCallback, useRef } from 'react';
import { AUTHORIZATION_STATE_LABELS, type LoanApplication } from '@heihe/shared/dist/api/loans';
import { Empty, Loading, NotFound, RemoteError } from '@/components/StatusView';
import { usePullRefresh } from '@/hooks/usePullRefresh';
import { useRemote } from '@/hooks/useRemote';
import { idParam } from '@/routes';
import { formatDateCst, formatDateTimeCst } from '@/utils/format';
import { listMyLoanApplications } from '../../api';
import { loansText as t } from '../../text';
import '@/components/Timeline/index.css';
import '../../loans.css';

function Outcome({ a }: { a: LoanApplication }) {
  if (a.status === 'approved' || a.status === 'disbursed')
    return <Text className="line line--good">{t.approved(a.approvedAmount ?? 0, a.approvedRate ?? 0)}</Text>;
  if (a.status === 'rejected') return <Text className="line line--bad">{t.rejected(a.rejectReason ?? '')}</Text>;
  return a.overdue ? (
    <Text className="line line--warn">{t.overdue(formatDateTimeCst(a.dueAt))}</Text>
  ) : (
    <Text className="line">{t.due(formatDateTimeCst(a.dueAt))}</Text>
  );
}

function Item({ a, open }: { a: LoanApplication; open: boolean }) {
  return (
    <View className="card" data-testid={`loan-application-${a.id}`}>
      <View className="product__head">
        <Text className="product__name">{a.productName}</Text>
        <Text className={`status status--${a.status}`} data-testid="loan-status">
          {a.statusLabel}
        </Text>
      </View>
      <Text className="muted product__bank">{a.bankName}</Text>
      <Text className="line">{t.amountLine(a.amount, a.termMonths)}</Text>
      <Outcome a={a} />
      <Text className="muted line">
        {t.authLine(AUTHORIZATION_STATE_LABELS[a.authorization.state], formatDateCst(a.authorization.expiresAt))}
      </Text>
      {open ? (
        <View className="timeline" data-testid="loan-timeline" style={{ marginTop: '10px' }}>
          {a.timeline.map((e, i) => (
            <View
              key={`${e.at}-${i}`}
              className={`timeline__item ${i === a.timeline.length - 1 ? 'timeline__item--current' : ''}`}
            >
              <View className="timeline__dot" />
              <View className="timeline__body">
                <Text className="timeline__title">{e.statusLabel}</Text>
                <Text className="muted">{formatDateTimeCst(e.at)}</Text>
                {e.note ? <Text className="timeline__note">{e.note}</Text> : null}
              </View>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

/** The enterprise's loan applications, newest first: status, what the bank decided, the SLA and each step. */
export default function LoanApplicationsPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const focus = idParam(params.id);
  const load = useCallback(() => listMyLoanApplications(entityId as number), [entityId]);
  const [state, reload, refreshing] = useRemote(entityId === null ? null : String(entityId), load);
  usePullRefresh(reload, refreshing);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) reload({ quiet: true });
    shown.current = true;
  });

  if (entityId === null) return <NotFound />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  const { items } = state.data;
  if (!items.length) return <Empty title={t.noApplications} hint={t.noApplicationsHint} />;
  return (
    <View className="page">
      {items.map((a, i) => (
        <Item key={a.id} a={a} open={focus === null ? i === 0 : a.id === focus} />
      ))}
    </View>
  );
}
