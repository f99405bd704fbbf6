import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Progress, Row, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { data, type Ok } from '@web/api/client';
import { chinaTime } from '@web/format';
import { Failure } from '../components/Failure';
import { useApi } from '../context';

type UseRow = Ok<'getResultUseStats'>['items'][number];
type ItemRow = Ok<'getIncentiveCheckStats'>['byItem'][number];

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

/** 激励措施查询: how often approval systems asked in the last 30 days, the outcomes, and the measures granted. */
export function IncentivePanel() {
  const { client } = useApi();
  const q = useQuery({
    queryKey: ['incentive-stats'],
    queryFn: () => data(client.GET('/api/results/incentives/stats', { params: { query: { days: 30 } } })),
  });
  const d = q.data;
  return (
    <Card title="守信激励查询（近 30 日）" data-testid="incentive-panel" style={{ height: '100%' }}>
      {q.isError ? (
        <Failure compact error={q.error} retry={() => void q.refetch()} />
      ) : !d ? null : (
        <>
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title="查询次数" value={d.total} />
            </Col>
            <Col span={6}>
              <Statistic title="给予措施" value={d.byOutcome.granted} styles={{ content: { color: '#15803d' } }} />
            </Col>
            <Col span={6}>
              <Statistic title="无可给予措施" value={d.byOutcome.none} />
            </Col>
            <Col span={6}>
              <Tooltip title="严重失信名单或严重行政处罚在公示期内，不论等级均不适用">
                <Statistic title="不予适用" value={d.byOutcome.refused} />
              </Tooltip>
            </Col>
          </Row>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            给予的措施
          </Typography.Title>
          <div data-testid="incentive-measures">
            {d.byMeasure.length ? (
              d.byMeasure.map((m) => (
                <Tag key={m.measure} color="green" style={{ marginBottom: 4 }}>
                  {m.name} {m.count} 次
                </Tag>
              ))
            ) : (
              <Typography.Text type="secondary">近 30 日没有给予措施</Typography.Text>
            )}
          </div>
          <Table<ItemRow>
            style={{ marginTop: 12 }}
            rowKey="itemCode"
            size="small"
            pagination={false}
            dataSource={d.byItem}
            locale={{ emptyText: '近 30 日没有查询' }}
            columns={[
              { title: '审批事项', dataIndex: 'itemCode', render: (c: string) => (c === '*' ? '通用事项' : c) },
              { title: '给予', dataIndex: 'granted', width: 70 },
              { title: '无措施', dataIndex: 'none', width: 70 },
              { title: '不予适用', dataIndex: 'refused', width: 80 },
            ]}
          />
        </>
      )}
    </Card>
  );
}

const hoursText = (h: number | null) =>
  h === null ? '—' : h < 48 ? `${h} 小时` : `${Math.round((h / 24) * 10) / 10} 天`;

/** 信易贷: applications by status across banks, the approval rate, amounts, and how long banks take. */
export function LoanPanel() {
  const { client } = useApi();
  const q = useQuery({ queryKey: ['loan-stats'], queryFn: () => data(client.GET('/api/loans/stats')) });
  const d = q.data;
  return (
    <Card title="信易贷办理" data-testid="loan-panel" style={{ height: '100%' }}>
      {q.isError ? (
        <Failure compact error={q.error} retry={() => void q.refetch()} />
      ) : !d ? null : (
        <>
          <Row gutter={[16, 16]}>
            <Col span={8}>
              <Statistic title="申请笔数" value={d.total} />
            </Col>
            <Col span={8}>
              <Statistic
                title="授信通过率"
                value={d.approvalRate === null ? '—' : (d.approvalRate * 100).toFixed(1)}
                suffix={d.approvalRate === null ? undefined : '%'}
                data-testid="loan-approval-rate"
              />
            </Col>
            <Col span={8}>
              <Statistic
                title="超期未办"
                value={d.overdue}
                styles={d.overdue ? { content: { color: '#cf1322' } } : undefined}
              />
            </Col>
            <Col span={8}>
              <Statistic title="申请金额" value={d.requestedAmount} suffix="万元" />
            </Col>
            <Col span={8}>
              <Statistic title="授信金额" value={d.approvedAmount} suffix="万元" />
            </Col>
            <Col span={8}>
              <Tooltip title={`已办结 ${d.decided} 笔；90% 在 ${hoursText(d.decisionHoursP90)} 内`}>
                <Statistic title="办理用时（中位数）" value={hoursText(d.decisionHoursMedian)} />
              </Tooltip>
            </Col>
          </Row>
          <div style={{ marginTop: 16 }} data-testid="loan-by-status">
            {d.byStatus.map((s) => (
              <Tag key={s.status} style={{ marginBottom: 4 }}>
                {s.label} {s.count}
              </Tag>
            ))}
          </div>
        </>
      )}
    </Card>
  );
}
