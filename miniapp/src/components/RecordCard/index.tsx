import { Text, View } from '@tarojs/components';
import type { EvaluationRecord } from '@/api/types';
import { zh } from '@/i18n/zh';
import { formatSignedPoints } from '@/utils/format';
import './index.css';

interface RecordCardProps {
  record: EvaluationRecord;
  /** Points the record moved in the current evaluation. */
  points?: number;
  title?: string;
}

function severityLabel(severity: string | null): string | null {
  if (severity === null) return null;
  return severity in zh.severities ? zh.severities[severity as keyof typeof zh.severities] : severity;
}

/**
 * What the user should read as the record's state: a record past its publicity window is still
 * stored as active, but the engine excludes it, and "正常公示" would contradict its 0 points.
 */
function statusLabel(record: EvaluationRecord): string {
  const key =
    record.excluded === 'expired' || record.excluded === 'repaired' || record.excluded === 'revoked'
      ? record.excluded
      : record.status;
  return key in zh.recordStatuses ? zh.recordStatuses[key as keyof typeof zh.recordStatuses] : key;
}

/** What a record is, so the user recognises it: kind, summary, date, severity, status, points. */
export function RecordCard({ record, points, title }: RecordCardProps) {
  const severity = severityLabel(record.severity);
  return (
    <View className="card record-card" data-testid="record-card">
      {title ? <Text className="card__title">{title}</Text> : null}
      <View className="record-card__head">
        <Text className="record-card__kind">{zh.recordKinds[record.kind] ?? record.kind}</Text>
        {points !== undefined ? (
          <Text
            className={`record-card__points ${points < 0 ? 'record-card__points--minus' : points === 0 ? 'record-card__points--zero' : ''}`}
          >
            {zh.record.pointsValue(formatSignedPoints(points))}
          </Text>
        ) : null}
      </View>
      {record.summary ? <Text className="record-card__summary">{record.summary}</Text> : null}
      <View className="record-card__facts">
        <Text className="muted">
          {zh.record.occurredOn}：{record.occurredOn}
        </Text>
        {severity ? (
          <Text className="muted">
            {zh.record.severity}：{severity}
          </Text>
        ) : null}
        <Text className="muted">
          {zh.record.status}：{statusLabel(record)}
        </Text>
        <Text className="muted">{zh.breakdown.record(record.recordId, record.version)}</Text>
      </View>
    </View>
  );
}
