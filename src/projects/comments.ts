import type { Kysely, Transaction } from 'kysely'
import type { CurrentUser, RoleGrant } from '../core/identity.js'
import { newId } from '../core/ids.js'
import type { DB } from '../db/schema.js'
import { NotFoundError, ValidationError } from '../core/errors.js'
import { requireProjectAccess } from './access.js'
import { logChange, type ProjectDeps } from './context.js'
import { mentionMail } from './mail.js'
import { projectAccess, type ProjectAccessFacts } from './policy.js'
import * as teamRepo from './team-repository.js'

type Db = Kysely<DB> | Transaction<DB>

export interface CommentView {
  id: string
  authorId: string | null
  authorName: string
  body: string
  createdAt: string
}

/**
 * What comments can be attached to: the project itself, or a part of it (the part's
 * table and its project_id column say which project it belongs to). Comments inherit
 * the project's visibility.
 */
const TARGET_TABLES = {
  pdsa: 'pdsa_cycles',
  change_idea: 'change_ideas',
  driver: 'drivers',
  tool: 'project_tools',
  measure: 'measures',
} as const

export type CommentTargetType = 'project' | keyof typeof TARGET_TABLES

export function isCommentTargetType(value: string): value is CommentTargetType {
  return value === 'project' || Object.hasOwn(TARGET_TABLES, value)
}

async function targetBelongs(
  db: Db,
  projectId: string,
  type: CommentTargetType,
  targetId: string,
): Promise<boolean> {
  if (type === 'project') return targetId === projectId
  const row = await db
    .selectFrom(TARGET_TABLES[type])
    .select('id')
    .where('id', '=', targetId)
    .where('project_id', '=', projectId)
    .executeTakeFirst()
  return Boolean(row)
}

const EMAIL_MENTION = /(^|[^\w.])@([a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,})/gi
const NAME_MENTION = /(^|[^\w@.])@([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*(?:[ \t]+[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*){0,3})/g

/** The raw mentions in a comment: e-mail addresses, and "@First Last" name phrases (up to four words). */
export function parseMentions(body: string): { emails: string[]; names: string[][] } {
  const emails = [...body.matchAll(EMAIL_MENTION)].map((m) => m[2].toLowerCase())
  const withoutEmails = body.replace(EMAIL_MENTION, '$1')
  const names = [...withoutEmails.matchAll(NAME_MENTION)].map((m) => m[2].split(/[ \t]+/))
  return { emails: [...new Set(emails)], names }
}

/** "Ada Aimwell (DEMO)" is mentioned as "@Ada Aimwell". */
const bareName = (name: string) =>
  name
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim()
    .toLowerCase()

/** Comments on a project and on its parts (PDSA cycles…), and the mentions in them. */
export class CommentService {
  constructor(private readonly deps: ProjectDeps) {}

  /**
   * The comments on one target, oldest first. The caller has already checked that the
   * user may see the project (requireProjectAccess(…, 'view')).
   */
  async listComments(targetType: string, targetId: string): Promise<CommentView[]> {
    const rows = await this.deps.db
      .selectFrom('comments as c')
      .leftJoin('users as u', 'u.id', 'c.author_id')
      .select(['c.id', 'c.author_id', 'c.body', 'c.created_at', 'u.name as author_name'])
      .where('c.target_type', '=', targetType)
      .where('c.target_id', '=', targetId)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .limit(500)
      .execute()
    return rows.map((r) => ({
      id: r.id,
      authorId: r.author_id,
      authorName: r.author_name ?? 'A former member',
      body: r.body,
      createdAt: r.created_at,
    }))
  }

  /**
   * Adds a comment (checking the user may comment on the project and that the target
   * belongs to it), records it in the activity, and e-mails the people mentioned who
   * can see the project. `link` is where the e-mail sends them (a path on this site).
   */
  async addComment(
    user: CurrentUser,
    c: { projectId: string; targetType: string; targetId: string; body: string; link?: string },
    ip?: string,
  ): Promise<{ id: string; mentioned: string[] }> {
    const now = this.deps.clock().toISOString()
    if (!isCommentTargetType(c.targetType)) throw new NotFoundError()
    const body = c.body.trim()
    if (!body) throw new ValidationError({ body: 'Enter your comment' })
    if (body.length > 5000)
      throw new ValidationError({ body: 'Your comment must be 5000 characters or fewer' })
    return this.deps.db.transaction().execute(async (trx) => {
      const { facts } = await requireProjectAccess(trx, user, c.projectId, 'comment')
      const targetType = c.targetType as CommentTargetType
      if (!(await targetBelongs(trx, c.projectId, targetType, c.targetId))) throw new NotFoundError()
      const id = newId()
      await trx
        .insertInto('comments')
        .values({
          id,
          project_id: c.projectId,
          target_type: targetType,
          target_id: c.targetId,
          author_id: user.id,
          body,
          created_at: now,
        })
        .execute()
      const mentioned = await this.mentionedPeople(trx, facts, body, user.id)
      await logChange(trx, now, user, {
        projectId: c.projectId,
        action: 'comment.add',
        summary:
          targetType === 'project'
            ? 'Commented on the project'
            : `Commented on a ${targetType.replace('_', ' ')}`,
        ip,
        entityType: 'comment',
        entityId: id,
        after: { targetType, targetId: c.targetId, mentioned: mentioned.map((p) => p.id) },
      })
      const path =
        c.link && c.link.startsWith(`/projects/${c.projectId}`) && !c.link.startsWith('//')
          ? c.link
          : `/projects/${c.projectId}#comments`
      for (const person of mentioned) {
        const mail = mentionMail({
          name: person.name,
          title: facts.title,
          byName: user.name,
          body,
          link: `${this.deps.baseUrl}${path}`,
        })
        await this.deps.mail.enqueue(trx, { kind: 'project_mention', to: person.email, ...mail })
      }
      return { id, mentioned: mentioned.map((p) => p.name) }
    })
  }

  /** Team members, or any verified member who can see the project, named in the comment (never the author). */
  private async mentionedPeople(
    db: Db,
    facts: ProjectAccessFacts,
    body: string,
    authorId: string,
  ): Promise<teamRepo.PersonRef[]> {
    const { emails, names } = parseMentions(body)
    const found = new Map<string, teamRepo.PersonRef>()
    for (const p of await teamRepo.findPeopleByEmails(db, emails)) found.set(p.id, p)
    const team = await teamRepo.findPeopleByIds(
      db,
      facts.members.map((m) => m.userId),
    )
    for (const words of names) {
      const candidates = [...team, ...(await teamRepo.findPeopleByNamePrefix(db, words[0]))]
      for (let k = words.length; k >= 1; k--) {
        const phrase = words.slice(0, k).join(' ').toLowerCase()
        const matches = new Map(candidates.filter((p) => bareName(p.name) === phrase).map((p) => [p.id, p]))
        if (matches.size === 0) continue
        // Two people of the same name: prefer the one on the team, otherwise notify nobody.
        const onTeam = [...matches.values()].filter((p) => facts.members.some((m) => m.userId === p.id))
        const pick = matches.size === 1 ? [...matches.values()][0] : onTeam.length === 1 ? onTeam[0] : null
        if (pick) found.set(pick.id, pick)
        break
      }
    }
    found.delete(authorId)
    const people = [...found.values()].filter((p) => !p.disabled && p.emailVerified)
    const grants = await teamRepo.grantsOf(
      db,
      people.map((p) => p.id),
    )
    return people.filter((p) => {
      const asUser: CurrentUser = {
        id: p.id,
        name: p.name,
        email: p.email,
        organisationId: p.organisationId,
        isPartner: p.isPartner,
        emailVerified: p.emailVerified,
        orgVerified: p.orgVerified,
        roles: (grants.get(p.id) ?? []) as RoleGrant[],
        sessionId: '',
      }
      return projectAccess(asUser, facts).view
    })
  }
}
