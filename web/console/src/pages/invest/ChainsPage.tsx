import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { industryPrefixProblem } from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { actorLabel, chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';

type Chain = Ok<'listIndustryChains'>['items'][number];

/** 产业链配置 (administrators): each key chain's GB/T 4754 codes, edited with a reason. */
export default function ChainsPage() {
  const { client } = useApi();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Chain | null>(null);
  const [form] = Form.useForm<{ name: string; prefixes: string[]; reason: string }>();
  const chains = useQuery({ queryKey: ['invest-chains'], queryFn: () => data(client.GET('/api/invest/chains')) });
  const save = useMutation({
    mutationFn: (v: { name: string; prefixes: string[]; reason: string }) =>
      data(client.PUT('/api/invest/chains/{code}', { params: { path: { code: editing!.code } }, body: v })),
    onSuccess: (c) => {
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['invest-chains'] });
      message.success(`已更新 ${c.name}`);
    },
  });
  if (chains.isError && !chains.data) return <Failure error={chains.error} retry={() => void chains.refetch()} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        重点产业链配置
      </Typography.Title>
      <Typography.Text type="secondary">
        企业的国民经济行业分类（GB/T
        4754-2017）代码以下列任一代码开头，即归入该产业链；筛选和清单按此归类。调整记入审计。
      </Typography.Text>
      <Table<Chain>
        size="middle"
        rowKey="code"
        loading={chains.isFetching}
        dataSource={chains.data?.items ?? []}
        pagination={false}
        data-testid="chains"
        scroll={{ x: 900 }}
        columns={[
          { title: '产业链', dataIndex: 'name', width: 150 },
          {
            title: '行业代码',
            key: 'prefixes',
            render: (_, c) => (
              <Space size={[0, 4]} wrap>
                {c.prefixes.map((p) => (
                  <Tag key={p}>{p}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: '最近调整',
            key: 'updated',
            width: 200,
            render: (_, c) => (
              <div>
                {c.updatedBy === 'migration' ? '初始配置' : actorLabel(`staff:${c.updatedBy}`)}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {chinaTime(c.updatedAt)}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          {
            title: '',
            key: 'edit',
            width: 80,
            render: (_, c) => (
              <Button
                type="link"
                onClick={() => {
                  save.reset();
                  setEditing(c);
                  form.setFieldsValue({ name: c.name, prefixes: c.prefixes, reason: '' });
                }}
              >
                调整
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={`调整产业链：${editing?.name ?? ''}`}
        okText="保存"
        cancelText="取消"
        confirmLoading={save.isPending}
        onCancel={() => setEditing(null)}
        onOk={() =>
          void form.validateFields().then(
            (v) => save.mutate({ ...v, prefixes: v.prefixes.map((p) => p.trim().toUpperCase()) }),
            () => undefined,
          )
        }
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label="名称"
            rules={[
              { required: true, whitespace: true, message: '请填写产业链名称' },
              { max: 40, message: '不超过 40 字' },
            ]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="prefixes"
            label="行业代码（门类字母加 0、2、3 或 4 位数字，如 C、C13、C133、C1331）"
            rules={[
              { required: true, type: 'array', min: 1, message: '至少填写一个行业代码' },
              {
                validator: async (_, v: string[] | undefined) => {
                  const bad = (v ?? []).map((p) => industryPrefixProblem(p.trim().toUpperCase())).find(Boolean);
                  if (bad) throw new Error(bad);
                },
              },
            ]}
            help={save.isError ? messageOf(save.error) : undefined}
            validateStatus={save.isError ? 'error' : undefined}
          >
            <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} placeholder="输入代码后回车" />
          </Form.Item>
          <Form.Item
            name="reason"
            label="调整原因"
            validateFirst
            rules={[
              { required: true, whitespace: true, message: '请填写调整原因' },
              { min: 2, message: '请填写调整原因' },
              { max: 200, message: '调整原因不超过 200 字' },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：补充大豆批发" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
