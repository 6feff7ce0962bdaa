import type { Kysely } from 'kysely'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../core/errors.js'
import type { DB } from '../db/schema.js'
import type { Job, JobContext, JobQueue } from '../jobs/queue.js'
import type { ProjectService } from '../projects/service.js'
import { checkPosterFile, downloadName, kindOf, PosterFileError, type CheckedFile } from './files.js'
import type { ConsentInput, PosterInput } from './forms.js'
import { isSteeringGroup, posterAccess, type PosterAccess } from './policy.js'
import { pdfRenditions, renderImage, UnreadableImageError, type Rendition } from './processing.js'
import * as repo from './repository.js'
import type { Poster } from './repository.js'

export const POSTER_FILE_JOB = 'showcase.poster-file'

export interface ShowcaseDeps {
  db: Kysely<DB>
  clock: () => Date
  jobs: JobQueue
  projects: ProjectService
}

export interface UploadedFile {
  filename: string
  bytes: Buffer
}

/** A slug from a title: lower-case words joined by hyphens, made unique with a number. */
export async function uniqueSlug(
  db: Kysely<DB>,
  table: 'showcase_occasions' | 'showcase_items',
  title: string,
): Promise<string> {
  const base =
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'poster'
  let slug = base
  for (let n = 2; await repo.slugTaken(db, table, slug); n++) slug = `${base}-${n}`
  return slug
}

/** Posters: upload, details, file processing, consent, submission and the Steering Group's decision. */
export class PosterService {
  constructor(private readonly deps: ShowcaseDeps) {}

  private get db() {
    return this.deps.db
  }

  private now(): string {
    return this.deps.clock().toISOString()
  }

  /** On the team of the poster: its creator, or a member of its project's team who may edit the project. */
  async isTeam(user: CurrentUser | null, poster: Pick<Poster, 'createdBy' | 'projectId'>): Promise<boolean> {
    if (!user) return false
    if (poster.createdBy === user.id) return true
    if (!poster.projectId) return false
    return this.mayEditProject(user, poster.projectId)
  }

  async mayEditProject(user: CurrentUser, projectId: string): Promise<boolean> {
    try {
      await this.deps.projects.load(user, projectId, 'edit')
      return true
    } catch {
      return false
    }
  }

  async mayViewProject(
    user: CurrentUser | null,
    projectId: string,
  ): Promise<{ id: string; title: string } | null> {
    try {
      const { project } = await this.deps.projects.load(user, projectId, 'view')
      return { id: project.id, title: project.title }
    } catch {
      return null
    }
  }

  accessFor(user: CurrentUser | null, poster: Poster, isTeam: boolean): PosterAccess {
    return posterAccess(
      user,
      {
        status: poster.status,
        visibility: poster.visibility,
        fileStatus: poster.fileStatus,
        consentConfirmed: poster.consentConfirmedAt !== null,
        withdrawnConsents: poster.withdrawnConsents,
        createdBy: poster.createdBy,
        submittedAt: poster.submittedAt,
      },
      isTeam,
    )
  }

  /**
   * The poster and this viewer's access, insisting on `need`. A poster the viewer may not see is
   * "not found" (anonymous visitors are asked to sign in first, as they might see more).
   */
  async load(user: CurrentUser | null, id: string, need: keyof PosterAccess = 'view') {
    const poster = await repo.findPoster(this.db, id)
    if (!poster) throw new NotFoundError()
    const access = this.accessFor(user, poster, await this.isTeam(user, poster))
    if (!access.view) {
      if (!user) throw new UnauthenticatedError()
      throw new NotFoundError()
    }
    if (!access[need]) {
      if (!user) throw new UnauthenticatedError()
      throw new ForbiddenError(
        need === 'review'
          ? 'Only the Steering Group can review posters'
          : poster.status === 'submitted' || poster.status === 'approved'
            ? 'This poster is with the Steering Group or published: it cannot be changed now'
            : 'Only the poster’s team can change it',
      )
    }
    return { poster, access }
  }

  private async checkLinks(user: CurrentUser, input: PosterInput) {
    const organisationIds = [...new Set(input.organisationIds)]
    const aimCodes = [...new Set(input.aimCodes)]
    if ((await repo.countExisting(this.db, 'organisations', organisationIds)) !== organisationIds.length)
      throw new ValidationError({ organisationIds: 'Select organisations from the list' })
    if ((await repo.countAims(this.db, aimCodes)) !== aimCodes.length)
      throw new ValidationError({ aimCodes: 'Select aims from the list' })
    if (input.programmeId && (await repo.countExisting(this.db, 'programmes', [input.programmeId])) !== 1)
      throw new ValidationError({ programmeId: 'Select a programme from the list' })
    let year: number | null = null
    if (input.occasionId) {
      const occasion = await repo.findOccasion(this.db, input.occasionId)
      if (!occasion) throw new ValidationError({ occasionId: 'Select an occasion from the list' })
      if (occasion.status === 'closed')
        throw new ValidationError({ occasionId: `${occasion.title} is closed: choose another occasion` })
      const date = occasion.startsOn ?? occasion.month
      if (date) year = Number(date.slice(0, 4))
    }
    year ??= Number(this.now().slice(0, 4))
    if (input.projectId && !(await this.mayEditProject(user, input.projectId)))
      throw new ValidationError({ projectId: 'Select a project you are on the team of' })
    return { organisationIds, aimCodes, year }
  }

  private rowInput(input: PosterInput, year: number | null): repo.PosterRowInput {
    return {
      title: input.title,
      summary: input.summary,
      occasionId: input.occasionId || null,
      projectId: input.projectId || null,
      programmeId: input.programmeId || null,
      funder: input.funder || null,
      visibility: input.visibility,
      year,
    }
  }

  /** Checks the file (throws ValidationError naming `file`), before anything is stored. */
  checkFile(file: UploadedFile | null): CheckedFile {
    if (!file || file.bytes.length === 0)
      throw new ValidationError({ file: 'Select a PDF, PNG or JPEG file' })
    try {
      return checkPosterFile(file.bytes, file.filename)
    } catch (error) {
      if (error instanceof PosterFileError) throw new ValidationError({ file: error.message })
      throw error
    }
  }

  /** A new draft poster with its file: stored as sent, checked and re-encoded by the background job. */
  async create(
    user: CurrentUser,
    input: PosterInput,
    file: UploadedFile | null,
    ip?: string,
  ): Promise<string> {
    if (!user.emailVerified) throw new ForbiddenError('Confirm your e-mail address before you add a poster')
    const checked = this.checkFile(file)
    const { organisationIds, aimCodes, year } = await this.checkLinks(user, input)
    const id = newId()
    const now = this.now()
    const slug = await uniqueSlug(this.db, 'showcase_items', input.title)
    await this.db.transaction().execute(async (trx) => {
      await repo.insertPoster(trx, { ...this.rowInput(input, year), id, slug, createdBy: user.id, now })
      await repo.replaceLinks(trx, id, organisationIds, aimCodes)
      await this.storeOriginal(trx, id, file!, checked, now)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'showcase.poster_create',
        entityType: 'showcase_item',
        entityId: id,
        ip,
        after: {
          title: input.title,
          occasionId: input.occasionId || null,
          projectId: input.projectId || null,
        },
      })
    })
    return id
  }

  /** The upload as sent, until the job has made the renditions; the job is queued in the same transaction. */
  private async storeOriginal(
    trx: Kysely<DB>,
    id: string,
    file: UploadedFile,
    checked: CheckedFile,
    now: string,
  ): Promise<void> {
    const fileId = newId()
    await trx.deleteFrom('showcase_files').where('item_id', '=', id).execute()
    await trx
      .insertInto('showcase_files')
      .values({
        id: fileId,
        item_id: id,
        role: 'original',
        content_type: checked.contentType,
        byte_size: file.bytes.length,
        width: checked.width,
        height: checked.height,
        bytes: file.bytes,
        created_at: now,
      })
      .execute()
    await repo.setPosterState(trx, id, {
      file_status: 'processing',
      file_error: null,
      file_kind: kindOf(checked.contentType),
      file_name: file.filename.slice(0, 200),
      updated_at: now,
    })
    await this.deps.jobs.enqueue(POSTER_FILE_JOB, { itemId: id, fileId }, { key: `${id}:${fileId}` }, trx)
  }

  async update(user: CurrentUser, id: string, input: PosterInput, ip?: string): Promise<void> {
    const { poster } = await this.load(user, id, 'edit')
    const { organisationIds, aimCodes, year } = await this.checkLinks(user, input)
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      const saved = await repo.updatePoster(trx, id, input.version, this.rowInput(input, year), now)
      if (!saved)
        throw new ConflictError(
          'Someone else changed this poster while you were editing it. Check it and try again.',
        )
      await repo.replaceLinks(trx, id, organisationIds, aimCodes)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'showcase.poster_update',
        entityType: 'showcase_item',
        entityId: id,
        ip,
        before: { title: poster.title, summary: poster.summary },
        after: { title: input.title, summary: input.summary, visibility: input.visibility },
      })
    })
  }

  /** A new file for a draft, returned or "to come" poster (which then becomes this person's draft). */
  async replaceFile(user: CurrentUser, id: string, file: UploadedFile | null, ip?: string): Promise<void> {
    const { poster } = await this.load(user, id, 'edit')
    const checked = this.checkFile(file)
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await this.storeOriginal(trx, id, file!, checked, now)
      if (poster.status === 'awaiting_files')
        await repo.setPosterState(trx, id, { status: 'draft', created_by: user.id, updated_at: now })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'showcase.poster_file',
        entityType: 'showcase_item',
        entityId: id,
        ip,
        after: { contentType: checked.contentType, bytes: file!.bytes.length },
      })
    })
  }

  /**
   * The background job: decode and re-encode an image (or draw a PDF's card), then swap the
   * original for the renditions in the transaction that marks the job done. A file that cannot
   * be read is recorded as failed (the team is told and can upload another); nothing is retried.
   */
  async processFile(job: Job<{ itemId: string; fileId: string }>, ctx: JobContext): Promise<void> {
    const { itemId, fileId } = job.payload
    const original = await this.db
      .selectFrom('showcase_files')
      .select(['id', 'content_type', 'bytes', 'width', 'height'])
      .where('item_id', '=', itemId)
      .where('role', '=', 'original')
      .executeTakeFirst()
    if (!original || original.id !== fileId) return // replaced or deleted since: a newer job has it
    const poster = await repo.findPoster(this.db, itemId)
    if (!poster) return
    const bytes = Buffer.from(original.bytes)
    let renditions: Rendition[] | null = null
    let error: string | null = null
    try {
      if (original.content_type === 'application/pdf') {
        checkPosterFile(bytes) // the rules may have tightened since the upload
        renditions = pdfRenditions(bytes, poster.title)
      } else {
        const checked = checkPosterFile(bytes)
        renditions = (await renderImage(bytes, original.content_type, checked.width!, checked.height!))
          .renditions
      }
    } catch (e) {
      if (!(e instanceof UnreadableImageError || e instanceof PosterFileError)) throw e
      error = e.message
    }
    const now = this.now()
    await ctx.commit(async (trx) => {
      const still = await trx
        .selectFrom('showcase_files')
        .select('id')
        .where('id', '=', fileId)
        .executeTakeFirst()
      if (!still) return
      if (renditions) {
        await repo.replaceFiles(trx, itemId, renditions, newId, now)
        await repo.setPosterState(trx, itemId, { file_status: 'ready', file_error: null, updated_at: now })
      } else {
        await trx.deleteFrom('showcase_files').where('item_id', '=', itemId).execute()
        await repo.setPosterState(trx, itemId, { file_status: 'failed', file_error: error, updated_at: now })
      }
    })
  }

  /** A file of a poster this viewer may see: `poster` (the download), `preview` or `thumbnail`. */
  async file(user: CurrentUser | null, id: string, role: 'poster' | 'preview' | 'thumbnail') {
    const { poster } = await this.load(user, id, 'view')
    const file = await repo.fileBytes(this.db, id, role)
    if (!file) throw new NotFoundError()
    return { ...file, filename: downloadName(poster.slug, file.contentType) }
  }

  // ----- consent -----

  async consents(user: CurrentUser | null, id: string) {
    const { poster, access } = await this.load(user, id, 'consent')
    return { poster, access, consents: await repo.listConsents(this.db, id) }
  }

  async addConsent(user: CurrentUser, id: string, input: ConsentInput, ip?: string): Promise<void> {
    const { poster } = await this.load(user, id, 'consent')
    if (input.givenOn > this.now().slice(0, 10))
      throw new ValidationError({ givenOn: 'The date consent was given must be today or in the past' })
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.insertConsent(trx, {
        id: newId(),
        itemId: id,
        personName: input.personName,
        appearsAs: input.appearsAs,
        method: input.method,
        givenOn: input.givenOn,
        by: user.id,
        at: now,
      })
      // Someone is shown or quoted after all: the confirmation is asked for again.
      await repo.setPosterState(trx, id, {
        nobody_identifiable: false,
        consent_confirmed_at: poster.status === 'approved' ? poster.consentConfirmedAt : null,
        updated_at: now,
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'showcase.consent_record',
        entityType: 'showcase_item',
        entityId: id,
        ip,
        after: { appearsAs: input.appearsAs, method: input.method, givenOn: input.givenOn },
      })
    })
  }

  /** Consent withdrawn: the poster leaves every public view with this transaction. */
  async withdrawConsent(user: CurrentUser, id: string, consentId: string, ip?: string): Promise<void> {
    await this.load(user, id, 'consent')
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.withdrawConsent(trx, id, consentId, user.id, now))) throw new NotFoundError()
      await repo.setPosterState(trx, id, { updated_at: now })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'showcase.consent_withdraw',
        entityType: 'showcase_item',
        entityId: id,
        ip,
        after: { consentId },
      })
    })
  }

  /** The team confirms consent is recorded for everyone shown or quoted, or that nobody is. */
  async confirmConsent(
    user: CurrentUser,
    id: string,
    input: { nobodyIdentifiable: boolean; confirmed: boolean },
    ip?: string,
  ): Promise<void> {
    const { poster } = await this.load(user, id, 'edit')
    const consents = (await repo.listConsents(this.db, id)).filter((c) => !c.withdrawnAt)
    if (!input.confirmed)
      throw new ValidationError({
        confirmed: input.nobodyIdentifiable
          ? 'Confirm that nobody can be recognised or is quoted in the poster'
          : 'Confirm that everyone shown or quoted has given consent',
      })
    if (input.nobodyIdentifiable && consents.length > 0)
      throw new ValidationError({
        nobodyIdentifiable:
          'Consent is recorded for people on this poster: do not tick “nobody is shown or quoted”',
      })
    if (!input.nobodyIdentifiable && consents.length === 0)
      throw new ValidationError({
        confirmed: 'Record consent for each person shown or quoted, or tick “nobody is shown or quoted”',
      })
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.setPosterState(trx, id, {
        nobody_identifiable: input.nobodyIdentifiable,
        consent_confirmed_at: now,
        consent_confirmed_by: user.id,
        updated_at: now,
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'showcase.consent_confirm',
        entityType: 'showcase_item',
        entityId: id,
        ip,
        before: { consentConfirmed: poster.consentConfirmedAt !== null },
        after: { nobodyIdentifiable: input.nobodyIdentifiable, people: consents.length },
      })
    })
  }

  // ----- submission and review -----

  /** What still stops the poster being submitted, in words for the team. */
  missing(poster: Poster): string[] {
    const out: string[] = []
    if (poster.fileStatus === 'none' || poster.fileStatus === 'failed') out.push('Upload the poster file')
    if (poster.fileStatus === 'processing')
      out.push('Wait for the poster file to be checked (a minute or so)')
    if (!poster.consentConfirmedAt) out.push('Record consent for everyone shown or quoted, and confirm it')
    if (poster.withdrawnConsents > 0)
      out.push('Someone has withdrawn their consent: upload a version without them and record consent again')
    return out
  }

  async submit(user: CurrentUser, id: string, ip?: string): Promise<void> {
    const { poster } = await this.load(user, id, 'edit')
    const missing = this.missing(poster)
    if (missing.length) throw new ValidationError({ submit: missing[0] })
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.setPosterState(trx, id, {
        status: 'submitted',
        submitted_at: now,
        submitted_by: user.id,
        updated_at: now,
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'showcase.poster_submit',
        entityType: 'showcase_item',
        entityId: id,
        ip,
        before: { status: poster.status },
        after: { status: 'submitted' },
      })
    })
  }

  /** The Steering Group approves (publishes), returns with comments, or withdraws a poster. */
  async decide(
    user: CurrentUser,
    id: string,
    decision: 'approve' | 'return' | 'withdraw',
    comment: string,
    ip?: string,
  ): Promise<void> {
    const { poster } = await this.load(user, id, 'review')
    if (decision === 'approve') {
      if (poster.status !== 'submitted')
        throw new ValidationError({ decision: 'Only a submitted poster can be approved' })
      const missing = this.missing(poster)
      if (missing.length)
        throw new ValidationError({
          decision: `The poster cannot be approved yet: ${missing[0].toLowerCase()}`,
        })
    }
    if (decision === 'return' && poster.status !== 'submitted' && poster.status !== 'approved')
      throw new ValidationError({ decision: 'Only a submitted or approved poster can be returned' })
    const status = decision === 'approve' ? 'approved' : decision === 'return' ? 'returned' : 'withdrawn'
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.setPosterState(trx, id, {
        status,
        decided_at: now,
        decided_by: user.id,
        decision_comment: comment || null,
        updated_at: now,
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: `showcase.poster_${decision}`,
        entityType: 'showcase_item',
        entityId: id,
        ip,
        before: { status: poster.status },
        after: { status, comment: comment || null },
      })
    })
  }

  async mine(user: CurrentUser) {
    const { items } = await this.deps.projects.list(user, { mine: true, page: 1, pageSize: 200 })
    return repo.listPostersOf(
      this.db,
      user.id,
      items.map((p) => p.id),
    )
  }

  async reviewQueue(user: CurrentUser) {
    if (!isSteeringGroup(user)) throw new ForbiddenError('Only the Steering Group reviews posters')
    return repo.listSubmitted(this.db)
  }

  /** Projects this person may attach a poster to (those they can edit). */
  async projectChoices(user: CurrentUser) {
    const { items } = await this.deps.projects.list(user, { mine: true, page: 1, pageSize: 200 })
    const out: { id: string; title: string }[] = []
    for (const p of items) if (await this.mayEditProject(user, p.id)) out.push({ id: p.id, title: p.title })
    return out
  }
}
