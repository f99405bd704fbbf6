import Taro from '@tarojs/taro';
import { zh } from '@/i18n/zh';
import { formatBytes } from '@/utils/format';
import type { PickedFile } from './components/EvidenceList/useEvidenceUploads';

/** The server's default EVIDENCE_MAX_BYTES, as the hint under every file list says. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
const ALLOWED_MIME = new Set(['image/jpeg', 'image/png', 'application/pdf']);
const ALLOWED_NAME = /\.(jpe?g|png|pdf)$/i;

/**
 * Why a picked file cannot be uploaded, checked on the phone so nothing is sent in vain; null
 * when it may go. The server checks again, by content.
 */
export function checkPicked(file: Pick<PickedFile, 'name' | 'size' | 'mime' | 'isImage'>): string | null {
  const mime = file.mime ?? '';
  const typeOk = mime ? ALLOWED_MIME.has(mime) || (mime === 'image' && file.isImage) : ALLOWED_NAME.test(file.name);
  if (!typeOk) return zh.evidence.wrongType(file.name);
  if (file.size <= 0) return zh.evidence.emptyFile;
  if (file.size > MAX_EVIDENCE_BYTES)
    return zh.evidence.tooLarge(formatBytes(file.size), formatBytes(MAX_EVIDENCE_BYTES));
  return null;
}

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
      mime: f.originalFileObj?.type || f.fileType || 'image',
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
      mime: '',
    }));
  } catch (error) {
    if (cancelled(error)) return [];
    throw error;
  }
}

export const canPickChatFiles = process.env.TARO_ENV === 'weapp';

/**
 * The browser (H5) picks with a file input of its own: Taro's chooseMedia there drops a file it
 * cannot load as an image without a word, and a browser can offer PDFs as well as photos.
 */
export const pickInBrowser = process.env.TARO_ENV === 'h5';

export function pickBrowserFiles(count: number): Promise<PickedFile[]> {
  if (count <= 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf';
    if (count > 1) input.multiple = true;
    input.style.cssText = 'position:fixed;top:-4000px;left:-3000px';
    const done = (files: PickedFile[]) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('cancel', () => done([]));
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? []).slice(0, count);
      done(
        files.map((f) => ({
          filePath: URL.createObjectURL(f),
          name: f.name,
          size: f.size,
          isImage: f.type === 'image/jpeg' || f.type === 'image/png',
          mime: f.type,
        })),
      );
    });
    document.body.appendChild(input);
    input.click();
  });
}
