import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import {
  exportMyPersonalData,
  forgetPrivacyConsent,
  getMe,
  listMyEnterprises,
  saveEnterprises,
  unbindEnterprise,
  userMessage,
  withdrawPrivacyConsent,
} from '@/api';
import type { Me, PersonalDataExport } from '@/api/types';
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

/**
 * Hands the export over as a file: downloaded in a browser; in WeChat written to the mini program's
 * user folder and shared to a chat (文件传输助手 keeps it), the way WeChat users save a file.
 */
async function saveExport(data: PersonalDataExport): Promise<'downloaded' | 'shared'> {
  const text = JSON.stringify(data, null, 2);
  const name = `heihe-credit-personal-data-${data.exportedAt.slice(0, 10)}.json`;
  if (process.env.TARO_ENV === 'h5') {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return 'downloaded';
  }
  const filePath = `${Taro.env.USER_DATA_PATH}/${name}`;
  Taro.getFileSystemManager().writeFileSync(filePath, text, 'utf8');
  await Taro.shareFileMessage({ filePath, fileName: name });
  return 'shared';
}

/** The server's list of my enterprises, kept for home after an unbinding. */
async function refreshEnterprises(): Promise<void> {
  const { items } = await listMyEnterprises();
  saveEnterprises(items.map(({ entityId, uscc, name }) => ({ entityId, uscc, name })));
}

/** What the platform holds about me (PIPL Art. 45), masked as stored; opening it is audited. */
export default function MyDataPage() {
  const load = useCallback(() => getMe(), []);
  const [state, reload] = useRemote<Me>('me', load);
  const [busy, setBusy] = useState<string | null>(null);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  const me = state.data;
  const f = zh.myData;
  const active = me.bindings.filter((b) => b.status === 'active');

  /** Runs one action at a time; a failure is said in a toast, and what is shown is reloaded after. */
  // One action at a time. The buttons' disabled is undefined, not false: Taro's H5 button reflects
  // disabled="false", which its CSS greys out.
  const act = async (key: string, run: () => Promise<string | null>) => {
    if (busy !== null) return;
    setBusy(key);
    try {
      const done = await run();
      if (done) void Taro.showToast({ title: done, icon: 'success' });
    } catch (error) {
      void Taro.showToast({ title: userMessage(error), icon: 'none', duration: 3000 });
    } finally {
      setBusy(null);
    }
  };
  const onExport = () =>
    act('export', async () =>
      (await saveExport(await exportMyPersonalData())) === 'shared' ? f.exportShared : f.exportDone,
    );
  const onUnbind = (entityId: number, name: string) =>
    act(`unbind-${entityId}`, async () => {
      const { confirm } = await Taro.showModal({
        title: f.unbindTitle,
        content: f.unbindContent(name),
        confirmText: f.unbind,
        confirmColor: '#dc2626',
        cancelText: zh.common.cancel,
      });
      if (!confirm) return null;
      await unbindEnterprise(entityId);
      await refreshEnterprises();
      reload({ quiet: true });
      return f.unbound;
    });
  const onWithdraw = () =>
    act('withdraw', async () => {
      const { confirm } = await Taro.showModal({
        title: f.withdrawTitle,
        content: f.withdrawContent(active.length),
        confirmText: f.withdrawConfirm,
        confirmColor: '#dc2626',
        cancelText: zh.common.cancel,
      });
      if (!confirm) return null;
      await withdrawPrivacyConsent();
      forgetPrivacyConsent();
      await refreshEnterprises();
      reload({ quiet: true });
      return f.withdrawn;
    });
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
        {me.privacyConsent.withdrawnAt ? (
          <Row label={f.withdrawnAt} value={when(me.privacyConsent.withdrawnAt)} />
        ) : null}
        {me.privacyConsent.version && !me.privacyConsent.upToDate ? (
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
            <Row
              label={f.status}
              value={
                b.revokedReason
                  ? `${f.statuses[b.status]}（${f.revokedReasons[b.revokedReason]}）`
                  : f.statuses[b.status]
              }
              testId="binding-status"
            />
            {b.status === 'active' ? (
              <Button
                className="btn-plain my-data__danger"
                data-testid="unbind"
                loading={busy === `unbind-${b.entityId}`}
                disabled={busy !== null || undefined}
                onClick={() => void onUnbind(b.entityId, b.name)}
              >
                {f.unbind}
              </Button>
            ) : null}
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
      <View className="card" data-testid="my-data-actions">
        <Text className="card__title">{f.actions}</Text>
        <Text className="my-data__action-title">{f.exportTitle}</Text>
        <Text className="muted my-data__hint">{f.exportHint}</Text>
        <Button className="btn-plain" data-testid="export" loading={busy === 'export'} onClick={() => void onExport()}>
          {busy === 'export' ? f.exporting : f.exportButton}
        </Button>
        {me.privacyConsent.version ? (
          <View className="my-data__withdraw">
            <Text className="my-data__action-title">{f.withdraw}</Text>
            <Text className="muted my-data__hint">{f.withdrawHint}</Text>
            <Button
              className="btn-plain my-data__danger"
              data-testid="withdraw"
              loading={busy === 'withdraw'}
              disabled={busy !== null || undefined}
              onClick={() => void onWithdraw()}
            >
              {f.withdraw}
            </Button>
          </View>
        ) : null}
      </View>
      <Text className="muted my-data__intro">{f.retention(me.retention.auditDays)}</Text>
    </View>
  );
}
