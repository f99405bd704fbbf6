import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { userMessage } from '@/api';
import { Chips } from '@/components/Chips';
import { Field } from '@/components/Field';
import { Empty, ErrorState, Loading } from '@/components/StatusView';
import { useRemote } from '@/hooks/useRemote';
import { idParam } from '@/routes';
import { formatDateCst, formatDateTimeCst } from '@/utils/format';
import {
  createCreditReport,
  downloadCreditReport,
  listCreditReports,
  type CreatedCreditReport,
  type CreditReport,
} from '../../api';
import { NOTICE, PURPOSE_KEYS, purposeOf, REPORT_TEXT as T, type PurposeKey } from '../../text';
import './index.css';

/**
 * Opens a report's PDF: in WeChat the document viewer with its menu (转发给朋友, 保存), in the H5
 * build a new tab with the browser's PDF viewer (which downloads and prints).
 */
async function openReport(report: CreditReport): Promise<void> {
  const path = await downloadCreditReport(report.id);
  if (process.env.TARO_ENV === 'h5') {
    window.open(path, '_blank');
    return;
  }
  await Taro.openDocument({ filePath: path, fileType: 'pdf', showMenu: true });
}

function ReportItem({ report, onOpen, busy }: { report: CreditReport; onOpen: () => void; busy: boolean }) {
  return (
    <View className="report-item" data-testid={`report-${report.id}`} onClick={onOpen}>
      <View className="report-item__head">
        <Text className="report-item__purpose">{report.purpose}</Text>
        <Text className={`report-item__tag ${report.expired ? 'report-item__tag--expired' : ''}`}>
          {report.expired ? T.expired : T.valid}
        </Text>
      </View>
      <Text className="muted report-item__line">
        {T.reportNo}：{report.reportNo}
      </Text>
      <Text className="muted report-item__line">
        {T.generatedAt}：{formatDateTimeCst(report.generatedAt)} · {T.validUntil}：{formatDateCst(report.validUntil)}
      </Text>
      <View className="report-item__foot">
        <Text className="report-item__grade">{T.grade(report.summary.grade, report.summary.score)}</Text>
        <Text className="report-item__open">{busy ? T.opening : `${T.open} ›`}</Text>
      </View>
      {report.requestedBy === 'staff' ? <Text className="muted">{T.byStaff}</Text> : null}
    </View>
  );
}

export default function ReportsPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const [kind, setKind] = useState<PurposeKey | null>('loan');
  const [detail, setDetail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedCreditReport | null>(null);
  const [opening, setOpening] = useState<number | null>(null);

  const load = useCallback(() => listCreditReports(entityId as number), [entityId]);
  const [list, reload] = useRemote(entityId === null ? null : String(entityId), load);

  const open = async (report: CreditReport) => {
    if (opening !== null) return;
    setOpening(report.id);
    try {
      await openReport(report);
    } catch (e) {
      void Taro.showToast({ title: userMessage(e), icon: 'none' });
    } finally {
      setOpening(null);
    }
  };

  const generate = async () => {
    if (creating || entityId === null) return;
    const purpose = purposeOf(kind, detail);
    if (purpose.length < 2) {
      setError(T.purposeTooShort);
      return;
    }
    setError(undefined);
    setCreating(true);
    try {
      const report = await createCreditReport(entityId, purpose);
      setCreated(report);
      reload({ quiet: true });
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setCreating(false);
    }
  };

  if (entityId === null) return <ErrorState message="页面参数有误，请从首页进入" />;

  return (
    <View className="page reports-page">
      <View className="card">
        <Text className="card__title">{T.newReport}</Text>
        <Text className="muted reports-page__intro">{T.intro}</Text>
        <Field label={T.purpose} name="purpose" hint={T.purposeHint} error={error}>
          <Chips name="purpose" options={PURPOSE_KEYS} labels={T.purposes} value={kind} onChange={(k) => setKind(k)} />
          <Input
            className="field__input reports-page__detail"
            data-testid="purpose-detail"
            value={detail}
            maxlength={40}
            placeholder={kind === 'other' ? T.purposePlaceholder : '补充说明（选填），如：某银行'}
            onInput={(e) => setDetail(e.detail.value)}
          />
        </Field>
        <Button
          className={`btn-primary ${creating ? 'btn--disabled' : ''}`}
          data-testid="generate-report"
          loading={creating}
          onClick={() => void generate()}
        >
          {creating ? T.generating : T.generate}
        </Button>
      </View>

      {created ? (
        <View className="card reports-page__created" data-testid="report-created">
          <Text className="card__title">{T.created}</Text>
          <Text className="muted">
            {T.reportNo}：{created.reportNo}
          </Text>
          <Text className="reports-page__code-label muted">{T.code}</Text>
          <Text className="reports-page__code" data-testid="report-code" userSelect>
            {created.verificationCode}
          </Text>
          <Text className="muted reports-page__hint">{T.codeHint}</Text>
          <Button
            className="btn-primary"
            data-testid="open-created"
            loading={opening === created.id}
            onClick={() => void open(created)}
          >
            {T.open}
          </Button>
          {process.env.TARO_ENV === 'h5' ? null : <Text className="muted reports-page__hint">{T.shareHint}</Text>}
        </View>
      ) : null}

      <View className="card">
        <Text className="card__title">{T.history}</Text>
        {list.status === 'loading' ? (
          <Loading />
        ) : list.status === 'error' ? (
          <ErrorState message={list.message} onRetry={reload} />
        ) : list.data.items.length === 0 ? (
          <Empty title={T.none} hint={T.noneHint} />
        ) : (
          list.data.items.map((r) => (
            <ReportItem key={r.id} report={r} busy={opening === r.id} onOpen={() => void open(r)} />
          ))
        )}
      </View>
      <Text className="muted reports-page__notice">信用评价结果{NOTICE}。</Text>
    </View>
  );
}
