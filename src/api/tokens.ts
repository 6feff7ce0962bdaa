import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { hashToken, newId, newToken } from '../core/ids.js'
import { writeAudit } from '../audit/service.js'
import { ForbiddenError, NotFoundError } from '../core/errors.js'
import { loadCurrentUser } from '../people/accounts.js'
import * as repo from './repository.js'
import type { ApiToken } from './repository.js'

export type { ApiToken } from './repository.js'

/** Every token starts with this, so it is recognised in a leaked file or a secret scanner. */
export const TOKEN_PREFIX = 'qi_'
export const TOKEN_LIFETIMES = { '30': '30 days', '90': '90 days', '365': '1 year' } as const
const TOUCH_EVERY_MS = 60_000

export interface TokenInput {
  name: string
  canWrite: boolean
  days: number
}

/**
 * Personal API tokens: created by a signed-in member (shown once), stored only as a SHA-256 hash,
 * revocable, expiring. A token acts as its owner, with the owner's rights of the moment; a
 * read-only token cannot change anything.
 */
export class ApiTokenService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  canCreate(user: CurrentUser | null): boolean {
    return Boolean(user?.emailVerified)
  }

  async list(user: CurrentUser): Promise<ApiToken[]> {
    return repo.listTokens(this.db, user.id)
  }

  async create(
    user: CurrentUser,
    input: TokenInput,
    ip?: string,
  ): Promise<{ token: string; record: ApiToken }> {
    if (!this.canCreate(user))
      throw new ForbiddenError('Confirm your e-mail address before creating API tokens')
    const secret = `${TOKEN_PREFIX}${newToken()}`
    const now = this.clock()
    const record: ApiToken = {
      id: newId(),
      userId: user.id,
      name: input.name,
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      canWrite: input.canWrite,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + input.days * 86_400_000).toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    }
    await this.db.transaction().execute(async (trx) => {
      await repo.insertToken(trx, { ...record, hash: hashToken(secret) })
      await writeAudit(trx, record.createdAt, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'api_token.created',
        entityType: 'api_token',
        entityId: record.id,
        ip,
        after: { name: record.name, canWrite: record.canWrite, expiresAt: record.expiresAt },
      })
    })
    return { token: secret, record }
  }

  async revoke(user: CurrentUser, id: string, ip?: string): Promise<ApiToken> {
    const now = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const token = await repo.revokeToken(trx, user.id, id, now)
      if (!token) throw new NotFoundError()
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'api_token.revoked',
        entityType: 'api_token',
        entityId: id,
        ip,
        before: { name: token.name },
      })
      return token
    })
  }

  /** The user and token behind a bearer secret, or null when unknown, revoked, expired or disabled. */
  async authenticate(secret: string): Promise<{ user: CurrentUser; token: ApiToken } | null> {
    if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 100) return null
    const token = await repo.findTokenByHash(this.db, hashToken(secret))
    const now = this.clock()
    if (!token || token.revokedAt || new Date(token.expiresAt).getTime() <= now.getTime()) return null
    const user = await loadCurrentUser(this.db, token.userId, `api-token:${token.id}`)
    if (!user) return null
    if (!token.lastUsedAt || now.getTime() - new Date(token.lastUsedAt).getTime() > TOUCH_EVERY_MS)
      await repo.touchToken(this.db, token.id, now.toISOString())
    return { user, token }
  }
}
