import { Text, View } from '@tarojs/components';
import type { ApplicationKind, ApplicationStatus } from '@/api/types';
import { zh } from '@/i18n/zh';
import { formatDateTimeCst } from '@/utils/format';
import './index.css';

export interface TimelineEvent {
  at: string;
  status: string;
  actor: string;
  note: string | null;
}

interface TimelineProps {
  kind: ApplicationKind;
  events: TimelineEvent[];
}

function label(kind: ApplicationKind, status: string): string {
  const labels: Record<ApplicationStatus, string> = zh.applicationEvents[kind];
  return status in labels ? labels[status as ApplicationStatus] : status;
}

/** The application's steps, oldest first; the newest step is highlighted. */
export function Timeline({ kind, events }: TimelineProps) {
  return (
    <View className="timeline" data-testid="timeline">
      {events.map((event, i) => (
        <View
          key={`${event.at}-${i}`}
          className={`timeline__item ${i === events.length - 1 ? 'timeline__item--current' : ''}`}
        >
          <View className="timeline__dot" />
          <View className="timeline__body">
            <Text className="timeline__title">{label(kind, event.status)}</Text>
            <Text className="muted">
              {formatDateTimeCst(event.at)} · {zh.actors[event.actor] ?? event.actor}
            </Text>
            {event.note ? <Text className="timeline__note">{event.note}</Text> : null}
          </View>
        </View>
      ))}
    </View>
  );
}
