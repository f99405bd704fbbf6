import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Space, Table, Tabs, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { blobOf, saveBlob } from './download';
import { GradeTag, NOTICE_STYLE } from './ui';

type Run = Ok<'runSavedScreening'>;
type Entry = Run['items'][number];

const nameCell = (e: { entityId: number; name: string; uscc: string }) => (
  <div>
    <Link to={`/invest/entities/${e.entityId}`}>{e.name}</Link>
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {e.uscc}
      </Typography.Text>
    </div>
  </div>
);

function RunView({ run }: { run: Run }) {
  const d = run.diff;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="screening-run">
      <Typography.Text type="secondary">
        运行于 {chinaTime(run.ranAt)}，共 {run.items.length} 家{run.truncated ? '（按分数取前 500 家）' : ''}
        {run.previousRunAt ? `；对比上次（${chinaTime(run.previousRunAt)}）` : '；首次运行，下次运行时显示变化'}
      </Typography.Text>
      <Tabs
        items={[
          ...(d
            ? [
                {
                  key: 'diff',
                  label: (
                    <span data-testid="diff-tab">
                      较上次变化 <Tag color="green">新增 {d.added.length}</Tag>
                      <Tag color="red">移出 {d.removed.length}</Tag>
                      <Tag color="blue">等级变化 {d.gradeChanged.length}</Tag>
                    </span>
                  ),
                  children: (
                    <Table
                      size="small"
                      rowKey={(r) => `${r.change}-${r.entityId}`}
                      pagination={false}
                      data-testid="screening-diff"
                      locale={{ emptyText: '与上次相同' }}
                      dataSource={[
                        ...d.added.map((e) => ({ ...e, change: 'added' as const, fromGrade: null })),
                        ...d.removed.map((e) => ({ ...e, change: 'removed' as const, fromGrade: null })),
                        ...d.gradeChanged.map((e) => ({ ...e, change: 'grade' as const })),
                      ]}
                      columns={[
                        {
                          title: '变化',
                          key: 'change',
                          width: 100,
                          render: (_, r) =>
                            r.change === 'added' ? (
                              <Tag color="green">新增</Tag>
                            ) : r.change === 'removed' ? (
                              <Tag color="red">移出</Tag>
                            ) : (
                              <Tag color="blue">等级变化</Tag>
                            ),
                        },
                        { title: '企业', key: 'name', render: (_, r) => nameCell(r) },
                        {
                          title: '等级',
                          key: 'grade',
                          width: 220,
                          render: (_, r) =>
                            r.change === 'grade' ? (
                              <Space size={4}>
                                <GradeTag grade={r.fromGrade} />→<GradeTag grade={r.grade} score={r.score} />
                              </Space>
                            ) : r.change === 'removed' ? (
                              <Space size={4}>
                                <Typography.Text type="secondary">上次</Typography.Text>
                                <GradeTag grade={r.grade} score={r.score} />
                              </Space>
                            ) : (
                              <GradeTag grade={r.grade} score={r.score} />
                            ),
                        },
                      ]}
                    />
                  ),
                },
              ]
            : []),
          {
            key: 'items',
            label: `企业清单（${run.items.length}）`,
            children: (
              <Table<Entry>
                size="small"
                rowKey="entityId"
                dataSource={run.items}
                pagination={{ pageSize: 20, showSizeChanger: false }}
                columns={[
                  { title: '#', key: 'rank', width: 56, render: (_, __, i) => i + 1 },
                  { title: '企业', key: 'name', render: (_, e) => nameCell(e) },
                  {
                    title: '等级',
                    key: 'grade',
                    width: 130,
                    render: (_, e) => <GradeTag grade={e.grade} score={e.score} />,
                  },
                  {
                    title: '产业链',
                    key: 'chains',
                    width: 200,
                    render: (_, e) => e.chains.map((c) => <Tag key={c}>{c}</Tag>),
                  },
                ]}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}

/** 筛选清单: the officer's saved screenings; re-run one to see what changed, export it to Excel. */
export default function ListsPage() {
  const { client } = useApi();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [runs, setRuns] = useState<Record<number, Run>>({});
  const [openId, setOpenId] = useState<number | null>(Number(params.get('open')) || null);
  const list = useQuery({
    queryKey: ['invest-screenings'],
    queryFn: () => data(client.GET('/api/invest/screenings')),
  });
  const run = useMutation({
    mutationFn: (id: number) =>
      data(client.POST('/api/invest/screenings/{screeningId}/runs', { params: { path: { screeningId: String(id) } } })),
    onSuccess: (r) => {
      setRuns((x) => ({ ...x, [r.screening.screeningId]: r }));
      setOpenId(r.screening.screeningId);
      void qc.invalidateQueries({ queryKey: ['invest-screenings'] });
    },
    onError: (e) => void message.error(messageOf(e)),
  });
  const xlsx = useMutation({
    mutationFn: async (s: { screeningId: number; name: string }) => ({
      s,
      blob: await blobOf(
        client.GET('/api/invest/screenings/{screeningId}/xlsx', {
          params: { path: { screeningId: String(s.screeningId) } },
          parseAs: 'blob',
        }),
      ),
    }),
    onSuccess: ({ s, blob }) => {
      saveBlob(blob, `筛选清单-${s.name}.xlsx`);
      void qc.invalidateQueries({ queryKey: ['invest-screenings'] });
    },
    onError: (e) => void message.error(e.message),
  });
  if (list.isError && !list.data) return <Failure error={list.error} retry={() => void list.refetch()} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        筛选清单
      </Typography.Title>
      {list.data && !list.data.items.length && (
        <Card size="small">
          <Empty description={<span>尚无清单：在“优质企业筛选”中筛选后点“保存为清单”</span>} />
        </Card>
      )}
      {list.data?.items.map((s) => (
        <Card
          key={s.screeningId}
          size="small"
          data-testid="screening"
          title={
            <Space wrap>
              <Typography.Text strong>{s.name}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {s.lastRunAt ? `最近运行 ${chinaTime(s.lastRunAt)} · ${s.lastCount} 家 · 共 ${s.runs} 次` : '尚未运行'}
              </Typography.Text>
            </Space>
          }
          extra={
            <Space wrap>
              <Button
                type="primary"
                loading={run.isPending && run.variables === s.screeningId}
                onClick={() => run.mutate(s.screeningId)}
                data-testid="run-screening"
              >
                {s.lastRunAt ? '重新运行' : '运行'}
              </Button>
              <Button
                loading={xlsx.isPending && xlsx.variables?.screeningId === s.screeningId}
                onClick={() => xlsx.mutate(s)}
                data-testid="export-screening"
              >
                导出 Excel
              </Button>
            </Space>
          }
        >
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            <Typography.Text type="secondary">条件：</Typography.Text>
            {s.filterText}
          </Typography.Paragraph>
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            <Typography.Text type="secondary">事由：</Typography.Text>
            {s.purpose}
          </Typography.Paragraph>
          {runs[s.screeningId] && openId === s.screeningId ? (
            <RunView run={runs[s.screeningId]!} />
          ) : runs[s.screeningId] ? (
            <Button type="link" onClick={() => setOpenId(s.screeningId)}>
              展开运行结果
            </Button>
          ) : null}
        </Card>
      ))}
      {list.data && list.data.items.length > 0 && (
        <Alert
          type="info"
          showIcon
          title="重新运行按当前数据与信用门槛筛选，并与上次运行结果对比；导出包含最近一次运行的企业清单与变化。"
        />
      )}
      <div style={NOTICE_STYLE}>供招商决策参考，不作为失信惩戒的直接依据</div>
    </Space>
  );
}
