import { writeAudit } from '../audit/service.js'
import { findPersonByEmail, findPersonById } from '../people/accounts.js'
import { ValidationError } from '../core/errors.js'
import { hashToken } from '../core/ids.js'
import type { CurrentUser } from '../core/identity.js'
import { hitLimit, LIMITS, type AuthDeps, type RequestMeta } from './context.js'
import { consumeToken, issueToken, peekToken } from './one-time-tokens.js'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js'

const RESET_TTL_MS = 3600_000

/** Passwords: the reset link, resetting with it, and changing one's password while signed in. */
export class PasswordService {
  constructor(private readonly deps: AuthDeps) {}

  private now() {
    return this.deps.clock()
  }

  /** Always looks the same to the caller; sends a single-use link when the account exists. */
  async requestPasswordReset(email: string, meta: RequestMeta): Promise<void> {
    await hitLimit(
      this.deps,
      `reset:ip:${meta.ip ?? '-'}`,
      LIMITS.resetPerIp,
      'Too many requests from your network. Wait 15 minutes and try again.',
    )
    const allowed = await this.deps.limiter.hit(`reset:account:${email}`, LIMITS.resetPerAccount)
    if (!allowed.allowed) return
    const person = await findPersonByEmail(this.deps.db, email)
    if (!person || person.disabledAt) return
    const now = this.now()
    await this.deps.db.transaction().execute(async (trx) => {
      const token = await issueToken(trx, now, person.id, 'reset_password', RESET_TTL_MS)
      await this.deps.mail.enqueue(trx, {
        kind: 'reset_password',
        to: person.email,
        subject: `Reset your password for the ${this.deps.communityName}`,
        text: `Hello ${person.name},\n\nUse this link to choose a new password. It works once and expires in 1 hour:\n${this.deps.baseUrl}/reset-password/${token}\n\nIf you did not ask for this, you can ignore this message; your password has not changed.\n`,
      })
      await writeAudit(trx, now.toISOString(), {
        actorId: null,
        actorLabel: email,
        action: 'auth.reset_requested',
        entityType: 'user',
        entityId: person.id,
        ip: meta.ip,
      })
    })
  }

  async resetPassword(
    token: string,
    password: string,
    meta: RequestMeta,
  ): Promise<'reset' | 'invalid' | 'expired' | 'used'> {
    const state = await peekToken(this.deps.db, this.now().toISOString(), token, 'reset_password')
    if (state !== 'ok') return state
    const row = await this.deps.db
      .selectFrom('one_time_tokens')
      .select('user_id')
      .where('id', '=', hashToken(token))
      .executeTakeFirstOrThrow()
    const person = await findPersonById(this.deps.db, row.user_id)
    const problem = passwordProblem(password, person?.email)
    if (problem) throw new ValidationError({ password: problem })
    const passwordHash = await hashPassword(password)
    const outcome = await consumeToken(this.deps.db, this.now().toISOString(), token, 'reset_password')
    if (outcome.status !== 'ok') return outcome.status
    const now = this.now().toISOString()
    await this.deps.db.transaction().execute(async (trx) => {
      // A reset proves control of the mailbox, so the address counts as verified.
      await trx
        .updateTable('users')
        .set({
          password_hash: passwordHash,
          updated_at: now,
          email_verified_at: person?.emailVerifiedAt ?? now,
        })
        .where('id', '=', outcome.userId)
        .execute()
      await this.deps.sessions.revokeAllForUser(trx, outcome.userId)
      await writeAudit(trx, now, {
        actorId: outcome.userId,
        actorLabel: person ? `${person.name} <${person.email}>` : outcome.userId,
        action: 'auth.password_reset',
        entityType: 'user',
        entityId: outcome.userId,
        ip: meta.ip,
      })
    })
    return 'reset'
  }

  /** Changes the password, revokes every session of the user and returns a fresh one for this browser. */
  async changePassword(
    user: CurrentUser,
    current: string,
    password: string,
    meta: RequestMeta,
  ): Promise<string> {
    await hitLimit(
      this.deps,
      `change-password:${user.id}`,
      LIMITS.signInPerAccount,
      'Too many attempts. Wait 15 minutes and try again.',
    )
    const person = await findPersonByEmail(this.deps.db, user.email)
    if (!person || !(await verifyPassword(person.passwordHash, current))) {
      throw new ValidationError({ current: 'Your current password is not correct' })
    }
    const problem = passwordProblem(password, user.email)
    if (problem) throw new ValidationError({ password: problem })
    const passwordHash = await hashPassword(password)
    const now = this.now().toISOString()
    return this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: now })
        .where('id', '=', user.id)
        .execute()
      await this.deps.sessions.revokeAllForUser(trx, user.id)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: `${user.name} <${user.email}>`,
        action: 'auth.password_changed',
        entityType: 'user',
        entityId: user.id,
        ip: meta.ip,
      })
      return this.deps.sessions.create(trx, user.id, 'password', meta)
    })
  }
}
