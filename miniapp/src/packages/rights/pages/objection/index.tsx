import { zh } from '@/i18n/zh';
import { ObjectionForm } from '../../components/ObjectionForm';
import { RecordApplicationPage } from '../../components/RecordApplicationPage';

export default function ObjectionPage() {
  return (
    <RecordApplicationPage
      kind="objection"
      recordTitle={zh.objection.record}
      done={zh.objection.done}
      form={ObjectionForm}
    />
  );
}
