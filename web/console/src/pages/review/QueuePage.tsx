import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, DatePicker, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  APPLICATION_KIND_LABELS,
  APPLICATION_KINDS,
  HEIHE_DIVISIONS,
  INDUSTRY_SECTIONS,
  OPEN_STATUSES,
} from '@heihe/shared';
import { data } from '@web/api/client';
import { chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { DeadlineTag } from './DeadlineTag';
import { sortQueue, type QueueItem } from './queue-model';

const PAGE = 50;
const STATUS_LABELS: Record<string, string> = { submitted: '待受理', accepted: '已受理，办理中', returned: '待补正' };
type Kind = (typeof APPLICATION_KINDS)[number];
type Status = (typeof OPEN_STATUSES)[number];

export const caseLink = (i: Pick<QueueItem, 'kind' | 'id'>) => `/review/${i.kind}/${i.id}`;

const columns: ColumnsType<QueueItem> = [
  {
    title: '办理期限',
    key: 'deadline',
    width: 230,
    render: (_, i) => <DeadlineTag deadline={i.deadline} />,
  },
  {
    title: '类型',
    key: 'kind',
    width: 140,
    render: (_, i) => (
      <span style={{ whiteSpace: 'nowrap' }}>
        <Tag>{i.kindLabel}</Tag>
        <Typography.Text type="secondary">#{i.id}</Typography.Text>
      </span>
    ),
  },
  {
    title: '企业',
    key: 'entity',
    width: 230,
    render: (_, i) => (
      <div>
        <Link to={caseLink(i)} data-testid="case-link">
          {i.entityName}
        </Link>
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {i.uscc}
          </Typography.Text>
        </div>
      </div>
    ),
  },
  { title: '事由', dataIndex: 'subject', width: 200, ellipsis: { showTitle: true } },
  { title: '状态', dataIndex: 'statusLabel', width: 130 },
  {
    title: '提交时间',
    dataIndex: 'filedAt',
    width: 150,
    // From 1600 px: at 1280 the columns before it fill the width, and a reviewer sorts by deadline anyway.
    responsive: ['xxl'],
    render: (t: string) => chinaTime(t),
  },
  {
    title: '材料',
    key: 'evidence',
    width: 64,
    responsive: ['lg'],
    render: (_, i) => i.evidence.length,
  },
];

/** The review queue: every open objection, good-information report and repair application. */
export default function QueuePage({ tab }: { tab: 'open' | 'overdue' }) {
  const { client } = useApi();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') ?? undefined) as Kind | undefined;
  const status = (params.get('status') ?? undefined) as Status | undefined;
  const dueBy = params.get('dueBy') ?? undefined;
  const region = params.get('region') ?? undefined;
  const industry = params.get('industry') ?? undefined;
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const query = {
    kind,
    status,
    dueBy,
    region,
    industry,
    escalated: tab === 'overdue' ? ('true' as const) : undefined,
    limit: PAGE,
    offset: (page - 1) * PAGE,
  };
  const q = useQuery({
    queryKey: ['review-queue', query],
    queryFn: () => data(client.GET('/api/review/queue', { params: { query } })),
    placeholderData: (prev) => prev,
  });

  function setFilter(name: string, value: string | undefined) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('page');
    setParams(next, { replace: true });
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(k === 'overdue' ? '/review/overdue' : '/review')}
        items={[
          { key: 'open', label: '全部待办' },
          {
            key: 'overdue',
            label: (
              <Badge count={q.data?.escalated ?? 0} size="small" offset={[10, 0]} data-testid="escalated-count">
                督办（已超期）
              </Badge>
            ),
          },
        ]}
      />
      {q.data?.calendarProblem && (
        <Alert type="warning" showIcon title={q.data.calendarProblem} data-testid="calendar-problem" />
      )}
      <Card size="small">
        <Space wrap>
          <Select
            allowClear
            placeholder="全部类型"
            style={{ width: 150 }}
            value={kind}
            onChange={(v) => setFilter('kind', v)}
            options={APPLICATION_KINDS.map((k) => ({ value: k, label: APPLICATION_KIND_LABELS[k] }))}
            data-testid="filter-kind"
          />
          <Select
            allowClear
            placeholder="全部待办状态"
            style={{ width: 160 }}
            value={status}
            onChange={(v) => setFilter('status', v)}
            options={OPEN_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] ?? s }))}
            data-testid="filter-status"
          />
          <DatePicker
            placeholder="到期日不晚于"
            style={{ width: 160 }}
            onChange={(d) => setFilter('dueBy', d ? d.format('YYYY-MM-DD') : undefined)}
            data-testid="filter-due-by"
          />
          <Select
            allowClear
            placeholder="全部区县"
            style={{ width: 140 }}
            value={region}
            onChange={(v) => setFilter('region', v)}
            options={HEIHE_DIVISIONS.map((d) => ({ value: d.code, label: d.name }))}
            data-testid="filter-region"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全部行业门类"
            style={{ width: 220 }}
            popupMatchSelectWidth={false}
            value={industry}
            onChange={(v) => setFilter('industry', v)}
            options={INDUSTRY_SECTIONS.map((s) => ({ value: s.code, label: `${s.code} ${s.name}` }))}
            data-testid="filter-industry"
          />
          {(kind || status || dueBy || region || industry) && (
            <Button onClick={() => setParams({}, { replace: true })}>清除筛选</Button>
          )}
          <Typography.Text type="secondary">
            {q.data ? `共 ${q.data.total} 件，今日 ${q.data.today}（北京时间）` : ''}
          </Typography.Text>
        </Space>
      </Card>
      {q.isError && !q.data ? (
        <Failure error={q.error} retry={() => void q.refetch()} />
      ) : (
        <>
          {q.isError && <Failure compact error={q.error} retry={() => void q.refetch()} />}
          <Table<QueueItem>
            rowKey={(i) => `${i.kind}-${i.id}`}
            loading={q.isFetching}
            columns={columns}
            dataSource={q.data ? sortQueue(q.data.items) : []}
            size="middle"
            // At 1024 px the table scrolls sideways rather than squeezing the subject out.
            scroll={{ x: 1000 }}
            data-testid="queue"
            onRow={(i) => ({ onDoubleClick: () => navigate(caseLink(i)), 'data-testid': 'queue-row' }) as object}
            locale={{ emptyText: tab === 'overdue' ? '没有超期的案件' : '没有待办案件' }}
            pagination={{
              current: page,
              pageSize: PAGE,
              total: q.data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => {
                const next = new URLSearchParams(params);
                next.set('page', String(p));
                setParams(next);
              },
            }}
          />
        </>
      )}
    </Space>
  );
}
