import { screen } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import { EvidenceList } from './Evidence';

const pdf = {
  id: 'ev-1',
  displayName: '撤销决定书.pdf',
  mime: 'application/pdf',
  size: 2048,
  sha256: 'a'.repeat(64),
  checkStatus: 'not_applicable',
} as const;

function show(pausePdf: boolean) {
  const { api } = fakeApi(() => ({ body: new Blob(['%PDF-1.7'], { type: 'application/pdf' }) }));
  renderWith(api, <EvidenceList files={[pdf as never]} pausePdf={pausePdf} />);
}

describe('the evidence list', () => {
  beforeAll(() => {
    URL.createObjectURL ??= () => 'blob:evidence';
    URL.revokeObjectURL ??= () => undefined;
  });

  it('shows a PDF in the viewer', async () => {
    show(false);
    expect(await screen.findByTestId('evidence-pdf')).toBeTruthy();
  });

  it('pauses the PDF viewer while a dialog is open, so the dialog gets every click', async () => {
    show(true);
    expect(await screen.findByTestId('evidence-pdf-paused')).toBeTruthy();
    expect(screen.queryByTestId('evidence-pdf')).toBeNull();
  });
});
