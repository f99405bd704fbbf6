import { Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { resubmitRepairSchema, resubmitSchema } from '@heihe/shared/dist/api/rights';
import { REPAIR_MATERIAL_TYPES } from '@heihe/shared/dist/rights/labels';
import { resubmitGoodInfoReport, resubmitObjection, resubmitRepairApplication, userMessage } from '@/api';
import type { AnyApplication } from '@/api/types';
import { Field } from '@/components/Field';
import { SubmitBar } from '@/components/SubmitBar';
import { useFieldErrors } from '@/forms/useFieldErrors';
import { validate, type FieldErrors } from '@/forms/validate';
import { zh } from '@/i18n/zh';
import { EvidenceList } from '../EvidenceList';
import { uploadsProblem } from '../EvidenceList/problem';
import { useEvidenceUploads, type EvidenceUploads, type Uploader } from '../EvidenceList/useEvidenceUploads';
import './index.css';

const TEXT_MAX = 2000;
/** What one application may hold in all (the server's EVIDENCE_MAX_FILES default is higher). */
const MAX_FILES = 10;

/** The reviewer's reason for the latest return (退回补正), from the timeline. */
export function returnReason(application: AnyApplication): string | null {
  const returned = application.events.filter((e) => e.status === 'returned');
  return returned[returned.length - 1]?.note ?? null;
}

function statementOf(a: AnyApplication): string {
  return a.kind === 'good_info' ? a.description : a.statement;
}

function send(a: AnyApplication, note: string, statement: string | undefined, uploads: EvidenceUploads) {
  if (a.kind === 'repair') {
    const materials = REPAIR_MATERIAL_TYPES.flatMap((type) =>
      uploads.uploadedIds(type).map((evidenceId) => ({ evidenceId, type })),
    );
    return { schema: resubmitRepairSchema, body: { note, statement, materials } };
  }
  return { schema: resubmitSchema, body: { note, statement, evidenceIds: uploads.uploadedIds('') } };
}

interface ResubmitFormProps {
  application: AnyApplication;
  /** After the resubmission: the application as the API now answers it. */
  onResubmitted: (application: AnyApplication) => void;
  uploader?: Uploader;
}

/**
 * The answer to a return for material: the reviewer's reason first, then the statement to edit,
 * what was supplied, and more files. On success the time limit restarts (the page shows the new
 * deadline).
 */
export function ResubmitForm({ application: a, onResubmitted, uploader }: ResubmitFormProps) {
  const original = statementOf(a);
  const [statement, setStatement] = useState(original);
  const [note, setNote] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors();
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uploads = useEvidenceUploads(a.entityId, uploader);
  const room = Math.max(0, MAX_FILES - a.evidence.length);
  const reason = returnReason(a);

  const onSubmit = async () => {
    setSubmitError(null);
    const changed = statement.trim() !== original.trim() ? statement : undefined;
    const { schema, body } = send(a, note, changed, uploads);
    const checked = validate<unknown>(schema, body);
    const next: FieldErrors = checked.ok ? {} : { ...checked.errors };
    const problem = uploadsProblem(uploads);
    if (problem) next.evidence = problem;
    setErrors(next);
    if (!checked.ok || Object.keys(next).length > 0) {
      setSubmitError(zh.common.fixErrors);
      return;
    }
    setBusy(true);
    try {
      const data = checked.data as never;
      const result: AnyApplication =
        a.kind === 'objection'
          ? { ...(await resubmitObjection(a.id, data)), kind: 'objection' }
          : a.kind === 'good_info'
            ? { ...(await resubmitGoodInfoReport(a.id, data)), kind: 'good_info' }
            : { ...(await resubmitRepairApplication(a.id, data)), kind: 'repair' };
      void Taro.showToast({ title: zh.resubmit.done, icon: 'success' });
      onResubmitted(result);
    } catch (error) {
      setSubmitError(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card resubmit" data-testid="resubmit">
      <Text className="card__title">{zh.resubmit.title}</Text>
      <View className="resubmit__reason">
        <Text className="resubmit__reason-label">{zh.resubmit.reason}</Text>
        <Text className="resubmit__reason-text" data-testid="return-reason">
          {reason ?? zh.resubmit.noReason}
        </Text>
      </View>
      <Text className="muted resubmit__paused">{zh.resubmit.paused}</Text>

      <Field label={zh.resubmit.note} name="note" error={errors.note}>
        <Textarea
          className="field__textarea resubmit__note"
          value={note}
          maxlength={TEXT_MAX}
          placeholder={zh.resubmit.notePlaceholder}
          onInput={(e) => {
            setNote(e.detail.value);
            clearError('note');
          }}
          data-testid="resubmit-note"
        />
      </Field>

      <Field
        label={zh.resubmit.files}
        name="evidence"
        error={errors.evidence ?? errors.evidenceIds ?? errors.materials}
        hint={zh.resubmit.filesHint(a.evidence.length)}
      >
        {a.kind === 'repair' ? (
          REPAIR_MATERIAL_TYPES.map((type) => (
            <View key={type} className="resubmit__material">
              <Text className="resubmit__material-title">{zh.repairMaterials[type]}</Text>
              <EvidenceList uploads={uploads} tag={type} max={Math.min(3, room)} name={`resubmit-${type}`} />
            </View>
          ))
        ) : (
          <EvidenceList uploads={uploads} tag="" max={room} name="resubmit" />
        )}
        <Text className="field__hint">{zh.evidence.hint}</Text>
      </Field>

      <Field
        label={a.kind === 'good_info' ? zh.resubmit.description : zh.resubmit.statement}
        name="statement"
        error={errors.statement}
        hint={zh.resubmit.statementHint}
      >
        <Textarea
          className="field__textarea"
          value={statement}
          maxlength={TEXT_MAX}
          onInput={(e) => {
            setStatement(e.detail.value);
            clearError('statement');
          }}
          data-testid="resubmit-statement"
        />
        <Text className="field__counter">{zh.common.charCount(statement.trim().length, TEXT_MAX)}</Text>
      </Field>

      <SubmitBar
        label={zh.resubmit.submit}
        note={zh.resubmit.submitNote}
        busy={busy}
        error={submitError}
        onSubmit={() => void onSubmit()}
      />
    </View>
  );
}
