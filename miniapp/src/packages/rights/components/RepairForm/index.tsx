import { createRepairApplicationSchema, type CreateRepairApplication } from '@heihe/shared/dist/api/rights';
import { REPAIR_MATERIAL_TYPES, REQUIRED_REPAIR_MATERIALS } from '@heihe/shared/dist/rights/labels';
import { createRepairApplication } from '@/api';
import type { RepairApplicationView } from '@/api/types';
import { zh } from '@/i18n/zh';
import { ApplicationForm, type ApplicationFormSpec } from '../ApplicationForm';
import type { RecordFormProps } from '../RecordApplicationPage';

const PER_MATERIAL = 3;

const REPAIR: ApplicationFormSpec<CreateRepairApplication, RepairApplicationView> = {
  testId: 'repair-form',
  schema: createRepairApplicationSchema,
  statement: { name: 'statement', label: zh.repair.statement, placeholder: zh.repair.statementPlaceholder },
  // One list per material type; the schema says which types are required.
  evidence: {
    field: 'materials',
    label: zh.repair.materials,
    slots: REPAIR_MATERIAL_TYPES.map((type) => ({
      tag: type,
      title: `${zh.repairMaterials[type]}（${
        REQUIRED_REPAIR_MATERIALS.includes(type) ? zh.repair.requiredMaterial : zh.common.optional
      }）`,
      max: PER_MATERIAL,
    })),
    collect: (uploads) =>
      REPAIR_MATERIAL_TYPES.flatMap((type) => uploads.uploadedIds(type).map((evidenceId) => ({ evidenceId, type }))),
  },
  submit: { label: zh.repair.submit, note: zh.objection.deadlineNote },
  send: createRepairApplication,
};

/** Credit repair of one record: no fields of its own, and the materials by type. */
export function RepairForm({ entityId, recordId, onSubmitted, uploader }: RecordFormProps<RepairApplicationView>) {
  return (
    <ApplicationForm
      spec={REPAIR}
      entityId={entityId}
      values={{ entityId, recordId }}
      onSubmitted={onSubmitted}
      uploader={uploader}
    />
  );
}
