import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Progress, Row, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { data, type Ok } from '@web/api/client';
import { chinaTime } from '@web/format';
import { Failure } from '../components/Failure';
import { useApi } from '../context';

type UseRow = Ok<'getResultUseStats'>['items'][number];

const KIND_LABELS: Record<string, string> = { department: '部门', bank: '银行', association: '行业协会' };

/** 推送投递: what the outbox still has to deliver to departments and users, and what it gave up on. */
export function DeliveryPanel() {
  const { client } = useApi();
  const q = useQuery({ queryKey: ['outbox-status'], queryFn: () => data(client.GET('/api/outbox/status')) });
  return (
    <Card title="结果推送投递" data-testid="delivery-panel">
      {q.isError ? (
        <Failure compact error={q.error} retry={() => void q.refetch()} />
      ) : !q.data ? null : (
        <>
          <Row gutter={16}>
            <Col span={8}>
              <Statistic title="待投递" value={q.data.pending} />
            </Col>
            <Col span={8}>
              <Statistic title="重试中" value={q.data.retrying} />
            </Col>
            <Col span={8}>
              <Statistic
                title="已搁置（需处理）"
                value={q.data.parked}
                valueStyle={q.data.parked ? { color: '#cf1322' } : undefined}
              />
            </Col>
          </Row>
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12 }}>
            {q.data.oldestUndeliveredAt
              ? `最早一条未投递消息生成于 ${chinaTime(q.data.oldestUndeliveredAt)}`
              : '没有未投递的消息'}
          </Typography.Text>
        </>
      )}
    </Card>
  );
}

const useColumns = [
  {
    title: '接收方',
    key: 'name',
    render: (_: unknown, r: UseRow) => (
      <div>
        <div>
          {r.name} <Tag>{KIND_LABELS[r.kind] ?? r.kind}</Tag>
        </div>
        <Tooltip title={`依据：${r.legalBasis || '未登记'}`}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            用途：{r.purpose || '未登记'}
          </Typography.Text>
        </Tooltip>
      </div>
    ),
  },
  { title: '拉取结果', dataIndex: 'received', width: 100 },
  { title: '已反馈', dataIndex: 'reported', width: 90 },
  {
    title: '反馈覆盖率',
    key: 'coverage',
    width: 160,
    render: (_: unknown, r: UseRow) =>
      r.coverage === null ? (
        <Typography.Text type="secondary">尚未拉取</Typography.Text>
      ) : (
        <Progress percent={Math.round(r.coverage * 100)} size="small" />
      ),
  },
  {
    title: '采取的措施',
    key: 'measures',
    render: (_: unknown, r: UseRow) =>
      r.byMeasure.length ? (
        r.byMeasure.map((m) => (
          <Tag key={m.measure}>
            {m.name} {m.count}
          </Tag>
        ))
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      ),
  },
];

/** 应用反馈: per recipient, what it received and what it reported doing with it. */
export function ResultUsePanel() {
  const { client } = useApi();
  const q = useQuery({ queryKey: ['result-uses'], queryFn: () => data(client.GET('/api/results/uses/stats')) });
  return (
    <Card title="结果应用反馈（按接收方）" data-testid="result-use-panel">
      {q.isError ? (
        <Failure compact error={q.error} retry={() => void q.refetch()} />
      ) : (
        <Table<UseRow>
          rowKey="clientId"
          size="small"
          loading={!q.data}
          columns={useColumns}
          dataSource={q.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description="还没有登记结果接收方" /> }}
        />
      )}
    </Card>
  );
}
