import { Space, Tag, Tooltip, Typography } from 'antd';
import { daysLeftText, URGENCY, type Deadline } from './queue-model';

/** Due date, working days left in the urgency's colour, and 预计 with its reason when provisional. */
export function DeadlineTag({ deadline }: { deadline: Deadline }) {
  const u = URGENCY[deadline.urgency];
  return (
    <Space size={4} wrap data-testid="deadline" data-urgency={deadline.urgency}>
      <Typography.Text>{deadline.dueOn}</Typography.Text>
      {deadline.provisional && (
        <Tooltip title={deadline.provisionalReason ?? '该年度节假日安排尚未发布，期限为预计，发布后重新计算'}>
          <Tag color="purple" data-testid="provisional" style={{ cursor: 'help' }}>
            预计
          </Tag>
        </Tooltip>
      )}
      <Tag color={u.color} data-testid="days-left">
        {daysLeftText(deadline)}
      </Tag>
    </Space>
  );
}
