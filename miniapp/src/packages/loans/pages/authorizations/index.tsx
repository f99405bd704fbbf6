import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { AUTHORIZATION_STATE_LABELS, type DataAuthorization } from '@heihe/shared/dist/api/loans';
import { userMessage } from '@/api';
import { Empty, Loading, NotFound, RemoteError } from '@/components/StatusView';
import { usePullRefresh } from '@/hooks/usePullRefresh';
import { useRemote } from '@/hooks/useRemote';
import { idParam } from '@/routes';
import { formatDateTimeCst } from '@/utils/format';
import { listMyAuthorizations, revokeDataAuthorization } from '../../api';
import { loansText as t } from '../../text';
import '../../loans.css';

function Item({ a, onChanged }: { a: DataAuthorization; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    const { confirm } = await Taro.showModal({
      title: t.revokeTitle,
      content: t.revokeContent(a.bankName),
      confirmText: t.revoke,
      confirmColor: '#b91c1c',
      cancelText: '取消',
    });
    if (!confirm) return;
    setBusy(true);
    try {
      await revokeDataAuthorization(a.id);
      void Taro.showToast({ title: t.revoked, icon: 'success' });
      onChanged();
    } catch (error) {
      void Taro.showToast({ title: userMessage(error), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card" data-testid={`authorization-${a.id}`}>
      <View className="product__head">
        <Text className="product__name">{a.bankName}</Text>
        <Text className={`status status--${a.state}`} data-testid="authorization-state">
          {AUTHORIZATION_STATE_LABELS[a.state]}
        </Text>
      </View>
      <Text className="muted product__bank">{a.purpose}</Text>
      <Text className="line">{a.scopes.map((s) => t.scopeLabels[s]).join('、')}</Text>
      <Text className="line">
        {a.revokedAt ? t.revokedAt(formatDateTimeCst(a.revokedAt)) : t.until(formatDateTimeCst(a.expiresAt))}
      </Text>
      <Text className="line" data-testid="authorization-reads">
        {t.reads(a.reads.length)}
        {a.reads[0] ? `，${t.lastRead(formatDateTimeCst(a.reads[0].at))}` : ''}
      </Text>
      {a.reads.length > 1 ? (
        <View className="reads" data-testid="authorization-read-times">
          {a.reads.slice(0, 10).map((r, i) => (
            <Text key={`${r.at}-${i}`} className="muted reads__item">
              {formatDateTimeCst(r.at)}
            </Text>
          ))}
        </View>
      ) : null}
      {a.state === 'active' ? (
        <Button
          className={`btn-plain revoke ${busy ? 'btn--disabled' : ''}`}
          disabled={busy || undefined}
          data-testid="revoke"
          onClick={() => void revoke()}
        >
          {t.revoke}
        </Button>
      ) : null}
    </View>
  );
}

/** Every bank this enterprise authorised: what, until when, each read the bank made, and 撤销 while it lasts. */
export default function AuthorizationsPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const load = useCallback(() => listMyAuthorizations(entityId as number), [entityId]);
  const [state, reload, refreshing] = useRemote(entityId === null ? null : String(entityId), load);
  usePullRefresh(reload, refreshing);

  if (entityId === null) return <NotFound />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  const { items } = state.data;
  if (!items.length) return <Empty title={t.noAuthorizations} hint={t.noAuthorizationsHint} />;
  return (
    <View className="page">
      {items.map((a) => (
        <Item key={a.id} a={a} onChanged={() => reload({ quiet: true })} />
      ))}
    </View>
  );
}
