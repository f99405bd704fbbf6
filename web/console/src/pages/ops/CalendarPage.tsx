import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { APPLICATION_KIND_LABELS } from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { messageOf } from '@web/api/errors';
import { actorLabel, chinaTime } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { formatDates, parseDates, parseScheduleFile, type ScheduleDraft } from './schedule-text';

type Preview = Ok<'previewCalendarSchedule'>;

/** 2004–2027, or 2004–2025、2027: consecutive years as ranges. */
export function yearsText(years: readonly number[]): string {
  const parts: string[] = [];
  const sorted = [...years].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j;
  }
  return parts.length ? `${parts.join('、')} 年` : '无';
}
type Loaded = Ok<'loadCalendarSchedule'>;

/**
 * 节假日安排: the years the working-day calendar holds, and a year's State Council notice loaded
 * from a form or a file — after a preview of the open deadlines it moves (old → new).
 */
export default function CalendarPage() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: ['calendar-status'],
    queryFn: () => data(client.GET('/api/calendar/schedules')),
  });
  const [year, setYear] = useState<number | null>(null);
  // From November the State Council has published next year's notice: that is the one to load.
  const today = status.data?.today ?? new Date().toISOString().slice(0, 10);
  const target = year ?? Number(today.slice(0, 4)) + (today.slice(5) >= '11-01' ? 1 : 0);
  const [holidaysText, setHolidaysText] = useState('');
  const [makeupText, setMakeupText] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  function draft(): ScheduleDraft | null {
    const h = parseDates(holidaysText, target);
    if (!h.ok) return (setInputError(`放假日期：${h.error}`), null);
    if (h.dates.length === 0) return (setInputError('放假日期不能为空，请按国务院通知填写'), null);
    const w = parseDates(makeupText, target);
    if (!w.ok) return (setInputError(`调休上班日：${w.error}`), null);
    setInputError(null);
    return { holidays: h.dates, makeupWorkdays: w.dates };
  }

  const previewing = useMutation({
    mutationFn: (d: ScheduleDraft) =>
      data(client.POST('/api/calendar/schedules/{year}/preview', { params: { path: { year: target } }, body: d })),
    onSuccess: (p) => setPreview(p),
  });
  const loading = useMutation({
    mutationFn: (d: ScheduleDraft) =>
      data(client.PUT('/api/calendar/schedules/{year}', { params: { path: { year: target } }, body: d })),
    onSuccess: (r) => {
      setConfirming(false);
      setPreview(null);
      setLoaded(r);
      void queryClient.invalidateQueries({ queryKey: ['calendar-status'] });
    },
  });

  function changed() {
    setPreview(null);
    setLoaded(null);
    previewing.reset();
    loading.reset();
  }

  async function readFile(file: File) {
    const parsed = parseScheduleFile(await file.text(), target);
    if (!parsed.ok) {
      setInputError(`文件“${file.name}”：${parsed.error}`);
      return;
    }
    setInputError(null);
    setHolidaysText(formatDates(parsed.draft.holidays));
    setMakeupText(formatDates(parsed.draft.makeupWorkdays));
    changed();
  }

  const moved = preview?.items.filter((i) => i.from !== i.to) ?? [];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="工作日历">
        {status.isError ? (
          <Failure error={status.error} retry={() => void status.refetch()} />
        ) : (
          <>
            {status.data?.problems.map((p) => (
              <Alert
                key={p}
                type="warning"
                showIcon
                title={p}
                style={{ marginBottom: 12 }}
                data-testid="calendar-problem"
              />
            ))}
            <Descriptions column={1} size="small">
              <Descriptions.Item label="已有节假日安排的年份">
                <span data-testid="loaded-years">{yearsText(status.data?.loadedYears ?? [])}</span>
              </Descriptions.Item>
            </Descriptions>
            <Table
              rowKey="year"
              size="small"
              loading={!status.data}
              pagination={false}
              dataSource={status.data?.uploaded ?? []}
              locale={{ emptyText: '尚未导入过安排（使用系统内置的 2026 年及以前的安排）' }}
              columns={[
                { title: '年份', dataIndex: 'year', width: 90 },
                { title: '导入时间', dataIndex: 'loadedAt', render: (t: string) => chinaTime(t) },
                { title: '导入人', dataIndex: 'loadedBy', render: (a: string) => actorLabel(a) },
              ]}
            />
          </>
        )}
      </Card>

      <Card title="导入节假日安排">
        <Typography.Paragraph type="secondary">
          按国务院办公厅关于部分节假日安排的通知填写：放假日期与调休上班日，可写单日或区间（如
          2027-02-06~2027-02-12），以空格、逗号或换行分隔；也可上传文件（JSON，或每行“日期,休”/“日期,班”）。导入前先预览：列出未办结申请中暂估期限会变化的，导入后这些期限按新安排重新计算并通知企业。
        </Typography.Paragraph>
        <Form layout="vertical" style={{ maxWidth: 720 }}>
          <Space align="start" wrap>
            <Form.Item label="年份">
              <InputNumber
                min={2000}
                max={2100}
                value={target}
                onChange={(v) => {
                  setYear(v ?? null);
                  changed();
                }}
                data-testid="schedule-year"
              />
            </Form.Item>
            <Form.Item label="从文件读取">
              <Upload
                accept=".json,.csv,.txt"
                maxCount={1}
                showUploadList={false}
                beforeUpload={(f) => {
                  void readFile(f);
                  return false;
                }}
              >
                <Button data-testid="schedule-file">选择文件…</Button>
              </Upload>
            </Form.Item>
          </Space>
          <Form.Item label="放假日期" required>
            <Input.TextArea
              rows={4}
              value={holidaysText}
              placeholder={`${target}-01-01\n${target}-02-06~${target}-02-12`}
              onChange={(e) => {
                setHolidaysText(e.target.value);
                changed();
              }}
              data-testid="schedule-holidays"
            />
          </Form.Item>
          <Form.Item label="调休上班日（周末上班）">
            <Input.TextArea
              rows={2}
              value={makeupText}
              placeholder={`${target}-02-20`}
              onChange={(e) => {
                setMakeupText(e.target.value);
                changed();
              }}
              data-testid="schedule-makeup"
            />
          </Form.Item>
          {inputError && (
            <Alert type="error" showIcon title={inputError} style={{ marginBottom: 12 }} data-testid="schedule-error" />
          )}
          {previewing.isError && (
            <Alert
              type="error"
              showIcon
              title={messageOf(previewing.error)}
              style={{ marginBottom: 12 }}
              data-testid="schedule-error"
            />
          )}
          <Button
            type="primary"
            loading={previewing.isPending}
            onClick={() => {
              const d = draft();
              if (d) previewing.mutate(d);
            }}
            data-testid="schedule-preview"
          >
            预览影响
          </Button>
        </Form>
      </Card>

      {preview && (
        <Card
          title={`${preview.year} 年安排的影响`}
          data-testid="schedule-impact"
          extra={
            <Button type="primary" onClick={() => setConfirming(true)} data-testid="schedule-load">
              导入 {preview.year} 年安排
            </Button>
          }
        >
          <Typography.Paragraph>
            {preview.items.length === 0
              ? '没有未办结的申请使用暂估期限，导入不改变任何办理期限。'
              : `${preview.items.length} 件未办结申请的期限为暂估，导入后重新计算：${moved.length} 件期限变化，${preview.items.length - moved.length} 件不变（不再标为“预计”）。`}
          </Typography.Paragraph>
          {preview.items.length > 0 && (
            <Table
              rowKey={(r) => `${r.kind}:${r.id}`}
              size="small"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={[...preview.items].sort((a, b) => Number(a.from === a.to) - Number(b.from === b.to))}
              columns={[
                {
                  title: '类型',
                  dataIndex: 'kind',
                  width: 100,
                  render: (k: keyof typeof APPLICATION_KIND_LABELS) => APPLICATION_KIND_LABELS[k],
                },
                { title: '编号', dataIndex: 'id', width: 80 },
                { title: '企业', dataIndex: 'entityName', ellipsis: true },
                {
                  title: '办理期限',
                  key: 'deadline',
                  width: 260,
                  render: (_, r) =>
                    r.from === r.to ? (
                      <span>{r.to}（不变）</span>
                    ) : (
                      <span data-testid="moved">
                        <Typography.Text delete type="secondary">
                          {r.from}
                        </Typography.Text>{' '}
                        → <Typography.Text strong>{r.to}</Typography.Text>
                      </span>
                    ),
                },
                {
                  title: '导入后',
                  dataIndex: 'provisional',
                  width: 110,
                  render: (p: boolean) => (p ? <Tag color="orange">仍为预计</Tag> : <Tag color="green">确定</Tag>),
                },
              ]}
            />
          )}
        </Card>
      )}

      {loaded && (
        <Alert
          type="success"
          showIcon
          data-testid="schedule-loaded"
          title={`已导入 ${target} 年安排：重新计算 ${loaded.recomputed.length} 件申请的期限，其中 ${loaded.recomputed.filter((r) => r.from !== r.to).length} 件变化，已通知相关企业。`}
        />
      )}

      <Modal
        open={confirming}
        title={`导入 ${preview?.year ?? target} 年节假日安排`}
        okText="导入"
        cancelText="取消"
        okButtonProps={{ loading: loading.isPending, 'data-testid': 'schedule-confirm' }}
        onOk={() => {
          const d = draft();
          if (d) loading.mutate(d);
        }}
        onCancel={() => setConfirming(false)}
      >
        <Typography.Paragraph>
          {moved.length ? `将改变 ${moved.length} 件未办结申请的办理期限，并通知相关企业。` : '不改变任何办理期限。'}
          导入后，跨入该年的期限按此安排计算。确定导入？
        </Typography.Paragraph>
        {loading.isError && <Alert type="error" showIcon title={messageOf(loading.error)} />}
      </Modal>
    </Space>
  );
}
