import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { getAuthOptions, isSignedIn, listMyEnterprises, saveEnterprises, selectEntity } from '@/api';
import type { Binding } from '@/api/types';
import { ErrorState, Loading } from '@/components/StatusView';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { ROUTES } from '@/routes';
import { VerifyForm } from '../../components/VerifyForm';

export default function VerifyPage() {
  useDidShow(() => {
    if (!isSignedIn()) void Taro.reLaunch({ url: ROUTES.login });
  });
  const [options, reload] = useRemote('options', getAuthOptions);

  const onVerified = async (binding: Binding) => {
    try {
      const { items } = await listMyEnterprises();
      saveEnterprises(items.map(({ entityId, uscc, name }) => ({ entityId, uscc, name })));
    } catch {
      // The binding exists; home reloads the list on its own.
      saveEnterprises([{ entityId: binding.entityId, uscc: binding.uscc, name: binding.name }]);
    }
    selectEntity(binding.entityId);
    void Taro.showToast({ title: zh.verify.done, icon: 'success' });
    void Taro.reLaunch({ url: ROUTES.index });
  };

  if (options.status === 'loading') return <Loading />;
  if (options.status === 'error') return <ErrorState message={options.message} onRetry={reload} />;

  return (
    <View className="page">
      <View className="card">
        <Text className="muted">{zh.verify.intro}</Text>
      </View>
      <View className="card">
        <VerifyForm faceVerification={options.data.faceVerification} onVerified={(b) => void onVerified(b)} />
      </View>
    </View>
  );
}
