import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { CliError } from './output';
import { cliConfig, withDatabase } from './runtime';

import { accountRoles, type AccountRole } from '../domain/account-roles';

function role(value: string, previous: AccountRole[] = []): AccountRole[] {
  const found = accountRoles.find((r) => r === value);
  if (!found) throw new CliError([`--role: must be one of ${accountRoles.join(', ')}, got "${value}"`], 2);
  return [...previous, found];
}

export function registerAccountCommands(program: Command): void {
  const accounts = program.command('accounts').description('accounts of ministry people for the web interface');
  accounts
    .command('create')
    .description('create (or reset) an account; prints a new password once, and for admins a TOTP secret')
    .requiredOption('--email <address>', 'login email address')
    .requiredOption('--name <name>', 'the person’s name, shown in decisions and the audit log')
    .requiredOption('--role <role>', `repeatable: ${accountRoles.join(', ')}`, role)
    .action(async (options: { email: string; name: string; role: AccountRole[] }) => {
      if (!/^[^@\s]+@[^@\s]+$/.test(options.email)) throw new CliError([`--email: must be an email address, got "${options.email}"`], 2);
      const config = cliConfig();
      // Loaded here, not at start: the database code and the TOTP library serve this command only.
      const OTPAuth = await import('otpauth');
      const { recordAudit } = await import('../db/queries/audit');
      const { upsertAccount } = await import('../db/queries/sessions');
      const { hashPassword } = await import('../http/secrets');
      const password = randomBytes(18).toString('base64url');
      const admin = options.role.includes('admin');
      const totpSecret = admin ? new OTPAuth.Secret({ size: 20 }).base32 : null;
      await withDatabase(config, async (db) => {
        const account = await upsertAccount(db, { email: options.email, name: options.name, passwordHash: await hashPassword(password), roles: options.role, totpSecret });
        await recordAudit(db, { occurredAt: new Date(), actor: 'cli', entityType: 'account', entityId: String(account.id), action: 'created', details: { roles: options.role } });
      });
      const lines = [`Account ${options.email} (${options.role.join(', ')})`, `Password: ${password}`];
      if (totpSecret) {
        const totp = new OTPAuth.TOTP({ issuer: 'Partnerflow', label: options.email, secret: OTPAuth.Secret.fromBase32(totpSecret), digits: 6, period: 30 });
        lines.push(`TOTP secret: ${totpSecret}`, `Authenticator app URI: ${totp.toString()}`);
      }
      lines.push('Shown once; pass it on by a safe channel.');
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
