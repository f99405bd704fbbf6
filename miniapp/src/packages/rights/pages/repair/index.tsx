import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { RecordCard } from '@/components/RecordCard';
import { ErrorState, Loading } from '@/components/StatusView';
import { useRecord } from '@/hooks/useRecord';
import { zh } from '@/i18n/zh';
import { applicationUrl, idParam } from '@/routes';
import { RepairForm } from '../../components/RepairForm';

export default function RepairPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const recordId = idParam(params.recordId);
  const [state, reload] = useRecord(entityId, recordId);

  if (entityId === null || recordId === null) return <ErrorState message={zh.errors.NOT_FOUND} />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={reload} />;
  if (state.data.record === null) return <ErrorState message={zh.record.notFound} />;

  return (
    <View className="page">
      <RecordCard record={state.data.record} points={state.data.points} title={zh.repair.record} />
      <View className="card">
        <RepairForm
          entityId={entityId}
          recordId={recordId}
          onSubmitted={(application) => {
            void Taro.showToast({ title: zh.repair.done, icon: 'success' });
            void Taro.redirectTo({ url: applicationUrl('repair', application.id) });
          }}
        />
      </View>
    </View>
  );
}
