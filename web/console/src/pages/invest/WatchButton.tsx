import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Radio, Typography } from 'antd';
import { data } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { useApi } from '../../context';

/** 关注: puts the target (and its related set) on the officer's watch list, with a reason. */
export function WatchButton({ entityId, name }: { entityId: number; name: string }) {
  const { client } = useApi();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ purpose: string; radius: number }>();
  const add = useMutation({
    mutationFn: (v: { purpose: string; radius: number }) =>
      data(client.POST('/api/invest/watchlist', { body: { entityId, purpose: v.purpose, radius: v.radius } })),
    onSuccess: (w) => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ['invest-watchlist'] });
      message.success(`已关注 ${w.name}：本身及关联范围内 ${w.scopeSize - 1} 家主体的等级变化、新增负面记录将提示`);
    },
  });
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="watch">
        关注
      </Button>
      <Modal
        open={open}
        title={`关注：${name}`}
        okText="关注"
        cancelText="取消"
        confirmLoading={add.isPending}
        okButtonProps={{ 'data-testid': 'confirm-watch' }}
        onCancel={() => setOpen(false)}
        onOk={() =>
          void form.validateFields().then(
            (v) => add.mutate(v),
            () => undefined,
          )
        }
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          该企业及其关联范围（股东、被投资企业、主要人员的其他企业）内任一主体的信用等级变化或新增负面记录，都会在“关注预警”中提示；所在部门订阅时同时推送。已关注的企业再次关注会重新计算关联范围。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={{ purpose: '', radius: 2 }}>
          <Form.Item name="radius" label="关联范围">
            <Radio.Group options={[1, 2, 3].map((r) => ({ value: r, label: `${r} 层` }))} optionType="button" />
          </Form.Item>
          <Form.Item
            name="purpose"
            label="关注事由"
            validateFirst
            rules={[
              { required: true, whitespace: true, message: '请填写关注事由' },
              { min: 2, message: '请填写关注事由' },
              { max: 200, message: '关注事由不超过 200 字' },
            ]}
            help={add.isError ? messageOf(add.error) : undefined}
            validateStatus={add.isError ? 'error' : undefined}
          >
            <Input.TextArea
              rows={2}
              maxLength={200}
              showCount
              placeholder="如：签约前持续关注"
              data-testid="watch-purpose"
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
