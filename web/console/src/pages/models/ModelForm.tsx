import type { ReactNode } from 'react';
import { Alert, Card, Collapse, Form, Input, InputNumber, Space, Tag, Typography, type FormInstance } from 'antd';
import {
  RECORD_KIND_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  type IndicatorDefinition,
  type ModelDefinition,
} from '@heihe/shared';
import {
  categoryLabel,
  groupTotal,
  MODEL_TOTAL,
  namePath,
  RULE_KIND_LABELS,
  tierUnit,
  type PlacedIssues,
} from './model-form';

/**
 * The draft's numbers in a form: weights (group and indicator maxima), each rule's points, bounds
 * and windows, the grade cut-offs and the decay periods. The structure (which indicators, which
 * rule kinds) is the draft's own. Every message sits beside its field; `placed` comes from the
 * page, which checks the whole definition with the shared schema and invariants on every change.
 */
export function ModelForm({
  form,
  initial,
  values,
  placed,
  onChange,
}: {
  form: FormInstance;
  initial: ModelDefinition;
  values: ModelDefinition;
  placed: PlacedIssues;
  onChange: () => void;
}) {
  const err = (path: string) => placed.byField[path];
  const num = (path: string, label: ReactNode, props: { addonAfter?: string; width?: number; min?: number } = {}) => (
    <Form.Item
      key={path}
      name={namePath(path)}
      label={label}
      validateStatus={err(path) ? 'error' : undefined}
      help={err(path)?.join('；')}
      style={{ marginBottom: 8 }}
    >
      <InputNumber
        style={{ width: props.width ?? 110 }}
        suffix={props.addonAfter}
        precision={0}
        data-testid={`f-${path}`}
      />
    </Form.Item>
  );
  const sectionAlert = (messages: string[], testid: string) =>
    messages.length > 0 && (
      <Alert type="error" showIcon title={messages.join('；')} style={{ marginBottom: 12 }} data-testid={testid} />
    );
  const total = groupTotal(values);

  return (
    <Form form={form} initialValues={initial} onValuesChange={onChange} layout="horizontal" data-testid="model-form">
      <Card title="基本信息" size="small" style={{ marginBottom: 16 }}>
        <Form.Item
          name="name"
          label="模型名称"
          validateStatus={err('name') ? 'error' : undefined}
          help={err('name')?.join('；')}
          style={{ marginBottom: 0, maxWidth: 480 }}
        >
          <Input data-testid="f-name" />
        </Form.Item>
        {sectionAlert(placed.bySection.name, 'issues-name')}
      </Card>

      <Card
        title="一级指标权重"
        size="small"
        style={{ marginBottom: 16 }}
        extra={
          <span data-testid="group-total">
            满分合计{' '}
            <Tag color={total === MODEL_TOTAL ? 'green' : 'red'}>
              {total} / {MODEL_TOTAL}
            </Tag>
          </span>
        }
      >
        {sectionAlert(placed.bySection.groups, 'issues-groups')}
        <Space wrap size={[32, 0]} align="start">
          {initial.groups.map((g, i) => (
            <Space key={g.code} align="start">
              <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
                {g.code}
              </Typography.Text>
              <Form.Item
                name={['groups', i, 'name']}
                style={{ marginBottom: 8 }}
                help={err(`groups.${i}.name`)?.join('；')}
              >
                <Input style={{ width: 120 }} data-testid={`f-groups.${i}.name`} />
              </Form.Item>
              {num(`groups.${i}.max`, '满分', { addonAfter: '分' })}
            </Space>
          ))}
        </Space>
      </Card>

      <Card title="等级分数线" size="small" style={{ marginBottom: 16 }}>
        {sectionAlert(placed.bySection.grades, 'issues-grades')}
        <Space wrap size={[24, 0]} align="start">
          {(['A', 'B', 'C', 'D'] as const).map((g) => num(`grades.${g}`, `${g} 级 ≥`, { addonAfter: '分' }))}
          <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
            低于 D 级分数线为 E 级
          </Typography.Text>
        </Space>
      </Card>

      <Card title="扣分衰减（公示期）" size="small" style={{ marginBottom: 16 }}>
        {sectionAlert(placed.bySection.decay, 'issues-decay')}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          按严重程度计分的失信记录：自发生之日起在最短公示期内全额扣分，之后逐月递减，到最长公示期归零、不再计分。
        </Typography.Paragraph>
        {SEVERITIES.map((s) => (
          <Space key={s} wrap size={[16, 0]} align="start" style={{ display: 'flex' }}>
            <Typography.Text strong style={{ display: 'inline-block', width: 48, lineHeight: '32px' }}>
              {SEVERITY_LABELS[s]}
            </Typography.Text>
            {num(`decay.${s}.fullMonths`, '最短公示期', { addonAfter: '个月' })}
            {num(`decay.${s}.zeroMonths`, '最长公示期', { addonAfter: '个月' })}
          </Space>
        ))}
      </Card>

      <Card title="二级指标与计分规则" size="small">
        {sectionAlert(placed.bySection.indicators, 'issues-indicators')}
        <Collapse
          defaultActiveKey={initial.groups.map((g) => g.code)}
          items={initial.groups.map((g) => ({
            key: g.code,
            label: `${g.name}（${g.code}）`,
            children: initial.indicators.map((ind, i) =>
              ind.group === g.code ? <IndicatorRow key={ind.code} indicator={ind} index={i} num={num} /> : null,
            ),
          }))}
        />
      </Card>
    </Form>
  );
}

type Num = (path: string, label: ReactNode, props?: { addonAfter?: string; width?: number }) => ReactNode;

function IndicatorRow({ indicator, index, num }: { indicator: IndicatorDefinition; index: number; num: Num }) {
  const p = `indicators.${index}`;
  const r = indicator.rule;
  const kind = (k: string) => RECORD_KIND_LABELS[k as keyof typeof RECORD_KIND_LABELS] ?? k;
  let fields: ReactNode;
  switch (r.kind) {
    case 'tiered': {
      const unit = tierUnit(r);
      fields = r.tiers.map((t, j) => (
        <Space key={j} size={4} align="start">
          {num(`${p}.rule.tiers.${j}.${'atLeast' in t ? 'atLeast' : 'above'}`, 'atLeast' in t ? '≥' : '>', {
            addonAfter: unit,
            width: unit === '元' ? 150 : 100,
          })}
          {num(`${p}.rule.tiers.${j}.points`, '得', { addonAfter: '分', width: 90 })}
        </Space>
      ));
      break;
    }
    case 'categorical':
      fields = [
        ...Object.keys(r.points).map((k) =>
          num(`${p}.rule.points.${k}`, categoryLabel(k), { addonAfter: '分', width: 90 }),
        ),
        num(`${p}.rule.none`, '无记录', { addonAfter: '分', width: 90 }),
      ];
      break;
    case 'bonus':
      fields = [
        ...Object.keys(r.points).map((k) =>
          num(`${p}.rule.points.${k}`, `每条${categoryLabel(k)}`, { addonAfter: '分', width: 90 }),
        ),
        num(`${p}.rule.window.years`, r.window.from === 'reportYear' ? '计入报告年度数' : '计分年限', {
          addonAfter: '年',
          width: 90,
        }),
      ];
      break;
    case 'deduction':
      fields = r.sources.map((s, j) => {
        const sp = `${p}.rule.sources.${j}.points`;
        if (s.by === 'each') return num(sp, `每条${kind(s.recordKind)}扣`, { addonAfter: '分', width: 90 });
        if (s.by === 'severity')
          return SEVERITIES.map((sv) =>
            num(`${sp}.${sv}`, `${SEVERITY_LABELS[sv]}扣`, { addonAfter: '分', width: 90 }),
          );
        return Object.keys(s.points).map((k) =>
          num(`${sp}.${k}`, `${categoryLabel(k)}扣`, { addonAfter: '分', width: 90 }),
        );
      });
      break;
    case 'presence':
      fields = (
        <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
          存在{r.recordKinds.map(kind).join('或')}记录时本项为 0 分（无可调参数）
        </Typography.Text>
      );
      break;
  }
  return (
    <div style={{ borderBottom: '1px solid #f0f0f0', padding: '8px 0' }} data-testid={`indicator-${indicator.code}`}>
      <Space wrap size={[16, 0]} align="start">
        <Typography.Text strong style={{ display: 'inline-block', minWidth: 150, lineHeight: '32px' }}>
          {indicator.code} {indicator.name}
        </Typography.Text>
        <Tag color={indicator.direction === '+' ? 'green' : 'orange'} style={{ marginTop: 5 }}>
          {indicator.direction === '+' ? '加分项' : '扣分项'} · {RULE_KIND_LABELS[r.kind]}
        </Tag>
        {num(`${p}.max`, '满分', { addonAfter: '分', width: 90 })}
      </Space>
      <div style={{ paddingLeft: 24 }}>
        <Space wrap size={[16, 0]} align="start">
          {fields}
        </Space>
      </div>
    </div>
  );
}
