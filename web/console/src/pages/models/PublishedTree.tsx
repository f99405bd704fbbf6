import { Descriptions, Space, Tree, Typography } from 'antd';
import { SEVERITIES, SEVERITY_LABELS, type ModelDefinition } from '@heihe/shared';
import { describeRule, RULE_KIND_LABELS } from './model-form';

/** A model read-only: groups (60 / 790 / 150) → indicators → rules in words, then cut-offs and decay. */
export function PublishedTree({ definition: d }: { definition: ModelDefinition }) {
  const treeData = d.groups.map((g) => ({
    key: g.code,
    title: (
      <Typography.Text strong>
        {g.name}（{g.code}） 满分 {g.max}
      </Typography.Text>
    ),
    children: d.indicators
      .filter((i) => i.group === g.code)
      .map((i) => ({
        key: i.code,
        title: (
          <span>
            {i.code} {i.name} · {i.direction === '+' ? '加分项' : '扣分项'} · 满分 {i.max} ·{' '}
            <Typography.Text type="secondary">{RULE_KIND_LABELS[i.rule.kind]}</Typography.Text>
          </span>
        ),
        children: describeRule(i.rule).map((line, n) => ({ key: `${i.code}-${n}`, title: line, isLeaf: true })),
      })),
  }));
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Tree
        data-testid="model-tree"
        selectable={false}
        showLine
        defaultExpandedKeys={d.groups.map((g) => g.code)}
        treeData={treeData}
      />
      <Descriptions size="small" bordered column={1} title="等级分数线与扣分衰减">
        <Descriptions.Item label="等级分数线">
          A ≥ {d.grades.A}，B ≥ {d.grades.B}，C ≥ {d.grades.C}，D ≥ {d.grades.D}，低于 {d.grades.D} 为 E
        </Descriptions.Item>
        {SEVERITIES.map((s) => (
          <Descriptions.Item key={s} label={`${SEVERITY_LABELS[s]}失信记录`}>
            {d.decay[s].fullMonths} 个月内全额扣分，{d.decay[s].zeroMonths} 个月后不再计分
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Space>
  );
}
