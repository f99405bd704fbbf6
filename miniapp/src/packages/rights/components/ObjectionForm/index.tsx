import { Text, Textarea, View } from '@tarojs/components';
import { createObjectionSchema } from '@heihe/shared/dist/api/rights';
import { OBJECTION_GROUNDS, type ObjectionGround } from '@heihe/shared/dist/rights/labels';
import { useState } from 'react';
import { createObjection, userMessage } from '@/api';
import type { ObjectionView } from '@/api/types';
import { Chips } from '@/components/Chips';
import { Field } from '@/components/Field';
import { useFieldErrors } from '@/forms/useFieldErrors';
import { validate } from '@/forms/validate';
import { zh } from '@/i18n/zh';
import { EvidenceList } from '../EvidenceList';
import { useEvidenceUploads, type Uploader } from '../EvidenceList/useEvidenceUploads';
import { askForDecisionMessage, useDecisionTemplate } from '../../subscribe';
import { SubmitBar } from '@/components/SubmitBar';
import { uploadsProblem } from '../EvidenceList/problem';

const STATEMENT_MAX = 2000;
export const MAX_EVIDENCE = 10;

interface ObjectionFormProps {
  entityId: number;
  recordId: number;
  onSubmitted: (objection: ObjectionView) => void;
  uploader?: Uploader;
}

/** Ground, statement and evidence, validated with the API's own createObjectionSchema. */
export function ObjectionForm({ entityId, recordId, onSubmitted, uploader }: ObjectionFormProps) {
  const [ground, setGround] = useState<ObjectionGround | null>(null);
  const [statement, setStatement] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors();
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uploads = useEvidenceUploads(entityId, uploader);
  const templates = useDecisionTemplate();

  const onSubmit = async () => {
    setSubmitError(null);
    const problem = uploadsProblem(uploads);
    const checked = validate(createObjectionSchema, {
      entityId,
      recordId,
      ground: ground ?? undefined,
      statement,
      evidenceIds: uploads.uploadedIds(),
    });
    const nextErrors = checked.ok ? {} : { ...checked.errors };
    if (problem) nextErrors.evidenceIds = problem;
    setErrors(nextErrors);
    if (!checked.ok || problem) {
      setSubmitError(zh.common.fixErrors);
      return;
    }
    await askForDecisionMessage(templates);
    setBusy(true);
    try {
      onSubmitted(await createObjection(checked.data));
    } catch (error) {
      setSubmitError(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="form" data-testid="objection-form">
      <Field label={zh.objection.ground} name="ground" error={errors.ground}>
        <Chips
          name="ground"
          options={OBJECTION_GROUNDS}
          labels={zh.objectionGrounds}
          value={ground}
          onChange={(g) => {
            setGround(g);
            clearError('ground');
          }}
        />
      </Field>
      <Field label={zh.objection.statement} name="statement" error={errors.statement}>
        <Textarea
          className="field__textarea"
          value={statement}
          maxlength={STATEMENT_MAX}
          placeholder={zh.objection.statementPlaceholder}
          onInput={(e) => {
            setStatement(e.detail.value);
            clearError('statement');
          }}
          data-testid="statement"
        />
        <Text className="field__counter">{zh.common.charCount(statement.trim().length, STATEMENT_MAX)}</Text>
      </Field>
      <Field label={zh.evidence.title} name="evidenceIds" error={errors.evidenceIds} hint={zh.objection.evidenceHint}>
        <EvidenceList uploads={uploads} max={MAX_EVIDENCE} />
        <Text className="field__hint">{zh.evidence.hint}</Text>
      </Field>
      <SubmitBar
        label={zh.objection.submit}
        note={zh.objection.deadlineNote}
        busy={busy}
        error={submitError}
        onSubmit={() => void onSubmit()}
      />
    </View>
  );
}
