import { Text, View } from '@tarojs/components';
import type { EvaluationRecord } from '@/api/types';
import { zh } from '@/i18n/zh';
import { formatSignedPoints } from '@/utils/format';
import { factsOf, recordStateLabel } from '@/utils/record-facts';
import './index.css';

interface RecordCardProps {
  record: EvaluationRecord;
  /** Points the record moved in the current evaluation. */
  points?: number;
  title?: string;
}

/**
 * What a record is, as 信用中国 shows it: kind, summary, issuing authority, document number,
 * content, legal basis, the record's own value, dates and the publicity period, its state (an
 * application in progress included) and the points it moves.
 */
export function RecordCard({ record, points, title }: RecordCardProps) {
  const open = record.openApplication ?? null;
  return (
    <View className="card record-card" data-testid="record-card">
      {title ? <Text className="card__title">{title}</Text> : null}
      <View className="record-card__head">
        <Text className="record-card__kind">{zh.recordKinds[record.kind] ?? zh.recordFacts.aRecord}</Text>
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
        {factsOf(record).map((fact) => (
          <View key={fact.key} className="record-card__fact" data-testid={`fact-${fact.key}`}>
            <Text className="record-card__label">{fact.label}</Text>
            <Text className="record-card__value">{fact.value}</Text>
          </View>
        ))}
        <View className="record-card__fact" data-testid="record-state">
          <Text className="record-card__label">{zh.recordFacts.status}</Text>
          <Text className={`record-card__value ${open ? 'record-card__value--open' : ''}`}>
            {recordStateLabel(record)}
          </Text>
        </View>
      </View>
    </View>
  );
}
