// The site's only script, and the pages work without it: a character counter for the objection
// form, a size check before a PDF is uploaded, and one submission per click.
import './site.css';

const MAX_UPLOAD = 10 * 1024 * 1024;

for (const form of Array.from(document.querySelectorAll<HTMLFormElement>('form'))) {
  form.addEventListener('submit', (e) => {
    if (form.dataset.busy) return e.preventDefault();
    form.dataset.busy = '1';
    form.querySelector('button[type=submit]')?.setAttribute('disabled', '');
  });
}

for (const counter of Array.from(document.querySelectorAll<HTMLElement>('.counter[data-for]'))) {
  const field = document.getElementById(counter.dataset.for ?? '') as HTMLTextAreaElement | null;
  if (!field) continue;
  const update = () => {
    const n = Array.from(field.value.trim()).length;
    counter.textContent = n < 10 ? `已输入 ${n} 字，至少 10 字` : `已输入 ${n} / 1000 字`;
  };
  field.addEventListener('input', update);
  update();
}

for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('input[type=file]'))) {
  const status = document.querySelector<HTMLElement>(`[data-file-status="${input.name}"]`);
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (!f) return;
    const tooLarge = f.size > MAX_UPLOAD;
    input.setCustomValidity(tooLarge ? '文件超过 10 MB，请上传信用中心出具的原始报告文件' : '');
    if (status)
      status.textContent = tooLarge ? '文件超过 10 MB' : `已选择 ${f.name}（${(f.size / 1024).toFixed(0)} KB）`;
  });
}
