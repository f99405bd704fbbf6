import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { zh } from '@/i18n/zh';
import { ROUTES } from '@/routes';
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

const goHome = () => void Taro.reLaunch({ url: ROUTES.index });

/** What was asked for does not exist: no retry, which cannot help, and a way home. */
export function NotFound({ hint = zh.notFound.hint }: { hint?: string }) {
  return (
    <View className="status-view" data-testid="not-found">
      <Text className="status-view__title">{zh.notFound.title}</Text>
      <Text className="status-view__text">{hint}</Text>
      <Button className="btn-plain status-view__retry" size="mini" onClick={goHome} data-testid="go-home">
        {zh.notFound.home}
      </Button>
    </View>
  );
}

/**
 * A failed load as the user should meet it: "not found" with a way home, or the reason with 重试
 * where a retry can help and a way home where it cannot.
 */
export function RemoteError({
  state,
  onRetry,
  notFoundHint,
}: {
  state: { message: string; notFound: boolean; retryable: boolean };
  onRetry: () => void;
  notFoundHint?: string;
}) {
  if (state.notFound) return <NotFound hint={notFoundHint} />;
  if (state.retryable) return <ErrorState message={state.message} onRetry={onRetry} />;
  return (
    <View className="status-view" ariaRole="alert">
      <Text className="status-view__text status-view__text--error">{state.message}</Text>
      <Button className="btn-plain status-view__retry" size="mini" onClick={goHome} data-testid="go-home">
        {zh.notFound.home}
      </Button>
    </View>
  );
}
