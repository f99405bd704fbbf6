import { Text, View } from '@tarojs/components';
import type { AnyApplication } from '@/api/types';
import { zh } from '@/i18n/zh';
import { formatSignedPoints } from '@/utils/format';
import './index.css';

type Deadline = AnyApplication['deadline'];
type Outcome = AnyApplication['outcome'];

/**
 * What the user must know about the time limit: the due date and the working days left; a date
 * computed before the year's holiday schedule was published reads 预计 and `detailed` says why.
 */
export function DeadlineLine({ deadline, detailed = false }: { deadline: Deadline; detailed?: boolean }) {
  const urgency = zh.applications.urgency[deadline.urgency];
  const running = deadline.workingDaysLeft !== null;
  return (
    <View className={`deadline deadline--${deadline.urgency}`} data-testid="deadline">
      <Text className="deadline__urgency">{urgency}</Text>
      {/* Paused, the stored date is void: the time limit restarts on resubmission. */}
      {deadline.urgency !== 'closed' && deadline.urgency !== 'paused' ? (
        <Text className="deadline__text">
          {deadline.provisional
            ? zh.applications.dueOnProvisional(deadline.dueOn)
            : zh.applications.dueOn(deadline.dueOn)}
          {running ? `，${zh.applications.daysLeft(deadline.workingDaysLeft as number)}` : ''}
        </Text>
      ) : null}
      {detailed && deadline.provisionalReason ? (
        <Text className="deadline__note muted" data-testid="deadline-provisional">
          {deadline.provisionalReason}
        </Text>
      ) : null}
    </View>
  );
}

/** "762 分（B 级） → 802 分（A 级） +40", or nothing when the decision changed no score. */
export function ScoreChange({ outcome }: { outcome: Outcome }) {
  if (outcome.scoreBefore === null || outcome.scoreAfter === null) return null;
  const delta = outcome.scoreAfter - outcome.scoreBefore;
  return (
    <View className="score-change" data-testid="score-change">
      <Text className="score-change__values">
        {zh.application.outcomeValue(
          zh.application.outcomeScore(outcome.scoreBefore, outcome.gradeBefore),
          zh.application.outcomeScore(outcome.scoreAfter, outcome.gradeAfter),
        )}
      </Text>
      <Text className={`score-change__delta ${delta < 0 ? 'score-change__delta--minus' : ''}`}>
        {formatSignedPoints(delta)}
      </Text>
    </View>
  );
}

/** A one-line subject: which record or which report. */
export function subjectOf(application: AnyApplication): string {
  if (application.kind === 'good_info') return application.title;
  const record = application.record;
  const what = record.summary ?? record.kindLabel;
  return application.kind === 'objection'
    ? `${record.kindLabel} · ${what}（${application.groundLabel}）`
    : `${record.kindLabel} · ${what}`;
}
