import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { TYPICAL_CASE_STATUS_LABELS, type TypicalCaseStatus } from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { actorLabel, chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';

type Case = Ok<'getTypicalCaseForStaff'>;
type Row = Ok<'listTypicalCaseQueue'>['items'][number];

const STATUS_COLOR: Record<TypicalCaseStatus, string> = {
  check_failed: 'default',
  checked: 'gold',
  notice: 'blue',
  rejected: 'default',
  published: 'green',
  withdrawn: 'red',
};
const FILTERS: Array<{ label: string; value: TypicalCaseStatus | 'all' }> = [
  { label: '全部', value: 'all' },
  { label: '待审核', value: 'checked' },
  { label: '公示中', value: 'notice' },
  { label: '已发布', value: 'published' },
  { label: '已撤销', value: 'withdrawn' },
  { label: '未通过', value: 'check_failed' },
];

function StatusTag({ status }: { status: TypicalCaseStatus }) {
  return <Tag color={STATUS_COLOR[status]}>{TYPICAL_CASE_STATUS_LABELS[status]}</Tag>;
}

const toBase64 = (f: File) =>
  f.arrayBuffer().then((b) => {
    let s = '';
    const bytes = new Uint8Array(b);
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });

/** 诚信典型案例: nominations, review into the notice period, objections, publication and withdrawal. */
export default function CasesPage() {
  const { client } = useApi();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [status, setStatus] = useState<TypicalCaseStatus | 'all'>('all');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const [nominating, setNominating] = useState(false);
  const list = useQuery({
    queryKey: ['cases', status, page],
    placeholderData: (prev) => prev,
    queryFn: () =>
      data(client.GET('/api/cases', { params: { query: { page, ...(status === 'all' ? {} : { status }) } } })),
  });
  const objections = useQuery({
    queryKey: ['case-objections'],
    queryFn: () => data(client.GET('/api/cases/objections', { params: { query: { status: 'queued', page: 1 } } })),
  });
  const refresh = () => void qc.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('case') });
  const decide = useMutation({
    mutationFn: (v: { id: number; decision: 'upheld' | 'dismissed'; note: string }) =>
      data(
        client.POST('/api/cases/objections/{id}/decision', {
          params: { path: { id: String(v.id) } },
          body: { decision: v.decision, note: v.note },
        }),
      ),
    onSuccess: (_, v) => {
      void message.success(v.decision === 'upheld' ? '异议成立，案例已撤销' : '异议不成立，继续公示');
      refresh();
    },
    onError: (e) => void message.error(messageOf(e)),
  });

  if (list.isError && !list.data) return <Failure error={list.error} retry={() => void list.refetch()} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          诚信典型案例
        </Typography.Title>
        <Button type="primary" onClick={() => setNominating(true)} data-testid="nominate">
          推荐案例
        </Button>
      </Space>
      <Segmented
        options={FILTERS}
        value={status}
        onChange={(v) => {
          setStatus(v as TypicalCaseStatus | 'all');
          setPage(1);
        }}
      />
      <Table<Row>
        size="middle"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        data-testid="cases"
        scroll={{ x: 1000 }}
        pagination={{
          current: page,
          pageSize: 10,
          total: (page + (list.data?.hasMore ? 1 : 0)) * 10,
          onChange: setPage,
          showSizeChanger: false,
        }}
        locale={{ emptyText: '暂无案例' }}
        columns={[
          { title: '编号', dataIndex: 'id', width: 70 },
          {
            title: '案例',
            key: 'title',
            render: (_, c) => (
              <a onClick={() => setOpen(c.id)} data-testid="case-link">
                {c.title}
              </a>
            ),
          },
          {
            title: '市场主体',
            key: 'entity',
            width: 240,
            render: (_, c) => (
              <div>
                {c.entityName}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.uscc}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          { title: '状态', key: 'status', width: 110, render: (_, c) => <StatusTag status={c.status} /> },
          { title: '推荐', key: 'by', width: 160, render: (_, c) => `${c.nominatedBy} · ${chinaTime(c.nominatedAt)}` },
          {
            title: '公示期至',
            key: 'notice',
            width: 150,
            render: (_, c) => (c.noticeUntil ? chinaTime(c.noticeUntil) : '—'),
          },
          {
            title: '待处理异议',
            key: 'objections',
            width: 100,
            render: (_, c) => (c.objections.queued ? <Tag color="orange">{c.objections.queued}</Tag> : '—'),
          },
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        公示期异议（待处理）
      </Typography.Title>
      <Table
        size="small"
        rowKey="id"
        dataSource={objections.data?.items ?? []}
        pagination={false}
        data-testid="objections"
        locale={{ emptyText: '没有待处理的异议' }}
        columns={[
          {
            title: '案例',
            key: 'case',
            width: 220,
            render: (_, o) => <a onClick={() => setOpen(o.caseId)}>{o.caseTitle}</a>,
          },
          { title: '异议内容', dataIndex: 'statement' },
          { title: '提出时间', key: 'at', width: 160, render: (_, o) => chinaTime(o.submittedAt) },
          {
            title: '处理',
            key: 'act',
            width: 200,
            render: (_, o) => (
              <Space>
                {(['upheld', 'dismissed'] as const).map((d) => (
                  <Button
                    key={d}
                    size="small"
                    danger={d === 'upheld'}
                    onClick={() => {
                      let note = '';
                      Modal.confirm({
                        title: d === 'upheld' ? '异议成立：案例将撤销' : '异议不成立：案例继续公示',
                        content: (
                          <Input.TextArea
                            rows={3}
                            placeholder="处理意见（2 到 500 字）"
                            onChange={(e) => (note = e.target.value)}
                          />
                        ),
                        okText: '确认',
                        cancelText: '取消',
                        onOk: () => decide.mutateAsync({ id: o.id, decision: d, note }),
                      });
                    }}
                  >
                    {d === 'upheld' ? '成立' : '不成立'}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      {nominating ? <NominateModal onClose={() => setNominating(false)} onDone={refresh} /> : null}
      {open !== null ? <CaseDrawer id={open} onClose={() => setOpen(null)} onChanged={refresh} /> : null}
    </Space>
  );
}

function NominateModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { client } = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ uscc: string; title: string; reason: string }>();
  const m = useMutation({
    mutationFn: (v: { uscc: string; title: string; reason: string }) => data(client.POST('/api/cases', { body: v })),
    onSuccess: (c) => {
      void message.success(
        c.status === 'checked'
          ? '已推荐，自动核查通过，待审核'
          : `已推荐，自动核查未通过：${c.check?.reasons.join('；')}`,
      );
      onDone();
      onClose();
    },
    onError: (e) => void message.error(messageOf(e)),
  });
  return (
    <Modal
      open
      title="推荐诚信典型案例"
      okText="推荐并核查"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
    >
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item
          name="uscc"
          label="统一社会信用代码"
          rules={[{ required: true, len: 18, message: '请输入 18 位统一社会信用代码' }]}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item
          name="title"
          label="案例标题"
          rules={[{ required: true, min: 4, max: 60, message: '标题 4 到 60 个字' }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="reason"
          label="推荐理由"
          rules={[{ required: true, min: 10, max: 2000, message: '推荐理由 10 到 2000 个字' }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CaseDrawer({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const { client } = useApi();
  const { message } = App.useApp();
  const q = useQuery({
    queryKey: ['case', id],
    queryFn: () => data(client.GET('/api/cases/{id}', { params: { path: { id: String(id) } } })),
  });
  const done = (text: string) => () => {
    void message.success(text);
    void q.refetch();
    onChanged();
  };
  const fail = (e: unknown) => void message.error(messageOf(e));
  const path = { params: { path: { id: String(id) } } };
  const review = useMutation({
    mutationFn: (b: { decision: 'approve' | 'reject'; reason: string; noticeDays: number }) =>
      data(client.POST('/api/cases/{id}/review', { ...path, body: b })),
    onSuccess: (c) =>
      done(c.status === 'notice' ? '已通过，进入公示期' : c.status === 'rejected' ? '已不予通过' : '复核未通过')(),
    onError: fail,
  });
  const withdraw = useMutation({
    mutationFn: (reason: string) => data(client.POST('/api/cases/{id}/withdraw', { ...path, body: { reason } })),
    onSuccess: done('案例已撤销'),
    onError: fail,
  });
  const publish = useMutation({
    mutationFn: async (v: { story: string; by: string; on: string; document: string; files: File[] }) =>
      data(
        client.POST('/api/cases/{id}/publish', {
          ...path,
          body: {
            story: v.story,
            consent: { by: v.by, on: v.on, document: v.document },
            photos: await Promise.all(
              v.files.map(async (f) => ({
                mime: f.type as 'image/png',
                data: await toBase64(f),
                caption: f.name.replace(/\.[^.]+$/, '').slice(0, 60),
              })),
            ),
          },
        }),
      ),
    onSuccess: done('案例已发布'),
    onError: fail,
  });
  const c: Case | undefined = q.data;
  const [reason, setReason] = useState('');
  const [days, setDays] = useState(7);
  const [files, setFiles] = useState<File[]>([]);
  const noticeOpen = !!c?.noticeUntil && Date.parse(c.noticeUntil) > Date.now();
  return (
    <Drawer open width={720} title={c ? c.title : '案例'} onClose={onClose} data-testid="case-drawer">
      {q.isError ? <Failure error={q.error} retry={() => void q.refetch()} compact /> : null}
      {c ? (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={2} size="small" bordered styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label="状态">
              <StatusTag status={c.status} />
            </Descriptions.Item>
            <Descriptions.Item label="市场主体">{c.entityName}</Descriptions.Item>
            <Descriptions.Item label="自动核查" span={2}>
              {c.check
                ? c.check.passed
                  ? `通过（${c.check.grade} 级，无失信或负面记录）`
                  : c.check.reasons.join('；')
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="推荐理由" span={2}>
              {c.reason}
            </Descriptions.Item>
            <Descriptions.Item label="公示期" span={2}>
              {c.noticeFrom ? `${chinaTime(c.noticeFrom)} 至 ${chinaTime(c.noticeUntil)}` : '—'}
            </Descriptions.Item>
            {c.withdrawReason ? (
              <Descriptions.Item label="撤销原因" span={2}>
                {c.withdrawReason}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {c.status === 'checked' ? (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Input.TextArea
                rows={2}
                placeholder="审核意见（2 到 500 字）"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
              <Space>
                公示期
                <InputNumber min={5} max={30} value={days} onChange={(v) => setDays(v ?? 7)} /> 天
                <Button
                  type="primary"
                  loading={review.isPending}
                  onClick={() => review.mutate({ decision: 'approve', reason, noticeDays: days })}
                >
                  通过并公示
                </Button>
                <Button
                  danger
                  loading={review.isPending}
                  onClick={() => review.mutate({ decision: 'reject', reason, noticeDays: days })}
                >
                  不予通过
                </Button>
              </Space>
            </Space>
          ) : null}
          {c.status === 'notice' ? (
            <Form
              layout="vertical"
              onFinish={(v: { story: string; by: string; on: string; document: string }) =>
                publish.mutate({ ...v, files })
              }
            >
              <Typography.Text type={noticeOpen || c.objections.queued ? 'warning' : 'secondary'}>
                {noticeOpen
                  ? `公示期至 ${chinaTime(c.noticeUntil)}，期满后方可发布。`
                  : c.objections.queued
                    ? `尚有 ${c.objections.queued} 条异议待处理，处理后方可发布。`
                    : '公示期已满、异议已处理：可以发布（发布前自动复核）。'}
              </Typography.Text>
              <Form.Item
                name="story"
                label="案例正文"
                rules={[{ required: true, min: 50, max: 5000, message: '案例正文 50 到 5000 个字' }]}
              >
                <Input.TextArea rows={6} showCount maxLength={5000} />
              </Form.Item>
              <Space wrap>
                <Form.Item
                  name="by"
                  label="企业同意书签署人"
                  rules={[{ required: true, min: 2, max: 30, message: '2 到 30 个字' }]}
                >
                  <Input />
                </Form.Item>
                <Form.Item
                  name="on"
                  label="签署日期"
                  rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: '格式 YYYY-MM-DD' }]}
                >
                  <Input placeholder="2026-12-01" />
                </Form.Item>
                <Form.Item
                  name="document"
                  label="同意书编号或名称"
                  rules={[{ required: true, min: 2, max: 100, message: '2 到 100 个字' }]}
                >
                  <Input />
                </Form.Item>
              </Space>
              <Form.Item label="照片（JPEG/PNG，至多 4 张，每张不超过 2 MB）">
                <input
                  type="file"
                  accept="image/jpeg,image/png"
                  multiple
                  onChange={(e) => setFiles(Array.from(e.target.files ?? []).slice(0, 4))}
                />
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                loading={publish.isPending}
                disabled={noticeOpen || c.objections.queued > 0}
              >
                发布
              </Button>
            </Form>
          ) : null}
          {['checked', 'notice', 'published'].includes(c.status) ? (
            <Space>
              <Input
                placeholder="撤销原因（4 到 200 字）"
                style={{ width: 360 }}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
              <Button danger loading={withdraw.isPending} onClick={() => withdraw.mutate(reason)}>
                撤销案例
              </Button>
            </Space>
          ) : null}
          <Typography.Title level={5}>办理记录</Typography.Title>
          <Timeline
            items={c.timeline.map((t) => ({
              content: `${chinaTime(t.at)} ${TYPICAL_CASE_STATUS_LABELS[t.status as TypicalCaseStatus] ?? (t.status === 'nominated' ? '推荐' : t.status)} · ${t.actor === 'system' ? '系统' : actorLabel(t.actor)}${t.note ? `：${t.note}` : ''}`,
            }))}
          />
        </Space>
      ) : null}
    </Drawer>
  );
}
