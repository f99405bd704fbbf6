import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { HONOUR_LEVEL_LABELS, HONOUR_LEVELS, SEVERITIES, SEVERITY_LABELS, type ApplicationKind } from '@heihe/shared';
import { messageOf } from '@web/api/errors';
import { showServerError, validateWith, zodRule } from '../../forms/zod-form';
import { ACTION_LABELS, actionsFor, DECISION_SCHEMAS, effectOf, type Action } from './case-kinds';

type Values = Record<string, unknown> & {
  note?: string;
  reason?: string;
  level?: string;
  correction?: { action?: 'revoke' | 'correct'; fields?: Record<string, unknown> };
};

/** Only what the reviewer filled in: an empty corrected field is not a correction. */
function filled(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

/** The request body of a decision from the dialog's values. */
export function decisionBody(action: Action, v: Values): Record<string, unknown> {
  switch (action) {
    case 'accept':
      return { action, ...(v.note ? { note: v.note } : {}) };
    case 'uphold':
      return {
        action,
        reason: v.reason ?? '',
        correction:
          v.correction?.action === 'correct'
            ? { action: 'correct', fields: filled(v.correction.fields) }
            : { action: 'revoke' },
      };
    case 'confirm':
      return { action, reason: v.reason ?? '', ...(v.level ? { level: v.level } : {}) };
    default:
      return { action, reason: v.reason ?? '' };
  }
}

export interface DecisionPanelProps {
  kind: ApplicationKind;
  status: string;
  /** "该记录当前计 −40 分" for the record in dispute, when there is one. */
  recordEffect?: string | null;
  onDecide: (body: Record<string, unknown>) => Promise<void>;
  /** Told when a decision dialog opens and closes (the case page pauses its PDF viewers meanwhile). */
  onDialogChange?: (open: boolean) => void;
}

/** The actions the case's status allows; each opens a dialog that names its effect before sending. */
export function DecisionPanel({ kind, status, recordEffect, onDecide, onDialogChange }: DecisionPanelProps) {
  const [action, setActionState] = useState<Action | null>(null);
  const setAction = (a: Action | null) => {
    setActionState(a);
    onDialogChange?.(a !== null);
  };
  // A decided case unmounts the panel with its dialog open: tell the page the dialog is gone.
  const onDialogChangeRef = useRef(onDialogChange);
  onDialogChangeRef.current = onDialogChange;
  useEffect(() => () => onDialogChangeRef.current?.(false), []);
  const actions = actionsFor(kind, status);
  if (actions.length === 0) return null;
  return (
    <>
      <Space wrap>
        {actions.map((a, i) => (
          <Button
            key={a}
            type={i === 0 ? 'primary' : 'default'}
            danger={a === 'reject'}
            onClick={() => setAction(a)}
            data-testid={`action-${a}`}
          >
            {ACTION_LABELS[kind][a]}
          </Button>
        ))}
      </Space>
      {action && (
        <DecisionDialog
          kind={kind}
          status={status}
          action={action}
          recordEffect={recordEffect}
          onDecide={onDecide}
          onClose={() => setAction(null)}
        />
      )}
    </>
  );
}

export function DecisionDialog({
  kind,
  status,
  action,
  recordEffect,
  onDecide,
  onClose,
}: DecisionPanelProps & { action: Action; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const schema = DECISION_SCHEMAS[kind];
  const toBody = (v: Record<string, unknown>) => decisionBody(action, v as Values);
  const rule = zodRule(schema, toBody);
  const correction = Form.useWatch(['correction', 'action'], form) ?? 'revoke';
  const label = ACTION_LABELS[kind][action];
  const effect = effectOf(kind, action, status, action === 'uphold' ? correction : undefined);

  async function submit() {
    setError(null);
    const checked = validateWith(form, schema, toBody(form.getFieldsValue(true)));
    if (!checked.ok) {
      if (checked.messages.length > 0) setError(checked.messages.join('；'));
      return;
    }
    setBusy(true);
    try {
      await onDecide(checked.data as Record<string, unknown>);
      onClose();
    } catch (e) {
      const unplaced = showServerError(form, e);
      setError(unplaced.length > 0 ? unplaced.join('；') : messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={`${label}`}
      okText={`确认${label}`}
      okButtonProps={{ danger: action === 'reject', loading: busy, 'data-testid': 'confirm-decision' }}
      cancelText="取消"
      onOk={() => void submit()}
      onCancel={onClose}
      width={600}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ correction: { action: 'revoke' } }}
        data-testid="decision-form"
      >
        <Alert
          type={action === 'reject' ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          title={effect}
          description={recordEffect && (action === 'uphold' || action === 'approve') ? recordEffect : undefined}
          data-testid="decision-effect"
        />
        {action === 'uphold' && (
          <>
            <Form.Item label="处理方式" name={['correction', 'action']}>
              <Radio.Group
                options={[
                  { value: 'revoke', label: '撤销该记录' },
                  { value: 'correct', label: '更正记录内容' },
                ]}
                data-testid="correction-action"
              />
            </Form.Item>
            {correction === 'correct' && (
              <>
                <Typography.Paragraph type="secondary">只填写需要更正的项目，其余保持原样。</Typography.Paragraph>
                <Space wrap align="start">
                  <Form.Item label="严重程度" name={['correction', 'fields', 'severity']}>
                    <Select
                      allowClear
                      style={{ width: 140 }}
                      options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
                    />
                  </Form.Item>
                  <Form.Item label="金额（元）" name={['correction', 'fields', 'amount']}>
                    <InputNumber min={0} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item
                    label="发生日期"
                    name={['correction', 'fields', 'occurredOn']}
                    rules={[rule]}
                    validateTrigger="onBlur"
                  >
                    <Input placeholder="YYYY-MM-DD" style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item
                    label="公示截止"
                    name={['correction', 'fields', 'validTo']}
                    rules={[rule]}
                    validateTrigger="onBlur"
                  >
                    <Input placeholder="YYYY-MM-DD" style={{ width: 140 }} />
                  </Form.Item>
                </Space>
                <Form.Item
                  label="类别"
                  name={['correction', 'fields', 'category']}
                  rules={[rule]}
                  validateTrigger="onBlur"
                >
                  <Input maxLength={64} />
                </Form.Item>
                <Form.Item
                  label="摘要"
                  name={['correction', 'fields', 'summary']}
                  rules={[rule]}
                  validateTrigger="onBlur"
                >
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
              </>
            )}
          </>
        )}
        {action === 'confirm' && (
          <Form.Item label="荣誉级别（可更正）" name="level">
            <Select
              allowClear
              style={{ width: 200 }}
              options={HONOUR_LEVELS.map((l) => ({ value: l, label: HONOUR_LEVEL_LABELS[l] }))}
            />
          </Form.Item>
        )}
        {action === 'accept' ? (
          <Form.Item label="备注（可选）" name="note" rules={[rule]}>
            <Input.TextArea rows={2} maxLength={2000} data-testid="decision-note" />
          </Form.Item>
        ) : (
          <Form.Item label="书面理由（企业可见）" name="reason" rules={[rule]}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="decision-reason" />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon title={error} data-testid="decision-error" />}
      </Form>
    </Modal>
  );
}
