import type { Kysely, Transaction } from 'kysely'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { newId } from '../core/ids.js'
import type { DB } from '../db/schema.js'
import type { JobQueue } from '../jobs/queue.js'
import type { MailService } from '../mail/service.js'
import type { DirectoryCard, PeopleService } from '../people/service.js'
import type { EmailPref, NetworkAccess, ReportReason } from './policy.js'
import type { NetworkInput, ThreadInput } from './forms.js'
import { canEdit, isIgLead, networkAccess, RESERVED_SLUGS } from './policy.js'
import { NetworkNotifier } from './notify.js'
import { renderPost } from './render.js'
import * as repo from './repository.js'

export interface NetworkDeps {
  db: Kysely<DB>
  clock: () => Date
  mail: MailService
  jobs: JobQueue
  people: PeopleService
  baseUrl: string
}

export interface Loaded {
  network: repo.Network
  access: NetworkAccess
  membership: Awaited<ReturnType<typeof repo.findMembership>>
}

export interface ShownPost extends repo.Post {
  html: string
  canEdit: boolean
  canDelete: boolean
  canReport: boolean
}

/** The member list shows this many members, by name (each read through the people feature's profile rules). */
export const MEMBER_PAGE = 200

export function slugFor(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'network'
  )
}

/** Networks, their members, discussions and moderation. */
export class NetworkService {
  readonly notifier: NetworkNotifier
  private readonly db: Kysely<DB>

  constructor(private readonly deps: NetworkDeps) {
    this.db = deps.db
    this.notifier = new NetworkNotifier(deps)
  }

  private now(): string {
    return this.deps.clock().toISOString()
  }

  registerJobs(jobs: JobQueue): void {
    this.notifier.registerJobs(jobs)
  }

  /**
   * The person's recent mentions and the replies to threads they posted in (the "my work"
   * home), newest first: only in networks they still belong to, only posts still shown; a
   * mention that is also a reply is listed once, as the mention.
   */
  async activityFor(user: CurrentUser, options: { days?: number; limit?: number } = {}) {
    const since = new Date(this.deps.clock().getTime() - (options.days ?? 30) * 86_400_000).toISOString()
    const limit = options.limit ?? 10
    const rows = await repo.activityFor(this.db, user.id, since, limit)
    const seen = new Set<string>()
    return rows
      .filter((r) => !seen.has(r.postId) && (seen.add(r.postId), true))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
      .map((r) => ({
        kind: r.kind,
        threadTitle: r.threadTitle,
        networkName: r.networkName,
        authorName: r.authorName ?? 'A former member',
        createdAt: r.createdAt,
        href: `/networks/${encodeURIComponent(r.slug)}/threads/${encodeURIComponent(r.threadId)}#post-${encodeURIComponent(r.postId)}`,
      }))
  }

  private async audit(
    trx: Transaction<DB>,
    user: CurrentUser,
    action: string,
    entityType: string,
    entityId: string,
    after: Record<string, unknown>,
    ip?: string,
  ) {
    await writeAudit(trx, this.now(), {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action,
      entityType,
      entityId,
      ip,
      after,
    })
  }

  // ----- networks -----

  async list(user: CurrentUser | null) {
    return repo.listNetworks(this.db, user?.id ?? null)
  }

  /**
   * The ids of the networks whose threads and posts this person may read (none when signed out):
   * the same rule as `networkAccess(...).read`, for search and other lists across networks.
   */
  async readableNetworkIds(user: CurrentUser | null): Promise<string[]> {
    return user ? repo.readableNetworkIds(this.db, user.id) : []
  }

  /** For the site search: threads and posts this person may read, as subqueries of ids. */
  readableThreadIdsQuery(user: CurrentUser | null) {
    return repo.readableThreadIdsQuery(this.db, user?.id ?? null)
  }

  readablePostIdsQuery(user: CurrentUser | null) {
    return repo.readablePostIdsQuery(this.db, user?.id ?? null)
  }

  async load(user: CurrentUser | null, slug: string): Promise<Loaded> {
    const network = await repo.findNetworkBySlug(this.db, slug)
    if (!network) throw new NotFoundError()
    const membership = user ? await repo.findMembership(this.db, network.id, user.id) : null
    return { network, membership, access: networkAccess(user, network, membership) }
  }

  /** Loads a network the user may read (a closed network's discussions are a 404 to others). */
  async readable(user: CurrentUser | null, slug: string): Promise<Loaded> {
    const loaded = await this.load(user, slug)
    if (!loaded.access.read) throw new NotFoundError()
    return loaded
  }

  async requireModerator(user: CurrentUser, slug: string): Promise<Loaded> {
    const loaded = await this.load(user, slug)
    if (!loaded.access.read) throw new NotFoundError()
    if (!loaded.access.moderate)
      throw new ForbiddenError('Only the network’s owners and moderators can do this')
    return loaded
  }

  async requirePoster(user: CurrentUser, slug: string): Promise<Loaded> {
    const loaded = await this.load(user, slug)
    if (!loaded.access.read) throw new NotFoundError()
    if (!loaded.access.post) throw new ForbiddenError('Join the network to take part in its discussions')
    return loaded
  }

  async page(user: CurrentUser | null, slug: string) {
    const loaded = await this.load(user, slug)
    const threads = loaded.access.read ? await repo.listThreads(this.db, loaded.network.id) : []
    const counts = await repo.countMembers(this.db, loaded.network.id)
    const moderate = loaded.access.moderate
    return {
      ...loaded,
      threads,
      memberCount: counts.active,
      requestCount: moderate ? counts.requested : 0,
      reportCount: moderate
        ? (await repo.openReports(this.db, { networkId: loaded.network.id, routedTo: 'moderators' })).length
        : 0,
    }
  }

  /** Any member may propose a network; they become its owner. */
  async propose(user: CurrentUser, input: NetworkInput, ip?: string): Promise<string> {
    if (await repo.nameTaken(this.db, input.name))
      throw new ValidationError({
        name: 'There is already a network with this name: join it, or choose another name',
      })
    const base = slugFor(input.name)
    let slug = RESERVED_SLUGS.has(base) ? `${base}-network` : base
    for (let n = 2; await repo.slugTaken(this.db, slug); n++) slug = `${base}-${n}`
    const id = newId()
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.insertNetwork(trx, { id, slug, ...input, createdBy: user.id, now })
      await repo.insertMember(trx, {
        networkId: id,
        userId: user.id,
        role: 'owner',
        status: 'active',
        emailPref: 'every',
        now,
      })
      await this.audit(
        trx,
        user,
        'network.created',
        'network',
        id,
        { slug, joinPolicy: input.joinPolicy },
        ip,
      )
    })
    return slug
  }

  async join(user: CurrentUser, slug: string, ip?: string): Promise<'joined' | 'requested' | 'already'> {
    const { network, membership } = await this.load(user, slug)
    if (membership) return 'already'
    const status = network.joinPolicy === 'open' ? 'active' : 'requested'
    await this.db.transaction().execute(async (trx) => {
      await repo.insertMember(trx, {
        networkId: network.id,
        userId: user.id,
        role: 'member',
        status,
        emailPref: 'weekly',
        now: this.now(),
      })
      await this.audit(
        trx,
        user,
        status === 'active' ? 'network.joined' : 'network.join_requested',
        'network',
        network.id,
        { status },
        ip,
      )
    })
    return status === 'active' ? 'joined' : 'requested'
  }

  async leave(user: CurrentUser, slug: string, ip?: string): Promise<void> {
    const { network, membership } = await this.load(user, slug)
    if (!membership) return
    await this.db.transaction().execute(async (trx) => {
      if (
        membership.role === 'owner' &&
        membership.status === 'active' &&
        (await repo.countOwners(trx, network.id)) <= 1
      ) {
        const others = (await repo.listMembers(trx, network.id, 'active')).length - 1
        if (others > 0)
          throw new ConflictError(
            'You are the network’s only owner: make another member an owner or moderator first',
          )
      }
      await repo.deleteMember(trx, network.id, user.id)
      await this.audit(trx, user, 'network.left', 'network', network.id, { status: membership.status }, ip)
    })
  }

  async setPreference(user: CurrentUser, slug: string, pref: EmailPref, ip?: string): Promise<void> {
    const { network, membership } = await this.load(user, slug)
    if (!membership || membership.status !== 'active')
      throw new ForbiddenError('Join the network to choose its e-mails')
    await this.db.transaction().execute(async (trx) => {
      await repo.updateMember(trx, network.id, user.id, { email_pref: pref })
      await this.audit(trx, user, 'network.email_preference', 'network', network.id, { emailPref: pref }, ip)
    })
  }

  async decideRequest(
    user: CurrentUser,
    slug: string,
    userId: string,
    decision: 'approve' | 'decline',
    ip?: string,
  ) {
    const { network } = await this.requireModerator(user, slug)
    return this.db.transaction().execute(async (trx) => {
      const m = await repo.findMembership(trx, network.id, userId)
      if (!m || m.status !== 'requested')
        throw new NotFoundError('There is no request from this person to decide')
      if (decision === 'approve')
        await repo.updateMember(trx, network.id, userId, { status: 'active', joined_at: this.now() })
      else await repo.deleteMember(trx, network.id, userId)
      await this.audit(
        trx,
        user,
        `network.request_${decision === 'approve' ? 'approved' : 'declined'}`,
        'network',
        network.id,
        { member: userId },
        ip,
      )
      return (await repo.listMembers(trx, network.id)).find((x) => x.userId === userId)?.name ?? 'The member'
    })
  }

  /** Owners appoint and stand down moderators. */
  async setRole(user: CurrentUser, slug: string, userId: string, role: 'moderator' | 'member', ip?: string) {
    const loaded = await this.requireModerator(user, slug)
    if (!loaded.access.own) throw new ForbiddenError('Only the network’s owners can appoint moderators')
    await this.db.transaction().execute(async (trx) => {
      const m = await repo.findMembership(trx, loaded.network.id, userId)
      if (!m || m.status !== 'active') throw new NotFoundError('This person is not a member of the network')
      if (m.role === 'owner') throw new ConflictError('An owner’s role is not changed here')
      await repo.updateMember(trx, loaded.network.id, userId, { role })
      await this.audit(
        trx,
        user,
        'network.role_changed',
        'network',
        loaded.network.id,
        { member: userId, role },
        ip,
      )
    })
  }

  /**
   * The member list, each as their profile shows them to this viewer (PeopleService's rules:
   * what they share; partners' contact details only to those allowed). Members who keep their
   * profile out of the directory are counted, and named only to moderators.
   */
  async members(user: CurrentUser, slug: string) {
    const loaded = await this.readable(user, slug)
    const counts = await repo.countMembers(this.db, loaded.network.id)
    const active = await repo.listMembers(this.db, loaded.network.id, 'active', MEMBER_PAGE)
    const cards: { role: string; card: DirectoryCard }[] = []
    const unlisted: { name: string; role: string }[] = []
    for (const m of active) {
      try {
        cards.push({ role: m.role, card: await this.deps.people.profile(user, m.userId) })
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error
        unlisted.push({ name: m.name, role: m.role })
      }
    }
    return {
      ...loaded,
      cards,
      unlistedCount: unlisted.length,
      unlisted: loaded.access.moderate ? unlisted : [],
      /** Members past the first MEMBER_PAGE, by name, who are not shown. */
      moreCount: Math.max(0, counts.active - active.length),
      requests: loaded.access.moderate ? await repo.listMembers(this.db, loaded.network.id, 'requested') : [],
    }
  }

  // ----- discussions -----

  async startThread(user: CurrentUser, slug: string, input: ThreadInput, ip?: string): Promise<string> {
    const { network } = await this.requirePoster(user, slug)
    const threadId = newId()
    const postId = newId()
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.insertThread(trx, {
        id: threadId,
        networkId: network.id,
        title: input.title,
        createdBy: user.id,
        now,
      })
      await repo.insertPost(trx, {
        id: postId,
        threadId,
        networkId: network.id,
        authorId: user.id,
        body: input.body,
        isOpening: true,
        now,
      })
      await this.audit(
        trx,
        user,
        'network.thread_started',
        'network_thread',
        threadId,
        { network: network.id, length: input.body.length },
        ip,
      )
      await this.notifier.afterPost(
        trx,
        {
          id: postId,
          threadId,
          title: input.title,
          body: input.body,
          authorId: user.id,
          authorName: user.name,
        },
        network,
      )
    })
    return threadId
  }

  private async thread(loaded: Loaded, threadId: string) {
    const thread = await repo.findThread(this.db, threadId)
    if (!thread || thread.networkId !== loaded.network.id) throw new NotFoundError()
    return thread
  }

  async threadPage(user: CurrentUser, slug: string, threadId: string) {
    const loaded = await this.readable(user, slug)
    const thread = await this.thread(loaded, threadId)
    const now = this.deps.clock()
    const posts: ShownPost[] = (await repo.listPosts(this.db, thread.id)).map((p) => ({
      ...p,
      html: p.status === 'visible' ? renderPost(p.body) : '',
      canEdit: canEdit(user, p, now),
      canDelete: p.status !== 'removed' && (p.authorId === user.id || loaded.access.moderate),
      canReport: p.status === 'visible' && loaded.access.read && p.authorId !== user.id,
    }))
    return { ...loaded, thread, posts }
  }

  async reply(user: CurrentUser, slug: string, threadId: string, body: string, ip?: string): Promise<string> {
    const loaded = await this.requirePoster(user, slug)
    const thread = await this.thread(loaded, threadId)
    if (thread.status !== 'open')
      throw new ValidationError({
        body: 'This discussion was removed, so it takes no new replies. Your text is below: copy it if you want to keep it',
      })
    const id = newId()
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.insertPost(trx, {
        id,
        threadId,
        networkId: loaded.network.id,
        authorId: user.id,
        body,
        isOpening: false,
        now,
      })
      await repo.updateThread(trx, threadId, { last_post_at: now })
      await this.audit(
        trx,
        user,
        'network.replied',
        'network_post',
        id,
        { thread: threadId, length: body.length },
        ip,
      )
      await this.notifier.afterPost(
        trx,
        { id, threadId, title: thread.title, body, authorId: user.id, authorName: user.name },
        loaded.network,
      )
    })
    return id
  }

  private async post(loaded: Loaded, postId: string) {
    const post = await repo.findPost(this.db, postId)
    if (!post || post.networkId !== loaded.network.id) throw new NotFoundError()
    return post
  }

  /** The post its author may still edit (within the window, not removed or hidden). */
  async editable(user: CurrentUser, slug: string, postId: string) {
    const loaded = await this.readable(user, slug)
    const post = await this.post(loaded, postId)
    if (post.authorId !== user.id) throw new ForbiddenError('Only the author can edit a post')
    if (!canEdit(user, post, this.deps.clock()))
      throw new ForbiddenError(
        post.status === 'visible'
          ? 'A post can be edited for 15 minutes after it is written. Reply instead to add or correct something.'
          : 'This post was removed or is hidden, so it cannot be edited',
      )
    return { ...loaded, post }
  }

  async editPost(user: CurrentUser, slug: string, postId: string, body: string, ip?: string) {
    const { post } = await this.editable(user, slug, postId)
    await this.db.transaction().execute(async (trx) => {
      await repo.updatePost(trx, postId, { body, edited_at: this.now() })
      await this.audit(trx, user, 'network.post_edited', 'network_post', postId, { length: body.length }, ip)
    })
    return post
  }

  /**
   * Removes a post (its author or a moderator): the text goes, the row stays as "This post was
   * removed", and the audit log says who and when (never the text). Removing a thread's opening
   * post removes the thread: its title goes too and it takes no more replies.
   */
  async deletePost(user: CurrentUser, slug: string, postId: string, ip?: string) {
    const loaded = await this.readable(user, slug)
    const post = await this.post(loaded, postId)
    if (post.status === 'removed') return { post, already: true }
    const byAuthor = post.authorId === user.id
    if (!byAuthor && !loaded.access.moderate)
      throw new ForbiddenError('Only the author or a moderator can delete a post')
    await this.remove(user, post, byAuthor ? 'author' : 'moderator', ip)
    return { post, already: false }
  }

  private async remove(user: CurrentUser, post: repo.Post, by: string, ip?: string) {
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.updatePost(trx, post.id, {
        body: '',
        status: 'removed',
        removed_at: now,
        removed_by: user.id,
      })
      if (post.isOpening)
        await repo.updateThread(trx, post.threadId, {
          title: '',
          status: 'removed',
          removed_at: now,
          removed_by: user.id,
        })
      await repo.closeReports(trx, post.id, 'upheld', user.id, now)
      await this.audit(
        trx,
        user,
        'network.post_removed',
        'network_post',
        post.id,
        { by, thread: post.threadId, opening: post.isOpening },
        ip,
      )
    })
  }

  async reportable(user: CurrentUser, slug: string, postId: string) {
    const loaded = await this.readable(user, slug)
    return { ...loaded, post: await this.post(loaded, postId) }
  }

  /**
   * Reports a post. A report of patient data goes to the IG lead and hides the post at once;
   * any other goes to the network's moderators. A post already removed needs no report.
   */
  async report(user: CurrentUser, slug: string, postId: string, reason: ReportReason, ip?: string) {
    const { network, post } = await this.reportable(user, slug, postId)
    if (post.status === 'removed') return 'removed' as const
    const patientData = reason === 'patient_data'
    const id = newId()
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.insertReport(trx, {
        id,
        postId,
        networkId: network.id,
        reporterId: user.id,
        reason,
        routedTo: patientData ? 'ig_lead' : 'moderators',
        now,
      })
      if (patientData) {
        await repo.updatePost(trx, postId, { status: 'hidden' })
        await this.notifier.patientDataReported(trx, network)
      } else await this.notifier.reported(trx, network)
      await this.audit(
        trx,
        user,
        'network.post_reported',
        'network_post',
        postId,
        { reason, report: id, hidden: patientData },
        ip,
      )
    })
    return patientData ? ('hidden' as const) : ('reported' as const)
  }

  async reportQueue(user: CurrentUser, slug: string) {
    const loaded = await this.requireModerator(user, slug)
    const reports = await repo.openReports(this.db, { networkId: loaded.network.id, routedTo: 'moderators' })
    return {
      ...loaded,
      reports: reports.map((r) => ({ ...r, html: r.postStatus === 'visible' ? renderPost(r.postBody) : '' })),
    }
  }

  async igQueue(user: CurrentUser) {
    if (!isIgLead(user)) throw new ForbiddenError('Only the information governance lead can see this')
    const reports = await repo.openReports(this.db, { routedTo: 'ig_lead' })
    return reports.map((r) => ({ ...r, html: r.postStatus === 'removed' ? '' : renderPost(r.postBody) }))
  }

  /** Loads a report its handler may decide: moderators for theirs, the IG lead for patient data. */
  async reportFor(user: CurrentUser, reportId: string) {
    const report = await repo.findReport(this.db, reportId)
    if (!report) throw new NotFoundError()
    if (report.routedTo === 'ig_lead') {
      if (!isIgLead(user)) throw new NotFoundError()
    } else {
      const loaded = await this.load(user, report.networkSlug)
      if (!loaded.access.moderate) throw new NotFoundError()
    }
    return report
  }

  async decideReport(
    user: CurrentUser,
    reportId: string,
    decision: 'remove' | 'dismiss' | 'restore',
    ip?: string,
  ) {
    const report = await this.reportFor(user, reportId)
    if (report.status !== 'open') return { report, outcome: 'already' as const }
    const post = await repo.findPost(this.db, report.postId)
    if (!post) throw new NotFoundError()
    const ig = report.routedTo === 'ig_lead'
    if (decision === 'remove') {
      if (post.status !== 'removed') await this.remove(user, post, ig ? 'ig_lead' : 'moderator', ip)
      else
        await this.db.transaction().execute(async (trx) => {
          await repo.closeReports(trx, post.id, 'upheld', user.id, this.now())
        })
      return { report, outcome: 'removed' as const }
    }
    if (ig && decision === 'dismiss') decision = 'restore'
    await this.db.transaction().execute(async (trx) => {
      const now = this.now()
      if (decision === 'restore' && post.status === 'hidden') {
        await repo.updatePost(trx, post.id, { status: 'visible' })
        await repo.closeReports(trx, post.id, 'restored', user.id, now, 'ig_lead')
      } else await repo.closeReports(trx, post.id, 'dismissed', user.id, now, 'moderators')
      await this.audit(
        trx,
        user,
        'network.report_decided',
        'network_report',
        report.id,
        { decision, post: post.id },
        ip,
      )
    })
    return { report, outcome: decision === 'restore' ? ('restored' as const) : ('dismissed' as const) }
  }
}
