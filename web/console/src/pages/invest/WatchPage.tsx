import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { data } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { GradeTag, NOTICE_STYLE } from './ui';

const PAGE = 20;
const KIND = {
  grade_changed: { label: '等级变化', color: 'blue' },
  negative_record: { label: '负面记录', color: 'red' },
};

/** 关注预警: the officer's watch list and the alerts it raised, newest first. */
export default function WatchPage() {
  const { client } = useApi();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(true);
  const [befores, setBefores] = useState<number[]>([]);
  const before = befores[befores.length - 1];
  const watchlist = useQuery({
    queryKey: ['invest-watchlist'],
    queryFn: () => data(client.GET('/api/invest/watchlist')),
  });
  const alerts = useQuery({
    queryKey: ['invest-watch-alerts', unreadOnly, before],
    placeholderData: (prev) => prev,
    queryFn: () =>
      data(
        client.GET('/api/invest/watch-alerts', {
          params: { query: { unread: unreadOnly ? 'true' : 'false', before, limit: PAGE } },
        }),
      ),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['invest-watchlist'] });
    void qc.invalidateQueries({ queryKey: ['invest-watch-alerts'] });
  };
  const read = useMutation({
    mutationFn: (b: { alertIds?: number[]; all?: boolean }) =>
      data(client.POST('/api/invest/watch-alerts/read', { body: b })),
    onSuccess: (r) => {
      message.success(`已标记 ${r.marked} 条为已读`);
      refresh();
    },
    onError: (e) => void message.error(messageOf(e)),
  });
  // Adding a watched target again recomputes its related set (new holders, new posts).
  const rescope = useMutation({
    mutationFn: (w: { watchId: number; entityId: number; purpose: string; radius: number }) =>
      data(
        client.POST('/api/invest/watchlist', { body: { entityId: w.entityId, purpose: w.purpose, radius: w.radius } }),
      ),
    onSuccess: (w) => {
      message.success(`已更新关联范围：${w.scopeSize} 家`);
      void qc.invalidateQueries({ queryKey: ['invest-watchlist'] });
    },
    onError: (e) => void message.error(messageOf(e)),
  });
  const remove = useMutation({
    mutationFn: (watchId: number) =>
      data(client.DELETE('/api/invest/watchlist/{watchId}', { params: { path: { watchId: String(watchId) } } })),
    onSuccess: () => {
      message.success('已取消关注；已有预警保留');
      refresh();
    },
    onError: (e) => void message.error(messageOf(e)),
  });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        关注预警
      </Typography.Title>
      <Card
        size="small"
        title={
          <Space>
            预警
            <Badge count={alerts.data?.unread ?? 0} overflowCount={999} data-testid="unread-count" />
          </Space>
        }
        extra={
          <Space wrap>
            <Segmented
              value={unreadOnly ? 'unread' : 'all'}
              options={[
                { value: 'unread', label: '未读' },
                { value: 'all', label: '全部' },
              ]}
              onChange={(v) => {
                setBefores([]);
                setUnreadOnly(v === 'unread');
              }}
            />
            <Button
              disabled={!alerts.data?.unread}
              loading={read.isPending}
              onClick={() => read.mutate({ all: true })}
              data-testid="read-all"
            >
              全部标为已读
            </Button>
          </Space>
        }
      >
        {alerts.isError && !alerts.data ? (
          <Failure error={alerts.error} retry={() => void alerts.refetch()} />
        ) : (
          <>
            <Table
              size="middle"
              rowKey="alertId"
              loading={alerts.isFetching}
              dataSource={alerts.data?.items ?? []}
              pagination={false}
              data-testid="alerts"
              scroll={{ x: 600 }}
              locale={{ emptyText: unreadOnly ? '没有未读预警' : '尚无预警' }}
              columns={[
                {
                  title: '类型',
                  key: 'kind',
                  width: 96,
                  render: (_, a) => <Tag color={KIND[a.kind].color}>{KIND[a.kind].label}</Tag>,
                },
                {
                  title: '预警内容',
                  key: 'message',
                  render: (_, a) => (
                    <div style={{ opacity: a.readAt ? 0.65 : 1 }}>
                      <Typography.Text strong={!a.readAt}>
                        <Link to={`/invest/entities/${a.entity.entityId}`}>{a.entity.name}</Link>
                        {a.distance === 0 ? '（关注对象本身）' : `（关联 ${a.distance} 层）`}
                      </Typography.Text>
                      <div>{a.message}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {chinaTime(a.occurredAt)}
                        {a.distance > 0 && (
                          <>
                            {' · 关注：'}
                            <Link to={`/invest/entities/${a.watched.entityId}`}>{a.watched.name}</Link>
                          </>
                        )}
                      </Typography.Text>
                    </div>
                  ),
                },
                {
                  title: '',
                  key: 'read',
                  width: 90,
                  render: (_, a) =>
                    a.readAt ? (
                      <Typography.Text type="secondary">已读</Typography.Text>
                    ) : (
                      <Button size="small" type="link" onClick={() => read.mutate({ alertIds: [a.alertId] })}>
                        标为已读
                      </Button>
                    ),
                },
              ]}
            />
            <Space style={{ marginTop: 12 }}>
              <Button disabled={!befores.length} onClick={() => setBefores(befores.slice(0, -1))}>
                上一页
              </Button>
              <Button
                disabled={!alerts.data?.nextBefore}
                onClick={() => setBefores([...befores, alerts.data!.nextBefore!])}
              >
                下一页
              </Button>
            </Space>
          </>
        )}
      </Card>
      <Card size="small" title="关注名单">
        {watchlist.isError && !watchlist.data ? (
          <Failure error={watchlist.error} retry={() => void watchlist.refetch()} />
        ) : (
          <Table
            size="middle"
            rowKey="watchId"
            loading={watchlist.isFetching}
            dataSource={watchlist.data?.items ?? []}
            pagination={false}
            data-testid="watchlist"
            scroll={{ x: 680 }}
            locale={{ emptyText: '尚未关注企业：在企业页点“关注”' }}
            columns={[
              {
                title: '企业',
                key: 'name',
                render: (_, w) => (
                  <div>
                    <Link to={`/invest/entities/${w.entityId}`}>{w.name}</Link>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {w.uscc} · 事由：{w.purpose}
                      </Typography.Text>
                    </div>
                  </div>
                ),
              },
              {
                title: '等级',
                key: 'grade',
                width: 120,
                render: (_, w) => <GradeTag grade={w.grade} score={w.score} />,
              },
              {
                title: '关联范围',
                key: 'scope',
                width: 170,
                render: (_, w) => (
                  <div>
                    {w.radius} 层 · {w.scopeSize} 家{w.scopeTruncated ? '（已达上限）' : ''}
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        计算于 {chinaTime(w.scopeAt)}
                      </Typography.Text>
                    </div>
                  </div>
                ),
              },
              {
                title: '未读预警',
                key: 'unread',
                width: 90,
                render: (_, w) => <Badge count={w.unreadAlerts} showZero color={w.unreadAlerts ? 'red' : '#d9d9d9'} />,
              },
              {
                title: '',
                key: 'remove',
                width: 130,
                render: (_, w) => (
                  <Space size={0} wrap>
                    <Button
                      size="small"
                      type="link"
                      loading={rescope.isPending && rescope.variables?.watchId === w.watchId}
                      onClick={() => rescope.mutate(w)}
                    >
                      更新关联范围
                    </Button>
                    <Popconfirm
                      title={`取消关注 ${w.name}？`}
                      description="已生成的预警保留。"
                      okText="取消关注"
                      cancelText="保留"
                      onConfirm={() => remove.mutate(w.watchId)}
                    >
                      <Button size="small" danger type="link">
                        取消关注
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <div style={NOTICE_STYLE}>供招商决策参考，不作为失信惩戒的直接依据</div>
    </Space>
  );
}
