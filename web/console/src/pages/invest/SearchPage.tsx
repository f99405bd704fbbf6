import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { data } from '@web/api/client';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { GradeTag, NOTICE_STYLE, StatusTag } from './ui';

export const targetLink = (entityId: number, purpose?: string | null) =>
  `/invest/entities/${entityId}${purpose ? `?purpose=${encodeURIComponent(purpose)}` : ''}`;

/** 企业查询: by USCC (checksum checked), name or former name; each result says why it matched. */
export default function SearchPage() {
  const { client } = useApi();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const purpose = params.get('purpose') ?? '';
  const r = useQuery({
    queryKey: ['invest-search', q, purpose],
    enabled: q.trim().length > 0,
    queryFn: () =>
      data(client.GET('/api/invest/entities', { params: { query: { q, limit: 20, purpose: purpose || undefined } } })),
  });
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value.trim()) next.set(name, value.trim());
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        企业查询
      </Typography.Title>
      <Card size="small">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.Search
            size="large"
            allowClear
            enterButton="查询"
            placeholder="统一社会信用代码、企业名称或曾用名"
            defaultValue={q}
            onSearch={(v) => set('q', v)}
            data-testid="invest-search"
            style={{ maxWidth: 720 }}
          />
          <Input
            addonBefore="查询事由"
            placeholder="记入审计，如：大豆深加工项目洽谈前核查"
            defaultValue={purpose}
            maxLength={200}
            onBlur={(e) => set('purpose', e.target.value)}
            style={{ maxWidth: 720 }}
            data-testid="invest-purpose"
          />
        </Space>
      </Card>
      {r.data?.query.uscc && !r.data.query.uscc.checksumOk && (
        <Alert
          type="warning"
          showIcon
          title={`代码 ${r.data.query.uscc.uscc} 校验位不符`}
          description={r.data.query.uscc.note}
        />
      )}
      {r.isError ? (
        <Failure error={r.error} retry={() => void r.refetch()} />
      ) : (
        q && (
          <Table
            size="middle"
            rowKey="entityId"
            loading={r.isFetching}
            dataSource={r.data?.items ?? []}
            pagination={false}
            data-testid="search-results"
            scroll={{ x: 1000 }}
            locale={{ emptyText: `没有与“${q}”匹配的主体` }}
            columns={[
              {
                title: '企业',
                key: 'name',
                width: 300,
                render: (_, e) => (
                  <div>
                    <Link to={targetLink(e.entityId, purpose)} data-testid="search-hit">
                      {e.name}
                    </Link>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {e.uscc}
                        {!e.usccChecksumOk && (
                          <Tag color="orange" style={{ marginLeft: 6 }}>
                            校验位不符
                          </Tag>
                        )}
                      </Typography.Text>
                    </div>
                    {e.formerNames.length > 0 && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        曾用名：{e.formerNames.join('、')}
                      </Typography.Text>
                    )}
                  </div>
                ),
              },
              {
                title: '匹配原因',
                key: 'matches',
                render: (_, e) => (
                  <Space orientation="vertical" size={0}>
                    {e.matches.map((m, i) => (
                      <span key={i} data-testid="match-reason">
                        {m.reason}
                      </span>
                    ))}
                  </Space>
                ),
              },
              { title: '状态', key: 'status', width: 80, render: (_, e) => <StatusTag status={e.status} /> },
              { title: '行业', dataIndex: 'industryCode', width: 80 },
              { title: '区划', dataIndex: 'regionCode', width: 90 },
              {
                title: '信用等级',
                key: 'grade',
                width: 130,
                render: (_, e) => <GradeTag grade={e.grade} score={e.score} />,
              },
            ]}
          />
        )
      )}
      <div style={NOTICE_STYLE}>供招商决策参考，不作为失信惩戒的直接依据</div>
    </Space>
  );
}
