import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { hasPrivacyConsent, recordPrivacyConsent, signInWithWechat, userMessage } from '@/api';
import { zh } from '@/i18n/zh';
import { ROUTES } from '@/routes';
import './index.css';

export default function LoginPage() {
  const [agreed, setAgreed] = useState(hasPrivacyConsent);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const showPolicy = () => {
    void Taro.showModal({
      title: zh.login.privacyTitle,
      content: zh.login.privacySummary,
      showCancel: false,
      confirmText: zh.login.privacyOk,
    });
  };

  const onLogin = async () => {
    if (!agreed) {
      void Taro.showToast({ title: zh.login.consentRequired, icon: 'none' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      recordPrivacyConsent(new Date());
      await signInWithWechat();
      await Taro.reLaunch({ url: ROUTES.index });
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

      <Button
        className="btn-primary login__button"
        loading={busy}
        disabled={busy || !agreed}
        onClick={() => void onLogin()}
      >
        {busy ? zh.login.loggingIn : zh.login.wechatLogin}
      </Button>

      {error !== null ? <Text className="login__error">{error}</Text> : null}

      <View className="login__consent">
        <View
          className={`login__checkbox ${agreed ? 'login__checkbox--on' : ''}`}
          ariaRole="checkbox"
          ariaLabel={zh.login.consentPrefix + zh.login.privacyPolicy}
          data-checked={agreed}
          onClick={() => setAgreed((v) => !v)}
        />
        <Text className="login__consent-text" onClick={() => setAgreed((v) => !v)}>
          {zh.login.consentPrefix}
        </Text>
        <Text className="login__link" onClick={showPolicy}>
          {zh.login.privacyPolicy}
        </Text>
      </View>
    </View>
  );
}
