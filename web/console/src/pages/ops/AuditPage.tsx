import { useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { data, type Ok } from '@web/api/client';
import { actorLabel, chinaTime } from '@web/format';
import { AUDIT_ACTION_LABELS, AUDIT_OBJECT_LABELS } from '@heihe/shared';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';

type Entry = Ok<'searchAuditLog'>['items'][number];
export interface AuditFilters {
  actor?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
}

const PAGE = 50;

/** The filled fields only, trimmed: what the search sends (and the audit of the search records). */
export function filtersOf(v: Record<string, unknown>): AuditFilters {
  const out: AuditFilters = {};
  for (const k of ['actor', 'action', 'objectType', 'objectId'] as const) {
    const s = typeof v[k] === 'string' ? (v[k] as string).trim() : '';
    if (s) out[k] = s;
  }
  return out;
}

const ACTOR_KINDS: Record<string, string> = {
  staff: '工作人员',
  user: '企业用户',
  api_client: 'API 客户端',
  system: '系统',
};

/** 审计日志: a search by actor, object and action, newest first, and the chain's verification. */
export default function AuditPage() {
  const { client } = useApi();
  const [form] = Form.useForm();
  const [filters, setFilters] = useState<AuditFilters>({});
  const search = useInfiniteQuery({
    queryKey: ['audit-log', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(client.GET('/api/audit-log', { params: { query: { ...filters, limit: PAGE, before: pageParam } } })),
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const chain = useQuery({
    queryKey: ['audit-chain'],
    queryFn: () => data(client.GET('/api/audit-log/verification')),
    staleTime: Infinity,
  });
  const rows = search.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="审计链校验"
        extra={
          <Button onClick={() => void chain.refetch()} loading={chain.isFetching} data-testid="verify-chain">
            重新校验
          </Button>
        }
      >
        {chain.isError ? (
          <Failure compact error={chain.error} retry={() => void chain.refetch()} />
        ) : chain.data ? (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="chain-status">
            <Alert
              type={chain.data.ok ? 'success' : 'error'}
              showIcon
              title={<span style={{ wordBreak: 'break-all' }}>{chain.data.summary.split('\n')[0]}</span>}
              description={
                chain.data.summary.includes('\n') ? (
                  <span style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                    {chain.data.summary.split('\n').slice(1).join('\n')}
                  </span>
                ) : undefined
              }
            />
            <Descriptions size="small" column={{ xs: 1, lg: 3 }}>
              <Descriptions.Item label="已校验">{chain.data.checked} 条</Descriptions.Item>
              <Descriptions.Item label="待封存">
                {chain.data.unsealed} 条{chain.data.staleUnsealed ? `（超时 ${chain.data.staleUnsealed} 条）` : ''}
              </Descriptions.Item>
              <Descriptions.Item label="校验时间">{chinaTime(chain.data.verifiedAt)}</Descriptions.Item>
            </Descriptions>
          </Space>
        ) : (
          <Typography.Text type="secondary">正在逐条重算哈希链…</Typography.Text>
        )}
      </Card>

      <Card title="审计日志">
        <Typography.Paragraph type="secondary">
          每次决定、每次查看个人信息、每项管理操作都记入审计日志，写入后不可修改，并由封存程序串成哈希链。本页的每次查询与校验本身也记入审计日志。
        </Typography.Paragraph>
        <Form
          form={form}
          layout="inline"
          onFinish={(v: Record<string, unknown>) => setFilters(filtersOf(v))}
          style={{ rowGap: 8, marginBottom: 16 }}
        >
          <Form.Item name="actor" label="操作人">
            <Input placeholder="用户名，如 wang" allowClear style={{ width: 170 }} data-testid="audit-actor" />
          </Form.Item>
          <Form.Item name="action" label="动作">
            <Input
              placeholder="如 staff. 或 objection.decide"
              allowClear
              style={{ width: 210 }}
              data-testid="audit-action"
            />
          </Form.Item>
          <Form.Item name="objectType" label="对象类型">
            <Input placeholder="如 staff_account" allowClear style={{ width: 160 }} data-testid="audit-object-type" />
          </Form.Item>
          <Form.Item name="objectId" label="对象编号">
            <Input allowClear style={{ width: 110 }} data-testid="audit-object-id" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" data-testid="audit-search">
              查询
            </Button>
          </Form.Item>
        </Form>
        {search.isError ? (
          <Failure error={search.error} retry={() => void search.refetch()} />
        ) : (
          <>
            <Table<Entry>
              rowKey="id"
              size="small"
              loading={search.isLoading}
              dataSource={rows}
              pagination={false}
              data-testid="audit-entries"
              locale={{ emptyText: '没有符合条件的记录' }}
              expandable={{
                expandedRowRender: (e) => (
                  <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                    {JSON.stringify(e.detail, null, 2)}
                  </pre>
                ),
              }}
              columns={[
                {
                  title: '时间',
                  key: 'at',
                  width: 150,
                  render: (_, e) => (
                    <div>
                      <div>{chinaTime(e.at)}</div>
                      <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>#{e.id}</div>
                    </div>
                  ),
                },
                {
                  title: '操作人',
                  key: 'actor',
                  width: 150,
                  ellipsis: true,
                  render: (_, e) =>
                    e.actorKind === 'staff' || e.actorKind === 'system'
                      ? actorLabel(e.actorId ?? e.actorKind)
                      : `${ACTOR_KINDS[e.actorKind] ?? e.actorKind} ${e.actorId ?? ''}`,
                },
                {
                  title: '动作',
                  dataIndex: 'action',
                  render: (a: string) => (
                    <div>
                      {AUDIT_ACTION_LABELS[a] && <div>{AUDIT_ACTION_LABELS[a]}</div>}
                      <Typography.Text code style={{ fontSize: 12, wordBreak: 'keep-all' }}>
                        {a}
                      </Typography.Text>
                    </div>
                  ),
                },
                {
                  title: '对象',
                  key: 'object',
                  width: 130,
                  render: (_, e) => (
                    <div>
                      <div>
                        {AUDIT_OBJECT_LABELS[e.objectType] ?? e.objectType}
                        {e.objectId ? ` #${e.objectId}` : ''}
                      </div>
                      {e.entityId !== null && (
                        <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>主体 #{e.entityId}</div>
                      )}
                    </div>
                  ),
                },
                {
                  title: '封存',
                  dataIndex: 'sealed',
                  width: 80,
                  render: (s: boolean) => (s ? <Tag color="green">已入链</Tag> : <Tag>待封存</Tag>),
                },
              ]}
            />
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              {search.hasNextPage ? (
                <Button
                  onClick={() => void search.fetchNextPage()}
                  loading={search.isFetchingNextPage}
                  data-testid="audit-more"
                >
                  加载更早的记录
                </Button>
              ) : (
                rows.length > 0 && <Typography.Text type="secondary">已到最早的记录</Typography.Text>
              )}
            </div>
          </>
        )}
      </Card>
    </Space>
  );
}
