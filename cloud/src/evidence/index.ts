/** What other features use of evidence: attaching it to an application, reading it back, and the upload service. */
export { attachEvidence, evidenceOf, MATERIALS_EVENT } from './evidence.repository';
export { EvidenceService } from './evidence.service';
export { FileStorage, LocalDiskStorage } from './file-storage';
export { checkPdfBytes } from './pdf';
export { PdfInspector } from './pdf-inspector';
