import { Alert, Button, Result } from 'antd';
import { ApiError, messageOf, NETWORK } from '@web/api/errors';

/** What a failed query shows: the API's message, and a retry when asking again may help. */
export function Failure({ error, retry, compact }: { error: unknown; retry: () => void; compact?: boolean }) {
  const offline = error instanceof ApiError && (error.code === NETWORK || error.status >= 500);
  const action = (
    <Button type="primary" onClick={retry} data-testid="retry">
      重试
    </Button>
  );
  if (compact) return <Alert type="error" showIcon title={messageOf(error)} action={action} data-testid="failure" />;
  return (
    <Result
      status={offline ? 'warning' : 'error'}
      title={offline ? '连接中断' : '加载失败'}
      subTitle={messageOf(error)}
      extra={action}
      data-testid="failure"
    />
  );
}
