import { useCallback, useState } from 'react';
import { isRetryable, uploadEvidence, userMessage } from '@/api';
import { checkPicked } from '../../pick';
import type { EvidenceFileView } from '@/api/types';

export type UploadStatus = 'uploading' | 'done' | 'failed';

/** A file the user picked: a temp path (weapp) or blob URL (H5). */
export interface PickedFile {
  filePath: string;
  name: string;
  size: number;
  isImage: boolean;
  /** The type the picker reported ('' when it reported none): checked before upload. */
  mime?: string;
}

export interface EvidenceItem extends PickedFile {
  key: string;
  status: UploadStatus;
  /** 0–100 while uploading. */
  progress: number;
  error: string | null;
  /** A failure that a second try may cure (the network, the server); a refused file is not. */
  retryable: boolean;
  /** The server's evidence id once uploaded. */
  fileId: string | null;
  /** Which list the file belongs to, e.g. a repair material type. */
  tag: string;
}

export type Uploader = (
  entityId: number,
  file: { filePath: string; fileName?: string },
  onProgress: (percent: number) => void,
) => Promise<Pick<EvidenceFileView, 'id'>>;

export interface EvidenceUploads {
  items: EvidenceItem[];
  add(files: PickedFile[], tag?: string): void;
  retry(key: string): void;
  remove(key: string): void;
  /** Uploaded ids, optionally of one tag. */
  uploadedIds(tag?: string): string[];
  busy: boolean;
  failed: boolean;
}

let seq = 0;

/**
 * Each picked file uploads at once, on its own, with its own progress; a failure marks only that
 * file, which can be retried or removed. The form around it keeps whatever was typed.
 */
export function useEvidenceUploads(entityId: number, uploader: Uploader = uploadEvidence): EvidenceUploads {
  const [items, setItems] = useState<EvidenceItem[]>([]);
  const patch = useCallback((key: string, change: Partial<EvidenceItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const start = useCallback(
    (item: EvidenceItem) => {
      patch(item.key, { status: 'uploading', progress: 0, error: null });
      uploader(entityId, { filePath: item.filePath, fileName: item.name }, (progress) =>
        patch(item.key, { progress }),
      ).then(
        (file) => patch(item.key, { status: 'done', progress: 100, fileId: file.id }),
        (error: unknown) =>
          patch(item.key, { status: 'failed', error: userMessage(error), retryable: isRetryable(error) }),
      );
    },
    [entityId, patch, uploader],
  );

  const add = useCallback(
    (files: PickedFile[], tag = '') => {
      // Type and size are checked on the phone: a file the server would refuse is never sent.
      const fresh = files.map<EvidenceItem>((file) => {
        const refused = checkPicked(file);
        return {
          ...file,
          key: `evidence-${++seq}`,
          status: refused ? 'failed' : 'uploading',
          progress: 0,
          error: refused,
          retryable: false,
          fileId: null,
          tag,
        };
      });
      setItems((list) => [...list, ...fresh]);
      fresh.filter((item) => item.status === 'uploading').forEach(start);
    },
    [start],
  );

  const retry = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key);
      if (item && item.status === 'failed' && item.retryable) start(item);
    },
    [items, start],
  );

  const remove = useCallback((key: string) => setItems((list) => list.filter((i) => i.key !== key)), []);

  const uploadedIds = useCallback(
    (tag?: string) =>
      items
        .filter((i) => i.status === 'done' && i.fileId !== null && (tag === undefined || i.tag === tag))
        .map((i) => i.fileId as string),
    [items],
  );

  return {
    items,
    add,
    retry,
    remove,
    uploadedIds,
    busy: items.some((i) => i.status === 'uploading'),
    failed: items.some((i) => i.status === 'failed'),
  };
}
