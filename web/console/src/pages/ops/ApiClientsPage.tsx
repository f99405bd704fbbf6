import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import {
  API_CLIENT_KIND_LABELS,
  API_CLIENT_SCOPES,
  createApiClientRequestSchema,
  HEIHE_DIVISIONS,
  INDUSTRY_SECTIONS,
} from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { chinaTime } from '@web/format';
import { ActionError } from '../../components/ActionError';
import { QueryTable } from '../../components/QueryTable';
import { ShownOnce } from '../../components/ShownOnce';
import { useApi } from '../../context';
import { showServerError, validateWith, zodRule } from '../../forms/zod-form';

type Client = Ok<'listApiClients'>['items'][number];

const scopeLabel = (s: string) => API_CLIENT_SCOPES[s as keyof typeof API_CLIENT_SCOPES] ?? s;

/** The result scope in words: industry section and region, or the whole city. */
export function resultScopeText(c: { regionPrefix: string | null; industryPrefix: string | null }): string {
  const parts = [
    c.industryPrefix ? `行业 ${c.industryPrefix}` : null,
    c.regionPrefix && c.regionPrefix !== '2311'
      ? `区划 ${HEIHE_DIVISIONS.find((d) => d.code === c.regionPrefix)?.name ?? c.regionPrefix}`
      : null,
  ].filter(Boolean);
  return parts.length ? parts.join('，') : '全市';
}

/** API 客户端: departments, banks, associations and data sources, their scopes; a key shown once. */
export default function ApiClientsPage() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [key, setKey] = useState<{ name: string; apiKey: string; why: 'created' | 'rotated' } | null>(null);
  const clients = useQuery({ queryKey: ['api-clients'], queryFn: () => data(client.GET('/api/api-clients')) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['api-clients'] });
  const path = (id: number) => ({ params: { path: { id: String(id) } } });
  const disable = useMutation({
    mutationFn: (id: number) => data(client.POST('/api/api-clients/{id}/disable', path(id))),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: (id: number) => data(client.POST('/api/api-clients/{id}/rotate-key', path(id))),
    onSuccess: (r) => {
      setKey({ name: r.client.name, apiKey: r.apiKey, why: 'rotated' });
      refresh();
    },
  });

  return (
    <Card
      title="API 客户端"
      extra={
        <Button type="primary" onClick={() => setCreating(true)} data-testid="new-client">
          登记客户端
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        行业主管部门、银行、行业协会与数据报送单位以 API 密钥（请求头
        x-api-key）调用接口，只能使用登记的权限；评价结果只发往其登记的区划与行业范围，并须登记用途与依据。密钥只在登记或更换时显示一次，系统只保存其哈希。
      </Typography.Paragraph>
      <ActionError actions={[disable, rotate]} testId="client-error" />
      <QueryTable<Client, Ok<'listApiClients'>>
        query={clients}
        rows={(d) => d.items}
        data-testid="api-clients"
        locale={{ emptyText: '还没有登记的客户端' }}
        expandable={{
          expandedRowRender: (c) => (
            <Space orientation="vertical" size={2}>
              <span>用途：{c.purpose || '—'}</span>
              <span>依据：{c.legalBasis || '—'}</span>
              <span>登记时间：{chinaTime(c.createdAt)}</span>
            </Space>
          ),
        }}
        columns={[
          {
            title: '名称与用途',
            key: 'name',
            render: (_, c) => (
              <div style={{ minWidth: 0 }}>
                <div>{c.name}</div>
                {c.purpose && (
                  <div
                    title={c.purpose}
                    style={{
                      fontSize: 12,
                      color: 'rgba(0,0,0,0.45)',
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                      whiteSpace: 'nowrap',
                    }}
                  >
                    {c.purpose}
                  </div>
                )}
              </div>
            ),
          },
          {
            title: '类型与结果范围',
            key: 'kind',
            width: 130,
            render: (_, c) => (
              <div>
                <div>{API_CLIENT_KIND_LABELS[c.kind]}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {resultScopeText(c)}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: '权限',
            dataIndex: 'scopes',
            width: 200,
            render: (s: string[]) => (
              <Space size={[0, 4]} wrap>
                {s.map((x) => (
                  <Tag key={x} title={x}>
                    {scopeLabel(x)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: '状态',
            key: 'actions',
            width: 180,
            render: (_, c) =>
              c.revokedAt ? (
                <Tag>已停用 {chinaTime(c.revokedAt)}</Tag>
              ) : (
                <Space size={4} wrap>
                  <Tag color="green">有效</Tag>
                  <Popconfirm
                    title={`为“${c.name}”更换密钥？旧密钥立即失效，对方须改用新密钥。`}
                    okText="更换"
                    okButtonProps={{ 'data-testid': 'confirm-rotate' }}
                    cancelText="取消"
                    onConfirm={() => rotate.mutate(c.id)}
                  >
                    <Button
                      size="small"
                      loading={rotate.isPending && rotate.variables === c.id}
                      data-testid={`rotate-${c.id}`}
                    >
                      更换密钥
                    </Button>
                  </Popconfirm>
                  <Popconfirm
                    title={`停用“${c.name}”？其密钥立即失效，且不能恢复（可重新登记）。`}
                    okText="停用"
                    okButtonProps={{ 'data-testid': 'confirm-disable' }}
                    cancelText="取消"
                    onConfirm={() => disable.mutate(c.id)}
                  >
                    <Button size="small" danger data-testid={`disable-${c.id}`}>
                      停用
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {creating && (
        <CreateDialog
          onClose={() => setCreating(false)}
          onCreated={(r) => {
            setCreating(false);
            setKey({ name: r.client.name, apiKey: r.apiKey, why: 'created' });
            refresh();
          }}
        />
      )}
      <ShownOnce
        open={key !== null}
        title={key?.why === 'rotated' ? '新的 API 密钥' : 'API 密钥'}
        onClose={() => setKey(null)}
      >
        <Typography.Paragraph>
          请将密钥经安全渠道交给“{key?.name}”的系统管理员，置于请求头 x-api-key。关闭后无法再次查看。
        </Typography.Paragraph>
        <Typography.Text code copyable data-testid="client-key" style={{ wordBreak: 'break-all' }}>
          {key?.apiKey}
        </Typography.Text>
      </ShownOnce>
    </Card>
  );
}

function CreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (r: Ok<'createApiClient'>) => void }) {
  const { client } = useApi();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form) as string | undefined;
  const toBody = (v: Record<string, unknown>) => ({
    name: v.name ?? '',
    kind: v.kind,
    scopes: v.scopes ?? [],
    purpose: v.purpose ?? '',
    legalBasis: v.legalBasis ?? '',
    regionPrefix: v.regionPrefix ?? null,
    industryPrefix: v.industryPrefix ?? null,
  });
  const rule = zodRule(createApiClientRequestSchema, toBody);

  async function submit() {
    setError(null);
    const checked = validateWith(form, createApiClientRequestSchema, toBody(form.getFieldsValue(true)));
    if (!checked.ok) {
      if (checked.messages.length) setError(checked.messages.join('；'));
      return;
    }
    setBusy(true);
    try {
      onCreated(await data(client.POST('/api/api-clients', { body: checked.data })));
    } catch (e) {
      const unplaced = showServerError(form, e);
      setError(unplaced.length ? unplaced.join('；') : messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const recipient = kind !== 'data_source';
  return (
    <Modal
      open
      title="登记 API 客户端"
      okText="登记并生成密钥"
      cancelText="取消"
      width={640}
      okButtonProps={{ loading: busy, 'data-testid': 'create-client' }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label="名称" rules={[rule]}>
          <Input placeholder="如：黑河农村商业银行" data-testid="client-name" />
        </Form.Item>
        <Form.Item name="kind" label="类型" rules={[rule]}>
          <Select
            data-testid="client-kind"
            placeholder="请选择"
            options={Object.entries(API_CLIENT_KIND_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="scopes" label="权限" rules={[rule]}>
          <Checkbox.Group
            data-testid="client-scopes"
            options={Object.entries(API_CLIENT_SCOPES).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item
          name="purpose"
          label="用途"
          rules={[rule]}
          extra={recipient ? '使用评价结果做什么（必填）' : '数据报送单位可不填'}
        >
          <Input.TextArea rows={2} data-testid="client-purpose" />
        </Form.Item>
        <Form.Item
          name="legalBasis"
          label="依据"
          rules={[rule]}
          extra={recipient ? '法规条款或合作协议（必填）' : undefined}
        >
          <Input data-testid="client-basis" />
        </Form.Item>
        <Space wrap style={{ width: '100%' }}>
          <Form.Item name="industryPrefix" label="结果范围：行业" rules={[rule]}>
            <Select
              allowClear
              style={{ width: 260 }}
              placeholder="全部行业"
              options={INDUSTRY_SECTIONS.map((s) => ({ value: s.code, label: `${s.code} ${s.name}` }))}
            />
          </Form.Item>
          <Form.Item name="regionPrefix" label="结果范围：区划" rules={[rule]}>
            <Select
              allowClear
              style={{ width: 220 }}
              placeholder="全市"
              options={HEIHE_DIVISIONS.map((d) => ({ value: d.code, label: d.name }))}
            />
          </Form.Item>
        </Space>
        {error && <Alert type="error" showIcon title={error} data-testid="client-create-error" />}
      </Form>
    </Modal>
  );
}
