import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, QRCode, Select, Space, Tag, Typography } from 'antd';
import { createStaffAccountRequestSchema, STAFF_STATE_LABELS } from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { chinaTime } from '@web/format';
import { ActionError } from '../../components/ActionError';
import { QueryTable } from '../../components/QueryTable';
import { ShownOnce } from '../../components/ShownOnce';
import { useApi, useSession } from '../../context';
import { ROLE_LABELS } from '../../nav';
import { showServerError, validateWith, zodRule } from '../../forms/zod-form';

type Account = Ok<'listStaffAccounts'>['items'][number];
type Credentials = Ok<'createStaffAccount'>;

const STATE_COLORS = { active: 'green', locked_out: 'orange', locked: 'red' } as const;

/** 工作人员账号: create (password and TOTP shown once), reset a TOTP, lock and unlock. */
export default function StaffPage() {
  const { client } = useApi();
  const session = useSession();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ why: 'created' | 'reset'; c: Credentials } | null>(null);
  const accounts = useQuery({ queryKey: ['staff-accounts'], queryFn: () => data(client.GET('/api/staff-accounts')) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['staff-accounts'] });
  const path = (id: number) => ({ params: { path: { id: String(id) } } });
  const lock = useMutation({
    mutationFn: (id: number) => data(client.POST('/api/staff-accounts/{id}/lock', path(id))),
    onSuccess: refresh,
  });
  const unlock = useMutation({
    mutationFn: (id: number) => data(client.POST('/api/staff-accounts/{id}/unlock', path(id))),
    onSuccess: refresh,
  });
  const reset = useMutation({
    mutationFn: (id: number) => data(client.POST('/api/staff-accounts/{id}/totp-reset', path(id))),
    onSuccess: (c) => {
      setShown({ why: 'reset', c });
      refresh();
    },
  });

  return (
    <Card
      title="工作人员账号"
      extra={
        <Button type="primary" onClick={() => setCreating(true)} data-testid="new-staff">
          新建账号
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        工作人员以用户名、密码和动态口令（验证器
        App）登录。初始密码与动态口令密钥只在新建或重置时显示一次。锁定后不能登录，已有的登录立即失效；解锁也解除登录失败过多造成的临时锁定。
      </Typography.Paragraph>
      <ActionError actions={[lock, unlock, reset]} testId="staff-error" />
      <QueryTable<Account, Ok<'listStaffAccounts'>>
        query={accounts}
        rows={(d) => d.items}
        data-testid="staff-accounts"
        columns={[
          {
            title: '用户名',
            key: 'username',
            render: (_, a) => (
              <div>
                <div style={{ wordBreak: 'break-all' }}>{a.username}</div>
                <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>创建于 {chinaTime(a.createdAt)}</div>
              </div>
            ),
          },
          { title: '姓名', dataIndex: 'displayName', width: 100 },
          {
            title: '角色',
            dataIndex: 'role',
            width: 90,
            render: (r: Account['role']) => <span style={{ whiteSpace: 'nowrap' }}>{ROLE_LABELS[r]}</span>,
          },
          {
            title: '状态',
            key: 'state',
            width: 170,
            render: (_, a) => (
              <div>
                <Tag color={STATE_COLORS[a.state]} style={{ whiteSpace: 'normal' }}>
                  {STAFF_STATE_LABELS[a.state]}
                </Tag>
                {stateTime(a) && (
                  <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }} data-testid="state-time">
                    {stateTime(a)}
                  </div>
                )}
              </div>
            ),
          },
          {
            title: '操作',
            key: 'actions',
            width: 200,
            render: (_, a) => {
              const self = a.id === session?.staff.id;
              return (
                <Space size={4}>
                  <Popconfirm
                    title={`为 ${a.username} 生成新的动态口令密钥？旧的验证器立即失效。`}
                    okText="重置"
                    okButtonProps={{ 'data-testid': 'confirm-reset' }}
                    cancelText="取消"
                    onConfirm={() => reset.mutate(a.id)}
                  >
                    <Button
                      size="small"
                      loading={reset.isPending && reset.variables === a.id}
                      data-testid={`reset-${a.username}`}
                    >
                      重置动态口令
                    </Button>
                  </Popconfirm>
                  {a.state === 'active' ? (
                    <Popconfirm
                      title={`锁定 ${a.username}（${a.displayName}）？其登录立即失效，直到解锁。`}
                      okText="锁定"
                      okButtonProps={{ 'data-testid': 'confirm-lock' }}
                      cancelText="取消"
                      disabled={self}
                      onConfirm={() => lock.mutate(a.id)}
                    >
                      <Button
                        size="small"
                        danger
                        disabled={self}
                        title={self ? '不能锁定自己的账号' : undefined}
                        data-testid={`lock-${a.username}`}
                      >
                        锁定
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button
                      size="small"
                      onClick={() => unlock.mutate(a.id)}
                      loading={unlock.isPending && unlock.variables === a.id}
                      data-testid={`unlock-${a.username}`}
                    >
                      解锁
                    </Button>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      {creating && (
        <CreateDialog
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setShown({ why: 'created', c });
            refresh();
          }}
        />
      )}
      <ShownOnce
        open={shown !== null}
        title={shown?.why === 'created' ? '账号已创建' : '动态口令已重置'}
        okText="我已交给本人"
        onClose={() => setShown(null)}
        width={560}
      >
        {shown && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="staff-credentials">
            <Typography.Text>
              {shown.c.account.displayName}（{shown.c.account.username}，{ROLE_LABELS[shown.c.account.role]}）
            </Typography.Text>
            {shown.c.password && (
              <div>
                初始密码：
                <Typography.Text code copyable data-testid="staff-password">
                  {shown.c.password}
                </Typography.Text>
              </div>
            )}
            <div>
              动态口令密钥：
              <Typography.Text code copyable data-testid="staff-totp-secret">
                {shown.c.totpSecret}
              </Typography.Text>
            </div>
            <Space align="start" size={16}>
              <QRCode value={shown.c.otpauthUri} size={148} bordered={false} data-testid="staff-totp-qr" />
              <div>
                用验证器 App 扫描左侧二维码，或手工添加：
                <Typography.Paragraph code copyable style={{ wordBreak: 'break-all', fontSize: 12 }}>
                  {shown.c.otpauthUri}
                </Typography.Paragraph>
              </div>
            </Space>
            <Alert type="warning" showIcon title="关闭后无法再次查看，请当面或经安全渠道交给本人。" />
          </Space>
        )}
      </ShownOnce>
    </Card>
  );
}

/** When the lock started, or until when a lockout lasts. */
function stateTime(a: Account): string | null {
  if (a.state === 'locked_out' && a.lockedUntil) return `至 ${chinaTime(a.lockedUntil)}`;
  if (a.state === 'locked' && a.disabledAt) return `${chinaTime(a.disabledAt)} 起`;
  return null;
}

function CreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (c: Credentials) => void }) {
  const { client } = useApi();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rule = zodRule(createStaffAccountRequestSchema);

  async function submit() {
    setError(null);
    const v = form.getFieldsValue(true) as Record<string, unknown>;
    const checked = validateWith(form, createStaffAccountRequestSchema, {
      username: v.username ?? '',
      displayName: v.displayName ?? '',
      role: v.role,
    });
    if (!checked.ok) {
      if (checked.messages.length) setError(checked.messages.join('；'));
      return;
    }
    setBusy(true);
    try {
      onCreated(await data(client.POST('/api/staff-accounts', { body: checked.data })));
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
      title="新建工作人员账号"
      okText="创建"
      cancelText="取消"
      okButtonProps={{ loading: busy, 'data-testid': 'create-staff' }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="username" label="用户名" rules={[rule]} extra="小写字母开头，可含数字和 . _ -，如 wang.li">
          <Input data-testid="staff-username" autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[rule]}>
          <Input data-testid="staff-name" />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[rule]}>
          <Select
            data-testid="staff-role"
            placeholder="请选择"
            options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="staff-create-error" />}
      </Form>
    </Modal>
  );
}
