/** Sessions of partners and accounts; the token is looked up by its hash. */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { accounts, webSessions, type Account, type WebSession } from '../schema';

export async function insertSession(
  db: DbOrTx,
  session: Pick<WebSession, 'tokenHash' | 'kind' | 'expiresAt'> & Partial<Pick<WebSession, 'partnerLinkId' | 'accountId' | 'secondFactorPending'>>,
): Promise<WebSession> {
  const [row] = await db.insert(webSessions).values(session).returning();
  if (!row) throw new Error('inserting the session returned nothing');
  return row;
}

/** A live session (not ended, not expired at `now`) by its token hash. */
export async function findLiveSession(db: DbOrTx, hash: string, now: Date): Promise<WebSession | undefined> {
  const [row] = await db
    .select()
    .from(webSessions)
    .where(and(eq(webSessions.tokenHash, hash), isNull(webSessions.endedAt), gt(webSessions.expiresAt, now)));
  return row;
}

export async function endSession(db: DbOrTx, id: number): Promise<void> {
  await db.update(webSessions).set({ endedAt: sql`now()` }).where(eq(webSessions.id, id));
}

export async function completeSecondFactor(db: DbOrTx, id: number): Promise<void> {
  await db.update(webSessions).set({ secondFactorPending: false }).where(eq(webSessions.id, id));
}

export async function findAccountByEmail(db: DbOrTx, email: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.email, email.trim().toLowerCase()));
  return row;
}

export async function findAccountById(db: DbOrTx, id: number): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

export async function upsertAccount(
  db: DbOrTx,
  account: { email: string; name: string; passwordHash: string; roles: string[]; totpSecret: string | null },
): Promise<Account> {
  const values = { ...account, email: account.email.trim().toLowerCase() };
  const [row] = await db
    .insert(accounts)
    .values(values)
    .onConflictDoUpdate({ target: accounts.email, set: { name: values.name, passwordHash: values.passwordHash, roles: values.roles, totpSecret: values.totpSecret } })
    .returning();
  if (!row) throw new Error('saving the account returned nothing');
  return row;
}
