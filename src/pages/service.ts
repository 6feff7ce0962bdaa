import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser, isPlatformAdmin } from '../core/identity.js'
import { newId } from '../core/ids.js'
import type { MailService } from '../mail/service.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../core/errors.js'
import { COMMUNITY_NAME } from '../web/site.js'
import { ENQUIRY_TOPICS, type EnquiryInput, type PageEditInput } from './forms.js'
import { renderMarkdown } from './markdown.js'

/** The pages admins edit in Markdown. */
export const EDITABLE_PAGES = [
  'home',
  'about',
  'what-is-qi',
  'get-involved',
  'contact',
  'privacy',
  'accessibility',
] as const
export type PageSlug = (typeof EDITABLE_PAGES)[number]

export interface Page {
  slug: string
  title: string
  summary: string
  markdown: string
  html: string
  version: number
  updatedAt: string | null
}

export interface Enquiry {
  id: string
  createdAt: string
  name: string
  email: string
  organisation: string
  topic: string
  topicLabel: string
  message: string
  status: string
}

export class PagesService {
  private readonly htmlCache = new Map<string, string>()

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly mail: MailService,
  ) {}

  isEditable(slug: string): slug is PageSlug {
    return (EDITABLE_PAGES as readonly string[]).includes(slug)
  }

  /** A page, or null when nobody has written it yet. */
  async get(slug: string): Promise<Page | null> {
    const row = await this.db.selectFrom('pages').selectAll().where('slug', '=', slug).executeTakeFirst()
    if (!row) return null
    const version = read.num(row.version)
    const key = `${slug}@${version}`
    let html = this.htmlCache.get(key)
    if (html === undefined) {
      html = renderMarkdown(row.body_md)
      this.htmlCache.set(key, html)
    }
    return {
      slug,
      title: row.title,
      summary: row.summary,
      markdown: row.body_md,
      html,
      version,
      updatedAt: row.updated_at,
    }
  }

  /** Saves a new version. `expectedVersion` is the one the editor loaded: a stale edit is refused, never overwrites. */
  async save(user: CurrentUser, slug: string, input: PageEditInput, ip?: string): Promise<Page> {
    if (!isPlatformAdmin(user)) throw new ForbiddenError()
    if (!this.isEditable(slug)) throw new NotFoundError()
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('pages').selectAll().where('slug', '=', slug).executeTakeFirst()
      const currentVersion = current ? read.num(current.version) : 0
      if (currentVersion !== input.version) {
        throw new ConflictError(
          'Someone else changed this page after you opened it. Your changes have not been saved: copy them, reload the page and try again.',
          'body',
        )
      }
      const version = currentVersion + 1
      if (current) {
        const result = await trx
          .updateTable('pages')
          .set({
            title: input.title,
            summary: input.summary,
            body_md: input.body,
            version,
            updated_at: now,
            updated_by: user.id,
          })
          .where('slug', '=', slug)
          .where('version', '=', currentVersion)
          .executeTakeFirst()
        if (Number(result.numUpdatedRows) !== 1)
          throw new ConflictError(
            'Someone else changed this page after you opened it. Reload the page and try again.',
            'body',
          )
      } else {
        await trx
          .insertInto('pages')
          .values({
            slug,
            title: input.title,
            summary: input.summary,
            body_md: input.body,
            version,
            updated_at: now,
            updated_by: user.id,
          })
          .execute()
      }
      await trx
        .insertInto('page_revisions')
        .values({
          slug,
          version,
          title: input.title,
          summary: input.summary,
          body_md: input.body,
          created_at: now,
          author_id: user.id,
        })
        .execute()
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'page.edit',
        entityType: 'page',
        entityId: slug,
        ip,
        before: current ? { title: current.title, version: currentVersion, body: current.body_md } : null,
        after: { title: input.title, version, body: input.body },
      })
    })
    return (await this.get(slug))!
  }

  async revisions(slug: string) {
    const rows = await this.db
      .selectFrom('page_revisions')
      .leftJoin('users', 'users.id', 'page_revisions.author_id')
      .select([
        'page_revisions.version',
        'page_revisions.title',
        'page_revisions.created_at',
        'page_revisions.body_md',
        'users.name as author',
      ])
      .where('page_revisions.slug', '=', slug)
      .orderBy('page_revisions.version', 'desc')
      .execute()
    return rows.map((r) => ({
      version: read.num(r.version),
      title: r.title,
      createdAt: r.created_at,
      author: r.author ?? 'Demo content',
      markdown: r.body_md,
    }))
  }

  async revision(slug: string, version: number) {
    const row = await this.db
      .selectFrom('page_revisions')
      .selectAll()
      .where('slug', '=', slug)
      .where('version', '=', version)
      .executeTakeFirst()
    if (!row) throw new NotFoundError()
    return {
      version,
      title: row.title,
      summary: row.summary,
      markdown: row.body_md,
      html: renderMarkdown(row.body_md),
      createdAt: row.created_at,
    }
  }

  /** Stores an enquiry and acknowledges it by e-mail, in one transaction. */
  async createEnquiry(input: EnquiryInput, ip?: string): Promise<string> {
    const id = newId()
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('enquiries')
        .values({
          id,
          created_at: now,
          name: input.name,
          email: input.email,
          organisation: input.organisation,
          topic: input.topic,
          message: input.message,
          handled_by: null,
          handled_at: null,
        })
        .execute()
      await this.mail.enqueue(trx, {
        kind: 'enquiry_ack',
        to: input.email,
        subject: `We have received your enquiry – ${COMMUNITY_NAME}`,
        text: `Hello ${input.name},\n\nThank you for getting in touch about "${ENQUIRY_TOPICS[input.topic]}". A member of the community team will reply within 5 working days.\n\nYour message:\n\n${input.message}\n\nReference: ${id.slice(0, 8)}\n`,
      })
      await writeAudit(trx, now, {
        actorId: null,
        actorLabel: `${input.name} <${input.email}>`,
        action: 'enquiry.create',
        entityType: 'enquiry',
        entityId: id,
        ip,
      })
    })
    return id
  }

  async listEnquiries(status?: string): Promise<Enquiry[]> {
    let q = this.db.selectFrom('enquiries').selectAll().orderBy('created_at', 'desc').limit(200)
    if (status) q = q.where('status', '=', status)
    const rows = await q.execute()
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      name: r.name,
      email: r.email,
      organisation: r.organisation,
      topic: r.topic,
      topicLabel: ENQUIRY_TOPICS[r.topic as keyof typeof ENQUIRY_TOPICS] ?? r.topic,
      message: r.message,
      status: r.status,
    }))
  }

  async markEnquiryHandled(user: CurrentUser, id: string, ip?: string): Promise<void> {
    if (!isPlatformAdmin(user)) throw new ForbiddenError()
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('enquiries')
        .set({ status: 'handled', handled_by: user.id, handled_at: now })
        .where('id', '=', id)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) throw new NotFoundError()
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'enquiry.handled',
        entityType: 'enquiry',
        entityId: id,
        ip,
      })
    })
  }
}
