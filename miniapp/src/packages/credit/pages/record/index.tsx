import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useCallback, useMemo, useRef } from 'react';
import { getPublishedModel, getRepairEligibility } from '@/api';
import type { EntityEvaluation, EvaluationRecord, OpenApplication, RepairEligibility } from '@/api/types';
import { RecordCard } from '@/components/RecordCard';
import { ErrorState, Loading, NotFound, RemoteError } from '@/components/StatusView';
import { useRecord } from '@/hooks/useRecord';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { applicationsUrl, applicationUrl, idParam, objectionUrl, repairUrl } from '@/routes';
import { formatSignedPoints } from '@/utils/format';
import { carriesModel, estimateRepair } from '../../what-if';
import './index.css';

function WhatIf({ evaluation, recordId }: { evaluation: EntityEvaluation; recordId: number }) {
  const version = evaluation.modelVersion;
  const loadModel = useCallback(() => getPublishedModel(version), [version]);
  const [model] = useRemote(carriesModel(version) ? null : `model:${version}`, loadModel);
  const definition = model.status === 'ready' ? model.data.definition : undefined;
  const result = useMemo(() => estimateRepair(evaluation, recordId, definition), [evaluation, recordId, definition]);
  return (
    <View className="card what-if" data-testid="what-if">
      <View className="what-if__head">
        <Text className="card__title">{zh.record.whatIf}</Text>
        <Text className="what-if__badge">{zh.record.whatIfEstimate}</Text>
      </View>
      {result.kind === 'estimate' ? (
        <>
          <Text className="what-if__result" data-testid="what-if-result">
            {zh.record.whatIfResult(result.estimate.totalAfter, result.estimate.gradeAfter)}
          </Text>
          <Text className="what-if__delta">{zh.record.whatIfDelta(formatSignedPoints(result.estimate.delta))}</Text>
          {result.estimate.gradeAfter !== result.estimate.gradeBefore ? (
            <Text className="what-if__grade">
              {zh.record.whatIfGradeUp(result.estimate.gradeBefore, result.estimate.gradeAfter)}
            </Text>
          ) : null}
          <Text className="muted what-if__note">{zh.record.whatIfNote(result.estimate.modelVersion)}</Text>
        </>
      ) : (
        <Text className="muted">
          {result.kind === 'unavailable' ? zh.record.whatIfUnavailable : zh.record.whatIfNone}
        </Text>
      )}
    </View>
  );
}

function RepairAction({ entityId, record }: { entityId: number; record: EvaluationRecord }) {
  const load = useCallback(() => getRepairEligibility(entityId, record.recordId), [entityId, record.recordId]);
  const [state, reload] = useRemote<RepairEligibility>(`${entityId}:${record.recordId}:${record.version}`, load);
  if (state.status === 'loading') return <Text className="muted">{zh.record.repairChecking}</Text>;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={reload} />;
  const e = state.data;
  if (e.eligible) {
    return (
      <View className="action">
        <Button
          className="btn-plain"
          data-testid="apply-repair"
          onClick={() => void Taro.navigateTo({ url: repairUrl(entityId, record.recordId) })}
        >
          {zh.record.repair}
        </Button>
        <Text className="muted action__hint">{zh.record.repairHint}</Text>
      </View>
    );
  }
  return (
    <Text className="muted action__hint" data-testid="repair-not-yet">
      {e.reason === 'too_early' && e.possibleFrom ? zh.record.repairFrom(e.possibleFrom) : (e.message ?? '')}
    </Text>
  );
}

/** The application in progress about the record, and the way to it: never a second application. */
export function InProgress({ open }: { open: OpenApplication }) {
  return (
    <View className="action" data-testid="record-in-progress">
      <Text className="action__state">{zh.recordFacts.inProgress[open.kind]}</Text>
      <Text className="muted action__hint">
        {zh.record.inProgressHint(zh.applicationKinds[open.kind], open.statusLabel)}
      </Text>
      <Button
        className="btn-plain"
        data-testid="open-application"
        onClick={() => void Taro.navigateTo({ url: applicationUrl(open.kind, open.id) })}
      >
        {zh.record.viewApplication}
      </Button>
    </View>
  );
}

function Actions({ entityId, record }: { entityId: number; record: EvaluationRecord }) {
  if (record.openApplication) return <InProgress open={record.openApplication} />;
  if (!record.counts) return <Text className="muted">{zh.record.notCounting}</Text>;
  if (record.underObjection || record.status === 'under_objection') {
    return (
      <View className="action">
        <Text className="muted action__hint">{zh.record.underObjection}</Text>
        <Button className="btn-plain" onClick={() => void Taro.navigateTo({ url: applicationsUrl(entityId) })}>
          {zh.record.viewApplications}
        </Button>
      </View>
    );
  }
  return (
    <View>
      <View className="action">
        <Button
          className="btn-primary"
          data-testid="object"
          onClick={() => void Taro.navigateTo({ url: objectionUrl(entityId, record.recordId) })}
        >
          {zh.record.object}
        </Button>
        <Text className="muted action__hint">{zh.record.objectHint}</Text>
      </View>
      <RepairAction entityId={entityId} record={record} />
    </View>
  );
}

export default function RecordPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const recordId = idParam(params.recordId);
  const [state, reload] = useRecord(entityId, recordId);

  // Back from a form: the record may now be under objection.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) reload({ quiet: true });
    shown.current = true;
  });

  if (entityId === null || recordId === null) return <NotFound />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  const { evaluation, record, points } = state.data;
  if (record === null) return <NotFound hint={zh.record.notFound} />;

  return (
    <View className="page record-page">
      <RecordCard record={record} points={points} />
      {points < 0 && record.counts ? <WhatIf evaluation={evaluation} recordId={record.recordId} /> : null}
      <View className="card">
        <Text className="card__title">{zh.record.actions}</Text>
        <Actions entityId={entityId} record={record} />
      </View>
    </View>
  );
}
