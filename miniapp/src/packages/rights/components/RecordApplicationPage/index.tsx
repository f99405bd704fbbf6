import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { ComponentType } from 'react';
import { RecordCard } from '@/components/RecordCard';
import { Loading, NotFound, RemoteError } from '@/components/StatusView';
import { useRecord } from '@/hooks/useRecord';
import { zh } from '@/i18n/zh';
import { applicationUrl, idParam } from '@/routes';
import type { Uploader } from '../EvidenceList/useEvidenceUploads';
import { showFiled } from '../../filed';

/** The props of a form about one record. */
export interface RecordFormProps<R> {
  entityId: number;
  recordId: number;
  onSubmitted: (result: R) => void;
  uploader?: Uploader;
}

interface RecordApplicationPageProps {
  kind: 'objection' | 'repair';
  /** The record card's title. */
  recordTitle: string;
  /** The toast once filed. */
  done: string;
  form: ComponentType<RecordFormProps<{ id: number }>>;
}

/**
 * A page that files an application about one record (entityId and recordId in the route): the
 * record, then the kind's form; once filed, the application itself.
 */
export function RecordApplicationPage({ kind, recordTitle, done, form: Form }: RecordApplicationPageProps) {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const recordId = idParam(params.recordId);
  const [state, reload] = useRecord(entityId, recordId);

  if (entityId === null || recordId === null) return <NotFound />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  if (state.data.record === null) return <NotFound hint={zh.record.notFound} />;

  const open = state.data.record.openApplication ?? null;
  return (
    <View className="page">
      <RecordCard record={state.data.record} points={state.data.points} title={recordTitle} />
      <View className="card">
        {open ? (
          <View data-testid="already-open">
            <Text className="muted">{zh.record.inProgressForm}</Text>
            <Button
              className="btn-primary"
              data-testid="open-application"
              onClick={() => void Taro.redirectTo({ url: applicationUrl(open.kind, open.id) })}
            >
              {zh.record.viewApplication}
            </Button>
          </View>
        ) : (
          <Form entityId={entityId} recordId={recordId} onSubmitted={(a) => showFiled(kind, done, a.id)} />
        )}
      </View>
    </View>
  );
}
