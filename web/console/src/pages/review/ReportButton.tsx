import { useState } from 'react';
import { Alert, Button, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { createCreditReportRequest } from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { chinaTime } from '@web/format';
import { useApi } from '../../context';
import { showServerError, validateWith, zodRule } from '../../forms/zod-form';

type Created = Ok<'createCreditReport'>;

/** 出具公共信用信息报告 for the enterprise of a case: purpose, then the number, code and PDF. */
export function ReportButton({ entityId, enterpriseName }: { entityId: number; enterpriseName: string }) {
  const { client } = useApi();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ purpose: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const toBody = (v: Record<string, unknown>) => ({ entityId, purpose: v.purpose ?? '' });

  async function create() {
    setError(null);
    const checked = validateWith(form, createCreditReportRequest, toBody(form.getFieldsValue(true)));
    if (!checked.ok) return;
    setBusy(true);
    try {
      setCreated(await data(client.POST('/api/credit-reports', { body: checked.data })));
    } catch (e) {
      const unplaced = showServerError(form, e);
      setError(unplaced.length ? unplaced.join('；') : messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function download(r: Created) {
    setError(null);
    const { data: blob, response } = await client.GET('/api/credit-reports/{reportId}/file', {
      params: { path: { reportId: String(r.id) } },
      parseAs: 'blob',
    });
    if (!response.ok || !blob) {
      setError(`报告下载失败（${response.status}），请重试`);
      return;
    }
    const url = URL.createObjectURL(blob as Blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `公共信用信息报告-${r.reportNo}.pdf`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  const close = () => {
    setOpen(false);
    setCreated(null);
    setError(null);
    form.resetFields();
  };

  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="report-open">
        出具信用报告
      </Button>
      <Modal
        open={open}
        title={`出具公共信用信息报告：${enterpriseName}`}
        onCancel={close}
        okText={created ? '下载 PDF' : '出具'}
        cancelText={created ? '关闭' : '取消'}
        okButtonProps={{ loading: busy, 'data-testid': created ? 'report-download' : 'report-create' }}
        onOk={() => void (created ? download(created) : create())}
        destroyOnHidden
      >
        {created ? (
          <Descriptions size="small" column={1} bordered data-testid="report-created">
            <Descriptions.Item label="报告编号">{created.reportNo}</Descriptions.Item>
            <Descriptions.Item label="验证码">
              <Typography.Text code copyable>
                {created.verificationCode}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="出具时间">{chinaTime(created.generatedAt)}</Descriptions.Item>
            <Descriptions.Item label="有效期至">{chinaTime(created.validUntil)}</Descriptions.Item>
            <Descriptions.Item label="用途">{created.purpose}</Descriptions.Item>
          </Descriptions>
        ) : (
          <Form form={form} layout="vertical">
            <Form.Item
              name="purpose"
              label="报告用途（印在封面上）"
              rules={[zodRule(createCreditReportRequest, toBody)]}
            >
              <Input placeholder="如：异议办理核查" maxLength={60} data-testid="report-purpose" />
            </Form.Item>
            <Typography.Text type="secondary">
              报告按现行数据出具，已修复和超过公示期的记录不列入；验证码只显示这一次，也印在报告封面。
            </Typography.Text>
          </Form>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="report-error" />}
      </Modal>
    </>
  );
}
