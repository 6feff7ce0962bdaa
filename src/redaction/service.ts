import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { commentText, projectTexts, redactComment, redactProjectTexts } from '../projects/redaction.js'
import { pageTexts, redactPage } from '../pages/redaction.js'
import { canGovernInformation } from '../screening/policy.js'
import { ForbiddenError, NotFoundError } from '../core/errors.js'

export const REDACTABLE = {
  project: 'Project',
  comment: 'Comment',
  page: 'Page',
} as const
export type RedactableType = keyof typeof REDACTABLE

export function isRedactableType(value: string): value is RedactableType {
  return Object.hasOwn(REDACTABLE, value)
}

/** What a redaction will replace, for the confirmation page. */
export interface RedactionPreview {
  type: RedactableType
  id: string
  /** The record as the IG lead knows it (its current title), to be sure it is the right one. */
  name: string
  /** "The title, problem and lessons", "3 versions of the aim"… */
  losses: string[]
}

/**
 * "[Redacted by the information governance lead on 2 December 2026]", in UK time.
 * @example redactionNotice(new Date('2026-12-02T10:00:00Z'))
 */
export function redactionNotice(at: Date): string {
  const day = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  }).format(at)
  return `[Redacted by the information governance lead on ${day}]`
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/**
 * Redaction: an IG lead replaces free text that got in before screening (a record's current
 * text and every earlier version) with a notice. The only change to history the platform allows;
 * itself audited with who, when, which record and which fields, never the text.
 */
export class RedactionService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  private allow(user: CurrentUser) {
    if (!canGovernInformation(user))
      throw new ForbiddenError('Only information governance leads can redact records')
  }

  async preview(user: CurrentUser, type: RedactableType, id: string): Promise<RedactionPreview> {
    this.allow(user)
    if (type === 'project') {
      const p = await projectTexts(this.db, id)
      if (!p) throw new NotFoundError()
      return {
        type,
        id,
        name: p.title,
        losses: [
          `The project's ${p.fields.join(', ').replace(/_/g, ' ')}`,
          plural(p.aimVersions, 'version of its aim', 'versions of its aim'),
          plural(p.progressNotes, 'progress-score note'),
          plural(p.comments, 'comment'),
          'Timeline entries that quote these texts',
        ],
      }
    }
    if (type === 'comment') {
      const c = await commentText(this.db, id)
      if (!c) throw new NotFoundError()
      return { type, id, name: `A comment on “${c.projectTitle}”`, losses: ['The text of the comment'] }
    }
    const page = await pageTexts(this.db, id)
    if (!page) throw new NotFoundError()
    return {
      type,
      id,
      name: page.title,
      losses: ["The page's title, summary and content", plural(page.revisions, 'earlier revision')],
    }
  }

  async redact(user: CurrentUser, type: RedactableType, id: string, ip?: string): Promise<RedactionPreview> {
    const preview = await this.preview(user, type, id)
    const now = this.clock()
    const at = now.toISOString()
    const notice = redactionNotice(now)
    await this.db.transaction().execute(async (trx) => {
      let fields: string[]
      if (type === 'project') {
        await redactProjectTexts(trx, id, notice)
        fields = [
          'title',
          'problem',
          'research_notes',
          'returned_comment',
          'abandoned_reason',
          'lessons',
          'aims',
          'progress_notes',
          'comments',
          'activity',
        ]
      } else if (type === 'comment') {
        await redactComment(trx, id, notice)
        fields = ['body']
      } else {
        await redactPage(trx, id, notice, at, user.id)
        fields = ['title', 'summary', 'body', 'revisions']
      }
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'record.redacted',
        entityType: type,
        entityId: id,
        ip,
        after: { redacted: fields },
      })
    })
    return preview
  }
}
