import Taro from '@tarojs/taro';
import type { PickedFile } from './components/EvidenceList/useEvidenceUploads';

/** The user closing the picker is not an error. */
function cancelled(error: unknown): boolean {
  const message = (error as { errMsg?: unknown } | null)?.errMsg;
  return typeof message === 'string' && /cancel|abort/i.test(message);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Photos from the camera or the album. WeChat compresses them ('compressed') so a photo of a
 * document stays well under the size limit; in a browser the file input offers both sources.
 */
export async function pickPhotos(count: number): Promise<PickedFile[]> {
  if (count <= 0) return [];
  try {
    const res = await Taro.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      sizeType: ['compressed'],
    });
    // H5 hands the original File over too: its name beats a blob URL's.
    return res.tempFiles.map((f) => ({
      filePath: f.tempFilePath,
      name: f.originalFileObj?.name ?? baseName(f.tempFilePath),
      size: f.size,
      isImage: true,
    }));
  } catch (error) {
    if (cancelled(error)) return [];
    throw error;
  }
}

/** PDFs and images forwarded in a WeChat chat; the mini program only (no such source in a browser). */
export async function pickChatFiles(count: number): Promise<PickedFile[]> {
  if (count <= 0) return [];
  try {
    const res = await Taro.chooseMessageFile({ count, type: 'file', extension: ['pdf', 'jpg', 'jpeg', 'png'] });
    return res.tempFiles.map((f) => ({
      filePath: f.path,
      name: f.name,
      size: f.size,
      isImage: /\.(jpe?g|png)$/i.test(f.name),
    }));
  } catch (error) {
    if (cancelled(error)) return [];
    throw error;
  }
}

export const canPickChatFiles = process.env.TARO_ENV === 'weapp';
