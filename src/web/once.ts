import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { AppError } from '../core/errors.js'
import { queryOf } from './route-schemas.js'

/**
 * One-time submission keys (issue 15 point 4). Every form carries a fresh random `_once`
 * (the `formKey()` template global). The first request with a key claims a row in
 * `form_submissions` before the handler runs; when the handler answers with a redirect, the row
 * keeps where it sent the browser. A second request with the same key (Back and Send again, a
 * double click, a retry after a lost answer) does nothing and is sent to that same place. Two at
 * once: the second waits for the first to finish. A refused submission (400, 403, …) frees its
 * key, so the corrected form can be sent.
 *
 * The row is keyed by the browser's CSRF token, so keys never meet across browsers or sessions,
 * and it lives in the database, so instances behind a load balancer agree.
 *
 * A page re-fetched by Back (signed-in pages are `no-store`) carries a new key, while the browser
 * restores what was typed; so routes that create a record (`config: { once: 'content' }`) are keyed
 * by what was sent instead: the same content from the same browser within half an hour is the same
 * submission.
 */

export const ONCE_FIELD = '_once'
const WAIT_MS = 10_000
const POLL_MS = 50
/** How long a key is remembered. */
export const ONCE_TTL_MS = 24 * 3600_000

declare module 'fastify' {
  interface FastifyRequest {
    onceId: string | null
  }
}

export interface OnceOptions {
  db: Kysely<DB>
  clock?: () => Date
}

/** Identical content sent again within this time counts as the same submission ('content' routes). */
export const CONTENT_WINDOW_MS = 30 * 60_000

interface Claim {
  id: string
  /** A row older than this is forgotten rather than matched. */
  windowMs: number
}

function claimOf(request: FastifyRequest): Claim | null {
  if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return null
  const config = request.routeOptions.config
  if (config.csrf === false || config.once === false) return null
  const path = request.url.split('?')[0]
  const hash = (value: string) =>
    createHash('sha256')
      .update(`${request.csrfToken}\u0000${request.method} ${path}\u0000${value}`)
      .digest('base64url')
  const body = request.body
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined
  // Only what our own forms send: each carries a key (scripts and API clients do not).
  const key = typeof fields?.[ONCE_FIELD] === 'string' ? fields[ONCE_FIELD] : queryOf(request, ONCE_FIELD)
  if (typeof key !== 'string' || !/^[A-Za-z0-9_-]{16,100}$/.test(key)) return null
  if (config.once === 'content' && fields) {
    const content = Object.keys(fields)
      .filter((k) => k !== ONCE_FIELD && k !== '_csrf')
      .sort()
      .map((k) => [k, fields[k]])
    return { id: `c:${hash(JSON.stringify(content))}`, windowMs: CONTENT_WINDOW_MS }
  }
  return { id: `k:${hash(key)}`, windowMs: ONCE_TTL_MS }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const oncePlugin = fp(async function oncePlugin(app: FastifyInstance, options: OnceOptions) {
  const { db } = options
  const clock = options.clock ?? (() => new Date())
  app.decorateRequest('onceId', null)

  async function claim(id: string): Promise<boolean> {
    const inserted = await db
      .insertInto('form_submissions')
      .values({ id, created_at: clock().toISOString(), location: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst()
    return inserted !== undefined
  }

  // After the CSRF check (registered later than the web plugin's preHandler).
  app.addHook('preHandler', async (request, reply) => {
    const found = claimOf(request)
    if (!found) return
    const { id } = found
    const notBefore = new Date(clock().getTime() - found.windowMs).toISOString()
    const deadline = Date.now() + WAIT_MS
    for (;;) {
      if (await claim(id)) {
        request.onceId = id
        return
      }
      const row = await db
        .selectFrom('form_submissions')
        .select(['location', 'created_at'])
        .where('id', '=', id)
        .executeTakeFirst()
      if (row && row.location && new Date(row.created_at).toISOString() < notBefore) {
        // Remembered too long ago to be the same submission: forget it and start again.
        await db
          .deleteFrom('form_submissions')
          .where('id', '=', id)
          .where('location', '=', row.location)
          .execute()
        continue
      }
      if (row?.location) {
        return reply
          .flash('This form had already been sent. Here is what it did; nothing was done twice.', 'info')
          .redirect(row.location, 303)
      }
      // Freed (the first was refused) or not yet done: claim again, or wait for the first.
      if (row && Date.now() > deadline) {
        throw new AppError(
          'This form is still being sent. Wait a moment, then check whether it has gone through before sending it again.',
          'submission_pending',
          409,
        )
      }
      if (row) await sleep(POLL_MS)
    }
  })

  // Before the answer leaves: a redirect keeps the key; anything else frees it.
  app.addHook('onSend', async (request, reply, payload) => {
    const id = request.onceId
    if (!id) return payload
    request.onceId = null
    const location = reply.getHeader('location')
    const status = reply.statusCode
    if (status >= 300 && status < 400 && typeof location === 'string') {
      await db.updateTable('form_submissions').set({ location }).where('id', '=', id).execute()
    } else {
      await db.deleteFrom('form_submissions').where('id', '=', id).execute()
    }
    return payload
  })

  // A handler that failed before sending (an exception answered by the error handler) still
  // goes through onSend; a dropped connection does not: free the key then too.
  app.addHook('onResponse', async (request) => {
    const id = request.onceId
    if (!id) return
    request.onceId = null
    await db.deleteFrom('form_submissions').where('id', '=', id).execute()
  })
})

/** Forgets keys older than the time-to-live (called by the worker). */
export async function pruneFormSubmissions(db: Kysely<DB>, olderThan: Date): Promise<void> {
  await db.deleteFrom('form_submissions').where('created_at', '<', olderThan.toISOString()).execute()
}
