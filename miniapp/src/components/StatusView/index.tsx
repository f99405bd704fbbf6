import { Button, Text, View } from '@tarojs/components';
import { zh } from '@/i18n/zh';
import './index.css';

export function Loading() {
  return (
    <View className="status-view" ariaRole="status">
      <View className="status-view__spinner" />
      <Text className="status-view__text">{zh.common.loading}</Text>
    </View>
  );
}

interface EmptyProps {
  title?: string;
  hint?: string;
}

export function Empty({ title = zh.common.empty, hint }: EmptyProps) {
  return (
    <View className="status-view">
      <Text className="status-view__title">{title}</Text>
      {hint ? <Text className="status-view__text">{hint}</Text> : null}
    </View>
  );
}

interface ErrorStateProps {
  message: string;
  onRetry?: () => void;
}

export function ErrorState({ message, onRetry }: ErrorStateProps) {
  return (
    <View className="status-view" ariaRole="alert">
      <Text className="status-view__text status-view__text--error">{message}</Text>
      {onRetry ? (
        <Button className="btn-plain status-view__retry" size="mini" onClick={onRetry}>
          {zh.common.retry}
        </Button>
      ) : null}
    </View>
  );
}
