import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Modal, Space, Spin, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { modelDraftRequestSchema, publishModelRequestSchema, type ModelDefinition } from '@heihe/shared';
import { data, type Ok } from '@web/api/client';
import { ApiError, messageOf } from '@web/api/errors';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import { ImpactPreviewPanel } from './ImpactPreview';
import { ModelForm } from './ModelForm';
import { PublishedTree } from './PublishedTree';
import { checkDefinition, modelFieldPaths, placeIssues } from './model-form';

type Preview = Ok<'previewModelImpact'>;
type Issue = { path: string; message: string };

/** Today in China, as the API compares effective dates. */
const chinaToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** One model version: a draft in the form with its impact preview and publication; a published one read-only. */
export default function ModelDraftPage() {
  const { version } = useParams();
  const { client } = useApi();
  const q = useQuery({
    queryKey: ['model', version],
    queryFn: () => data(client.GET('/api/models/{version}', { params: { path: { version: String(version) } } })),
  });
  if (q.isError) return <Failure error={q.error} retry={() => void q.refetch()} />;
  if (!q.data) return <Spin style={{ display: 'block', margin: 64 }} />;
  const m = q.data;
  if (m.status === 'published')
    return (
      <Card
        title={`评价模型 v${m.version} · ${m.name}`}
        extra={<Tag color="green">已发布，{m.effectiveFrom} 起生效</Tag>}
        data-testid="model-published"
      >
        <PublishedTree definition={m.definition as unknown as ModelDefinition} />
      </Card>
    );
  return <DraftEditor key={m.version} draft={m} />;
}

function DraftEditor({ draft }: { draft: Ok<'getModel'> }) {
  const { client } = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const initial = draft.definition as unknown as ModelDefinition;
  const fields = useMemo(() => modelFieldPaths(initial), [initial]);
  const [values, setValues] = useState<ModelDefinition>(initial);
  const [local, setLocal] = useState<Issue[]>(() => checkDefinition(initial));
  const [server, setServer] = useState<{ issues: Issue[]; message: string | null }>({ issues: [], message: null });
  const [dirty, setDirty] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [tab, setTab] = useState('form');
  const [effectiveFrom, setEffectiveFrom] = useState<Dayjs | null>(dayjs(chinaToday()));
  const [confirming, setConfirming] = useState(false);
  const placed = useMemo(() => placeIssues([...local, ...server.issues], fields), [local, server, fields]);

  function onChange() {
    const v = form.getFieldsValue(true) as ModelDefinition;
    setValues(v);
    setLocal(checkDefinition(v));
    setServer({ issues: [], message: null });
    setDirty(true);
  }

  const serverFailed = (e: unknown) => {
    const issues = e instanceof ApiError ? e.details : [];
    setServer({ issues, message: messageOf(e) });
  };

  const path = { params: { path: { version: String(draft.version) } } };
  const save = useMutation({
    mutationFn: async () => {
      const body = modelDraftRequestSchema.parse({ name: values.name, definition: values });
      const saved = await data(client.PUT('/api/models/{version}', { ...path, body }));
      setDirty(false);
      void queryClient.invalidateQueries({ queryKey: ['models'] });
      return saved;
    },
    onError: serverFailed,
  });
  const runPreview = useMutation({
    mutationFn: async () => {
      if (dirty) await save.mutateAsync();
      return data(client.POST('/api/models/{version}/preview', path));
    },
    onError: serverFailed,
    onSuccess: (p) => {
      setPreview(p);
      setTab('preview');
    },
  });
  const day = effectiveFrom?.format('YYYY-MM-DD') ?? '';
  const publish = useMutation({
    mutationFn: () =>
      data(
        client.POST('/api/models/{version}/publish', {
          ...path,
          body: publishModelRequestSchema.parse({ effectiveFrom: day }),
        }),
      ),
    onError: (e) => {
      setConfirming(false);
      serverFailed(e);
    },
    onSuccess: async (r) => {
      // The list is fetched again before the page changes, so the notice never stands beside the
      // model that was in force a moment ago (the list page would show its cached copy first).
      await queryClient.refetchQueries({ queryKey: ['models'] });
      void queryClient.invalidateQueries();
      setConfirming(false);
      navigate('/models', {
        state: {
          published: r.cycle
            ? `模型 v${r.model.version} 已发布并生效，正在按新模型对全体主体重新评分。`
            : `模型 v${r.model.version} 已发布，${day} 起生效。`,
        },
      });
    },
  });

  const invalid = local.length > 0;
  const previewCurrent = preview !== null && !dirty;
  const immediate = day !== '' && day <= chinaToday();

  return (
    // A plain column, not a Space: the sticky actions need the whole page as their containing block.
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }} data-testid="model-draft">
      <Card
        title={
          <Space>
            <span>
              评价模型草稿 v{draft.version} · {values.name || draft.name}
            </span>
            <Tag color="gold">草稿</Tag>
            {dirty ? <Tag color="orange">有未保存的修改</Tag> : save.isSuccess && <Tag color="green">已保存</Tag>}
          </Space>
        }
        extra={<Link to="/models">返回模型列表</Link>}
        // The actions stay in sight while the administrator works down the indicators.
        style={{ position: 'sticky', top: 0, zIndex: 10, boxShadow: '0 2px 8px rgba(0,0,0,0.06)' }}
      >
        <Space wrap>
          <Button
            onClick={() => save.mutate()}
            // Not disabled when clean: antd's loading icon never finishes leaving a button disabled at
            // the same moment (and saving an unchanged draft is harmless).
            loading={save.isPending && !runPreview.isPending}
            data-testid="save-draft"
          >
            保存草稿
          </Button>
          <Button
            type="primary"
            onClick={() => runPreview.mutate()}
            loading={runPreview.isPending}
            disabled={invalid}
            data-testid="run-preview"
          >
            {dirty ? '保存并预览影响' : '预览影响'}
          </Button>
          <Typography.Text type={invalid ? 'danger' : 'secondary'} data-testid="form-state">
            {invalid
              ? `还有 ${local.length} 处需要修改（见各字段旁的提示），改正后才能预览和发布`
              : '预览以今日全体市场主体的数据，分别按现行模型和本草稿计算；预览后方可发布'}
          </Typography.Text>
        </Space>
        {server.message && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={server.message}
            description={server.issues.length ? '具体问题已标在对应字段旁。' : undefined}
            data-testid="server-error"
          />
        )}
      </Card>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'form',
            label: '模型参数',
            forceRender: true,
            children: <ModelForm form={form} initial={initial} values={values} placed={placed} onChange={onChange} />,
          },
          {
            key: 'preview',
            label: '影响预览',
            disabled: preview === null,
            children: preview && (
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                {!previewCurrent && (
                  <Alert type="warning" showIcon title="草稿在预览之后又有修改：请重新预览后再发布。" />
                )}
                <ImpactPreviewPanel preview={preview} />
                <Card title="发布" size="small" data-testid="publish-card">
                  <Space wrap>
                    <span>生效日期</span>
                    <DatePicker
                      value={effectiveFrom}
                      onChange={setEffectiveFrom}
                      allowClear={false}
                      data-testid="effective-from"
                    />
                    <Button
                      type="primary"
                      danger
                      disabled={!previewCurrent || !effectiveFrom}
                      onClick={() => setConfirming(true)}
                      data-testid="publish"
                    >
                      发布模型
                    </Button>
                    <Typography.Text type="secondary">
                      {immediate
                        ? '生效日不晚于今日：发布后立即按新模型对全体主体重新评分。'
                        : '到生效日起按新模型评分；在此之前仍按现行模型。'}
                    </Typography.Text>
                  </Space>
                </Card>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={confirming}
        title={`发布评价模型 v${draft.version}？`}
        okText="确认发布"
        okButtonProps={{ danger: true, loading: publish.isPending, 'data-testid': 'confirm-publish' }}
        cancelText="取消"
        onOk={() => publish.mutate()}
        onCancel={() => setConfirming(false)}
      >
        {preview && (
          <Typography.Paragraph data-testid="publish-effect">
            按今日数据，发布后将有 <Typography.Text strong>{preview.changed}</Typography.Text>{' '}
            个市场主体的信用等级发生变化（共 {preview.entities} 个）。生效日期 {day}
            {immediate ? '，发布后立即重新评分并向订阅部门推送' : ''}。发布后此版本不可再修改。
          </Typography.Paragraph>
        )}
      </Modal>
    </div>
  );
}
