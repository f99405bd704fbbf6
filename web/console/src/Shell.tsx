import { useEffect, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useApi, useSession } from './context';
import { navFor, ROLE_LABELS } from './nav';

export function Shell({ children }: { children: ReactNode }) {
  const api = useApi();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  // A page opened from the menu starts at its top, not at the scroll offset of the page before.
  // (A block body: Chromium's scrollTo returns a promise, which React would take for a cleanup.)
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location.pathname]);
  if (!session) return null;
  const items = navFor(session.staff.role);
  // The longest menu path that the current page sits under is the selected one.
  const selected = [...items]
    .sort((a, b) => b.path.length - a.path.length)
    .find((i) => location.pathname === i.path || location.pathname.startsWith(`${i.path}/`));

  async function signOut() {
    await api.client.POST('/api/auth/logout').catch(() => undefined);
    api.store.set(null);
    queryClient.clear();
    navigate('/login', { replace: true });
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} breakpoint="lg" collapsedWidth={64} theme="dark">
        <div style={{ color: '#fff', padding: '18px 16px', fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          信用+ 工作台
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected.path] : []}
          items={items.map((i) => ({ key: i.path, label: i.label, 'data-testid': `nav-${i.path}` }))}
          onClick={(e) => navigate(e.key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Text strong>黑河市公共信用评价 · 信用+精准招商</Typography.Text>
          <Space>
            <span data-testid="who">{session.staff.displayName}</span>
            <Tag color="blue">{ROLE_LABELS[session.staff.role]}</Tag>
            <Button size="small" onClick={() => void signOut()} data-testid="sign-out">
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
