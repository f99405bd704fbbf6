import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { Link } from 'react-router-dom';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { actorLabel, chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { blobOf, saveBlob } from './download';
import { GradeTag, NOTICE_STYLE, StatusTag } from './ui';

type ParkCheck = Ok<'getParkCheck'>;
type Row = ParkCheck['rows'][number];

/** What a browser reads of an uploaded list: text files only, capped as the API caps the text. */
const MAX_CHARS = 100_000;
const MAX_FILE_BYTES = 400_000;

interface Fields {
  text: string;
  purpose: string;
  park?: string;
  minGrade: 'A' | 'B' | 'C' | 'D' | 'E';
}

function Result({ c }: { c: ParkCheck }) {
  const { client } = useApi();
  const { message } = App.useApp();
  const [onlyFailures, setOnlyFailures] = useState(false);
  const xlsx = useMutation({
    mutationFn: () =>
      blobOf(
        client.GET('/api/invest/park-checks/{parkCheckId}/xlsx', {
          params: { path: { parkCheckId: String(c.parkCheckId) } },
          parseAs: 'blob',
        }),
      ),
    onSuccess: (blob) => saveBlob(blob, `入园核查-${c.number}.xlsx`),
    onError: (e) => void message.error(e.message),
  });
  const rows = onlyFailures ? c.rows.filter((r) => r.failures.length) : c.rows;
  return (
    <Card
      size="small"
      data-testid="park-result"
      title={
        <Space wrap>
          <Typography.Text strong>{c.number}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {c.park ? `${c.park} · ` : ''}
            {actorLabel(`staff:${c.createdBy}`)} · {chinaTime(c.createdAt)}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space wrap>
          <Button onClick={() => setOnlyFailures(!onlyFailures)} data-testid="only-failures">
            {onlyFailures ? '显示全部' : '只看问题'}
          </Button>
          <Button onClick={() => xlsx.mutate()} loading={xlsx.isPending} data-testid="export-park">
            导出 Excel
          </Button>
        </Space>
      }
    >
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={6}>
          <Statistic title="代码数" value={c.total} />
        </Col>
        <Col span={6}>
          <Statistic title="通过" value={c.passed} styles={{ content: { color: '#389e0d' } }} />
        </Col>
        <Col span={6}>
          <Statistic
            title="未通过或需核查"
            value={c.failed}
            styles={{ content: { color: c.failed ? '#cf1322' : undefined } }}
          />
        </Col>
        <Col span={6}>
          <Statistic title="信用门槛" value={`${c.minGrade} 级及以上`} />
        </Col>
      </Row>
      <Table<Row>
        size="small"
        rowKey="line"
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        data-testid="park-rows"
        rowClassName={(r) => (r.failures.length ? 'park-row-failed' : '')}
        columns={[
          { title: '#', dataIndex: 'line', width: 52 },
          {
            title: '统一社会信用代码',
            key: 'uscc',
            width: 200,
            render: (_, r) => (
              <div>
                <Typography.Text code style={{ fontSize: 12 }}>
                  {r.input}
                </Typography.Text>
                {r.checksumOk === false && (
                  <div>
                    <Tag color="orange">校验位不符</Tag>
                  </div>
                )}
              </div>
            ),
          },
          {
            title: '企业',
            key: 'name',
            width: 200,
            render: (_, r) =>
              r.entityId ? (
                <Space size={4} wrap>
                  <Link to={`/invest/entities/${r.entityId}`}>{r.name}</Link>
                  {r.status !== 'active' && <StatusTag status={r.status} />}
                </Space>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          {
            title: '等级',
            key: 'grade',
            width: 120,
            render: (_, r) => (r.entityId ? <GradeTag grade={r.grade} score={r.score} /> : '—'),
          },
          {
            title: '信用门槛与问题',
            key: 'gate',
            width: 280,
            render: (_, r) => (
              <div data-testid="row-failures">
                {r.gatePassed ? <Tag color="green">通过</Tag> : <Tag color="red">未通过</Tag>}
                {r.failures.map((f) => (
                  <div key={f.code}>
                    <Typography.Text type="danger">{f.message}</Typography.Text>
                  </div>
                ))}
              </div>
            ),
          },
          {
            title: '公示期内风险',
            key: 'flags',
            width: 200,
            render: (_, r) =>
              r.flags.length ? (
                <Space size={[0, 4]} wrap>
                  {r.flags.map((f) => (
                    <Tag key={f.code} color="orange">
                      {f.label} {f.count}
                    </Tag>
                  ))}
                  {r.underObjection > 0 && <Tag>异议中 {r.underObjection}</Tag>}
                </Space>
              ) : (
                <Typography.Text type="secondary">无</Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}

/** 入园核查: a batch of USCCs, pasted or read from a .txt/.csv file, checked in one go. */
export default function ParkCheckPage() {
  const { client } = useApi();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Fields>();
  const [fileName, setFileName] = useState<string | undefined>();
  const [shown, setShown] = useState<number | null>(null);
  const history = useQuery({
    queryKey: ['invest-park-checks'],
    queryFn: () => data(client.GET('/api/invest/park-checks', { params: { query: { limit: 10 } } })),
  });
  const current = useQuery({
    queryKey: ['invest-park-check', shown],
    enabled: shown !== null,
    staleTime: Infinity,
    queryFn: () =>
      data(client.GET('/api/invest/park-checks/{parkCheckId}', { params: { path: { parkCheckId: String(shown) } } })),
  });
  const run = useMutation({
    mutationFn: (v: Fields) =>
      data(
        client.POST('/api/invest/park-checks', {
          body: { text: v.text, purpose: v.purpose, park: v.park || undefined, minGrade: v.minGrade, fileName },
        }),
      ),
    onSuccess: (c) => {
      qc.setQueryData(['invest-park-check', c.parkCheckId], c);
      setShown(c.parkCheckId);
      void qc.invalidateQueries({ queryKey: ['invest-park-checks'] });
      message.success(`核查完成：${c.total} 个代码，${c.passed} 个通过`);
    },
  });
  const text = Form.useWatch('text', form) ?? '';
  const count = text.split(/[\s,，;；、|]+/).filter((t: string) => /^[0-9A-Za-z]{6,}$/.test(t)).length;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        入园企业信用核查
      </Typography.Title>
      <Card size="small">
        <Form<Fields>
          form={form}
          layout="vertical"
          initialValues={{ minGrade: 'B', text: '' }}
          onFinish={(v) => run.mutate(v)}
        >
          <Row gutter={16}>
            <Col xs={24} xl={14}>
              <Form.Item
                name="text"
                label={
                  <Space>
                    统一社会信用代码
                    <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                      每行一个，或以逗号、空格分隔；最多 500 个
                    </Typography.Text>
                  </Space>
                }
                rules={[
                  { required: true, whitespace: true, message: '请粘贴或上传统一社会信用代码' },
                  { max: MAX_CHARS, message: '内容过长，请分批核查' },
                ]}
                help={
                  run.isError
                    ? messageOf(run.error)
                    : fileName
                      ? `已读取 ${fileName}，识别到约 ${count} 个代码`
                      : count
                        ? `识别到约 ${count} 个代码`
                        : undefined
                }
                validateStatus={run.isError ? 'error' : undefined}
              >
                <Input.TextArea
                  rows={8}
                  placeholder={'91231102MA1XXXXXXX\n91231100MA1YYYYYYY'}
                  data-testid="park-text"
                  style={{ fontFamily: 'monospace' }}
                />
              </Form.Item>
              <Upload
                accept=".txt,.csv,text/plain,text/csv"
                maxCount={1}
                showUploadList={false}
                beforeUpload={(file) => {
                  if (file.size > MAX_FILE_BYTES) {
                    message.error('文件超过 400 KB，请分批核查');
                    return Upload.LIST_IGNORE;
                  }
                  void file.text().then((t) => {
                    form.setFieldValue('text', t.slice(0, MAX_CHARS));
                    setFileName(file.name);
                    void form.validateFields(['text']);
                  });
                  return false;
                }}
              >
                <Button data-testid="park-upload">上传 .txt / .csv 文件</Button>
              </Upload>
            </Col>
            <Col xs={24} xl={10}>
              <Form.Item name="park" label="园区" rules={[{ max: 100, message: '园区名称不超过 100 字' }]}>
                <Input placeholder="如：黑河边境经济合作区" maxLength={100} data-testid="park-name" />
              </Form.Item>
              <Form.Item name="minGrade" label="信用门槛：最低等级">
                <Select options={['A', 'B', 'C', 'D', 'E'].map((g) => ({ value: g, label: `${g} 级及以上` }))} />
              </Form.Item>
              <Form.Item
                name="purpose"
                label="核查事由"
                validateFirst
                rules={[
                  { required: true, whitespace: true, message: '请填写核查事由' },
                  { min: 2, message: '请填写核查事由' },
                  { max: 200, message: '核查事由不超过 200 字' },
                ]}
              >
                <Input.TextArea
                  rows={2}
                  maxLength={200}
                  showCount
                  placeholder="如：2026 年第四批入园审核"
                  data-testid="park-purpose"
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={run.isPending} data-testid="run-park">
                核查
              </Button>
            </Col>
          </Row>
        </Form>
        <Alert
          style={{ marginTop: 12 }}
          type="info"
          showIcon
          title="逐个校验代码（校验位不符者标注并照常查询），查询登记状态、信用等级与公示期内风险记录；信用门槛为登记存续、等级不低于所选等级、公示期内无严重失信。核查结果保存并记入审计。"
        />
      </Card>
      {current.isError ? (
        <Failure error={current.error} retry={() => void current.refetch()} />
      ) : (
        current.data && <Result c={current.data} />
      )}
      <Card size="small" title="最近的入园核查">
        {history.isError && !history.data ? (
          <Failure error={history.error} retry={() => void history.refetch()} />
        ) : (
          <Table
            size="small"
            rowKey="parkCheckId"
            dataSource={history.data?.items ?? []}
            pagination={false}
            loading={history.isFetching}
            locale={{ emptyText: '尚无入园核查' }}
            columns={[
              {
                title: '编号',
                key: 'number',
                width: 200,
                render: (_, c) => (
                  <Button type="link" style={{ padding: 0 }} onClick={() => setShown(c.parkCheckId)}>
                    {c.number}
                  </Button>
                ),
              },
              { title: '园区', dataIndex: 'park', width: 170, render: (p: string) => p || '—' },
              { title: '事由', dataIndex: 'purpose', ellipsis: { showTitle: true } },
              { title: '结果', key: 'result', width: 110, render: (_, c) => `${c.passed} / ${c.total} 通过` },
              { title: '时间', key: 'at', width: 150, render: (_, c) => chinaTime(c.createdAt) },
            ]}
          />
        )}
      </Card>
      <div style={NOTICE_STYLE}>供招商决策参考，不作为失信惩戒的直接依据</div>
    </Space>
  );
}
