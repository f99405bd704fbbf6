import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { data } from '@web/api/client';
import { actorLabel, chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { GradeTag, NOTICE_STYLE } from './ui';

export const FLAG_LABELS: Record<string, string> = {
  actual_controller: '疑似实际控制人',
  beneficial_owner: '受益所有人',
  paid_in_low: '实缴资本远低于注册资本',
  young_holder: '股东新近设立',
  low_grade_related: '关联方低等级较多',
  financing_unregistered: '融资后无登记变更',
};
const RED = new Set(['paid_in_low', 'young_holder', 'low_grade_related', 'financing_unregistered']);

export function FlagTags({ flags }: { flags: string[] }) {
  if (!flags.length) return <Typography.Text type="secondary">无</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap>
      {flags.map((f) => (
        <Tag key={f} color={RED.has(f) ? 'red' : 'volcano'}>
          {FLAG_LABELS[f] ?? f}
        </Tag>
      ))}
    </Space>
  );
}

const PAGE = 20;

/** 核查报告: every stored check, newest first. */
export default function ChecksPage() {
  const { client } = useApi();
  const [befores, setBefores] = useState<number[]>([]);
  const before = befores[befores.length - 1];
  const r = useQuery({
    queryKey: ['invest-checks', before],
    placeholderData: (prev) => prev,
    queryFn: () => data(client.GET('/api/invest/checks', { params: { query: { before, limit: PAGE } } })),
  });
  if (r.isError && !r.data) return <Failure error={r.error} retry={() => void r.refetch()} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        核查报告
      </Typography.Title>
      <Table
        size="middle"
        rowKey="checkId"
        loading={r.isFetching}
        dataSource={r.data?.items ?? []}
        pagination={false}
        data-testid="checks"
        scroll={{ x: 1100 }}
        locale={{ emptyText: '尚无核查报告：在企业页点“生成核查报告”' }}
        columns={[
          {
            title: '编号',
            key: 'number',
            width: 200,
            render: (_, c) => (
              <Link to={`/invest/checks/${c.checkId}`} data-testid="check-link">
                {c.number}
              </Link>
            ),
          },
          {
            title: '核查对象',
            key: 'name',
            width: 260,
            render: (_, c) => (
              <div>
                <Link to={`/invest/entities/${c.entityId}`}>{c.name}</Link>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.uscc}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          { title: '等级', key: 'grade', width: 120, render: (_, c) => <GradeTag grade={c.grade} score={c.score} /> },
          { title: '预警', key: 'flags', width: 260, render: (_, c) => <FlagTags flags={c.flags} /> },
          { title: '风险记录', dataIndex: 'findings', width: 90 },
          { title: '事由', dataIndex: 'purpose', width: 200, ellipsis: { showTitle: true } },
          {
            title: '核查人 / 时间',
            key: 'who',
            width: 190,
            render: (_, c) => (
              <div>
                {actorLabel(`staff:${c.createdBy}`)}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {chinaTime(c.createdAt)}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
        ]}
      />
      <Space>
        <Button disabled={!befores.length} onClick={() => setBefores(befores.slice(0, -1))}>
          上一页
        </Button>
        <Button disabled={!r.data?.nextBefore} onClick={() => setBefores([...befores, r.data!.nextBefore!])}>
          下一页
        </Button>
      </Space>
      <div style={NOTICE_STYLE}>供招商决策参考，不作为失信惩戒的直接依据</div>
    </Space>
  );
}
