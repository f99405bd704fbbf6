import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { HEIHE_DIVISIONS, INDUSTRY_SECTIONS, regulatorSubscriptionRequestSchema } from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { chinaTime } from '@web/format';
import { ActionError } from '../../components/ActionError';
import { QueryTable } from '../../components/QueryTable';
import { ShownOnce } from '../../components/ShownOnce';
import { useApi } from '../../context';
import { showServerError, validateWith, zodRule } from '../../forms/zod-form';

type Subscription = Ok<'listRegulatorSubscriptions'>['items'][number];
type Parked = Ok<'getOutboxStatus'>['parkedItems'][number];

const TOPIC_LABELS: Record<string, string> = {
  'result.grade_changed': '等级变化',
  'result.cycle_completed': '评分周期完成',
  'objection.upheld': '异议成立',
  'repair.approved': '信用修复',
  'result.recalled': '结果撤回',
  'model.published': '模型发布',
};

const scopeText = (s: Subscription) =>
  [
    s.industryPrefix ? `行业 ${s.industryPrefix}` : null,
    s.regionPrefix ? `区划 ${HEIHE_DIVISIONS.find((d) => d.code === s.regionPrefix)?.name ?? s.regionPrefix}` : null,
  ]
    .filter(Boolean)
    .join('，');

/** 推送订阅: the departments' webhooks, and the messages the outbox gave up on, with a retry. */
export default function SubscriptionsPage() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const subs = useQuery({
    queryKey: ['subscriptions'],
    queryFn: () => data(client.GET('/api/regulator-subscriptions')),
  });
  const status = useQuery({ queryKey: ['outbox-status'], queryFn: () => data(client.GET('/api/outbox/status')) });
  const disable = useMutation({
    mutationFn: (id: number) =>
      data(client.POST('/api/regulator-subscriptions/{id}/disable', { params: { path: { id: String(id) } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['subscriptions'] }),
  });
  const retry = useMutation({
    mutationFn: (id: string) => data(client.POST('/api/outbox/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['outbox-status'] }),
  });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="行业主管部门推送订阅"
        extra={
          <Button type="primary" onClick={() => setCreating(true)} data-testid="new-subscription">
            登记回调地址
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">
          评价结果（等级变化、评分周期完成、异议成立、信用修复、结果撤回、模型发布）按订阅的行业或区划推送，附模型版本、评价时间、校验哈希与“参考使用，不作为失信惩戒的直接依据”的说明。每条消息以签名密钥签名。
        </Typography.Paragraph>
        <ActionError actions={[disable]} />
        <QueryTable<Subscription, Ok<'listRegulatorSubscriptions'>>
          query={subs}
          rows={(d) => d.items}
          pagination={false}
          data-testid="subscriptions"
          locale={{ emptyText: '还没有登记的部门' }}
          columns={[
            { title: '部门', dataIndex: 'name' },
            { title: '订阅范围', key: 'scope', render: (_, s) => scopeText(s) },
            {
              title: '回调地址',
              dataIndex: 'webhookUrl',
              ellipsis: true,
              render: (u: string) => <Typography.Text code>{u}</Typography.Text>,
            },
            { title: '登记时间', dataIndex: 'createdAt', width: 150, render: (t: string) => chinaTime(t) },
            {
              title: '状态',
              key: 'state',
              width: 200,
              render: (_, s) =>
                s.disabledAt ? (
                  <Tag>已停用 {chinaTime(s.disabledAt)}</Tag>
                ) : (
                  <Space>
                    <Tag color="green">推送中</Tag>
                    <Popconfirm
                      title={`停用后不再向“${s.name}”推送，已排队的消息也不再投递。确定停用？`}
                      okText="停用"
                      cancelText="取消"
                      onConfirm={() => disable.mutate(s.id)}
                    >
                      <Button size="small" danger>
                        停用
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Card title="已搁置的消息（多次投递失败）" data-testid="parked">
        <QueryTable<Parked, Ok<'getOutboxStatus'>>
          query={status}
          rows={(d) => d.parkedItems}
          compactFailure
          size="small"
          pagination={false}
          locale={{ emptyText: '没有搁置的消息' }}
          columns={[
            { title: '内容', dataIndex: 'topic', render: (t: string) => TOPIC_LABELS[t] ?? t },
            { title: '消息编号', dataIndex: 'messageId', ellipsis: true },
            { title: '尝试次数', dataIndex: 'attempts', width: 90 },
            { title: '最后错误', dataIndex: 'lastError', ellipsis: true },
            {
              title: '',
              key: 'retry',
              width: 110,
              render: (_, m) => (
                <Button
                  size="small"
                  loading={retry.isPending && retry.variables === m.id}
                  onClick={() => retry.mutate(m.id)}
                >
                  重新投递
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {creating && (
        <CreateDialog
          onClose={() => setCreating(false)}
          onCreated={(s) => {
            setCreating(false);
            setSecret(s);
            void queryClient.invalidateQueries({ queryKey: ['subscriptions'] });
          }}
        />
      )}
      <ShownOnce open={secret !== null} title="签名密钥" onClose={() => setSecret(null)}>
        <Typography.Paragraph>
          请将密钥交给“{secret?.name}”的系统管理员，用于校验每条推送的 x-heihe-signature。关闭后无法再次查看。
        </Typography.Paragraph>
        <Typography.Text code copyable data-testid="subscription-secret">
          {secret?.secret}
        </Typography.Text>
      </ShownOnce>
    </Space>
  );
}

function CreateDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (s: { name: string; secret: string }) => void;
}) {
  const { client } = useApi();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rule = zodRule(regulatorSubscriptionRequestSchema);
  const toBody = (v: Record<string, unknown>) => ({
    name: v.name ?? '',
    webhookUrl: v.webhookUrl ?? '',
    industryPrefix: v.industryPrefix ?? null,
    regionPrefix: v.regionPrefix ?? null,
  });

  async function submit() {
    setError(null);
    const checked = validateWith(form, regulatorSubscriptionRequestSchema, toBody(form.getFieldsValue(true)));
    if (!checked.ok) {
      if (checked.messages.length) setError(checked.messages.join('；'));
      return;
    }
    setBusy(true);
    try {
      const created = await data(client.POST('/api/regulator-subscriptions', { body: checked.data }));
      onCreated({ name: created.name, secret: created.secret });
    } catch (e) {
      const unplaced = showServerError(form, e);
      setError(unplaced.length ? unplaced.join('；') : messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title="登记行业主管部门回调地址"
      okText="登记"
      cancelText="取消"
      okButtonProps={{ loading: busy, 'data-testid': 'create-subscription' }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label="部门名称" rules={[rule]}>
          <Input placeholder="如：黑河市市场监督管理局" data-testid="subscription-name" />
        </Form.Item>
        <Form.Item
          name="webhookUrl"
          label="回调地址"
          rules={[rule]}
          extra="须在允许推送的主机名单内（WEBHOOK_ALLOWED_HOSTS）"
        >
          <Input placeholder="https://…" data-testid="subscription-url" />
        </Form.Item>
        <Form.Item name="industryPrefix" label="订阅行业" rules={[rule]}>
          <Select
            allowClear
            placeholder="全部行业"
            options={INDUSTRY_SECTIONS.map((s) => ({ value: s.code, label: `${s.code} ${s.name}` }))}
          />
        </Form.Item>
        <Form.Item name="regionPrefix" label="订阅区划" rules={[rule]}>
          <Select
            allowClear
            placeholder="全市"
            options={[
              { value: '2311', label: '黑河市全市' },
              ...HEIHE_DIVISIONS.map((d) => ({ value: d.code, label: d.name })),
            ]}
          />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="subscription-error" />}
      </Form>
    </Modal>
  );
}
