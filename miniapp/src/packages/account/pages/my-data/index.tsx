import { Text, View } from '@tarojs/components';
import { useCallback } from 'react';
import { getMe } from '@/api';
import type { Me } from '@/api/types';
import { Loading, RemoteError } from '@/components/StatusView';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { formatDateTimeCst } from '@/utils/format';
import '../help/index.css';
import './index.css';

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <View className="help__row" data-testid={testId}>
      <Text className="help__label">{label}</Text>
      <Text className="help__value">{value}</Text>
    </View>
  );
}

const when = (iso: string | null) => (iso ? formatDateTimeCst(iso) : zh.myData.never);

/** What the platform holds about me (PIPL Art. 45), masked as stored; opening it is audited. */
export default function MyDataPage() {
  const load = useCallback(() => getMe(), []);
  const [state, reload] = useRemote<Me>('me', load);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  const me = state.data;
  const f = zh.myData;
  return (
    <View className="page my-data" data-testid="my-data">
      <Text className="muted my-data__intro">{f.intro}</Text>
      <View className="card">
        <Text className="card__title">{f.account}</Text>
        <Row label={f.openid} value={me.user.openid} />
        <Row label={f.createdAt} value={when(me.user.createdAt)} />
        <Row label={f.lastLoginAt} value={when(me.user.lastLoginAt)} />
      </View>
      <View className="card" data-testid="my-consent">
        <Text className="card__title">{f.consents}</Text>
        <Row
          label={f.privacyVersion}
          value={me.privacyConsent.version ? f.versionValue(me.privacyConsent.version) : f.notGiven}
        />
        <Row label={f.consentedAt} value={when(me.privacyConsent.consentedAt)} />
        {!me.privacyConsent.upToDate ? (
          <Text className="muted">{f.newVersion(me.privacyConsent.currentVersion)}</Text>
        ) : null}
      </View>
      <View className="card" data-testid="my-bindings">
        <Text className="card__title">{f.bindings}</Text>
        {me.bindings.length === 0 ? <Text className="muted">{f.noBindings}</Text> : null}
        {me.bindings.map((b) => (
          <View key={`${b.entityId}-${b.boundAt}`} className="my-data__item">
            <Text className="my-data__name">{b.name}</Text>
            <Row label={f.uscc} value={b.uscc} />
            <Row label={f.verifiedAs} value={`${b.verifiedAs.name} ${b.verifiedAs.idNumber}`} testId="verified-as" />
            <Row label={f.method} value={f.methods[b.method] ?? b.method} />
            <Row label={f.boundAt} value={when(b.boundAt)} />
            <Row label={f.status} value={f.statuses[b.status]} />
          </View>
        ))}
      </View>
      <View className="card">
        <Text className="card__title">{f.attempts}</Text>
        {me.verificationAttempts.length === 0 ? <Text className="muted">{f.noAttempts}</Text> : null}
        {me.verificationAttempts.map((a) => (
          <Row key={a.at} label={a.succeeded ? f.passed : f.failed} value={`${formatDateTimeCst(a.at)} ${a.uscc}`} />
        ))}
      </View>
      <View className="card">
        <Text className="card__title">{f.sessions}</Text>
        {me.sessions.map((x) => (
          <Row
            key={x.startedAt}
            label={x.current ? f.thisDevice : f.otherDevice}
            value={f.session(formatDateTimeCst(x.startedAt), formatDateTimeCst(x.lastUsedAt))}
          />
        ))}
      </View>
      <Text className="muted my-data__intro">{f.retention(me.retention.auditDays)}</Text>
    </View>
  );
}
