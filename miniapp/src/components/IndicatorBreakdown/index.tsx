import { Text, View } from '@tarojs/components';
import type { GroupScore, IndicatorEffect, IndicatorScore, RecordFlag } from '@/api/types';
import { zh } from '@/i18n/zh';
import { formatSignedPoints } from '@/utils/format';
import { indexFlags, type FlagKey } from './flags';
import './index.css';

interface IndicatorBreakdownProps {
  groups: GroupScore[];
  indicators: IndicatorScore[];
  records?: RecordFlag[];
  /** Tapping a record's line opens it (details, what-if, objection, repair). */
  onOpenRecord?: (recordId: number) => void;
}

function Flags({ flags }: { flags: FlagKey[] }) {
  return (
    <>
      {flags.map((flag) => (
        <Text key={flag} className={`effect__flag effect__flag--${flag}`}>
          {zh.recordFlags[flag]}
        </Text>
      ))}
    </>
  );
}

/** A record as the user knows it: its date and what it is, never its internal number or version. */
function recordLabel(record: RecordFlag | undefined): string {
  if (!record) return zh.breakdown.aRecord;
  const r = record as RecordFlag & { occurredOn?: string; summary?: string | null };
  return [r.occurredOn, r.summary ?? zh.recordKinds[record.kind as keyof typeof zh.recordKinds]]
    .filter(Boolean)
    .join(' ');
}

function EffectRow({
  effect,
  flags,
  record,
  alone,
  onOpen,
}: {
  effect: IndicatorEffect;
  flags: FlagKey[];
  record: RecordFlag | undefined;
  /** The indicator's only line: nothing moved it. */
  alone: boolean;
  onOpen?: (recordId: number) => void;
}) {
  const recordId = effect.recordId;
  const testId = recordId === null ? `effect-rule-${effect.reason}` : `effect-${recordId}`;
  const open = recordId !== null && onOpen ? () => onOpen(recordId) : undefined;
  // A rule's starting line (a deducting indicator's full mark, a default value) is not a bonus:
  // no plus sign, and the full mark says what it is.
  const base = recordId === null && effect.reason === 'base';
  const fullMark = base && effect.note.startsWith('满分');
  return (
    <View className={`effect ${open ? 'effect--link' : ''}`} data-testid={testId} onClick={open}>
      <View className="effect__head">
        <Text className="effect__note">
          {fullMark ? (alone ? zh.breakdown.fullMarkKept : zh.breakdown.base) : effect.note}
        </Text>
        <Text className={`effect__points ${effect.points < 0 ? 'effect__points--minus' : ''}`}>
          {base ? zh.breakdown.basePoints(effect.points) : formatSignedPoints(effect.points)}
        </Text>
      </View>
      {effect.recordId !== null ? (
        <View className="effect__meta">
          <Text className="muted">{recordLabel(record)}</Text>
          <Flags flags={flags} />
          {open ? <Text className="effect__open">{zh.breakdown.open}</Text> : null}
        </View>
      ) : null}
    </View>
  );
}

/**
 * Every indicator under its group, every line that moved its points, and the flagged records
 * that no longer count. Groups keep the API's order; an indicator of an unlisted group still
 * shows, last.
 */
export function IndicatorBreakdown({ groups, indicators, records, onOpenRecord }: IndicatorBreakdownProps) {
  const flags = indexFlags(records);
  const listed = new Set(groups.map((g) => g.code));
  const sections = groups.map((group) => ({
    key: group.code,
    title: `${group.name}  ${group.points} / ${group.max}`,
    items: indicators.filter((i) => i.group === group.code),
  }));
  const orphans = indicators.filter((i) => !listed.has(i.group));
  if (orphans.length > 0) sections.push({ key: '_other', title: zh.breakdown.otherGroup, items: orphans });

  return (
    <View className="breakdown">
      {sections.map((section) => (
        <View key={section.key} className="card">
          <Text className="card__title">{section.title}</Text>
          {section.items.map((indicator) => (
            <View key={indicator.code} className="indicator" data-testid={`indicator-${indicator.code}`}>
              <View className="indicator__head">
                <Text className="indicator__name">{indicator.name}</Text>
                <Text className="indicator__points">
                  {zh.breakdown.indicatorPoints(indicator.points, indicator.max)}
                </Text>
              </View>
              {indicator.effects.length === 0 ? (
                <Text className="muted">{zh.breakdown.noEffects}</Text>
              ) : (
                indicator.effects.map((effect, i) => (
                  <EffectRow
                    key={`${effect.recordId ?? 'rule'}-${effect.version ?? i}-${i}`}
                    effect={effect}
                    flags={flags.forEffect(effect)}
                    record={flags.recordOf(effect)}
                    alone={indicator.effects.length === 1}
                    onOpen={onOpenRecord}
                  />
                ))
              )}
            </View>
          ))}
        </View>
      ))}

      {flags.notCounted.length > 0 ? (
        <View className="card" data-testid="not-counted">
          <Text className="card__title">{zh.breakdown.notCounted}</Text>
          <Text className="muted">{zh.breakdown.notCountedHint}</Text>
          {flags.notCounted.map(({ record, flags: recordFlags }) => (
            <View
              key={`${record.recordId}-${record.version}`}
              className="effect"
              data-testid={`record-${record.recordId}`}
            >
              <View className="effect__head">
                <Text className="effect__note">{zh.recordKinds[record.kind]}</Text>
                <Text className="effect__points">0</Text>
              </View>
              <View className="effect__meta">
                <Text className="muted">{recordLabel(record)}</Text>
                <Flags flags={recordFlags} />
              </View>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}
