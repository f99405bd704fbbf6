import { lazy, Suspense } from 'react';
import { Alert, Card, Descriptions, Empty, List, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router-dom';
import {
  GradeTag,
  Name,
  pct,
  RELATION_LABELS,
  RiskTags,
  ROLE_LABELS,
  StatusTag,
  wan,
  type KeyPeople,
  type OutboundInvestments,
  type OwnershipGraph,
  type RiskScan,
  type TargetCheck,
} from './ui';

// ECharts arrives only when a graph is shown.
const OwnershipChart = lazy(() => import('./OwnershipChart'));

const entityLink = (id: number | null, name: string) =>
  id ? (
    <Link to={`/invest/entities/${id}`} title={name}>
      {name}
    </Link>
  ) : (
    name
  );

/** A path as names: 赵德胜 →80%→ 兴边控股 →60%→ … → target. */
export function PathLine({
  edges,
  nameOf,
}: {
  edges: Array<{ from: string; to: string; share: number }>;
  nameOf: (k: string) => string;
}) {
  if (!edges.length) return null;
  return (
    <span data-testid="evidence-path">
      {nameOf(edges[0]!.from)}
      {edges.map((e, i) => (
        <span key={i}>
          <Typography.Text type="secondary"> —{pct(e.share)}→ </Typography.Text>
          {nameOf(e.to)}
        </span>
      ))}
    </span>
  );
}

export function OwnershipSection({ graph }: { graph: OwnershipGraph }) {
  const names = new Map(graph.nodes.map((n) => [n.key, n.name]));
  const nameOf = (k: string) => names.get(k) || k;
  const flagged = graph.holders.filter((h) => h.flags.length);
  // Checks stored before ADR 0022 carry the whole graph and none of the counts below.
  const nodesTotal = graph.nodesTotal ?? graph.nodes.length;
  const holdersTotal = graph.holdersTotal ?? graph.holders.length;
  const collapsedKeys = new Set(graph.collapsed ?? []);
  const collapsed = graph.nodes.filter((n) => collapsedKeys.has(n.key));
  const chartTitle =
    nodesTotal > graph.nodes.length
      ? `股权结构图（穿透 ${graph.depth} 层，共 ${nodesTotal} 个节点；显示前 ${graph.treeDepth} 层及证据路径上的 ${graph.nodes.length} 个）`
      : `股权结构图（穿透 ${graph.depth} 层，${graph.nodes.length} 个节点）`;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {flagged.map((h) =>
        h.flags.map((f) => (
          <Alert
            key={`${h.key}-${f.code}`}
            type="warning"
            showIcon
            data-testid="ownership-flag"
            title={
              <span>
                <Tag color="red">{f.label}</Tag>
                <b>{h.name}</b>（{h.kind === 'person' ? `自然人 ${h.idNumberMasked ?? ''}` : '企业'}）累计持股{' '}
                {pct(h.share)}
              </span>
            }
            description={
              <div>
                <div>{f.reason}</div>
                <div style={{ marginTop: 4 }}>证据路径：</div>
                {f.paths.map((p, i) => (
                  <div key={i} style={{ paddingLeft: 12 }}>
                    <PathLine edges={p.edges} nameOf={nameOf} />
                    <Typography.Text type="secondary">（本路径 {pct(p.share)}）</Typography.Text>
                  </div>
                ))}
              </div>
            }
          />
        )),
      )}
      <Card size="small" title={chartTitle}>
        <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
          <OwnershipChart graph={graph} />
        </Suspense>
        {collapsed.length > 0 && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} data-testid="collapsed">
            上层未展开的企业（点击查看其股权穿透）：
            {collapsed.map((n, i) => (
              <span key={n.key}>
                {i > 0 && '、'}
                {entityLink(n.entityId, n.name)}
              </span>
            ))}
          </Typography.Paragraph>
        )}
      </Card>
      <Card size="small" title="最终持有人（按所有路径累计，含交叉持股）">
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={graph.holders}
          data-testid="holders"
          columns={[
            {
              title: '持有人',
              key: 'name',
              render: (_, h) => (
                <span>
                  {h.name}{' '}
                  {h.kind === 'person' && <Typography.Text type="secondary">{h.idNumberMasked}</Typography.Text>}
                </span>
              ),
            },
            {
              title: '类型',
              key: 'kind',
              width: 90,
              render: (_, h) => (h.kind === 'person' ? '自然人' : h.kind === 'entity' ? '企业' : '外部主体'),
            },
            { title: '累计持股', key: 'share', width: 110, render: (_, h) => pct(h.share) },
            {
              title: '直接持股',
              key: 'direct',
              width: 110,
              render: (_, h) => (h.directShare ? pct(h.directShare) : '—'),
            },
            {
              title: '标记',
              key: 'flags',
              render: (_, h) => (
                <Space size={[0, 4]} wrap>
                  {h.flags.map((f) => (
                    <Tag key={f.code} color="red">
                      {f.label}
                    </Tag>
                  ))}
                  {h.viaCycle && <Tag color="purple">经交叉持股</Tag>}
                </Space>
              ),
            },
          ]}
        />
        {holdersTotal > graph.holders.length && (
          <Typography.Paragraph
            type="secondary"
            style={{ marginTop: 8, marginBottom: 0 }}
            data-testid="holders-omitted"
          >
            另有 {holdersTotal - graph.holders.length} 名持有人未列出，合计持股 {pct(graph.holdersOmittedShare ?? 0)}
            （均未达受益所有人或实际控制人标准）
          </Typography.Paragraph>
        )}
        {(graph.unknown > 0.0001 || graph.trapped > 0.0001 || graph.truncated > 0.0001) && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            未知持有人 {pct(graph.unknown)}；困于闭合交叉持股 {pct(graph.trapped)}；超出穿透层级 {pct(graph.truncated)}
          </Typography.Paragraph>
        )}
      </Card>
    </Space>
  );
}

export function InvestmentsSection({ data }: { data: OutboundInvestments }) {
  return (
    <Table
      size="small"
      rowKey={(i) => `${i.level}-${i.investorUscc}-${i.investeeUscc}`}
      dataSource={data.items}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: '无对外投资' }}
      data-testid="investments"
      scroll={{ x: 900 }}
      columns={[
        { title: '层级', dataIndex: 'level', width: 64 },
        { title: '被投资企业', key: 'name', render: (_, i) => entityLink(i.entityId, i.investeeName) },
        { title: '统一社会信用代码', dataIndex: 'investeeUscc', width: 190 },
        { title: '持股', key: 'ratio', width: 90, render: (_, i) => pct(i.ratio) },
        { title: '出资额', key: 'amount', width: 130, render: (_, i) => wan(i.amount) },
        { title: '状态', key: 'status', width: 80, render: (_, i) => <StatusTag status={i.status} /> },
        { title: '等级', key: 'grade', width: 120, render: (_, i) => <GradeTag grade={i.grade} score={i.score} /> },
      ]}
    />
  );
}

type Post = KeyPeople['persons'][number]['posts'][number];
type Company = Omit<Post, 'roles'> & { roles?: Post['roles']; ratio?: number };

export function PeopleSection({ data }: { data: KeyPeople }) {
  if (!data.persons.length) return <Empty description="无法定代表人、董事、监事信息" />;
  const company = (extra: { title: string; render: (c: Company) => React.ReactNode }) => [
    { title: '企业', key: 'name', render: (_: unknown, c: Company) => entityLink(c.entityId, c.name) },
    { title: extra.title, key: 'extra', width: 170, render: (_: unknown, c: Company) => extra.render(c) },
    { title: '状态', key: 'status', width: 72, render: (_: unknown, c: Company) => <StatusTag status={c.status} /> },
    {
      title: '等级',
      key: 'grade',
      width: 120,
      render: (_: unknown, c: Company) => <GradeTag grade={c.grade} score={c.score} />,
    },
    { title: '风险摘要', key: 'risk', width: 300, render: (_: unknown, c: Company) => <RiskTags risk={c.risk} /> },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {data.persons.map((p) => (
        <Card
          key={p.key}
          size="small"
          data-testid="person"
          title={
            <Space>
              <b>{p.name}</b>
              <Typography.Text type="secondary">{p.idNumberMasked}</Typography.Text>
              {p.roles.map((r) => (
                <Tag key={r} color="blue">
                  {ROLE_LABELS[r]}
                </Tag>
              ))}
            </Space>
          }
        >
          <Typography.Text strong>在其他企业任职（{p.posts.length}）</Typography.Text>
          {p.posts.length ? (
            <Table
              size="small"
              rowKey="entityId"
              pagination={false}
              dataSource={p.posts as Company[]}
              columns={company({ title: '职务', render: (c) => (c.roles ?? []).map((r) => ROLE_LABELS[r]).join('、') })}
              style={{ margin: '4px 0 12px' }}
            />
          ) : (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 12px' }}>
              无其他任职
            </Typography.Paragraph>
          )}
          <Typography.Text strong>对外持股（{p.holdings.length}）</Typography.Text>
          {p.holdings.length ? (
            <Table
              size="small"
              rowKey="entityId"
              pagination={false}
              dataSource={p.holdings as Company[]}
              columns={company({ title: '持股比例', render: (c) => pct(c.ratio ?? 0) })}
              style={{ marginTop: 4 }}
            />
          ) : (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
              无其他持股
            </Typography.Paragraph>
          )}
        </Card>
      ))}
    </Space>
  );
}

/** The red-flag settings in words (their INVEST_FLAG_* names are in the tooltip). */
const THRESHOLD_LABELS: Record<string, string> = {
  paidInRatioMin: '实缴与注册资本之比低于',
  youngHolderDays: '股东成立不足（天）',
  lowGradeRelatedMin: 'C 级及以下关联主体不少于（家）',
  lowGradeRelatedShare: 'C 级及以下关联主体占比不低于',
  financingGraceDays: '融资后登记宽限（天）',
};
const thresholdValue = (t: { name: string; value: number }) =>
  t.name === 'paidInRatioMin' || t.name === 'lowGradeRelatedShare' ? pct(t.value) : String(t.value);

const SEVERE = new Set(['serious_dishonesty', 'dishonest_executed', 'penalty_serious', 'key_person_listing']);

export function RiskSection({ scan }: { scan: RiskScan }) {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {scan.redFlags.length > 0 && (
        <Card size="small" title={`红旗预警（${scan.redFlags.length}）`} data-testid="red-flags">
          <List
            size="small"
            dataSource={scan.redFlags}
            renderItem={(f) => (
              <List.Item data-testid="red-flag">
                <div>
                  <Tag color="red">{f.label}</Tag>
                  {f.reason}
                  <Tooltip title={`配置项 ${f.threshold.name}`}>
                    <Typography.Text type="secondary">
                      （阈值：{THRESHOLD_LABELS[f.threshold.name] ?? f.threshold.name} {thresholdValue(f.threshold)}）
                    </Typography.Text>
                  </Tooltip>
                  <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
                    {f.evidence.map((e, i) => (
                      <li key={i}>{e}</li>
                    ))}
                  </ul>
                </div>
              </List.Item>
            )}
          />
        </Card>
      )}
      <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 4 }}>
        <Descriptions.Item label="关联主体">
          {scan.related.length} 家（{scan.radius} 层内）
        </Descriptions.Item>
        <Descriptions.Item label="公示期内风险记录">
          <span data-testid="findings-total">{scan.summary.total}</span> 条
          {scan.summary.underObjection > 0 && `（异议中 ${scan.summary.underObjection}）`}
        </Descriptions.Item>
        <Descriptions.Item label="已排除">
          已修复 {scan.excluded.repaired}、已撤销 {scan.excluded.revoked}、已过公示期 {scan.excluded.expired}
        </Descriptions.Item>
        <Descriptions.Item label="扫描时点">{scan.asOf.slice(0, 10)}</Descriptions.Item>
      </Descriptions>
      {scan.truncated && <Alert type="info" showIcon title="关联主体过多，最外一层未完整扫描" />}
      <Card size="small" title="风险记录（公示期内；已修复、已撤销者不计）">
        <Table
          size="small"
          rowKey={(f) => `${f.recordId}-${f.version}`}
          dataSource={scan.findings}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '关联范围内无公示期内的风险记录' }}
          data-testid="findings"
          scroll={{ x: 1000 }}
          columns={[
            {
              title: '类别',
              key: 'label',
              width: 140,
              render: (_, f) => (
                <Space size={4}>
                  <Tag color={SEVERE.has(f.category) ? 'red' : 'orange'}>{f.label}</Tag>
                  {f.underObjection && <Tag color="blue">异议中</Tag>}
                </Space>
              ),
            },
            {
              title: '主体',
              key: 'entity',
              width: 220,
              render: (_, f) => (
                <div>
                  {entityLink(f.entityId, f.entityName)}
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {f.distance ? `关联第 ${f.distance} 层` : '核查对象本身'}
                    </Typography.Text>
                  </div>
                </div>
              ),
            },
            { title: '内容', key: 'summary', render: (_, f) => f.summary ?? '—' },
            {
              title: '机关 / 文号',
              key: 'authority',
              width: 210,
              render: (_, f) => [f.authority, f.documentNo].filter(Boolean).join(' ') || '—',
            },
            { title: '发生日', dataIndex: 'occurredOn', width: 104 },
            { title: '公示截止', key: 'window', width: 104, render: (_, f) => f.windowEnds ?? '在列期间' },
          ]}
        />
      </Card>
      <Card size="small" title="关联主体">
        <Table
          size="small"
          rowKey="entityId"
          dataSource={scan.related}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="related"
          scroll={{ x: 1000 }}
          columns={[
            { title: '层级', key: 'distance', width: 64, render: (_, r) => (r.distance ? r.distance : '目标') },
            { title: '主体', key: 'name', width: 240, render: (_, r) => entityLink(r.entityId, r.name) },
            {
              title: '关联方式',
              key: 'via',
              width: 280,
              render: (_, r) =>
                r.via ? (
                  <div>
                    {RELATION_LABELS[r.via.relation]}
                    {r.via.person ? `（${r.via.person}）` : ''}
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        经 <Name name={r.via.fromName} width={220} />
                      </Typography.Text>
                    </div>
                  </div>
                ) : (
                  '—'
                ),
            },
            { title: '等级', key: 'grade', width: 120, render: (_, r) => <GradeTag grade={r.grade} score={r.score} /> },
            { title: '风险摘要', key: 'risk', render: (_, r) => <RiskTags risk={r.risk} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

export function EvaluationSection({ evaluation }: { evaluation: TargetCheck['evaluation'] }) {
  if (!evaluation) return <Empty description="尚无评价" />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space>
        <GradeTag grade={evaluation.grade} score={evaluation.total} />
        <Typography.Text type="secondary">评分模型 v{evaluation.modelVersion}</Typography.Text>
      </Space>
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={evaluation.indicators}
        columns={[
          { title: '指标', key: 'name', render: (_, i) => `${i.code} ${i.name}` },
          {
            title: '所属维度',
            key: 'group',
            width: 160,
            render: (_, i) => evaluation.groups.find((g) => g.code === i.group)?.name ?? i.group,
          },
          { title: '得分 / 满分', key: 'points', width: 120, render: (_, i) => `${i.points} / ${i.max}` },
        ]}
      />
    </Space>
  );
}
