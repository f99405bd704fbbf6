import { Text, Textarea, View } from '@tarojs/components';
import { createRepairApplicationSchema } from '@heihe/shared/dist/api/rights';
import {
  REPAIR_MATERIAL_TYPES,
  REQUIRED_REPAIR_MATERIALS,
  type RepairMaterialType,
} from '@heihe/shared/dist/rights/labels';
import { useState } from 'react';
import { createRepairApplication, userMessage } from '@/api';
import type { RepairApplicationView } from '@/api/types';
import { Field } from '@/components/Field';
import { useFieldErrors } from '@/forms/useFieldErrors';
import { validate } from '@/forms/validate';
import { zh } from '@/i18n/zh';
import { EvidenceList } from '../EvidenceList';
import { useEvidenceUploads, type Uploader } from '../EvidenceList/useEvidenceUploads';
import { askForDecisionMessage, useDecisionTemplate } from '../../subscribe';
import { SubmitBar } from '@/components/SubmitBar';
import { uploadsProblem } from '../EvidenceList/problem';
import './index.css';

const STATEMENT_MAX = 2000;
const PER_MATERIAL = 3;

interface RepairFormProps {
  entityId: number;
  recordId: number;
  onSubmitted: (application: RepairApplicationView) => void;
  uploader?: Uploader;
}

/** Statement and the materials by type, validated with the API's createRepairApplicationSchema. */
export function RepairForm({ entityId, recordId, onSubmitted, uploader }: RepairFormProps) {
  const [statement, setStatement] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors();
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uploads = useEvidenceUploads(entityId, uploader);
  const templates = useDecisionTemplate();

  const onSubmit = async () => {
    setSubmitError(null);
    const problem = uploadsProblem(uploads);
    const materials = REPAIR_MATERIAL_TYPES.flatMap((type) =>
      uploads.uploadedIds(type).map((evidenceId) => ({ evidenceId, type })),
    );
    const checked = validate(createRepairApplicationSchema, { entityId, recordId, statement, materials });
    const nextErrors = checked.ok ? {} : { ...checked.errors };
    if (problem) nextErrors.materials = problem;
    setErrors(nextErrors);
    if (!checked.ok || problem) {
      setSubmitError(zh.common.fixErrors);
      return;
    }
    await askForDecisionMessage(templates);
    setBusy(true);
    try {
      onSubmitted(await createRepairApplication(checked.data));
    } catch (error) {
      setSubmitError(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const required = (type: RepairMaterialType) => REQUIRED_REPAIR_MATERIALS.includes(type);

  return (
    <View className="form" data-testid="repair-form">
      <Field label={zh.repair.statement} name="statement" error={errors.statement}>
        <Textarea
          className="field__textarea"
          value={statement}
          maxlength={STATEMENT_MAX}
          placeholder={zh.repair.statementPlaceholder}
          onInput={(e) => {
            setStatement(e.detail.value);
            clearError('statement');
          }}
        />
        <Text className="field__counter">{zh.common.charCount(statement.trim().length, STATEMENT_MAX)}</Text>
      </Field>
      <Field label={zh.repair.materials} name="materials" error={errors.materials} hint={zh.evidence.hint}>
        {REPAIR_MATERIAL_TYPES.map((type) => (
          <View key={type} className="form__material">
            <Text className="form__material-title">
              {zh.repairMaterials[type]}
              {required(type) ? `（${zh.repair.requiredMaterial}）` : `（${zh.common.optional}）`}
            </Text>
            <EvidenceList uploads={uploads} tag={type} max={PER_MATERIAL} name={type} />
          </View>
        ))}
      </Field>
      <SubmitBar
        label={zh.repair.submit}
        note={zh.objection.deadlineNote}
        busy={busy}
        error={submitError}
        onSubmit={() => void onSubmit()}
      />
    </View>
  );
}
