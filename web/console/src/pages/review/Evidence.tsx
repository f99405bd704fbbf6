import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Empty, Image, Space, Tag, Typography } from 'antd';
import { fileSize } from '@web/format';
import { Failure } from '../../components/Failure';
import { useApi } from '../../context';
import type { AnyCase } from './case-kinds';

type EvidenceFile = AnyCase['evidence'][number];

const CHECK: Record<EvidenceFile['checkStatus'], { color: string; label: string }> = {
  pass: { color: 'green', label: '内容安全检测通过' },
  pending: { color: 'gold', label: '内容安全检测中' },
  risky: { color: 'red', label: '内容安全检测：有风险' },
  not_applicable: { color: 'default', label: '无需内容检测' },
};

/** The file's bytes through the API (bearer token), as an object URL for <img> or <object>. */
function useObjectUrl(file: EvidenceFile) {
  const { client } = useApi();
  const q = useQuery({
    queryKey: ['evidence-content', file.id],
    staleTime: Infinity,
    queryFn: async () => {
      const { data, error, response } = await client.GET('/api/evidence/{fileId}/content', {
        params: { path: { fileId: file.id } },
        parseAs: 'blob',
      });
      if (error !== undefined || !response.ok || !data) throw new Error(`材料加载失败（${response.status}）`);
      return data as Blob;
    },
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!q.data) return;
    const u = URL.createObjectURL(q.data);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [q.data]);
  return { q, url };
}

/**
 * Chromium draws a PDF in its own plugin frame, above the page: a dialog opened over it loses the
 * clicks that land where the PDF is. While a dialog is open the viewer gives way to a note.
 */
function PausedPdf() {
  return (
    <div
      style={{
        height: 560,
        display: 'grid',
        placeItems: 'center',
        background: '#fafafa',
        border: '1px dashed #d9d9d9',
      }}
      data-testid="evidence-pdf-paused"
    >
      <Typography.Text type="secondary">对话框打开期间暂停显示 PDF，关闭后恢复</Typography.Text>
    </div>
  );
}

function EvidenceItem({ file, pausePdf }: { file: EvidenceFile; pausePdf: boolean }) {
  const { q, url } = useObjectUrl(file);
  const check = CHECK[file.checkStatus];
  return (
    <Card size="small" title={file.displayName} data-testid="evidence" data-mime={file.mime}>
      {q.isError ? (
        <Failure compact error={q.error} retry={() => void q.refetch()} />
      ) : !url ? (
        <div style={{ height: 160, display: 'grid', placeItems: 'center' }}>加载中…</div>
      ) : file.mime === 'application/pdf' && pausePdf ? (
        <PausedPdf />
      ) : file.mime === 'application/pdf' ? (
        <object data={url} type="application/pdf" width="100%" height={560} data-testid="evidence-pdf">
          <a href={url} download={file.displayName}>
            下载 PDF
          </a>
        </object>
      ) : (
        // antd's preview has zoom, rotate and flip in its toolbar.
        <Image
          src={url}
          alt={file.displayName}
          style={{ maxHeight: 360, objectFit: 'contain' }}
          preview={{ mask: '点击放大 / 旋转' }}
          data-testid="evidence-image"
        />
      )}
      <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
        <Descriptions.Item label="SHA-256">
          <Typography.Text code copyable style={{ fontSize: 12, wordBreak: 'break-all' }} data-testid="sha256">
            {file.sha256}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="大小">
          <Space>
            {fileSize(file.size)}
            <Tag color={check.color}>{check.label}</Tag>
          </Space>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

export function EvidenceList({ files, pausePdf = false }: { files: readonly EvidenceFile[]; pausePdf?: boolean }) {
  if (files.length === 0) return <Empty description="未提交材料" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {files.map((f) => (
        <EvidenceItem key={f.id} file={f} pausePdf={pausePdf} />
      ))}
    </Space>
  );
}
