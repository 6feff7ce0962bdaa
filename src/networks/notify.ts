import type { Kysely, Transaction } from 'kysely'
import { writeAudit } from '../audit/service.js'
import { addDays, londonToday, londonToIso, londonWeek } from '../core/dates.js'
import { NotFoundError } from '../core/errors.js'
import type { DB } from '../db/schema.js'
import type { Job, JobContext, JobQueue } from '../jobs/queue.js'
import type { MailService } from '../mail/service.js'
import { unsubscribeHeaders, unsubscribeTokens } from '../mail/unsubscribe.js'
import * as repo from './repository.js'

/** The list of a network's unsubscribe tokens (mail/unsubscribe.ts): `network:<id>`. */
const NETWORK_LIST = 'network:'

type Db = Kysely<DB> | Transaction<DB>

export const DIGEST_JOB = 'networks.digest'

export interface DigestPayload {
  period: 'daily' | 'weekly'
  from: string
  to: string
}

export interface NotifyDeps {
  db: Kysely<DB>
  clock: () => Date
  mail: MailService
  jobs: JobQueue
  baseUrl: string
}

/** The first `max` characters of a post, for an e-mail (the page has the whole post). */
export function excerpt(body: string, max = 1500): string {
  return body.length > max ? `${body.slice(0, max).trimEnd()}…` : body
}

/** The London day of `now` and the Monday that starts its week. */
export function digestWindows(now: Date): {
  daily: DigestPayload & { key: string; runAt: string }
  weekly: DigestPayload & { key: string; runAt: string }
} {
  const day = londonToday(now)
  const week = londonWeek(now)
  const monday = week.monday
  return {
    daily: {
      period: 'daily',
      key: `daily:${day}`,
      from: londonToIso(day, '00:00'),
      to: londonToIso(addDays(day, 1), '00:00'),
      runAt: londonToIso(addDays(day, 1), '07:00'),
    },
    weekly: {
      period: 'weekly',
      key: `weekly:${monday}`,
      from: week.from,
      to: week.to,
      runAt: londonToIso(addDays(monday, 7), '07:00'),
    },
  }
}

/**
 * Network e-mail: each post to those who want every post and to those it mentions, daily and
 * weekly digests as database-backed jobs, and one-click unsubscribe (RFC 8058) on every message.
 */
export class NetworkNotifier {
  constructor(private readonly deps: NotifyDeps) {}

  private get now(): Date {
    return this.deps.clock()
  }

  registerJobs(jobs: JobQueue): void {
    jobs.handle<DigestPayload>(DIGEST_JOB, (job, ctx) => this.sendDigest(job, ctx))
  }

  /** A fresh token for one member and network, stored hashed; the link and the RFC 8058 headers. */
  private async unsubscribeLink(trx: Db, userId: string, networkId: string) {
    const token = await unsubscribeTokens.issue(
      trx,
      userId,
      `${NETWORK_LIST}${networkId}`,
      this.now.toISOString(),
    )
    const url = `${this.deps.baseUrl}/unsubscribe/${token}`
    return {
      url,
      headers: unsubscribeHeaders(url),
    }
  }

  private async send(
    trx: Db,
    to: { userId: string; email: string; name: string },
    networkId: string,
    slug: string,
    message: { subject: string; text: string; kind: string },
  ) {
    const { url, headers } = await this.unsubscribeLink(trx, to.userId, networkId)
    const text =
      `${message.text}\n\n` +
      `Choose how often you hear from this network: ${this.deps.baseUrl}/networks/${slug}#email\n` +
      `Stop e-mails from this network: ${url}`
    await this.deps.mail.enqueue(trx, {
      to: to.email,
      toName: to.name,
      subject: message.subject,
      text,
      kind: message.kind,
      headers,
    })
  }

  /**
   * After a post is written (in its transaction): mentioned members (unless they chose no
   * e-mails) get a mention, members who want every post get the post, and the day's and week's
   * digests are queued (one job each per period).
   */
  async afterPost(
    trx: Transaction<DB>,
    post: { id: string; threadId: string; title: string; body: string; authorId: string; authorName: string },
    network: repo.Network,
  ): Promise<{ mentioned: string[] }> {
    const members = await repo.listMembers(trx, network.id, 'active')
    const mentioned = mentionedMembers(post.body, members).filter((m) => m.userId !== post.authorId)
    const mentionedIds = new Set(mentioned.map((m) => m.userId))
    const link = `${this.deps.baseUrl}/networks/${network.slug}/threads/${post.threadId}#post-${post.id}`
    // Stored, whatever each person's e-mail choice: the mentioned person's "my work" home lists it.
    await repo.insertMentions(trx, {
      postId: post.id,
      authorId: post.authorId,
      userIds: mentioned.map((m) => m.userId),
      now: this.now.toISOString(),
    })
    for (const m of mentioned) {
      if (m.emailPref === 'none') continue
      await this.send(trx, m, network.id, network.slug, {
        kind: 'network_mention',
        subject: `${post.authorName} mentioned you in ${network.name}`,
        text: `${post.authorName} mentioned you in “${post.title}” in ${network.name}:\n\n${excerpt(post.body)}\n\nRead and reply: ${link}`,
      })
    }
    for (const m of members) {
      if (m.emailPref !== 'every' || m.userId === post.authorId || mentionedIds.has(m.userId)) continue
      await this.send(trx, m, network.id, network.slug, {
        kind: 'network_post',
        subject: `${network.name}: ${post.title}`,
        text: `${post.authorName} wrote in “${post.title}”:\n\n${excerpt(post.body)}\n\nRead and reply: ${link}`,
      })
    }
    const windows = digestWindows(this.now)
    for (const w of [windows.daily, windows.weekly])
      await this.deps.jobs.enqueue(
        DIGEST_JOB,
        { period: w.period, from: w.from, to: w.to } satisfies DigestPayload,
        { key: w.key, runAt: new Date(w.runAt) },
        trx,
      )
    return { mentioned: mentioned.map((m) => m.userId) }
  }

  /** One digest per member and network, of the period's posts by others; nothing when there are none. */
  async sendDigest(job: Job<DigestPayload>, ctx: JobContext): Promise<void> {
    const { period, from, to } = job.payload
    const subs = await repo.subscribers(this.deps.db, period)
    const networkIds = [...new Set(subs.map((s) => s.network_id))]
    const posts = await repo.postsBetween(this.deps.db, networkIds, from, to)
    await ctx.commit(async (trx) => {
      for (const s of subs) {
        const mine = posts.filter((p) => p.networkId === s.network_id && p.authorId !== s.user_id)
        if (mine.length === 0) continue
        const lines = mine.map(
          (p) =>
            `• ${p.title}, by ${p.authorName ?? 'a former member'}\n  ${excerpt(p.body, 300).replace(/\s+/g, ' ')}\n  ${this.deps.baseUrl}/networks/${s.slug}/threads/${p.threadId}#post-${p.id}`,
        )
        await this.send(trx, { userId: s.user_id, email: s.email, name: s.name }, s.network_id, s.slug, {
          kind: `network_digest_${period}`,
          subject: `${s.network_name}: your ${period} digest (${mine.length} ${mine.length === 1 ? 'post' : 'posts'})`,
          text: `New in ${s.network_name} ${period === 'daily' ? 'yesterday' : 'last week'}:\n\n${lines.join('\n\n')}`,
        })
      }
    })
  }

  /** What an unsubscribe link is for, or why it no longer works. */
  async unsubscribeState(token: string) {
    return this.findToken(this.deps.db, token)
  }

  /** The token's member and network (name and address), or NotFound: not ours, or its network is gone. */
  private async findToken(db: Db, token: string) {
    const found = await unsubscribeTokens.find(db, token, (list) => list.startsWith(NETWORK_LIST))
    const network = found && (await repo.findNetworkById(db, found.list.slice(NETWORK_LIST.length)))
    if (!found || !network) throw new NotFoundError('This unsubscribe link is not one we know')
    return {
      userId: found.userId,
      networkId: network.id,
      usedAt: found.usedAt,
      networkName: network.name,
      slug: network.slug,
    }
  }

  /** Uses the link: the member gets no more e-mails from the network. */
  async unsubscribe(
    token: string,
    ip?: string,
  ): Promise<{ networkName: string; slug: string; used: boolean }> {
    return this.deps.db.transaction().execute(async (trx) => {
      const found = await this.findToken(trx, token)
      const now = this.now.toISOString()
      if (found.usedAt || !(await unsubscribeTokens.use(trx, token, now)))
        return { networkName: found.networkName, slug: found.slug, used: true }
      const changed = await repo.updateMember(trx, found.networkId, found.userId, { email_pref: 'none' })
      await writeAudit(trx, now, {
        actorId: found.userId,
        actorLabel: 'unsubscribe link',
        action: 'network.unsubscribed',
        entityType: 'network',
        entityId: found.networkId,
        ip,
        after: { emailPref: 'none', member: changed > 0 },
      })
      return { networkName: found.networkName, slug: found.slug, used: false }
    })
  }

  /** Tells the IG leads (or admins) that a post was reported as patient data and is hidden. */
  async patientDataReported(trx: Db, network: repo.Network) {
    for (const lead of await repo.igLeadAddresses(trx))
      await this.deps.mail.enqueue(trx, {
        to: lead.email,
        toName: lead.name,
        kind: 'network_report_patient_data',
        subject: `A post in ${network.name} was reported as patient data`,
        text: `A member reported a post in ${network.name} as containing information that could identify a patient. The post is hidden until you decide.\n\nReview it: ${this.deps.baseUrl}/networks/ig-reports`,
      })
  }

  /** Tells a network's owners and moderators that a post was reported. */
  async reported(trx: Db, network: repo.Network) {
    for (const m of await repo.listMembers(trx, network.id, 'active'))
      if (m.role === 'owner' || m.role === 'moderator')
        await this.deps.mail.enqueue(trx, {
          to: m.email,
          toName: m.name,
          kind: 'network_report',
          subject: `A post in ${network.name} was reported`,
          text: `A member reported a post in ${network.name}.\n\nReview it: ${this.deps.baseUrl}/networks/${network.slug}/reports`,
        })
  }
}

/**
 * The members a post mentions: `@` and a member's name (without the "(DEMO)"-style suffix),
 * not followed by another letter.
 */
export function mentionedMembers<M extends { name: string }>(body: string, members: M[]): M[] {
  const lower = body.toLowerCase()
  if (!lower.includes('@')) return []
  return members.filter((m) => {
    const base = m.name
      .replace(/\s*\([^)]*\)\s*$/, '')
      .trim()
      .toLowerCase()
    if (base.length < 2) return false
    let at = lower.indexOf(`@${base}`)
    while (at >= 0) {
      const next = lower.charAt(at + base.length + 1)
      if (!/[\p{L}\p{N}]/u.test(next)) return true
      at = lower.indexOf(`@${base}`, at + 1)
    }
    return false
  })
}
