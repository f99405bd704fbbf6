import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import type { ModelDefinition } from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { actorLabel, chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { PublishedTree } from './PublishedTree';

type Model = Ok<'listModels'>['items'][number];

const chinaToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** The published version in force today: the latest effective date on or before today. */
export function inForce(models: readonly Model[], today = chinaToday()): Model | undefined {
  return models
    .filter((m) => m.status === 'published' && m.effectiveFrom !== null && m.effectiveFrom <= today)
    .sort((a, b) =>
      b.effectiveFrom! === a.effectiveFrom! ? b.version - a.version : b.effectiveFrom!.localeCompare(a.effectiveFrom!),
    )[0];
}

/** 评价模型: the model in force as a tree, every version, and a new draft from the one in force. */
export default function ModelsPage() {
  const { client } = useApi();
  const navigate = useNavigate();
  const justPublished = (useLocation().state as { published?: string } | null)?.published;
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['models'], queryFn: () => data(client.GET('/api/models')) });
  const current = list.data ? inForce(list.data.items) : undefined;
  const published = useQuery({
    queryKey: ['model-definition', current?.version],
    enabled: current !== undefined,
    queryFn: () =>
      data(client.GET('/api/models/{version}/definition', { params: { path: { version: String(current!.version) } } })),
  });
  const create = useMutation({
    mutationFn: () => {
      const def = published.data!.definition;
      const name = `基于 v${published.data!.version} 的修订草稿`;
      return data(client.POST('/api/models', { body: { name, definition: { ...def, name } } }));
    },
    onSuccess: (m) => {
      void queryClient.invalidateQueries({ queryKey: ['models'] });
      navigate(`/models/${m.version}`);
    },
  });

  if (list.isError) return <Failure error={list.error} retry={() => void list.refetch()} />;
  if (!list.data) return <Spin style={{ display: 'block', margin: 64 }} />;
  const items = [...list.data.items].sort((a, b) => b.version - a.version);
  const pending = items.filter((m) => m.status === 'published' && m.effectiveFrom && m.effectiveFrom > chinaToday());

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {justPublished && <Alert type="success" showIcon title={justPublished} data-testid="published-notice" />}
      <Card
        title="模型版本"
        extra={
          <Button
            type="primary"
            disabled={!published.data}
            loading={create.isPending}
            onClick={() => create.mutate()}
            data-testid="new-draft"
          >
            以现行模型新建草稿
          </Button>
        }
      >
        {create.isError && <Alert type="error" showIcon title={messageOf(create.error)} style={{ marginBottom: 12 }} />}
        <Table<Model>
          rowKey="version"
          size="middle"
          dataSource={items}
          pagination={false}
          data-testid="model-versions"
          columns={[
            { title: '版本', dataIndex: 'version', width: 80, render: (v: number) => `v${v}` },
            { title: '名称', dataIndex: 'name' },
            {
              title: '状态',
              key: 'status',
              width: 170,
              render: (_, m) =>
                m.status === 'draft' ? (
                  <Tag color="gold">草稿</Tag>
                ) : m.version === current?.version ? (
                  <Tag color="green">现行</Tag>
                ) : m.effectiveFrom && m.effectiveFrom > chinaToday() ? (
                  <Tag color="blue">待生效（{m.effectiveFrom}）</Tag>
                ) : (
                  <Tag>已被取代</Tag>
                ),
            },
            { title: '生效日期', dataIndex: 'effectiveFrom', width: 120, render: (d: string | null) => d ?? '—' },
            {
              title: '发布',
              key: 'published',
              width: 240,
              render: (_, m) =>
                m.publishedAt ? (
                  `${chinaTime(m.publishedAt)} ${actorLabel(m.publishedBy)}`
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
            {
              title: '',
              key: 'open',
              width: 100,
              render: (_, m) => (
                <Link to={`/models/${m.version}`} data-testid={`open-model-${m.version}`}>
                  {m.status === 'draft' ? '编辑' : '查看'}
                </Link>
              ),
            },
          ]}
        />
      </Card>
      <Card
        title={current ? `现行评价模型 v${current.version} · ${current.name}` : '现行评价模型'}
        extra={current && <Tag color="green">{current.effectiveFrom} 起生效</Tag>}
        data-testid="model-in-force"
      >
        {pending.map((m) => (
          <Alert
            key={m.version}
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={`模型 v${m.version}（${m.name}）已发布，${m.effectiveFrom} 起生效。`}
          />
        ))}
        {published.isError ? (
          <Failure compact error={published.error} retry={() => void published.refetch()} />
        ) : published.data ? (
          <PublishedTree definition={published.data.definition as unknown as ModelDefinition} />
        ) : current ? (
          <Spin />
        ) : (
          <Empty description="没有生效的评价模型" />
        )}
      </Card>
    </Space>
  );
}
