import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { data } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { useApi } from '../../context';
import type { Query } from './ScreeningPage';

/** 保存为清单: the current filter under a name, to re-run later with a diff. */
export function SaveScreeningButton({ filter }: { filter: Query }) {
  const { client } = useApi();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ name: string; purpose: string }>();
  const save = useMutation({
    mutationFn: (v: { name: string; purpose: string }) =>
      data(client.POST('/api/invest/screenings', { body: { name: v.name, purpose: v.purpose, filter } })),
    onSuccess: (s) => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ['invest-screenings'] });
      message.success(`已保存清单“${s.name}”`);
      navigate(`/invest/lists?open=${s.screeningId}`);
    },
  });
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="save-screening">
        保存为清单
      </Button>
      <Modal
        open={open}
        title="保存筛选清单"
        okText="保存"
        cancelText="取消"
        confirmLoading={save.isPending}
        okButtonProps={{ 'data-testid': 'confirm-save-screening' }}
        onCancel={() => setOpen(false)}
        onOk={() =>
          void form.validateFields().then(
            (v) => save.mutate(v),
            () => undefined,
          )
        }
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          保存当前筛选条件。之后可随时重新运行，并查看与上次相比新增、移出和等级变化的企业。
        </Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label="清单名称"
            rules={[
              { required: true, whitespace: true, message: '请填写清单名称' },
              { max: 60, message: '清单名称不超过 60 字' },
            ]}
            help={save.isError ? messageOf(save.error) : undefined}
            validateStatus={save.isError ? 'error' : undefined}
          >
            <Input maxLength={60} placeholder="如：大豆链 B 级以上" data-testid="screening-name" />
          </Form.Item>
          <Form.Item
            name="purpose"
            label="筛选事由"
            validateFirst
            rules={[
              { required: true, whitespace: true, message: '请填写筛选事由' },
              { min: 2, message: '请填写筛选事由' },
              { max: 200, message: '筛选事由不超过 200 字' },
            ]}
          >
            <Input.TextArea
              rows={2}
              maxLength={200}
              showCount
              placeholder="如：年度招商推介名单"
              data-testid="screening-purpose"
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
