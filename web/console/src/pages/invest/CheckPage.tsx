import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Space, Spin, Table, Tabs, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { data } from '@web/api/client';
import { actorLabel, chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { blobOf, saveBlob } from './download';
import { FlagTags } from './ChecksPage';
import { EvaluationSection, InvestmentsSection, OwnershipSection, PeopleSection, RiskSection } from './sections';
import { GradeTag, NOTICE_STYLE, wan } from './ui';

/** One stored check report, exactly as it was taken. */
export default function CheckPage() {
  const { client } = useApi();
  const { message } = App.useApp();
  const checkId = Number(useParams().checkId);
  const xlsx = useMutation({
    mutationFn: async () => {
      const {
        data: blob,
        error,
        response,
      } = await client.GET('/api/invest/checks/{checkId}/xlsx', {
        params: { path: { checkId: String(checkId) } },
        parseAs: 'blob',
      });
      if (error !== undefined || !response.ok || !blob) throw new Error(`导出失败（${response.status}），请重试`);
      return blob as Blob;
    },
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `核查报告-${r.data?.number ?? checkId}.xlsx`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    onError: (e) => void message.error(e.message),
  });
  const pdf = useMutation({
    mutationFn: () =>
      blobOf(
        client.GET('/api/invest/checks/{checkId}/pdf', {
          params: { path: { checkId: String(checkId) } },
          parseAs: 'blob',
        }),
      ),
    onSuccess: (blob) => saveBlob(blob, `核查报告-${r.data?.number ?? checkId}.pdf`),
    onError: (e) => void message.error(e.message),
  });
  const r = useQuery({
    queryKey: ['invest-check', checkId],
    staleTime: Infinity,
    queryFn: () => data(client.GET('/api/invest/checks/{checkId}', { params: { path: { checkId: String(checkId) } } })),
  });
  if (r.isError) return <Failure error={r.error} retry={() => void r.refetch()} />;
  if (!r.data) return <Spin style={{ display: 'block', margin: 64 }} />;
  const c = r.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="check-number">
              核查报告 {c.number}
            </Typography.Title>
            <GradeTag grade={c.grade} score={c.score} />
          </Space>
        }
        extra={
          <Space wrap>
            <Button onClick={() => pdf.mutate()} loading={pdf.isPending} data-testid="export-pdf">
              导出 PDF
            </Button>
            <Button onClick={() => xlsx.mutate()} loading={xlsx.isPending} data-testid="export-xlsx">
              导出 Excel
            </Button>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label="核查对象">
            <Link to={`/invest/entities/${c.entityId}`}>{c.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="统一社会信用代码">{c.uscc}</Descriptions.Item>
          <Descriptions.Item label="数据时点">{chinaTime(c.asOf)}</Descriptions.Item>
          <Descriptions.Item label="核查人">{actorLabel(`staff:${c.createdBy}`)}</Descriptions.Item>
          <Descriptions.Item label="核查事由">{c.purpose}</Descriptions.Item>
          <Descriptions.Item label="评分模型">{c.modelVersion ? `v${c.modelVersion}` : '—'}</Descriptions.Item>
          <Descriptions.Item label="预警" span={3}>
            <span data-testid="check-flags">
              <FlagTags flags={c.flags} />
            </span>
          </Descriptions.Item>
        </Descriptions>
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 8 }}
          title="本报告为核查时点的快照，不随数据变化；需要最新情况请重新核查。"
        />
      </Card>
      <Tabs
        items={[
          {
            key: 'risks',
            label: `关联风险与红旗预警（${c.risks.findings.length}）`,
            children: <RiskSection scan={c.risks} />,
          },
          { key: 'ownership', label: '股权穿透', children: <OwnershipSection graph={c.ownership} /> },
          { key: 'people', label: '主要人员', children: <PeopleSection data={c.people} /> },
          { key: 'investments', label: '对外投资', children: <InvestmentsSection data={c.investments} /> },
          {
            key: 'financing',
            label: '融资',
            children: (
              <Table
                size="small"
                rowKey={(f) => `${f.occurredOn}-${f.round}`}
                dataSource={c.financings}
                pagination={false}
                locale={{ emptyText: '无融资记录' }}
                columns={[
                  { title: '日期', dataIndex: 'occurredOn', width: 120 },
                  { title: '轮次', dataIndex: 'round', width: 120 },
                  { title: '金额', key: 'amount', width: 140, render: (_, f) => wan(f.amount) },
                  { title: '投资方', dataIndex: 'investors' },
                ]}
              />
            ),
          },
          { key: 'evaluation', label: '信用评价', children: <EvaluationSection evaluation={c.evaluation} /> },
        ]}
      />
      <div style={NOTICE_STYLE}>{c.notice}</div>
    </Space>
  );
}
