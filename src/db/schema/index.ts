export * from './organisations';
export * from './accession';
export * from './reporting';
export * from './email-ledger';
export * from './audit';
export * from './web';
export * from './compilation';
export * from './privacy';
