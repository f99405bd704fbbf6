import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { Link } from 'react-router-dom';
import { data } from '@web/api/client';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { SaveScreeningButton } from './SaveScreeningButton';
import { GradeTag, NOTICE_STYLE, wan } from './ui';

export type Query = {
  chain?: string;
  industryCode?: string;
  regionCode?: string;
  grades?: string;
  minGrade?: 'A' | 'B' | 'C' | 'D' | 'E';
  creditGate?: 'true' | 'false';
  minScore?: number;
  maxScore?: number;
  minRegisteredCapital?: number;
  maxRegisteredCapital?: number;
  minPaidInCapital?: number;
  maxPaidInCapital?: number;
  minAgeYears?: number;
  maxAgeYears?: number;
  minHeadcount?: number;
  maxHeadcount?: number;
};

interface Filters {
  chain?: string;
  industryCode?: string;
  regionCode?: string;
  grades?: string[];
  creditGate: boolean;
  minGrade: 'A' | 'B' | 'C' | 'D' | 'E';
  minScore?: number;
  maxScore?: number;
  minRegisteredWan?: number;
  minPaidInWan?: number;
  minAgeYears?: number;
  minHeadcount?: number;
}

const PAGE = 20;
const blank = (s?: string) => (s && s.trim() ? s.trim() : undefined);

export function toQuery(f: Filters): Query {
  return {
    chain: f.chain,
    industryCode: blank(f.industryCode),
    regionCode: blank(f.regionCode),
    grades: f.grades?.length ? f.grades.join(',') : undefined,
    minGrade: f.minGrade,
    creditGate: f.creditGate ? 'true' : 'false',
    minScore: f.minScore ?? undefined,
    maxScore: f.maxScore ?? undefined,
    minRegisteredCapital: f.minRegisteredWan != null ? f.minRegisteredWan * 1e4 : undefined,
    minPaidInCapital: f.minPaidInWan != null ? f.minPaidInWan * 1e4 : undefined,
    minAgeYears: f.minAgeYears ?? undefined,
    minHeadcount: f.minHeadcount ?? undefined,
  };
}

/** 优质企业筛选: key chains and filters behind the credit gate, by score, page by page (keyset). */
export default function ScreeningPage() {
  const { client } = useApi();
  const [form] = Form.useForm<Filters>();
  const [query, setQuery] = useState<Query | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const chains = useQuery({
    queryKey: ['invest-chains'],
    queryFn: () => data(client.GET('/api/invest/chains')),
    staleTime: 300_000,
  });
  const r = useQuery({
    queryKey: ['invest-screen', query, cursor],
    enabled: query !== null,
    placeholderData: (prev) => prev,
    queryFn: () => data(client.GET('/api/invest/screening', { params: { query: { ...query!, cursor, limit: PAGE } } })),
  });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        优质企业筛选
      </Typography.Title>
      <Card size="small">
        <Form<Filters>
          form={form}
          layout="vertical"
          initialValues={{ creditGate: true, minGrade: 'B' }}
          onFinish={(v) => {
            setCursors([]);
            setQuery(toQuery(v));
          }}
        >
          <Row gutter={16}>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="chain" label="重点产业链">
                <Select
                  allowClear
                  placeholder="全部产业"
                  loading={chains.isLoading}
                  options={chains.data?.items.map((c) => ({ value: c.code, label: c.name }))}
                  data-testid="filter-chain"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item
                name="industryCode"
                label="行业代码（GB/T 4754 前缀）"
                rules={[{ pattern: /^[A-T]\d{0,4}$/, message: '如 C13 或 C1331' }]}
              >
                <Input placeholder="如 C13" allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item
                name="regionCode"
                label="区划代码前缀"
                rules={[{ pattern: /^\d{2,6}$/, message: '2 到 6 位数字，如 2311' }]}
              >
                <Input placeholder="如 231102" allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="grades" label="等级">
                <Checkbox.Group options={['A', 'B', 'C', 'D', 'E'].map((g) => ({ value: g, label: g }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item name="minScore" label="最低分">
                <InputNumber min={0} max={1000} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item name="maxScore" label="最高分">
                <InputNumber min={0} max={1000} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="minRegisteredWan" label="注册资本不低于（万元）">
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="minPaidInWan" label="实缴资本不低于（万元）">
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item name="minAgeYears" label="成立不少于（年）">
                <InputNumber min={0} max={200} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item name="minHeadcount" label="参保人数不少于">
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={4}>
              <Form.Item name="minGrade" label="信用门槛：最低等级">
                <Select options={['A', 'B', 'C', 'D', 'E'].map((g) => ({ value: g, label: `${g} 级及以上` }))} />
              </Form.Item>
            </Col>
          </Row>
          <Space wrap>
            <Form.Item name="creditGate" valuePropName="checked" noStyle>
              <Switch />
            </Form.Item>
            <span>排除公示期内的严重失信主体</span>
            <Button type="primary" htmlType="submit" data-testid="run-screen">
              筛选
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setQuery(null);
                setCursors([]);
              }}
            >
              重置
            </Button>
            {query && <SaveScreeningButton filter={query} />}
          </Space>
        </Form>
      </Card>
      {r.isError ? (
        <Failure error={r.error} retry={() => void r.refetch()} />
      ) : (
        query && (
          <>
            <Table
              size="middle"
              rowKey="entityId"
              loading={r.isFetching}
              dataSource={r.data?.items ?? []}
              pagination={false}
              data-testid="screen-results"
              scroll={{ x: 1100 }}
              locale={{ emptyText: '没有符合条件的企业' }}
              columns={[
                { title: '#', key: 'rank', width: 56, render: (_, __, i) => cursors.length * PAGE + i + 1 },
                {
                  title: '企业',
                  key: 'name',
                  width: 280,
                  render: (_, e) => (
                    <div>
                      <Link to={`/invest/entities/${e.entityId}`}>{e.name}</Link>
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {e.uscc}
                        </Typography.Text>
                      </div>
                    </div>
                  ),
                },
                {
                  title: '信用等级',
                  key: 'grade',
                  width: 130,
                  render: (_, e) => <GradeTag grade={e.grade} score={e.score} />,
                },
                {
                  title: '产业链',
                  key: 'chains',
                  width: 170,
                  render: (_, e) => e.chains.map((c) => <Tag key={c}>{c}</Tag>),
                },
                { title: '行业', dataIndex: 'industryCode', width: 72 },
                { title: '区划', dataIndex: 'regionCode', width: 84 },
                { title: '成立日期', dataIndex: 'establishedOn', width: 108 },
                { title: '注册资本', key: 'reg', width: 120, render: (_, e) => wan(e.registeredCapital) },
                { title: '实缴资本', key: 'paid', width: 120, render: (_, e) => wan(e.paidInCapital) },
              ]}
            />
            <Space>
              <Button disabled={!cursors.length} onClick={() => setCursors(cursors.slice(0, -1))}>
                上一页
              </Button>
              <Typography.Text type="secondary">第 {cursors.length + 1} 页，按信用分由高到低</Typography.Text>
              <Button
                disabled={!r.data?.nextCursor}
                onClick={() => setCursors([...cursors, r.data!.nextCursor!])}
                data-testid="next-page"
              >
                下一页
              </Button>
            </Space>
          </>
        )
      )}
      <div style={NOTICE_STYLE}>供招商决策参考，不作为失信惩戒的直接依据</div>
    </Space>
  );
}
