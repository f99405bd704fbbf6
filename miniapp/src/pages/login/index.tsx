import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { getAuthOptions, hasPrivacyConsent, recordPrivacyConsent, signInWithWechat, userMessage } from '@/api';
import { ErrorState, Loading } from '@/components/StatusView';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { ROUTES } from '@/routes';
import './index.css';

export default function LoginPage() {
  const [options, reload] = useRemote('options', getAuthOptions);
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const version = options.status === 'ready' ? options.data.privacyPolicyVersion : null;
  // The box starts ticked only for the version of the terms this phone already agreed to.
  useEffect(() => {
    if (version !== null) setAgreed(hasPrivacyConsent(version));
  }, [version]);

  if (options.status === 'loading') return <Loading />;
  if (options.status === 'error') return <ErrorState message={options.message} onRetry={reload} />;
  const opts = options.data;

  const onLogin = async () => {
    if (!agreed) {
      void Taro.showToast({ title: zh.login.consentRequired, icon: 'none' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      recordPrivacyConsent(opts.privacyPolicyVersion, new Date());
      const user = await signInWithWechat(opts);
      await Taro.reLaunch({ url: user.enterprises.length > 0 ? ROUTES.index : ROUTES.verify });
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page login">
      <View className="login__hero">
        <Text className="login__title">{zh.appName}</Text>
        <Text className="login__intro">{zh.login.intro}</Text>
      </View>

      <View className="card login__terms" data-testid="privacy-terms">
        <Text className="card__title">{zh.login.privacyTitle}</Text>
        <Text className="login__terms-text">{zh.login.privacySummary}</Text>
        <View className="login__terms-foot">
          <Text className="muted">{zh.login.privacyVersion(opts.privacyPolicyVersion)}</Text>
          <Text
            className="login__link"
            data-testid="privacy-full"
            onClick={() => void Taro.navigateTo({ url: ROUTES.privacy })}
          >
            {zh.login.privacyFull}
          </Text>
        </View>
      </View>

      <View className="login__consent">
        <View
          className={`login__checkbox ${agreed ? 'login__checkbox--on' : ''}`}
          ariaRole="checkbox"
          ariaLabel={zh.login.consentPrefix + zh.login.privacyPolicy}
          data-checked={agreed}
          data-testid="consent"
          onClick={() => setAgreed((v) => !v)}
        />
        <Text className="login__consent-text" onClick={() => setAgreed((v) => !v)}>
          {zh.login.consentPrefix}
        </Text>
        <Text className="login__link" onClick={() => void Taro.navigateTo({ url: ROUTES.privacy })}>
          {zh.login.privacyPolicy}
        </Text>
      </View>

      <Button
        className={`btn-primary login__button ${busy || !agreed ? 'btn--disabled' : ''}`}
        loading={busy || undefined}
        disabled={busy || !agreed || undefined}
        onClick={() => void onLogin()}
        data-testid="login"
      >
        {busy ? zh.login.loggingIn : zh.login.wechatLogin}
      </Button>

      {error !== null ? <Text className="login__error">{error}</Text> : null}
      {opts.demoMode && process.env.TARO_ENV === 'h5' ? (
        <Text className="muted login__demo">{zh.login.demoNote}</Text>
      ) : null}
    </View>
  );
}
