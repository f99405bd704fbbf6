import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { downloadEvidence, userMessage } from '@/api';
import type { EvidenceFileView } from '@/api/types';
import { zh } from '@/i18n/zh';
import { formatBytes } from '@/utils/format';
import './index.css';

/** Opens one's own uploaded file: a photo in the image viewer, a PDF in the document viewer (a new tab in H5). */
async function openFile(file: EvidenceFileView): Promise<void> {
  const path = await downloadEvidence(file.id);
  if (file.mime.startsWith('image/')) {
    await Taro.previewImage({ urls: [path], current: path });
  } else if (process.env.TARO_ENV === 'h5') {
    window.open(path, '_blank');
  } else {
    await Taro.openDocument({ filePath: path, fileType: 'pdf', showMenu: true });
  }
}

/** The files an application holds, each saying which material it is (repair), each openable. */
export function OwnFiles({ files }: { files: EvidenceFileView[] }) {
  const [opening, setOpening] = useState<string | null>(null);
  const open = async (file: EvidenceFileView) => {
    if (opening) return;
    setOpening(file.id);
    try {
      await openFile(file);
    } catch (error) {
      void Taro.showToast({ title: userMessage(error), icon: 'none' });
    } finally {
      setOpening(null);
    }
  };
  return (
    <View className="own-files" data-testid="own-files">
      {files.map((file) => (
        <View
          key={file.id}
          className="own-files__row"
          data-testid="own-file"
          data-material={file.materialType ?? ''}
          onClick={() => void open(file)}
        >
          <Text className="own-files__type">
            {file.mime === 'application/pdf' ? zh.evidence.pdf : zh.ownFiles.photo}
          </Text>
          <View className="own-files__info">
            {file.materialType ? (
              <Text className="own-files__material">{zh.repairMaterials[file.materialType]}</Text>
            ) : null}
            <Text className="own-files__name">{file.displayName}</Text>
            <Text className="muted">{formatBytes(file.size)}</Text>
          </View>
          <Text className="own-files__open">{opening === file.id ? zh.ownFiles.opening : zh.ownFiles.open}</Text>
        </View>
      ))}
    </View>
  );
}
