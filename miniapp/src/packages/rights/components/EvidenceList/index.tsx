import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { zh } from '@/i18n/zh';
import { formatBytes } from '@/utils/format';
import { canPickChatFiles, pickBrowserFiles, pickChatFiles, pickPhotos, pickInBrowser } from '../../pick';
import type { EvidenceItem, EvidenceUploads, PickedFile } from './useEvidenceUploads';
import './index.css';

interface EvidenceListProps {
  uploads: EvidenceUploads;
  /** Only this tag's files are listed, and new files get it. */
  tag?: string;
  /** The most files this list may hold. */
  max: number;
  name?: string;
}

function Tile({ item, onPreview }: { item: EvidenceItem; onPreview: () => void }) {
  if (item.isImage) {
    return <Image className="evidence__thumb" src={item.filePath} mode="aspectFill" onClick={onPreview} />;
  }
  return (
    <View className="evidence__thumb evidence__thumb--file">
      <Text>{/\.pdf$/i.test(item.name) ? zh.evidence.pdf : zh.evidence.file}</Text>
    </View>
  );
}

function Row({
  item,
  onRetry,
  onRemove,
  onPreview,
}: {
  item: EvidenceItem;
  onRetry: () => void;
  onRemove: () => void;
  onPreview: () => void;
}) {
  return (
    <View
      className={`evidence__row evidence__row--${item.status}`}
      data-testid="evidence-item"
      data-status={item.status}
    >
      <Tile item={item} onPreview={onPreview} />
      <View className="evidence__info">
        <Text className="evidence__name">{item.name}</Text>
        <Text className="muted">{formatBytes(item.size)}</Text>
        {item.status === 'uploading' ? (
          <View className="evidence__progress" data-testid="evidence-progress">
            <View className="evidence__bar">
              <View className="evidence__fill" style={{ width: `${item.progress}%` }} />
            </View>
            <Text className="evidence__state">{zh.evidence.uploading(item.progress)}</Text>
          </View>
        ) : item.status === 'done' ? (
          <Text className="evidence__state evidence__state--done">{zh.evidence.done}</Text>
        ) : (
          <Text className="evidence__state evidence__state--failed" data-testid="evidence-error">
            {zh.evidence.failed}：{item.error}
          </Text>
        )}
      </View>
      <View className="evidence__actions">
        {item.status === 'failed' && item.retryable ? (
          <Text className="evidence__action" data-testid="evidence-retry" onClick={onRetry}>
            {zh.evidence.retry}
          </Text>
        ) : null}
        {item.status !== 'uploading' ? (
          <Text className="evidence__action evidence__action--remove" data-testid="evidence-remove" onClick={onRemove}>
            {zh.evidence.remove}
          </Text>
        ) : null}
      </View>
    </View>
  );
}

/** Picked files with a preview, per-file progress, and retry or remove for each. */
export function EvidenceList({ uploads, tag = '', max, name = 'evidence' }: EvidenceListProps) {
  const items = uploads.items.filter((i) => i.tag === tag);
  const room = max - items.length;

  const addFrom = async (pick: (count: number) => Promise<PickedFile[]>) => {
    try {
      const files = await pick(room);
      if (files.length > 0) uploads.add(files.slice(0, room), tag);
    } catch {
      void Taro.showToast({ title: zh.evidence.pickFailed, icon: 'none' });
    }
  };

  const onAdd = async () => {
    if (room <= 0) {
      void Taro.showToast({ title: zh.evidence.tooMany(max), icon: 'none' });
      return;
    }
    if (pickInBrowser) {
      await addFrom(pickBrowserFiles);
      return;
    }
    if (!canPickChatFiles) {
      await addFrom(pickPhotos);
      return;
    }
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: [zh.evidence.camera, zh.evidence.chatFile] });
      await addFrom(tapIndex === 0 ? pickPhotos : pickChatFiles);
    } catch {
      // The sheet was dismissed.
    }
  };

  const preview = (item: EvidenceItem) => {
    const urls = items.filter((i) => i.isImage).map((i) => i.filePath);
    void Taro.previewImage({ urls, current: item.filePath });
  };

  return (
    <View className="evidence" data-testid={`evidence-${name}`}>
      {items.map((item) => (
        <Row
          key={item.key}
          item={item}
          onRetry={() => uploads.retry(item.key)}
          onRemove={() => uploads.remove(item.key)}
          onPreview={() => preview(item)}
        />
      ))}
      {room > 0 ? (
        <View className="evidence__add" data-testid={`evidence-add-${name}`} onClick={() => void onAdd()}>
          <Text className="evidence__plus">+</Text>
          <Text>{zh.evidence.add}</Text>
        </View>
      ) : null}
    </View>
  );
}
