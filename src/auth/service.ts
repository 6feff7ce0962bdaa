import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { findPersonByEmail, insertPerson } from '../people/accounts.js'
import { TooManyRequestsError, ValidationError } from '../core/errors.js'
import type { JoinInput } from './forms.js'
import { hitLimit, LIMITS, type AuthDeps, type RequestMeta } from './context.js'
import { consumeToken, issueToken, peekToken, type TokenState } from './one-time-tokens.js'
import { PasswordService } from './password-service.js'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js'
import type { CurrentUser } from '../core/identity.js'

export { LIMITS, type AuthDeps, type RequestMeta } from './context.js'

const VERIFY_TTL_MS = 48 * 3600_000

export const SIGN_IN_FAILED = 'Enter a correct e-mail address and password'

/**
 * Joining, e-mail verification, signing in and out; passwords are delegated to
 * PasswordService (password-service.ts), so routes and app.ts keep this one face.
 */
export class AuthService {
  private readonly passwords: PasswordService

  constructor(private readonly deps: AuthDeps) {
    this.passwords = new PasswordService(deps)
  }

  private now() {
    return this.deps.clock()
  }

  /**
   * Creates an unverified member and sends the verification link. Joining with an
   * address that is already registered looks the same to the person joining (no
   * account enumeration); the account holder gets an e-mail about it instead.
   */
  async join(input: JoinInput, meta: RequestMeta): Promise<void> {
    const { db } = this.deps
    await hitLimit(
      this.deps,
      `join:ip:${meta.ip ?? '-'}`,
      LIMITS.joinPerIp,
      'Too many attempts to join from your network. Try again later.',
    )
    const problem = passwordProblem(input.password, input.email)
    if (problem) throw new ValidationError({ password: problem })
    let organisationName: string | null = null
    if (input.affiliation === 'organisation') {
      const org = await db
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('id', '=', input.organisationId)
        .executeTakeFirst()
      if (!org) throw new ValidationError({ organisationId: 'Select an organisation from the list' })
      organisationName = org.name
    }
    const existing = await findPersonByEmail(db, input.email)
    const now = this.now().toISOString()
    if (existing) {
      await db.transaction().execute(async (trx) => {
        await this.deps.mail.enqueue(trx, {
          kind: 'join_existing',
          to: existing.email,
          subject: `Someone tried to join the ${this.deps.communityName} with your address`,
          text: `Hello ${existing.name},\n\nSomeone (perhaps you) tried to join with this e-mail address, which already has an account.\n\nSign in: ${this.deps.baseUrl}/sign-in\nForgotten your password? ${this.deps.baseUrl}/forgotten-password\n\nIf this was not you, you can ignore this message.\n`,
        })
        await writeAudit(trx, now, {
          actorId: null,
          actorLabel: input.email,
          action: 'user.join_existing',
          entityType: 'user',
          entityId: existing.id,
          ip: meta.ip,
        })
      })
      return
    }
    const passwordHash = await hashPassword(input.password)
    const isPartner = input.affiliation === 'service_user'
    const organisationId = input.affiliation === 'organisation' ? input.organisationId : null
    await db.transaction().execute(async (trx) => {
      const id = await insertPerson(
        trx,
        {
          email: input.email,
          name: input.name,
          passwordHash,
          organisationId,
          organisationName,
          affiliation: input.affiliation,
          jobRole: input.jobRole,
          interests: input.interests,
          isPartner,
          emailVerifiedAt: null,
          roles: isPartner ? ['member', 'improvement_partner'] : ['member'],
        },
        now,
      )
      await this.sendVerification(trx, id, input.email, input.name)
      await writeAudit(trx, now, {
        actorId: id,
        actorLabel: `${input.name} <${input.email}>`,
        action: 'user.join',
        entityType: 'user',
        entityId: id,
        ip: meta.ip,
        after: {
          name: input.name,
          email: input.email,
          affiliation: input.affiliation,
          organisationId,
          jobRole: input.jobRole,
        },
      })
    })
  }

  private async sendVerification(trx: Kysely<DB>, userId: string, email: string, name: string) {
    const token = await issueToken(trx, this.now(), userId, 'verify_email', VERIFY_TTL_MS)
    await this.deps.mail.enqueue(trx, {
      kind: 'verify_email',
      to: email,
      subject: `Confirm your e-mail address for the ${this.deps.communityName}`,
      text: `Hello ${name},\n\nThank you for joining the ${this.deps.communityName}.\n\nConfirm your e-mail address by opening this link (it works once and expires in 48 hours):\n${this.deps.baseUrl}/verify-email/${token}\n\nIf you did not join, you can ignore this message.\n`,
    })
  }

  /** Uses a single-use token; returns the outcome for the page to explain. */
  async verifyEmail(token: string, meta: RequestMeta): Promise<'verified' | 'invalid' | 'expired' | 'used'> {
    const outcome = await consumeToken(this.deps.db, this.now().toISOString(), token, 'verify_email')
    if (outcome.status !== 'ok') return outcome.status
    const now = this.now().toISOString()
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ email_verified_at: now, updated_at: now })
        .where('id', '=', outcome.userId)
        .where('email_verified_at', 'is', null)
        .execute()
      await writeAudit(trx, now, {
        actorId: outcome.userId,
        actorLabel: outcome.userId,
        action: 'user.verify_email',
        entityType: 'user',
        entityId: outcome.userId,
        ip: meta.ip,
      })
    })
    return 'verified'
  }

  /** Checks a link without using it (the reset form's GET). */
  peekToken(token: string, purpose: string): Promise<TokenState> {
    return peekToken(this.deps.db, this.now().toISOString(), token, purpose)
  }

  /**
   * Signs in with e-mail and password. Only failures count, per address and per account:
   * a successful sign-in costs nothing, so everyone behind one hospital address can sign in.
   * Every failure gives the same message, whether or not the address is registered.
   */
  async signIn(
    email: string,
    password: string,
    meta: RequestMeta,
  ): Promise<{ token: string; userId: string } | { unverified: true }> {
    const { db, limiter } = this.deps
    const ipKey = `signin:ip:${meta.ip ?? '-'}`
    const accountKey = `signin:account:${email}`
    const fromAddress = await limiter.peek(ipKey, LIMITS.signInFailuresPerIp)
    if (fromAddress >= LIMITS.signInFailuresPerIp.max) {
      throw new TooManyRequestsError(
        'Too many failed sign-in attempts from your network. Wait 15 minutes and try again.',
        limiter.secondsLeft(LIMITS.signInFailuresPerIp),
      )
    }
    const failures = await limiter.peek(accountKey, LIMITS.signInPerAccount)
    if (failures >= LIMITS.signInPerAccount.max) {
      throw new TooManyRequestsError(
        'Too many failed attempts to sign in to this account. Wait 15 minutes and try again, or reset your password.',
        900,
      )
    }
    const person = await findPersonByEmail(db, email)
    const ok = await verifyPassword(person?.passwordHash ?? null, password)
    const now = this.now().toISOString()
    if (!person || !ok || person.disabledAt) {
      await limiter.hit(accountKey, LIMITS.signInPerAccount)
      await limiter.hit(ipKey, LIMITS.signInFailuresPerIp)
      await writeAudit(db, now, {
        actorId: person?.id ?? null,
        actorLabel: email,
        action: 'auth.sign_in_failed',
        entityType: 'user',
        entityId: person?.id ?? null,
        ip: meta.ip,
      })
      throw new ValidationError({ email: SIGN_IN_FAILED })
    }
    if (!person.emailVerifiedAt) {
      await db.transaction().execute(async (trx) => {
        await this.sendVerification(trx, person.id, person.email, person.name)
      })
      return { unverified: true }
    }
    await limiter.reset(accountKey)
    const token = await db.transaction().execute(async (trx) => {
      const t = await this.deps.sessions.create(trx, person.id, 'password', meta)
      await writeAudit(trx, now, {
        actorId: person.id,
        actorLabel: `${person.name} <${person.email}>`,
        action: 'auth.sign_in',
        entityType: 'user',
        entityId: person.id,
        ip: meta.ip,
      })
      return t
    })
    return { token, userId: person.id }
  }

  async signOut(user: CurrentUser, meta: RequestMeta): Promise<void> {
    const now = this.now().toISOString()
    await this.deps.db.transaction().execute(async (trx) => {
      await this.deps.sessions.revoke(trx, user.sessionId)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: `${user.name} <${user.email}>`,
        action: 'auth.sign_out',
        entityType: 'user',
        entityId: user.id,
        ip: meta.ip,
      })
    })
  }

  requestPasswordReset(email: string, meta: RequestMeta): Promise<void> {
    return this.passwords.requestPasswordReset(email, meta)
  }

  resetPassword(token: string, password: string, meta: RequestMeta) {
    return this.passwords.resetPassword(token, password, meta)
  }

  changePassword(user: CurrentUser, current: string, password: string, meta: RequestMeta) {
    return this.passwords.changePassword(user, current, password, meta)
  }

  /**
   * Single sign-on: links to the member with this verified e-mail, or creates one.
   * The provider has verified the address, so the account counts as verified.
   */
  async signInWithSso(
    claims: { email: string; name: string; subject: string; issuer: string },
    meta: RequestMeta,
  ): Promise<{ token: string; userId: string; created: boolean }> {
    const email = claims.email.toLowerCase()
    const now = this.now().toISOString()
    return this.deps.db.transaction().execute(async (trx) => {
      const existing = await findPersonByEmail(trx, email)
      let userId = existing?.id
      let created = false
      if (existing?.disabledAt)
        throw new ValidationError({ _form: 'This account has been disabled. Contact the community team.' })
      if (!userId) {
        created = true
        userId = await insertPerson(
          trx,
          {
            email,
            name: claims.name || email,
            passwordHash: null,
            organisationId: null,
            organisationName: null,
            affiliation: 'other',
            emailVerifiedAt: now,
            roles: ['member'],
          },
          now,
        )
      } else if (!existing?.emailVerifiedAt) {
        await trx
          .updateTable('users')
          .set({ email_verified_at: now, updated_at: now })
          .where('id', '=', userId)
          .execute()
      }
      const token = await this.deps.sessions.create(trx, userId, 'sso', meta)
      await writeAudit(trx, now, {
        actorId: userId,
        actorLabel: `${claims.name} <${email}>`,
        action: created ? 'auth.sso_join' : 'auth.sign_in',
        entityType: 'user',
        entityId: userId,
        ip: meta.ip,
        after: { method: 'sso', issuer: claims.issuer, subject: claims.subject },
      })
      return { token, userId, created }
    })
  }
}
