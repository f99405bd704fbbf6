import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { staffLoginRequestSchema } from '@heihe/shared';
import { data } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { useApi, useSession } from '../context';
import { homeOf, mayOpen } from '../nav';
import { showServerError, validateWith, zodRule } from '../forms/zod-form';

/** A `next` inside the console only: never an absolute URL or another origin. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
}

export function SignIn() {
  const api = useApi();
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  const rule = zodRule(staffLoginRequestSchema);

  if (session) return <Navigate to={next ?? homeOf(session.staff.role)} replace />;

  async function submit() {
    setError(null);
    const checked = validateWith(form, staffLoginRequestSchema, form.getFieldsValue(true));
    if (!checked.ok) return;
    setBusy(true);
    try {
      const res = await data(api.client.POST('/api/auth/staff/login', { body: checked.data }));
      queryClient.clear();
      api.store.set({ accessToken: res.accessToken, refreshToken: res.refreshToken, staff: res.staff });
      const role = res.staff.role;
      navigate(next && mayOpen(role, next) ? next : homeOf(role), { replace: true });
    } catch (e) {
      const unplaced = showServerError(form, e);
      setError(unplaced.length > 0 ? unplaced.join('；') : messageOf(e));
      form.setFieldValue('totp', '');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 400 }} data-testid="sign-in">
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          信用+ 工作台登录
        </Typography.Title>
        <Typography.Paragraph type="secondary">黑河市公共信用工作机构 · 工作人员专用</Typography.Paragraph>
        {next && !error && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="请登录（登录已失效时也会回到这里）；登录后回到刚才的页面"
            data-testid="expired"
          />
        )}
        {error && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} data-testid="sign-in-error" />
        )}
        <Form form={form} layout="vertical" onFinish={() => void submit()} requiredMark={false}>
          <Form.Item label="用户名" name="username" rules={[rule]} validateTrigger="onBlur">
            <Input autoComplete="username" autoFocus data-testid="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[rule]} validateTrigger="onBlur">
            <Input.Password autoComplete="current-password" data-testid="password" />
          </Form.Item>
          <Form.Item
            label="动态口令"
            name="totp"
            rules={[rule]}
            validateTrigger="onBlur"
            extra="身份验证器应用中显示的 6 位数字"
          >
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} data-testid="totp" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in-submit">
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
