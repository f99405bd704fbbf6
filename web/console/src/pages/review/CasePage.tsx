import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Breadcrumb,
  Card,
  Col,
  Descriptions,
  Row,
  Space,
  Spin,
  Statistic,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { Link, useParams } from 'react-router-dom';
import {
  APPLICATION_KIND_LABELS,
  APPLICATION_STATUS_LABELS,
  SEVERITY_LABELS,
  type ApplicationKind,
  type ApplicationStatus,
  type Severity,
} from '@heihe/shared';
import { data } from '@web/api/client';
import { ApiError, messageOf } from '@web/api/errors';
import { actorLabel, chinaTime, signedPoints } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { decide, fetchCase, isKind, type AnyCase, type CaseView } from './case-kinds';
import { DeadlineTag } from './DeadlineTag';
import { DecisionPanel } from './DecisionPanel';
import { DecisionPreview } from './DecisionPreview';
import { EvidenceList } from './Evidence';
import { RecordHistory } from './RecordHistory';
import { ReportButton } from './ReportButton';

const signed = signedPoints;
const severityLabel = (s: string | null) => (s ? (SEVERITY_LABELS[s as Severity] ?? s) : '—');
function eventLabel(kind: ApplicationKind, status: string): string {
  return APPLICATION_STATUS_LABELS[kind][status as ApplicationStatus] ?? status;
}

function Subject({ c }: { c: CaseView }) {
  if (c.kind === 'good_info') {
    const v = c.view;
    return (
      <Card size="small" title="上报的良好信息" data-testid="subject">
        <Descriptions size="small" column={2}>
          <Descriptions.Item label="类别">{v.categoryLabel}</Descriptions.Item>
          <Descriptions.Item label="日期">{v.occurredOn}</Descriptions.Item>
          <Descriptions.Item label="名称" span={2}>
            {v.title}
          </Descriptions.Item>
          <Descriptions.Item label="说明" span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{v.description}</Typography.Paragraph>
          </Descriptions.Item>
        </Descriptions>
      </Card>
    );
  }
  const v = c.view;
  const r = v.record;
  return (
    <>
      <Card size="small" title={c.kind === 'objection' ? '异议的记录' : '申请修复的记录'} data-testid="record">
        <Descriptions size="small" column={2}>
          <Descriptions.Item label="记录">
            {r.kindLabel} #{r.recordId}（第 {r.version} 版）
          </Descriptions.Item>
          <Descriptions.Item label="状态">{r.statusLabel}</Descriptions.Item>
          <Descriptions.Item label="发生日期">{r.occurredOn}</Descriptions.Item>
          <Descriptions.Item label="严重程度">{severityLabel(r.severity)}</Descriptions.Item>
          <Descriptions.Item label="摘要" span={2}>
            {r.summary ?? '—'}
          </Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary" style={{ display: 'block', margin: '8px 0' }}>
          版本历史
        </Typography.Text>
        <RecordHistory recordId={r.recordId} current={r.version} />
      </Card>
      <Card
        size="small"
        title={c.kind === 'objection' ? `异议理由：${c.view.groundLabel}` : '申请说明'}
        data-testid="statement"
      >
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{v.statement}</Typography.Paragraph>
      </Card>
    </>
  );
}

function Outcome({ v }: { v: AnyCase }) {
  if (!v.decidedAt) return null;
  const o = v.outcome;
  const changed = o.scoreBefore !== null && o.scoreAfter !== null;
  return (
    <Card size="small" title="办理结果" data-testid="outcome">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label="结论">
          <Tag color={v.status === 'rejected' ? 'red' : 'green'}>{v.statusLabel}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="办理人">{actorLabel(v.decidedBy)}</Descriptions.Item>
        <Descriptions.Item label="办理时间">{chinaTime(v.decidedAt)}</Descriptions.Item>
        {v.decisionReason && <Descriptions.Item label="理由">{v.decisionReason}</Descriptions.Item>}
      </Descriptions>
      {changed && (
        <div data-testid="score-change" style={{ marginTop: 8, fontSize: 16 }}>
          <Typography.Text type="secondary">评分：</Typography.Text>
          {o.scoreBefore} 分（{o.gradeBefore} 级）→{' '}
          <Typography.Text
            strong
            style={{ fontSize: 20, color: o.scoreAfter! > o.scoreBefore! ? '#15803d' : undefined }}
          >
            {o.scoreAfter} 分（{o.gradeAfter} 级）
          </Typography.Text>{' '}
          {o.scoreAfter === o.scoreBefore ? (
            <Tag>评分未变</Tag>
          ) : (
            <Tag color={o.scoreAfter! > o.scoreBefore! ? 'green' : 'red'}>
              {signed(o.scoreAfter! - o.scoreBefore!)} 分
            </Tag>
          )}
        </div>
      )}
    </Card>
  );
}

/** One case: who, what is disputed, the statement and evidence, the decision and its timeline. */
export default function CasePage() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  const params = useParams();
  const kind = params.kind;
  const id = params.id ?? '';
  const [conflict, setConflict] = useState<string | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const valid = isKind(kind) && /^\d+$/.test(id);
  const caseQ = useQuery({
    queryKey: ['case', kind, id],
    queryFn: () => fetchCase(client, kind as ApplicationKind, id),
    enabled: valid,
  });
  const entityId = caseQ.data?.view.entityId;
  const evalQ = useQuery({
    queryKey: ['evaluation', entityId],
    queryFn: () =>
      data(client.GET('/api/entities/{entityId}/evaluation', { params: { path: { entityId: String(entityId) } } })),
    enabled: entityId !== undefined,
  });
  const decision = useMutation({
    mutationFn: (body: Record<string, unknown>) => decide(client, kind as ApplicationKind, id, body),
    onSuccess: (view) => {
      setConflict(null);
      queryClient.setQueryData(['case', kind, id], { kind, view });
      void queryClient.invalidateQueries({ queryKey: ['evaluation', view.entityId] });
      void queryClient.invalidateQueries({ queryKey: ['review-queue'] });
    },
    onError: async (e) => {
      // Decided meanwhile by someone else: show the case as it is now, and who decided it.
      if (e instanceof ApiError && e.code === 'APPLICATION_STATE') {
        const fresh = await queryClient.fetchQuery({
          queryKey: ['case', kind, id],
          queryFn: () => fetchCase(client, kind as ApplicationKind, id),
          staleTime: 0,
        });
        const by = fresh.view.decidedBy;
        setConflict(
          `${e.message}。` +
            (by
              ? `该案件已由 ${actorLabel(by)} 于 ${chinaTime(fresh.view.decidedAt)} 处理为"${fresh.view.statusLabel}"。`
              : `当前状态："${fresh.view.statusLabel}"。`),
        );
      }
    },
  });

  if (!valid) return <Alert type="error" title="案件地址无效" />;
  if (caseQ.isError) return <Failure error={caseQ.error} retry={() => void caseQ.refetch()} />;
  if (!caseQ.data) return <Spin style={{ display: 'block', margin: 64 }} />;
  const c = caseQ.data;
  const v = c.view;
  const recordId = c.kind === 'good_info' ? null : c.view.record.recordId;
  const points = evalQ.data?.indicators
    .flatMap((i) => i.effects)
    .filter((e) => recordId !== null && e.recordId === recordId)
    .reduce((sum, e) => sum + e.points, 0);
  const recordEffect =
    recordId !== null && evalQ.data
      ? `该记录目前计 ${signed(points ?? 0)} 分（现评分 ${evalQ.data.total} 分 · ${evalQ.data.grade} 级）。`
      : null;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="case">
      <Breadcrumb
        items={[
          { title: <Link to="/review">审核工作台</Link> },
          { title: `${APPLICATION_KIND_LABELS[c.kind]} #${v.id}` },
        ]}
      />
      <Card size="small">
        <Space wrap size={16} style={{ justifyContent: 'space-between', width: '100%' }}>
          <Space orientation="vertical" size={2}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="entity-name">
              {v.entityName}
            </Typography.Title>
            <Typography.Text type="secondary">
              统一社会信用代码 {v.uscc} · 提交于 {chinaTime(v.filedAt)}
            </Typography.Text>
          </Space>
          <Space wrap>
            <Tag color="blue" data-testid="case-status">
              {v.statusLabel}
            </Tag>
            <DeadlineTag deadline={v.deadline} />
          </Space>
        </Space>
      </Card>
      {conflict && (
        <Alert
          type="warning"
          showIcon
          closable
          title={conflict}
          data-testid="conflict"
          onClose={() => setConflict(null)}
        />
      )}
      {decision.isError && !(decision.error instanceof ApiError && decision.error.code === 'APPLICATION_STATE') && (
        <Alert type="error" showIcon title={messageOf(decision.error)} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Subject c={c} />
            <Card size="small" title={`证明材料（${v.evidence.length}）`}>
              <EvidenceList files={v.evidence} pausePdf={dialogOpen} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title="办理" data-testid="decision-card">
              {v.decidedAt ? (
                <Typography.Text type="secondary">已办结</Typography.Text>
              ) : v.status === 'returned' ? (
                <Typography.Text type="secondary">已退回补正，等待企业补正材料（期限暂停）。</Typography.Text>
              ) : (
                <>
                  {c.kind !== 'good_info' && <DecisionPreview kind={c.kind} id={v.id} />}
                  <DecisionPanel
                    kind={c.kind}
                    status={v.status}
                    recordEffect={recordEffect}
                    onDialogChange={setDialogOpen}
                    onDecide={async (body) => {
                      await decision.mutateAsync(body);
                    }}
                  />
                </>
              )}
            </Card>
            <Outcome v={v} />
            <Card
              size="small"
              title="企业当前评价"
              data-testid="evaluation"
              extra={<ReportButton entityId={v.entityId} enterpriseName={v.entityName} />}
            >
              {evalQ.isError ? (
                <Failure compact error={evalQ.error} retry={() => void evalQ.refetch()} />
              ) : !evalQ.data ? (
                <Spin />
              ) : (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Space size={32}>
                    <Statistic title="总分" value={evalQ.data.total} suffix="/ 1000" />
                    <Statistic title="等级" value={evalQ.data.grade} data-testid="grade" />
                    <Statistic title="模型版本" value={`v${evalQ.data.modelVersion}`} />
                  </Space>
                  <Typography.Text type="secondary">
                    评价时间 {chinaTime(evalQ.data.asOf)}
                    {recordEffect ? ` · ${recordEffect}` : ''}
                  </Typography.Text>
                  <Descriptions size="small" column={1} bordered>
                    {evalQ.data.groups.map((g) => (
                      <Descriptions.Item key={g.code} label={g.name}>
                        {g.points} / {g.max}
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                </Space>
              )}
            </Card>
            <Card size="small" title="办理过程" data-testid="timeline">
              <Timeline
                items={v.events.map((e) => ({
                  children: (
                    <div>
                      <div>
                        <Typography.Text strong>{eventLabel(c.kind, e.status)}</Typography.Text>{' '}
                        <Typography.Text type="secondary">
                          {chinaTime(e.at)} · {actorLabel(e.actor)}
                        </Typography.Text>
                      </div>
                      {e.note && <div>{e.note}</div>}
                    </div>
                  ),
                }))}
              />
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
