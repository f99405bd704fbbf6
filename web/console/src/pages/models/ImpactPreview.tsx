import { lazy, Suspense, type ReactNode } from 'react';
import { Card, Col, Row, Spin, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { GRADES } from '@heihe/shared';
import type { Ok } from '@web/api/client';
import { chinaTime, signedPoints } from '@web/format';

// ECharts loads with the preview, never with the first route.
const ImpactChart = lazy(() => import('./ImpactChart'));

type Preview = Ok<'previewModelImpact'>;
type Change = Preview['changes'][number];
type Grade = (typeof GRADES)[number];

const rank = (g: Grade) => GRADES.indexOf(g);

/** The migration matrix as rows: one per grade under the model in force, a cell per grade under the draft. */
export function migrationRows(preview: Pick<Preview, 'migrations' | 'before'>) {
  return GRADES.map((from) => ({
    from,
    total: preview.before[from],
    ...Object.fromEntries(
      GRADES.map((to) => [to, preview.migrations.find((m) => m.from === from && m.to === to)?.count ?? 0]),
    ),
  })) as ({ from: Grade; total: number } & Record<Grade, number>)[];
}

/** What a draft would do to today's population: the distribution, the migrations, who moves. */
export function ImpactPreviewPanel({ preview }: { preview: Preview }) {
  const up = preview.migrations.filter((m) => rank(m.to) < rank(m.from)).reduce((n, m) => n + m.count, 0);
  const down = preview.changed - up;
  return (
    <Space16>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card size="small" data-testid="impact-summary" style={{ height: '100%' }}>
            <Statistic title="参与预览的市场主体" value={preview.entities} />
            <Statistic
              title="等级发生变化"
              value={preview.changed}
              suffix={`个（升级 ${up}，降级 ${down}）`}
              style={{ marginTop: 16 }}
              data-testid="impact-changed"
            />
            <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
              以 {chinaTime(preview.asOf)} 的数据，分别按现行模型 v{preview.baseModelVersion} 与草稿 v
              {preview.draftVersion} 计算。
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card size="small" title="等级分布：现行模型与本草稿" data-testid="impact-chart">
            <Suspense fallback={<Spin />}>
              <ImpactChart before={preview.before} after={preview.after} />
            </Suspense>
          </Card>
        </Col>
      </Row>
      <Card size="small" title="等级迁移（行：现行等级；列：本草稿下的等级）">
        <Table
          data-testid="migration-matrix"
          rowKey="from"
          size="small"
          pagination={false}
          dataSource={migrationRows(preview)}
          columns={[
            { title: '现行 \\ 草稿', dataIndex: 'from', width: 110, render: (g: Grade) => <b>{g} 级</b> },
            ...GRADES.map((to) => ({
              title: `${to} 级`,
              key: to,
              align: 'right' as const,
              render: (_: unknown, r: Record<Grade, number> & { from: Grade }) => {
                const n = r[to];
                if (r.from === to) return <Typography.Text type="secondary">{n}</Typography.Text>;
                if (n === 0) return <Typography.Text type="secondary">—</Typography.Text>;
                const better = rank(to) < rank(r.from);
                return (
                  <Typography.Text
                    strong
                    style={{ color: better ? '#15803d' : '#b91c1c' }}
                    data-testid={`cell-${r.from}${to}`}
                  >
                    {n}
                  </Typography.Text>
                );
              },
            })),
            { title: '合计', dataIndex: 'total', align: 'right' as const, width: 90 },
          ]}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          对角线（灰色）为等级不变的主体数；绿色为升级，红色为降级。
        </Typography.Text>
      </Card>
      <Card
        size="small"
        title="等级变化的市场主体"
        extra={
          preview.changes.length < preview.changed ? (
            <Typography.Text type="secondary">
              列出前 {preview.changes.length} 个，共 {preview.changed} 个
            </Typography.Text>
          ) : null
        }
      >
        <Table<Change>
          data-testid="impact-changes"
          rowKey="entityId"
          size="small"
          dataSource={preview.changes}
          pagination={{ pageSize: 10, showSizeChanger: false }}
          locale={{ emptyText: '没有市场主体的等级发生变化' }}
          columns={[
            { title: '市场主体', dataIndex: 'name' },
            { title: '统一社会信用代码', dataIndex: 'uscc', width: 200 },
            {
              title: '等级',
              key: 'grade',
              width: 120,
              render: (_, c) => (
                <span>
                  {c.fromGrade} → <Tag color={rank(c.toGrade) < rank(c.fromGrade) ? 'green' : 'red'}>{c.toGrade}</Tag>
                </span>
              ),
            },
            { title: '得分', key: 'total', width: 120, render: (_, c) => `${c.fromTotal} → ${c.toTotal}` },
            {
              title: '分差',
              key: 'delta',
              width: 90,
              align: 'right',
              sorter: (a, b) => a.toTotal - a.fromTotal - (b.toTotal - b.fromTotal),
              render: (_, c) =>
                c.toTotal === c.fromTotal ? (
                  <Tooltip title="得分不变，等级因分数线调整而变化">0（分数线）</Tooltip>
                ) : (
                  signedPoints(c.toTotal - c.fromTotal)
                ),
            },
          ]}
        />
      </Card>
    </Space16>
  );
}

function Space16({ children }: { children: ReactNode }) {
  return <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>{children}</div>;
}
