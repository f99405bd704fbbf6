import { zh } from '@/i18n/zh';
import { RecordApplicationPage } from '../../components/RecordApplicationPage';
import { RepairForm } from '../../components/RepairForm';

export default function RepairPage() {
  return <RecordApplicationPage kind="repair" recordTitle={zh.repair.record} done={zh.repair.done} form={RepairForm} />;
}
