import { createHash } from 'node:crypto';

/**
 * The Message-ID of the one email a ledger key stands for. Derived, not random, so a resend
 * after an unknown outcome would carry the same id and receiving servers could recognise it.
 */
export function messageIdFor(idempotencyKey: string, fromAddress: string): string {
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<${hash}.partnerflow@${senderDomain(fromAddress)}>`;
}

/** The domain of 'name@domain' or 'Display Name <name@domain>'. */
export function senderDomain(fromAddress: string): string {
  const address = /<([^<>]+)>\s*$/.exec(fromAddress)?.[1] ?? fromAddress;
  const domain = address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase();
  if (!address.includes('@') || domain === '') throw new Error(`from: "${fromAddress}" has no domain`);
  return domain;
}
