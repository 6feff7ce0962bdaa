import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, isPlatformAdmin, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import type { MailService } from '../mail/service.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { formatCode } from './certificate-code.js'
import type { ExternalInput } from './forms.js'
import { ENROLMENT_STATUSES, LADDER, highestLevel, levelLabel } from './levels.js'
import { externalReviewedMail } from './messages.js'
import { canManageFaculty, canSeeRecord, requireFacultyManager } from './policy.js'
import {
  certificatesOf,
  externalOf,
  findExternal,
  insertExternal,
  pendingExternal,
  recordEntries,
  reviewExternal,
} from './record-repository.js'
import { findFaculty } from './repository.js'
import { describeLink, visibleLinkedProjects } from './project-link-repository.js'

/** One person's training across every faculty, and training done elsewhere. */
export class RecordService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly mail: MailService,
    private readonly baseUrl: string,
  ) {}

  /** The viewer's own record, or (platform admins only) someone else's. */
  async record(user: CurrentUser, ownerId: string = user.id) {
    if (!canSeeRecord(user, ownerId)) throw new ForbiddenError('You can only see your own training record')
    const now = this.clock()
    const [owner, entries, certificates, external] = await Promise.all([
      this.db.selectFrom('users').select(['id', 'name']).where('id', '=', ownerId).executeTakeFirst(),
      recordEntries(this.db, ownerId),
      certificatesOf(this.db, ownerId),
      externalOf(this.db, ownerId),
    ])
    if (!owner) throw new NotFoundError()
    // A linked project's title shows only to a viewer the projects policy lets see it.
    const visible = await visibleLinkedProjects(
      this.db,
      user,
      entries.map((e) => e.projectId),
    )
    const certs = certificates.map((c) => ({
      ...c,
      codeText: formatCode(c.code),
      levelText: levelLabel(c.level, c.localLevel),
      state: c.revokedAt ? 'Revoked' : c.expiresAt && new Date(c.expiresAt) < now ? 'Expired' : 'Valid',
    }))
    const achieved = [
      ...certs
        .filter((c) => !c.revokedAt)
        .map((c) => ({
          level: c.level,
          levelText: c.levelText,
          what: c.courseTitle,
          by: c.facultyName,
          on: c.issuedAt,
        })),
      ...external
        .filter((x) => x.status === 'verified')
        .map((x) => ({
          level: x.level,
          levelText: levelLabel(x.level),
          what: x.title,
          by: x.provider,
          on: x.completedOn,
        })),
    ]
    const highest = highestLevel(achieved.map((a) => a.level))
    return {
      owner: { id: owner.id, name: owner.name, isViewer: owner.id === user.id },
      entries: entries.map((e) => ({
        ...e,
        ...describeLink(e.projectId, visible),
        statusText: ENROLMENT_STATUSES[e.status],
        levelText: levelLabel(e.level, e.localLevel),
        certificate: certs.find((c) => c.enrolmentId === e.enrolmentId) ?? null,
      })),
      certificates: certs,
      external: external.map((x) => ({ ...x, levelText: levelLabel(x.level) })),
      achieved,
      highestText: highest ? LADDER[highest] : null,
      boardTrack: achieved.some((a) => a.level === 'board'),
    }
  }

  async addExternal(user: CurrentUser, input: ExternalInput, ip?: string): Promise<string> {
    const now = this.clock()
    const at = now.toISOString()
    const faculty = await findFaculty(this.db, { id: input.facultyId })
    if (!faculty) throw new ValidationError({ facultyId: 'Select a faculty from the list' })
    if (input.completedOn > at.slice(0, 10))
      throw new ValidationError({ completedOn: 'The date you completed it must be today or in the past' })
    const id = newId()
    await this.db.transaction().execute(async (trx) => {
      await insertExternal(trx, { id, userId: user.id, ...input, now: at })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'external_training.add',
        entityType: 'external_training',
        entityId: id,
        ip,
        after: input,
      })
    })
    return id
  }

  async pending(user: CurrentUser, facultyId: string) {
    requireFacultyManager(user, facultyId)
    return (await pendingExternal(this.db, facultyId)).map((x) => ({ ...x, levelText: levelLabel(x.level) }))
  }

  async review(
    user: CurrentUser,
    id: string,
    decision: 'verified' | 'rejected',
    note: string,
    ip?: string,
  ): Promise<string> {
    const at = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const item = await findExternal(trx, id)
      if (!item) throw new NotFoundError()
      const allowed = item.facultyId ? canManageFaculty(user, item.facultyId) : isPlatformAdmin(user)
      if (!allowed) throw new ForbiddenError('Only the chosen faculty’s admins can check this training')
      if (item.status !== 'pending')
        throw new ValidationError({ decision: 'This training has already been checked' })
      await reviewExternal(trx, id, decision, user.id, at, note)
      const person = await trx
        .selectFrom('users')
        .select(['name', 'email'])
        .where('id', '=', item.userId)
        .executeTakeFirstOrThrow()
      await this.mail.enqueue(trx, {
        to: person.email,
        kind: 'learning_external_reviewed',
        ...externalReviewedMail({
          name: person.name,
          title: item.title,
          verified: decision === 'verified',
          note,
          recordUrl: `${this.baseUrl}/learning/record`,
        }),
      })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: `external_training.${decision === 'verified' ? 'verify' : 'reject'}`,
        entityType: 'external_training',
        entityId: id,
        ip,
        after: { note },
      })
      const faculty = item.facultyId ? await findFaculty(trx, { id: item.facultyId }) : null
      return faculty?.slug ?? ''
    })
  }
}
