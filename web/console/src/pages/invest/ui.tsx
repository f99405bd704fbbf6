import { Space, Tag, Tooltip, Typography } from 'antd';
import type { Ok } from '@web/api/client';

export type KeyPeople = Ok<'getKeyPeople'>;
export type RiskScan = Ok<'scanRisks'>;
export type OwnershipGraph = Ok<'getOwnershipGraph'>;
export type OutboundInvestments = Ok<'getOutboundInvestments'>;
export type TargetCheck = Ok<'getTargetCheck'>;
type Risk = KeyPeople['persons'][number]['posts'][number]['risk'];

const GRADE_COLOURS: Record<string, string> = { A: 'green', B: 'lime', C: 'gold', D: 'orange', E: 'red' };

export function GradeTag({ grade, score }: { grade: string | null; score?: number | null }) {
  if (!grade) return <Tag>未评价</Tag>;
  return (
    <Tag color={GRADE_COLOURS[grade]} data-testid="grade">
      {grade} 级{score != null ? ` · ${score} 分` : ''}
    </Tag>
  );
}

export const STATUS_LABELS: Record<string, string> = { active: '存续', revoked: '吊销', cancelled: '注销' };

export function StatusTag({ status }: { status: string | null }) {
  if (!status) return <Typography.Text type="secondary">—</Typography.Text>;
  return <Tag color={status === 'active' ? 'default' : 'red'}>{STATUS_LABELS[status] ?? status}</Tag>;
}

export const ROLE_LABELS: Record<string, string> = {
  legal_representative: '法定代表人',
  director: '董事',
  supervisor: '监事',
  manager: '高级管理人员',
};

export const RELATION_LABELS: Record<string, string> = {
  shareholder: '股东',
  investee: '被投资企业',
  key_person: '主要人员任职',
};

const GRAVE = new Set(['serious_dishonesty', 'dishonest_executed', 'penalty_serious', 'key_person_listing']);

/** A risk summary as tags: 无 when clean, graver categories in red. */
export function RiskTags({ risk }: { risk: Risk }) {
  if (!risk.total) return <Typography.Text type="secondary">无风险记录</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap data-testid="risk-tags">
      {risk.byCategory.map((c) => (
        <Tag key={c.category} color={GRAVE.has(c.category) ? 'red' : 'orange'}>
          {c.label} {c.count}
        </Tag>
      ))}
      {risk.underObjection > 0 && <Tag color="blue">异议中 {risk.underObjection}</Tag>}
    </Space>
  );
}

export const pct = (x: number) => `${(Math.round(x * 10000) / 100).toFixed(2)}%`;
export const wan = (x: number) => `${(x / 1e4).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`;

/** A name cut to a fixed width, with the full name on hover. */
export function Name({ name, width = 260 }: { name: string; width?: number }) {
  return (
    <Tooltip title={name}>
      <Typography.Text ellipsis style={{ maxWidth: width }}>
        {name}
      </Typography.Text>
    </Tooltip>
  );
}

export const NOTICE_STYLE = { color: '#6b7280', fontSize: 12 } as const;
