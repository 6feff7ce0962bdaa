import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'

export interface Limit {
  /** Attempts allowed in a window. */
  max: number
  windowMs: number
}

/**
 * A fixed-window counter kept in the database, so every app instance shares it.
 * Returns how long to wait when the limit is reached.
 */
export class RateLimiter {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  async hit(key: string, limit: Limit): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const now = this.clock()
    const windowStart = new Date(Math.floor(now.getTime() / limit.windowMs) * limit.windowMs).toISOString()
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, window_start: windowStart, count: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          count: eb
            .case()
            .when('rate_limits.window_start', '=', windowStart)
            .then(eb('rate_limits.count', '+', 1))
            .else(1)
            .end(),
          window_start: windowStart,
        })),
      )
      .returning(['count'])
      .executeTakeFirstOrThrow()
    const count = read.num(row.count)
    const retry = Math.ceil((new Date(windowStart).getTime() + limit.windowMs - now.getTime()) / 1000)
    return { allowed: count <= limit.max, retryAfterSeconds: Math.max(retry, 1) }
  }

  async peek(key: string, limit: Limit): Promise<number> {
    const now = this.clock()
    const windowStart = new Date(Math.floor(now.getTime() / limit.windowMs) * limit.windowMs).toISOString()
    const row = await this.db
      .selectFrom('rate_limits')
      .select(['count', 'window_start'])
      .where('key', '=', key)
      .executeTakeFirst()
    return row && row.window_start === windowStart ? read.num(row.count) : 0
  }

  /** Seconds until the current window of this limit ends (at least 1). */
  secondsLeft(limit: Limit): number {
    const now = this.clock().getTime()
    const end = (Math.floor(now / limit.windowMs) + 1) * limit.windowMs
    return Math.max(Math.ceil((end - now) / 1000), 1)
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('key', '=', key).execute()
  }

  /** Drops expired windows (called by the worker). */
  async prune(olderThan: Date): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('window_start', '<', olderThan.toISOString()).execute()
  }
}
