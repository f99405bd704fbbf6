import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { data } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { InvestmentsSection, OwnershipSection, PeopleSection, RiskSection } from './sections';
import { GradeTag, NOTICE_STYLE, StatusTag } from './ui';
import { WatchButton } from './WatchButton';

/**
 * One target: its ownership (graph, ultimate holders, flags with their paths), outbound
 * investments, key people, and the risk scan the officer runs over its related set; and the
 * button that stores a numbered check report.
 */
export default function TargetPage() {
  const { client } = useApi();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const entityId = Number(useParams().entityId);
  const [params, setParams] = useSearchParams();
  const purpose = params.get('purpose') ?? undefined;
  const tab = params.get('tab') ?? 'ownership';
  const [radius, setRadius] = useState(2);
  const [scanAt, setScanAt] = useState<number | null>(null);
  const [checking, setChecking] = useState(false);
  const [form] = Form.useForm<{ purpose: string }>();
  const path = { entityId: String(entityId) };

  const ownership = useQuery({
    queryKey: ['invest-ownership', entityId, purpose],
    queryFn: () =>
      data(
        client.GET('/api/invest/entities/{entityId}/ownership', { params: { path, query: { depth: 10, purpose } } }),
      ),
  });
  const investments = useQuery({
    queryKey: ['invest-investments', entityId, purpose],
    enabled: tab === 'investments',
    queryFn: () =>
      data(
        client.GET('/api/invest/entities/{entityId}/investments', { params: { path, query: { depth: 3, purpose } } }),
      ),
  });
  const people = useQuery({
    queryKey: ['invest-people', entityId, purpose],
    enabled: tab === 'people',
    queryFn: () => data(client.GET('/api/invest/entities/{entityId}/people', { params: { path, query: { purpose } } })),
  });
  const risks = useQuery({
    queryKey: ['invest-risks', entityId, radius, scanAt, purpose],
    enabled: scanAt !== null,
    queryFn: () =>
      data(client.GET('/api/invest/entities/{entityId}/risks', { params: { path, query: { radius, purpose } } })),
  });
  const run = useMutation({
    mutationFn: (p: string) =>
      data(client.POST('/api/invest/checks', { body: { entityId, purpose: p, depth: 10, radius } })),
    onSuccess: (c) => {
      setChecking(false);
      message.success(`已生成核查报告 ${c.number}`);
      navigate(`/invest/checks/${c.checkId}`);
    },
  });

  if (ownership.isError && !ownership.data)
    return <Failure error={ownership.error} retry={() => void ownership.refetch()} />;
  if (!ownership.data) return <Spin style={{ display: 'block', margin: 64 }} />;
  const t = ownership.data.target;
  const flags = ownership.data.holders.flatMap((h) => h.flags.map((f) => ({ ...f, holder: h.name })));
  const setTab = (k: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', k);
    setParams(next, { replace: true });
  };
  const section = (
    q: { isError: boolean; error: unknown; refetch: () => unknown; data?: unknown },
    body: () => React.ReactNode,
  ) =>
    q.isError ? (
      <Failure error={q.error} retry={() => void q.refetch()} />
    ) : q.data ? (
      body()
    ) : (
      <Spin style={{ display: 'block', margin: 48 }} />
    );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="target-name">
              {t.name}
            </Typography.Title>
            <GradeTag grade={t.grade} score={t.score} />
            <StatusTag status={t.status} />
            {flags.map((f) => (
              <Tag key={`${f.code}-${f.holder}`} color="red" data-testid="target-flag">
                {f.label}：{f.holder}
              </Tag>
            ))}
          </Space>
        }
        extra={
          <Space wrap>
            <WatchButton entityId={entityId} name={t.name} />
            <Button type="primary" onClick={() => setChecking(true)} data-testid="run-check">
              生成核查报告
            </Button>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label="统一社会信用代码">{t.uscc}</Descriptions.Item>
          <Descriptions.Item label="查询事由">{purpose ?? '招商信用核查（默认）'}</Descriptions.Item>
          <Descriptions.Item label="数据时点">{chinaTime(ownership.data.asOf)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'ownership', label: '股权穿透', children: <OwnershipSection graph={ownership.data} /> },
          {
            key: 'investments',
            label: '对外投资',
            children: section(investments, () => <InvestmentsSection data={investments.data!} />),
          },
          { key: 'people', label: '主要人员', children: section(people, () => <PeopleSection data={people.data!} />) },
          {
            key: 'risks',
            label: '关联风险',
            children: (
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                <Card size="small">
                  <Space wrap>
                    <span>关联范围</span>
                    <Select
                      value={radius}
                      style={{ width: 260 }}
                      onChange={setRadius}
                      data-testid="scan-radius"
                      options={[
                        { value: 1, label: '1 层：股东、被投资企业、人员任职企业' },
                        { value: 2, label: '2 层（默认）' },
                        { value: 3, label: '3 层' },
                      ]}
                    />
                    <Button
                      type="primary"
                      onClick={() => setScanAt(Date.now())}
                      loading={risks.isFetching}
                      data-testid="run-scan"
                    >
                      {scanAt === null ? '开始扫描' : '重新扫描'}
                    </Button>
                    <Typography.Text type="secondary">
                      公示期内的严重失信、失信被执行人、经营异常、行政处罚、欠税、融资违约、主要人员失信；已修复、已撤销者不计
                    </Typography.Text>
                  </Space>
                </Card>
                {scanAt !== null && section(risks, () => <RiskSection scan={risks.data!} />)}
              </Space>
            ),
          },
        ]}
      />
      <div style={NOTICE_STYLE}>{ownership.data.notice}</div>
      <Modal
        open={checking}
        title={`生成核查报告：${t.name}`}
        okText="生成"
        cancelText="取消"
        confirmLoading={run.isPending}
        okButtonProps={{ 'data-testid': 'confirm-check' }}
        onCancel={() => setChecking(false)}
        onOk={() =>
          // A refusal is shown beside the field; nothing to do with it here.
          void form.validateFields().then(
            (v) => run.mutate(v.purpose),
            () => undefined,
          )
        }
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          报告保存此刻的股权穿透、对外投资、主要人员、关联风险（{radius}{' '}
          层）、红旗预警与信用评价，之后不随数据变化；重新核查会生成新报告。核查记入审计。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={{ purpose: purpose ?? '' }}>
          <Form.Item
            name="purpose"
            label="核查事由"
            validateFirst
            rules={[
              { required: true, whitespace: true, message: '请填写核查事由' },
              { min: 2, message: '请填写核查事由' },
              { max: 200, message: '核查事由不超过 200 字' },
            ]}
            help={run.isError ? messageOf(run.error) : undefined}
            validateStatus={run.isError ? 'error' : undefined}
          >
            <Input.TextArea
              rows={2}
              maxLength={200}
              showCount
              placeholder="如：大豆深加工项目入园前核查"
              data-testid="check-purpose"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
