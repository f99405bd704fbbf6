import { createObjectionSchema, type CreateObjection } from '@heihe/shared/dist/api/rights';
import { OBJECTION_GROUNDS, type ObjectionGround } from '@heihe/shared/dist/rights/labels';
import { useState } from 'react';
import { createObjection } from '@/api';
import type { ObjectionView } from '@/api/types';
import { zh } from '@/i18n/zh';
import { ApplicationForm, ChoiceField, evidenceIdsBlock, type ApplicationFormSpec } from '../ApplicationForm';
import type { RecordFormProps } from '../RecordApplicationPage';

const OBJECTION: ApplicationFormSpec<CreateObjection, ObjectionView> = {
  testId: 'objection-form',
  schema: createObjectionSchema,
  statement: { name: 'statement', label: zh.objection.statement, placeholder: zh.objection.statementPlaceholder },
  evidence: evidenceIdsBlock(zh.objection.evidenceHint),
  submit: { label: zh.objection.submit, note: zh.objection.deadlineNote },
  send: createObjection,
};

/** An objection to one record: its own field is the ground. */
export function ObjectionForm({ entityId, recordId, onSubmitted, uploader }: RecordFormProps<ObjectionView>) {
  const [ground, setGround] = useState<ObjectionGround | null>(null);
  return (
    <ApplicationForm
      spec={OBJECTION}
      entityId={entityId}
      values={{ entityId, recordId, ground: ground ?? undefined }}
      onSubmitted={onSubmitted}
      uploader={uploader}
      fields={(own) => (
        <ChoiceField
          own={own}
          name="ground"
          label={zh.objection.ground}
          options={OBJECTION_GROUNDS}
          labels={zh.objectionGrounds}
          value={ground}
          onChange={setGround}
        />
      )}
    />
  );
}
