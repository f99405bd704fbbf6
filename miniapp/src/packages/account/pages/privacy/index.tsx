import { Text, View } from '@tarojs/components';
import { getAuthOptions } from '@/api';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import './index.css';

/** The full privacy terms, readable before signing in (no login needed). */
export default function PrivacyPage() {
  const [options] = useRemote('options', getAuthOptions);
  return (
    <View className="page privacy">
      <View className="card">
        <Text className="privacy__title">{zh.privacy.title}</Text>
        {options.status === 'ready' ? (
          <Text className="muted">{zh.privacy.version(options.data.privacyPolicyVersion)}</Text>
        ) : null}
        {zh.privacy.sections.map((section) => (
          <View key={section.heading} className="privacy__section">
            <Text className="privacy__heading">{section.heading}</Text>
            <Text className="privacy__body">{section.body}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
