import { lazy, Suspense } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Space, Spin, Statistic, Typography } from 'antd';
import { data } from '@web/api/client';
import { Failure } from '../components/Failure';
import { useApi, useSession } from '../context';
import { DeliveryPanel, IncentivePanel, LoanPanel, ResultUsePanel } from './ResultsPanels';
import {
  ApplicationsPanel,
  CycleRunsPanel,
  GradeHistoryPanel,
  MigrationPanel,
  ObjectionOutcomesPanel,
  TimelinessPanel,
} from './TrackingPanels';

// ECharts (~1 MB) loads with the chart, never with the first route.
const GradeChart = lazy(() => import('./GradeChart'));

/** 跟踪评估: the grade distribution now and per cycle, migrations, applications, timeliness, objection outcomes, cycle runs, result delivery (admin), use feedback by recipient, incentive checks and 信易贷. */
export default function Dashboard() {
  const { client } = useApi();
  const role = useSession()?.staff.role;
  const q = useQuery({ queryKey: ['grades'], queryFn: () => data(client.GET('/api/statistics/grades')) });
  if (q.isError) return <Failure error={q.error} retry={() => void q.refetch()} />;
  if (!q.data) return <Spin style={{ display: 'block', margin: 64 }} />;
  const d = q.data;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Card>
          <Statistic title="参评市场主体" value={d.total} />
          <Statistic title="未评分" value={d.unscored} style={{ marginTop: 16 }} />
          <Statistic
            title="A 级占比"
            value={d.total ? ((d.byGrade.A / d.total) * 100).toFixed(1) : '0.0'}
            suffix="%"
            style={{ marginTop: 16 }}
          />
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        <Card title="信用等级分布" data-testid="grade-chart">
          <Suspense fallback={<Spin />}>
            <GradeChart byGrade={d.byGrade} />
          </Suspense>
          <Space wrap size={[16, 0]} data-testid="grade-counts">
            {(['A', 'B', 'C', 'D', 'E'] as const).map((g) => (
              <Typography.Text key={g} type="secondary">
                {g} 级{' '}
                <Typography.Text strong data-testid={`grade-count-${g}`}>
                  {d.byGrade[g]}
                </Typography.Text>
              </Typography.Text>
            ))}
          </Space>
        </Card>
      </Col>
      {(role === 'admin' || role === 'reviewer') && (
        <>
          <Col xs={24} xl={14}>
            <GradeHistoryPanel />
          </Col>
          <Col xs={24} xl={10}>
            <MigrationPanel />
          </Col>
          <Col xs={24} xl={12}>
            <ApplicationsPanel />
          </Col>
          <Col xs={24} xl={12}>
            <ObjectionOutcomesPanel />
          </Col>
          <Col span={24}>
            <TimelinessPanel />
          </Col>
          <Col span={24}>
            <CycleRunsPanel />
          </Col>
        </>
      )}
      {role === 'admin' && (
        <Col xs={24} xl={8}>
          <DeliveryPanel />
        </Col>
      )}
      {(role === 'admin' || role === 'reviewer') && (
        <Col xs={24} xl={role === 'admin' ? 16 : 24}>
          <ResultUsePanel />
        </Col>
      )}
      {(role === 'admin' || role === 'reviewer') && (
        <>
          <Col xs={24} xl={12}>
            <IncentivePanel />
          </Col>
          <Col xs={24} xl={12}>
            <LoanPanel />
          </Col>
        </>
      )}
    </Row>
  );
}
