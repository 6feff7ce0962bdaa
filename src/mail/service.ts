import nodemailer, { type Transporter } from 'nodemailer'
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely'
import { read } from '../db/database.js'
import { isPostgres } from '../db/dialect.js'
import type { DB } from '../db/schema.js'
import { isSafeRecipient } from './guard.js'
import { mailHtml } from './html.js'

export interface MailMessage {
  to: string
  /** The recipient's name for the To line; looked up by address when not given. */
  toName?: string
  subject: string
  text: string
  /** What the mail is for, e.g. verify_email: shown in the outbox and useful in tests. */
  kind: string
  /**
   * Extra headers, kept in the outbox and sent with the message: for example one-click
   * unsubscribe (RFC 8058), `List-Unsubscribe: <https://…>` with
   * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. Names are letters, digits and hyphens;
   * values are one line.
   */
  headers?: Record<string, string>
}

/** The headers a message may carry: a token name and a one-line value, never our own Auto-Submitted. */
export function checkedHeaders(headers: Record<string, string> | undefined): Record<string, string> | null {
  if (!headers || Object.keys(headers).length === 0) return null
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,60}$/.test(name) || /^(auto-submitted|to|from|subject)$/i.test(name))
      throw new Error(`mail header ${name} may not be set`)
    if (typeof value !== 'string' || /[\r\n]/.test(value) || value.length > 900)
      throw new Error(`mail header ${name} must be one line`)
  }
  return headers
}

/**
 * What decides, per message, whether it is sent now, held for a digest or not wanted, and what
 * it carries (a person's notification preferences and one-click unsubscribe: notifications/).
 * app.ts sets it; the mail room knows nothing of preferences.
 */
export interface MailGate {
  /** The message to write to the outbox (as it is or with headers and a footer), or why not. */
  route(
    trx: Kysely<DB> | Transaction<DB>,
    message: MailMessage,
  ): Promise<{ send: MailMessage } | { held: 'digest' | 'not_wanted' }>
}

export interface OutboxItem {
  id: number
  createdAt: string
  kind: string
  to: string
  toName: string | null
  subject: string
  text: string
  /** The HTML part (null for messages written before messages had one). */
  html: string | null
  /** Extra headers sent with the message (List-Unsubscribe and the like). */
  headers: Record<string, string>
  status: string
  attempts: number
  lastError: string | null
  sentAt: string | null
}

export interface MailOptions {
  smtpUrl: string | null
  from: string
  /** Demo and test runs: refuse every recipient outside the reserved example domains. */
  guard: boolean
  clock?: () => Date
  /** Named in the HTML part's header band. */
  communityName?: string
  /** The name of the person with this address, read in the caller's transaction (people's service). */
  recipientName?: (trx: Kysely<DB> | Transaction<DB>, email: string) => Promise<string | null>
}

/**
 * The To line: `"Ada Aimwell" <ada@example.org>`. Nodemailer quotes a name with commas or
 * quotes and encodes one with non-ASCII letters (RFC 2047), so it is passed as name and address.
 */
export function recipient(address: string, name: string | null): string | { name: string; address: string } {
  const clean = (name ?? '').replace(/[\r\n\t]+/g, ' ').trim()
  return clean ? { name: clean, address } : address
}

const MAX_ATTEMPTS = 8

/**
 * Mail is written to the outbox table in the same transaction as the change that
 * causes it, so nothing is lost when SMTP is down: a worker delivers pending mail
 * and retries with back-off. Without SMTP_URL the outbox is the destination and
 * platform admins read it at /admin/outbox.
 */
export class MailService {
  private transport: Transporter | null
  private readonly clock: () => Date

  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: MailOptions,
    transport?: Transporter,
  ) {
    this.clock = options.clock ?? (() => new Date())
    this.transport = transport ?? (options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null)
  }

  private gate: MailGate | null = null

  /** Every message enqueued from now on passes through the gate (app.ts, once, at start). */
  useGate(gate: MailGate): void {
    this.gate = gate
  }

  get deliversBySmtp(): boolean {
    return this.transport !== null
  }

  /**
   * Writes the message to the outbox in the caller's transaction, unless the gate holds it for a
   * digest or the recipient does not want its kind (then `id` is 0 and `status` says which).
   */
  async enqueue(
    trx: Kysely<DB> | Transaction<DB>,
    original: MailMessage,
  ): Promise<{ id: number; status: string }> {
    let message = original
    if (this.gate) {
      const routed = await this.gate.route(trx, original)
      if ('held' in routed) return { id: 0, status: routed.held }
      message = routed.send
    }
    const now = this.clock().toISOString()
    const headers = checkedHeaders(message.headers)
    const refused = this.options.guard && !isSafeRecipient(message.to)
    const status = refused ? 'refused' : this.transport ? 'pending' : 'local'
    const toName =
      message.toName ??
      (this.options.recipientName ? await this.options.recipientName(trx, message.to) : null)
    const html = mailHtml({
      subject: message.subject,
      text: message.text,
      communityName: this.options.communityName ?? 'Improvement Community',
    })
    const row = await trx
      .insertInto('mail_outbox')
      .values({
        created_at: now,
        kind: message.kind,
        to_address: message.to,
        to_name: toName,
        subject: message.subject,
        text_body: message.text,
        html_body: html,
        // Only when there are some, so a message without extra headers is the row it always was.
        ...(headers ? { headers: JSON.stringify(headers) } : {}),
        status,
        next_attempt_at: status === 'pending' ? now : null,
        last_error: refused
          ? 'Refused: demo and test builds only send to example.invalid, example.org, example.com or localhost'
          : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { id: Number(row.id), status }
  }

  /**
   * Claims one due message (safe across several app instances) and sends it.
   * Returns false when nothing was due.
   */
  async deliverOne(): Promise<boolean> {
    if (!this.transport) return false
    const now = this.clock()
    const nowIso = now.toISOString()
    const lockUntil = new Date(now.getTime() + 60_000).toISOString()
    // One statement claims the oldest due message, so instances never send the same mail:
    // PostgreSQL skips rows another instance has locked; SQLite serialises writers.
    const due = (eb: ExpressionBuilder<DB, 'mail_outbox'>) =>
      eb.and([
        eb('status', '=', 'pending'),
        eb('next_attempt_at', '<=', nowIso),
        eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]),
      ])
    const postgres = isPostgres(this.db)
    const claimed = await this.db
      .updateTable('mail_outbox')
      .set({ locked_until: lockUntil })
      .where('id', '=', (eb) => {
        const oldest = eb.selectFrom('mail_outbox').select('id').where(due).orderBy('id').limit(1)
        return postgres ? oldest.forUpdate().skipLocked() : oldest
      })
      .where(due)
      .returningAll()
      .executeTakeFirst()
    if (!claimed) return false
    const attempts = read.num(claimed.attempts) + 1
    try {
      if (this.options.guard && !isSafeRecipient(claimed.to_address))
        throw new Error('Refused: recipient outside the safe demo domains')
      await this.transport.sendMail({
        from: this.options.from,
        to: recipient(claimed.to_address, claimed.to_name),
        subject: claimed.subject,
        text: claimed.text_body,
        ...(claimed.html_body ? { html: claimed.html_body } : {}),
        // RFC 3834: no out-of-office or other automatic replies to this message.
        headers: { ...storedHeaders(claimed.headers), 'Auto-Submitted': 'auto-generated' },
      })
      await this.db
        .updateTable('mail_outbox')
        .set({
          status: 'sent',
          attempts,
          sent_at: this.clock().toISOString(),
          locked_until: null,
          last_error: null,
        })
        .where('id', '=', claimed.id)
        .execute()
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const giveUp = attempts >= MAX_ATTEMPTS || message.startsWith('Refused')
      const backoffMs = Math.min(2 ** attempts * 30_000, 6 * 3600_000)
      await this.db
        .updateTable('mail_outbox')
        .set({
          status: giveUp ? (message.startsWith('Refused') ? 'refused' : 'failed') : 'pending',
          attempts,
          last_error: message.slice(0, 500),
          locked_until: null,
          next_attempt_at: new Date(this.clock().getTime() + backoffMs).toISOString(),
        })
        .where('id', '=', claimed.id)
        .execute()
    }
    return true
  }

  /** Sends everything that is due now (bounded), e.g. after a request or in the worker loop. */
  async deliverDue(max = 50): Promise<number> {
    let sent = 0
    while (sent < max && (await this.deliverOne())) sent++
    return sent
  }

  async list(
    options: { page?: number; pageSize?: number; to?: string } = {},
  ): Promise<{ items: OutboxItem[]; total: number }> {
    const pageSize = Math.min(options.pageSize ?? 50, 200)
    const page = Math.max(options.page ?? 1, 1)
    let base = this.db.selectFrom('mail_outbox')
    if (options.to) base = base.where('to_address', '=', options.to.toLowerCase())
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { items: rows.map(toOutboxItem), total: read.num(count.n) }
  }

  async get(id: number): Promise<OutboxItem | null> {
    const row = await this.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toOutboxItem(row) : null
  }

  /** Puts a failed message back in the queue (admin action). */
  async retry(id: number): Promise<void> {
    await this.db
      .updateTable('mail_outbox')
      .set({ status: 'pending', next_attempt_at: this.clock().toISOString(), locked_until: null })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .execute()
  }
}

function storedHeaders(json: string | null): Record<string, string> {
  if (!json) return {}
  try {
    const parsed = JSON.parse(json) as unknown
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {}
  } catch {
    return {}
  }
}

function toOutboxItem(r: {
  id: number
  created_at: string
  kind: string
  to_address: string
  to_name: string | null
  subject: string
  text_body: string
  html_body: string | null
  headers: string | null
  status: string
  attempts: number
  last_error: string | null
  sent_at: string | null
}): OutboxItem {
  return {
    id: Number(r.id),
    createdAt: r.created_at,
    kind: r.kind,
    to: r.to_address,
    toName: r.to_name,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    headers: storedHeaders(r.headers),
    status: r.status,
    attempts: read.num(r.attempts),
    lastError: r.last_error,
    sentAt: r.sent_at,
  }
}
