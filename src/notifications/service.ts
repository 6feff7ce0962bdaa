import type { Kysely, Transaction } from 'kysely'
import { writeAudit } from '../audit/service.js'
import { NotFoundError } from '../core/errors.js'
import type { CurrentUser } from '../core/identity.js'
import type { DB } from '../db/schema.js'
import type { Job, JobContext, JobQueue } from '../jobs/queue.js'
import type { MailGate, MailMessage, MailService } from '../mail/service.js'
import { unsubscribeHeaders, unsubscribeTokens } from '../mail/unsubscribe.js'
import { findPersonByEmail, findPersonById } from '../people/accounts.js'
import { digestWindows } from '../networks/notify.js'
import {
  ALWAYS_SENT,
  FREQUENCIES,
  FREQUENCY_LABELS,
  isNetworkDigest,
  isNetworkKind,
  PREFERENCE_KIND_NAMES,
  PREFERENCE_KINDS,
  preferenceOf,
  type Frequency,
  type PreferenceKind,
} from './kinds.js'
import * as repo from './repository.js'

type Db = Kysely<DB> | Transaction<DB>

export const DIGEST_JOB = 'notifications.digest'
export const SETTINGS_PATH = '/settings/notifications'
export const UNSUBSCRIBE_PATH = '/notifications/unsubscribe'

export interface DigestPayload {
  period: 'daily' | 'weekly'
  /** Items written before this instant go in (the end of the day or week). */
  to: string
  key: string
}

export interface NotificationDeps {
  db: Kysely<DB>
  clock: () => Date
  mail: MailService
  jobs: JobQueue
  baseUrl: string
}

/** What an unsubscribe token stops: one kind, or everything this person gets in one digest. */
type TokenScope = PreferenceKind | 'digest:daily' | 'digest:weekly'

/** Whether a token's list is one of ours (the tokens table is shared with other features' lists). */
const isScope = (list: string): list is TokenScope =>
  list === 'digest:daily' || list === 'digest:weekly' || Object.hasOwn(PREFERENCE_KINDS, list)

const isFrequency = (v: string | null): v is Frequency => FREQUENCIES.includes(v as Frequency)
const scopeText = (scope: string) =>
  scope.startsWith('digest:')
    ? `everything in your ${scope.slice(7)} digest`
    : (PREFERENCE_KINDS[scope as PreferenceKind]?.label.toLowerCase() ?? 'these e-mails')

/**
 * A person's notification preferences, honoured by every e-mail (this service is the mail
 * outbox's gate, set by app.ts): a kind chosen "immediately" is sent with a one-click
 * unsubscribe (RFC 8058) for its kind; "daily" or "weekly" holds it for one digest per person
 * and period, sent by a database job; "never" drops it. Security mail is always sent.
 */
export class NotificationService implements MailGate {
  constructor(private readonly deps: NotificationDeps) {}

  private get now(): Date {
    return this.deps.clock()
  }

  registerJobs(jobs: JobQueue): void {
    jobs.handle<DigestPayload>(DIGEST_JOB, (job, ctx) => this.sendDigest(job, ctx))
  }

  // ----- the settings page -----

  async settings(user: CurrentUser) {
    const chosen = await repo.listPreferences(this.deps.db, user.id)
    return {
      kinds: PREFERENCE_KIND_NAMES.map((kind) => {
        const stored = chosen.get(kind) ?? null
        return {
          kind,
          ...PREFERENCE_KINDS[kind],
          frequency: isFrequency(stored) ? stored : 'immediately',
        }
      }),
      always: Object.values(ALWAYS_SENT),
      frequencies: FREQUENCIES.map((value) => ({ value, text: FREQUENCY_LABELS[value] })),
    }
  }

  async save(user: CurrentUser, choices: Record<PreferenceKind, Frequency>, ip?: string): Promise<void> {
    const now = this.now.toISOString()
    await this.deps.db.transaction().execute(async (trx) => {
      const before = await repo.listPreferences(trx, user.id)
      const changed: Record<string, string> = {}
      for (const kind of PREFERENCE_KIND_NAMES) {
        const frequency = choices[kind]
        if ((before.get(kind) ?? 'immediately') === frequency) continue
        await repo.setPreference(trx, user.id, kind, frequency, now)
        changed[kind] = frequency
      }
      if (Object.keys(changed).length === 0) return
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: `${user.name} <${user.email}>`,
        action: 'notifications.preferences_changed',
        entityType: 'user',
        entityId: user.id,
        ip,
        after: changed,
      })
    })
  }

  // ----- the gate every e-mail passes -----

  async route(
    trx: Db,
    message: MailMessage,
  ): Promise<{ send: MailMessage } | { held: 'digest' | 'not_wanted' }> {
    const kind = preferenceOf(message.kind)
    if (kind === 'always' || kind === null) return { send: message }
    const person = await findPersonByEmail(trx, message.to)
    if (!person) return { send: message }
    const stored = await repo.frequencyOf(trx, person.id, kind)
    const frequency: Frequency = isFrequency(stored) ? stored : 'immediately'
    if (frequency === 'never') return { held: 'not_wanted' }
    if (frequency !== 'immediately' && !isNetworkDigest(message.kind)) {
      const now = this.now
      await repo.insertDigestItem(trx, {
        userId: person.id,
        kind,
        frequency,
        subject: message.subject,
        text: message.text,
        now: now.toISOString(),
      })
      const w = digestWindows(now)[frequency]
      await this.deps.jobs.enqueue(
        DIGEST_JOB,
        { period: frequency, to: w.to, key: w.key } satisfies DigestPayload,
        { key: w.key, runAt: new Date(w.runAt) },
        trx,
      )
      return { held: 'digest' }
    }
    const settings = `Choose which e-mails you get, and how often: ${this.deps.baseUrl}${SETTINGS_PATH}`
    // A network's own messages keep its per-network unsubscribe link (networks/notify.ts).
    if (isNetworkKind(message.kind) && message.headers?.['List-Unsubscribe'])
      return { send: { ...message, text: `${message.text}\n${settings}\n` } }
    const { url, headers } = await this.unsubscribeLink(trx, person.id, kind)
    return {
      send: {
        ...message,
        text: `${message.text}\n\n--\nStop e-mails about ${scopeText(kind)}: ${url}\n${settings}\n`,
        headers: { ...message.headers, ...headers },
      },
    }
  }

  private async unsubscribeLink(trx: Db, userId: string, scope: TokenScope) {
    const token = await unsubscribeTokens.issue(trx, userId, scope, this.now.toISOString())
    const url = `${this.deps.baseUrl}${UNSUBSCRIBE_PATH}/${token}`
    return { url, headers: unsubscribeHeaders(url) }
  }

  // ----- digests -----

  /** One digest per person of what was held for the period; nothing for a person with nothing held. */
  async sendDigest(job: Job<DigestPayload>, ctx: JobContext): Promise<void> {
    const { period, to, key } = job.payload
    await ctx.commit(async (trx) => {
      const items = await repo.claimDigestItems(trx, period, to, key)
      const byUser = new Map<string, repo.DigestItem[]>()
      for (const item of items) byUser.set(item.userId, [...(byUser.get(item.userId) ?? []), item])
      for (const [userId, mine] of byUser) {
        const person = await findPersonById(trx, userId)
        if (!person) continue
        const { url, headers } = await this.unsubscribeLink(trx, userId, `digest:${period}`)
        const parts = mine.map((m, i) => `${i + 1}. ${m.subject}\n\n${m.text.trim()}`)
        await this.deps.mail.enqueue(trx, {
          to: person.email,
          toName: person.name,
          kind: `notification_digest_${period}`,
          subject: `Your ${period} digest: ${mine.length} ${mine.length === 1 ? 'message' : 'messages'}`,
          text:
            `Hello ${person.name},\n\nThe e-mails you chose to get ${period === 'daily' ? 'once a day' : 'once a week'}:\n\n` +
            `${parts.join('\n\n----\n\n')}\n\n--\n` +
            `Stop ${scopeText(`digest:${period}`)}: ${url}\n` +
            `Choose which e-mails you get, and how often: ${this.deps.baseUrl}${SETTINGS_PATH}\n`,
          headers,
        })
      }
    })
  }

  // ----- one-click unsubscribe -----

  /** What an unsubscribe link is for, or why it no longer works. */
  async unsubscribeState(token: string): Promise<{ what: string; usedAt: string | null }> {
    const found = await unsubscribeTokens.find(this.deps.db, token, isScope)
    if (!found) throw new NotFoundError('This unsubscribe link is not one we know')
    return { what: scopeText(found.list), usedAt: found.usedAt }
  }

  /** Uses the link: no more e-mails of its kind (or of its digest); `used` when it had been used already. */
  async unsubscribe(token: string, ip?: string): Promise<{ what: string; used: boolean }> {
    return this.deps.db.transaction().execute(async (trx) => {
      const found = await unsubscribeTokens.find(trx, token, isScope)
      if (!found) throw new NotFoundError('This unsubscribe link is not one we know')
      const scope = found.list
      const what = scopeText(scope)
      const now = this.now.toISOString()
      if (found.usedAt || !(await unsubscribeTokens.use(trx, token, now))) return { what, used: true }
      const stopped = scope.startsWith('digest:')
        ? await repo.stopFrequency(trx, found.userId, scope.slice(7), now)
        : [scope]
      if (!scope.startsWith('digest:')) await repo.setPreference(trx, found.userId, scope, 'never', now)
      await writeAudit(trx, now, {
        actorId: found.userId,
        actorLabel: 'unsubscribe link',
        action: 'notifications.unsubscribed',
        entityType: 'user',
        entityId: found.userId,
        ip,
        after: Object.fromEntries(stopped.map((k) => [k, 'never'])),
      })
      return { what, used: false }
    })
  }
}
