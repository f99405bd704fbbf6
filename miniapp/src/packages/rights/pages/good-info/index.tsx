import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { NotFound } from '@/components/StatusView';
import { zh } from '@/i18n/zh';
import { idParam } from '@/routes';
import { formatDateCst } from '@/utils/format';
import { GoodInfoForm } from '../../components/GoodInfoForm';
import { showFiled } from '../../filed';

export default function GoodInfoPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  if (entityId === null) return <NotFound />;

  return (
    <View className="page">
      <View className="card">
        <Text className="muted">{zh.goodInfo.intro}</Text>
      </View>
      <View className="card">
        <GoodInfoForm
          entityId={entityId}
          today={formatDateCst(new Date().toISOString())}
          onSubmitted={(report) => showFiled('good_info', zh.goodInfo.done, report.id)}
        />
      </View>
    </View>
  );
}
