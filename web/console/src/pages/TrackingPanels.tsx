import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row, Select, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { data, type Ok } from '@web/api/client';
import { chinaTime } from '@web/format';
import { Failure } from '../components/Failure';
import { useApi } from '../context';

// ECharts (~1 MB) loads with the charts, never with the first route.
const charts = () => import('./TrackingCharts');
const GradeHistoryChart = lazy(() => charts().then((m) => ({ default: m.GradeHistoryChart })));
const StackedBars = lazy(() => charts().then((m) => ({ default: m.StackedBars })));
const Bars = lazy(() => charts().then((m) => ({ default: m.Bars })));
const OutcomesChart = lazy(() => charts().then((m) => ({ default: m.OutcomesChart })));
const CycleDurationChart = lazy(() => charts().then((m) => ({ default: m.CycleDurationChart })));

const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
type Grade = (typeof GRADES)[number];
const RANK: Record<Grade, number> = { A: 0, B: 1, C: 2, D: 3, E: 4 };

/** 'YYYY-MM-DD' in China time. */
const chinaDay = (iso: string) => chinaTime(iso).slice(0, 10);
const cycleName = (c: { id: number; asOf: string }) => `第 ${c.id} 批（${chinaDay(c.asOf)}）`;

/** A card whose body is the query's failure, a spinner, or what `children` makes of the data. */
function Panel<T>({
  title,
  testId,
  q,
  extra,
  children,
}: {
  title: string;
  testId: string;
  q: { isError: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  extra?: ReactNode;
  children: (d: T) => ReactNode;
}) {
  return (
    <Card title={title} data-testid={testId} extra={extra} style={{ height: '100%' }}>
      {q.isError ? (
        <Failure compact error={q.error} retry={() => void q.refetch()} />
      ) : q.data === undefined ? (
        <Spin />
      ) : (
        children(q.data)
      )}
    </Card>
  );
}

const ChartSpin = () => <Spin style={{ display: 'block', margin: 48 }} />;

/** 等级分布变化: counts by grade per finished scoring cycle. */
export function GradeHistoryPanel() {
  const { client } = useApi();
  const q = useQuery({
    queryKey: ['grade-history'],
    queryFn: () => data(client.GET('/api/statistics/grades/history')),
  });
  return (
    <Panel title="等级分布变化（按评分批次）" testId="grade-history-panel" q={q}>
      {(d) =>
        d.cycles.length ? (
          <Suspense fallback={<ChartSpin />}>
            <GradeHistoryChart cycles={d.cycles} />
          </Suspense>
        ) : (
          <Empty description="还没有完成的评分批次：评分周期运行完成后，这里按批次显示各等级主体数的变化" />
        )
      }
    </Panel>
  );
}

type Migrations = Ok<'getGradeMigrations'>;
type MatrixRow = { from: Grade | null } & Record<Grade, number>;

/** The migration matrix's rows: each grade of the previous cycle, then the entities it did not grade. */
export function matrixRows(m: Pick<Migrations, 'cells'>): MatrixRow[] {
  const row = (from: Grade | null) =>
    ({
      from,
      ...Object.fromEntries(GRADES.map((to) => [to, m.cells.find((c) => c.from === from && c.to === to)?.count ?? 0])),
    }) as MatrixRow;
  const rows = GRADES.map(row);
  const fresh = row(null);
  return GRADES.some((g) => fresh[g] > 0) ? [...rows, fresh] : rows;
}

function cellStyle(from: Grade | null, to: Grade, count: number) {
  if (!count || from === null) return undefined;
  if (RANK[to] < RANK[from]) return { background: '#dcfce7', color: '#166534' };
  if (RANK[to] > RANK[from]) return { background: '#fee2e2', color: '#991b1b' };
  return { background: '#f1f5f9' };
}

/** 等级迁移: from the grade in the cycle before to the grade in the chosen cycle (default the last). */
export function MigrationPanel() {
  const { client } = useApi();
  const [cycleId, setCycleId] = useState<number | undefined>(undefined);
  const q = useQuery({
    queryKey: ['grade-migrations', cycleId ?? 'last'],
    queryFn: () =>
      data(
        client.GET('/api/statistics/grades/migrations', {
          params: { query: cycleId ? { cycleId: String(cycleId) } : {} },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const choices = q.data?.choices ?? [];
  const picker =
    choices.length > 1 ? (
      <Select
        size="small"
        aria-label="选择评分批次"
        data-testid="migration-cycle"
        style={{ width: 200 }}
        value={q.data?.cycle?.id}
        onChange={(v: number) => setCycleId(v)}
        options={choices.map((c) => ({ value: c.id, label: cycleName(c) }))}
      />
    ) : undefined;
  return (
    <Panel title="等级迁移" testId="migration-panel" q={q} extra={picker}>
      {(d) =>
        !d.cycle ? (
          <Empty description="还没有完成的评分批次：至少完成两次评分周期后，这里显示前后两批之间的等级迁移" />
        ) : (
          <>
            <Typography.Paragraph type="secondary" data-testid="migration-caption">
              {d.previous
                ? `${cycleName(d.previous)} → ${cycleName(d.cycle)}：共 ${d.entities} 个主体，升级 ${d.upgraded}，降级 ${d.downgraded}。`
                : `${cycleName(d.cycle)} 是第一次完成的评分批次，没有上一批次可比较；${d.entities} 个主体均为首次评级。`}
            </Typography.Paragraph>
            <Table<MatrixRow>
              data-testid="migration-matrix"
              rowKey={(r) => r.from ?? 'new'}
              size="small"
              pagination={false}
              dataSource={d.previous ? matrixRows(d) : matrixRows(d).filter((r) => r.from === null)}
              columns={[
                {
                  title: '上一批 \\ 本批',
                  dataIndex: 'from',
                  width: 120,
                  render: (g: Grade | null) =>
                    g ? <b>{g} 级</b> : <Typography.Text type="secondary">首次评级</Typography.Text>,
                },
                ...GRADES.map((to) => ({
                  title: `${to} 级`,
                  key: to,
                  align: 'right' as const,
                  onCell: (r: MatrixRow) => ({ style: cellStyle(r.from, to, r[to]) }),
                  render: (_: unknown, r: MatrixRow) =>
                    r[to] ? r[to] : <Typography.Text type="secondary">0</Typography.Text>,
                })),
              ]}
            />
            {d.previous && (
              <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
                绿色：升级；红色：降级；灰色：等级不变。
              </Typography.Text>
            )}
          </>
        )
      }
    </Panel>
  );
}

/** Statuses grouped as a reader counts them: the favourable outcome has a different name per kind. */
const STATUS_SERIES = [
  { key: 'submitted', name: '待受理', colour: '#f59e0b' },
  { key: 'accepted', name: '办理中', colour: '#3b82f6' },
  { key: 'returned', name: '待补正', colour: '#a855f7' },
  { key: 'granted', name: '成立/确认/批准', colour: '#16a34a' },
  { key: 'rejected', name: '不成立/不予确认', colour: '#94a3b8' },
];
const seriesOf = (status: string) => (['upheld', 'confirmed', 'approved'].includes(status) ? 'granted' : status);
const KINDS = [
  { kind: 'objection', label: '信用异议' },
  { kind: 'good_info', label: '良好信息上报' },
  { kind: 'repair', label: '信用修复' },
] as const;

/** 申请统计: applications by kind and status. */
export function ApplicationsPanel() {
  const { client } = useApi();
  const q = useQuery({
    queryKey: ['application-counts'],
    queryFn: () => data(client.GET('/api/statistics/applications')),
  });
  return (
    <Panel title="申请受理情况（按类型与状态）" testId="applications-panel" q={q}>
      {(d) =>
        d.total === 0 ? (
          <Empty description="还没有收到信用异议、良好信息上报或信用修复申请" />
        ) : (
          <>
            <Typography.Text type="secondary">累计 {d.total} 件</Typography.Text>
            <Suspense fallback={<ChartSpin />}>
              <StackedBars
                series={STATUS_SERIES}
                rows={KINDS.map(({ kind, label }) => {
                  const values: Record<string, number> = {};
                  for (const i of d.items.filter((x) => x.kind === kind))
                    values[seriesOf(i.status)] = (values[seriesOf(i.status)] ?? 0) + i.count;
                  const n = Object.values(values).reduce((s, v) => s + v, 0);
                  return { label: `${label}（${n}）`, values };
                })}
              />
            </Suspense>
          </>
        )
      }
    </Panel>
  );
}

const AGEING_COLOURS: Record<string, string> = {
  overdue: '#b91c1c',
  due_today: '#ea580c',
  days_1_2: '#ca8a04',
  days_3_4: '#65a30d',
  days_5_plus: '#15803d',
  paused: '#94a3b8',
};
const percent = (n: number, of: number) => (of ? `${((n / of) * 100).toFixed(1)}%` : '—');

/** 办理时效: the on-time rate of decided cases, and the open cases by working days left. */
export function TimelinessPanel() {
  const { client } = useApi();
  const q = useQuery({
    queryKey: ['application-timeliness'],
    queryFn: () => data(client.GET('/api/statistics/applications/timeliness')),
  });
  return (
    <Panel title="办理时效" testId="timeliness-panel" q={q}>
      {(d) => (
        <Row gutter={[16, 16]}>
          <Col xs={24} md={9}>
            <Statistic
              title={`按期办结率（${d.deadlineWorkingDays} 个工作日内）`}
              value={percent(d.onTime, d.decided)}
              data-testid="on-time-rate"
            />
            <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
              {d.decided
                ? `已办结 ${d.decided} 件，按期 ${d.onTime} 件，超期 ${d.decided - d.onTime} 件`
                : '尚无办结的申请'}
            </Typography.Text>
            {d.byKind.map((k) => (
              <div key={k.kind}>
                <Typography.Text>
                  {k.kindLabel}：
                  {k.decided ? `${percent(k.onTime, k.decided)}（${k.onTime}/${k.decided}）` : '尚无办结'}
                </Typography.Text>
              </div>
            ))}
          </Col>
          <Col xs={24} md={15}>
            <Typography.Text strong>在办申请剩余期限（{d.open} 件）</Typography.Text>
            {d.open === 0 ? (
              <Empty description="当前没有在办的申请" image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Suspense fallback={<ChartSpin />}>
                <Bars
                  items={d.ageing.map((a) => ({
                    label: a.label,
                    value: a.count,
                    colour: AGEING_COLOURS[a.bucket] ?? '#64748b',
                  }))}
                />
              </Suspense>
            )}
          </Col>
        </Row>
      )}
    </Panel>
  );
}

/** 异议结果: objections upheld versus rejected per month. */
export function ObjectionOutcomesPanel() {
  const { client } = useApi();
  const q = useQuery({
    queryKey: ['objection-outcomes'],
    queryFn: () => data(client.GET('/api/statistics/objections/outcomes', { params: { query: { months: 12 } } })),
  });
  return (
    <Panel title="异议办理结果（近 12 个月）" testId="objection-outcomes-panel" q={q}>
      {(d) => {
        const upheld = d.months.reduce((s, m) => s + m.upheld, 0);
        const rejected = d.months.reduce((s, m) => s + m.rejected, 0);
        return upheld + rejected === 0 ? (
          <Empty description="近 12 个月没有办结的信用异议" />
        ) : (
          <>
            <Typography.Text type="secondary">
              成立 {upheld} 件，不成立 {rejected} 件，成立率 {percent(upheld, upheld + rejected)}
            </Typography.Text>
            <Suspense fallback={<ChartSpin />}>
              <OutcomesChart months={d.months} />
            </Suspense>
          </>
        );
      }}
    </Panel>
  );
}

type CycleRun = Ok<'listCycleRuns'>['items'][number];
const durationText = (s: number | null) =>
  s === null
    ? '—'
    : s < 10
      ? `${s.toFixed(1)} 秒`
      : s < 60
        ? `${Math.round(s)} 秒`
        : s < 3600
          ? `${Math.round((s / 60) * 10) / 10} 分钟`
          : `${Math.round((s / 3600) * 10) / 10} 小时`;

/** 评分批次: each cycle run, its duration, entities and trigger. */
export function CycleRunsPanel() {
  const { client } = useApi();
  const q = useQuery({ queryKey: ['cycle-runs'], queryFn: () => data(client.GET('/api/statistics/cycles')) });
  return (
    <Panel title="评分批次运行记录（最近 20 次，北京时间）" testId="cycle-runs-panel" q={q}>
      {(d) =>
        d.items.length === 0 ? (
          <Empty description="还没有运行过评分周期：定时任务或管理员手动运行后，这里显示每一批的耗时与主体数" />
        ) : (
          <>
            {d.items.some((c) => c.durationSeconds !== null) && (
              <Suspense fallback={<ChartSpin />}>
                <CycleDurationChart items={d.items} />
              </Suspense>
            )}
            <Table<CycleRun>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={d.items}
              columns={[
                { title: '批次', dataIndex: 'id', width: 80, render: (id: number) => `第 ${id} 批` },
                { title: '触发方式', dataIndex: 'triggerLabel', width: 96 },
                { title: '模型', dataIndex: 'modelVersion', width: 60, render: (v: number) => `v${v}` },
                {
                  title: '开始',
                  dataIndex: 'startedAt',
                  render: (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{chinaTime(t)}</span>,
                },
                {
                  title: '完成',
                  dataIndex: 'finishedAt',
                  render: (t: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{chinaTime(t)}</span>,
                },
                { title: '耗时', dataIndex: 'durationSeconds', width: 90, render: durationText },
                { title: '主体数', dataIndex: 'entities', width: 90, align: 'right' as const },
                {
                  title: '状态',
                  dataIndex: 'status',
                  width: 80,
                  render: (s: string) =>
                    s === 'done' ? <Tag color="green">已完成</Tag> : <Tag color="blue">运行中</Tag>,
                },
              ]}
            />
          </>
        )
      }
    </Panel>
  );
}
