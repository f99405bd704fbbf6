/** Saves a blob the API answered with under a file name, as the browser's download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The blob of a file download, or an error the page can show. */
export async function blobOf(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Blob> {
  const { data: blob, error, response } = await call;
  if (error !== undefined || !response.ok || !blob) throw new Error(`导出失败（${response.status}），请重试`);
  return blob as Blob;
}
