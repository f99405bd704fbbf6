import { Alert } from 'antd';
import { messageOf } from '@web/api/errors';

/** The message of the first of a page's actions that failed, above what it acted on. */
export function ActionError({
  actions,
  testId,
}: {
  actions: ReadonlyArray<{ isError: boolean; error: unknown }>;
  testId?: string;
}) {
  const failed = actions.find((a) => a.isError);
  if (!failed) return null;
  return (
    <Alert type="error" showIcon title={messageOf(failed.error)} style={{ marginBottom: 12 }} data-testid={testId} />
  );
}
