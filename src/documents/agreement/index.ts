export { agreementHtml } from './html';
export { agreementPdf } from './pdf';
export type { AgreementDocument, SignedBlock } from './model';
