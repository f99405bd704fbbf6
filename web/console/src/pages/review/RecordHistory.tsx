import { useQuery } from '@tanstack/react-query';
import { Spin, Tag, Timeline, Typography } from 'antd';
import { SEVERITY_LABELS, type Severity } from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';

type Version = Ok<'listRecordVersions'>['items'][number];

const FIELD_LABELS: Record<string, string> = {
  status: '状态',
  category: '类别',
  severity: '严重程度',
  amount: '金额或数值',
  grade: '等级',
  occurredOn: '发生日期',
  validFrom: '公示起始',
  validTo: '公示截止',
  documentNo: '文书号',
  authority: '决定机关',
  summary: '摘要',
};

/** The value of a changed field as a reviewer reads it. */
function shown(v: Version, field: string): string {
  const raw = v[field as keyof Version];
  if (raw === null || raw === undefined || raw === '') return '—';
  if (field === 'status') return v.statusLabel;
  if (field === 'severity') return SEVERITY_LABELS[raw as Severity] ?? String(raw);
  return String(raw);
}

/** 版本历史: every version of the disputed record, with why it exists and what it changed. */
export function RecordHistory({ recordId, current }: { recordId: number; current: number }) {
  const { client } = useApi();
  const q = useQuery({
    queryKey: ['record-versions', recordId],
    queryFn: () =>
      data(client.GET('/api/review/records/{recordId}/versions', { params: { path: { recordId: String(recordId) } } })),
  });
  if (q.isError) return <Failure compact error={q.error} retry={() => void q.refetch()} />;
  if (!q.data) return <Spin size="small" />;
  const items = q.data.items;
  return (
    <Timeline
      data-testid="record-history"
      items={items.map((v, i) => ({
        color: v.version === current ? 'blue' : 'gray',
        content: (
          <div data-testid="record-version">
            <div>
              <Typography.Text strong>第 {v.version} 版</Typography.Text> {v.reasonLabel}{' '}
              <Typography.Text type="secondary">{chinaTime(v.recordedAt)}</Typography.Text>
              {v.version === current && <Tag style={{ marginLeft: 8 }}>本案所涉版本</Tag>}
              {!v.supersededAt && <Tag color="blue">当前</Tag>}
            </div>
            {i > 0 && v.changed.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {v.changed
                  .map((f) => `${FIELD_LABELS[f] ?? f}：${shown(items[i - 1]!, f)} → ${shown(v, f)}`)
                  .join('；')}
              </Typography.Text>
            )}
          </div>
        ),
      }))}
    />
  );
}
