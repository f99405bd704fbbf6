import { useQuery } from '@tanstack/react-query';
import { Alert, Tag, Typography } from 'antd';
import { data } from '@web/api/client';
import { signedPoints } from '@web/format';

import { useApi } from '../../context';

/** The exact score change if the case were decided for the enterprise now (previewDecision). */
export function DecisionPreview({ kind, id }: { kind: 'objection' | 'repair'; id: number }) {
  const { client } = useApi();
  const q = useQuery({
    queryKey: ['decision-preview', kind, id],
    queryFn: () => data(client.GET('/api/review/{kind}/{id}/preview', { params: { path: { kind, id: String(id) } } })),
  });
  if (!q.data) return null;
  const p = q.data;
  const delta = p.scoreAfter - p.scoreBefore;
  return (
    <Alert
      type="info"
      style={{ marginBottom: 12 }}
      data-testid="decision-preview"
      title={
        <span>
          {p.assumption}：{p.scoreBefore} 分（{p.gradeBefore} 级）→{' '}
          <Typography.Text strong>
            {p.scoreAfter} 分（{p.gradeAfter} 级）
          </Typography.Text>{' '}
          <Tag color={delta > 0 ? 'green' : delta < 0 ? 'red' : 'default'}>
            {delta === 0 ? '评分不变' : `${signedPoints(delta)} 分`}
          </Tag>
        </span>
      }
      description={`按现行模型第 ${p.modelVersion} 版与当前数据精确试算，未写入任何数据。`}
    />
  );
}
