import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { londonToIso } from '../core/dates.js'
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../core/errors.js'
import type { MeasureService } from '../measures/service.js'
import type { CommunityService } from '../community/service.js'
import type { JobQueue } from '../jobs/queue.js'
import { categoryNames, type OccasionInput } from './forms.js'
import { isSteeringGroup } from './policy.js'
import { PosterService, POSTER_FILE_JOB, uniqueSlug, type ShowcaseDeps } from './poster-service.js'
import type { ImprovementReportService } from '../improvement/reports.js'
import { ArchiveService } from './archive.js'
import { JudgingService } from './judging.js'
import { SimilarService } from './similar.js'
import * as repo from './repository.js'
import type { GalleryFilters, Occasion, Poster } from './repository.js'

export { POSTER_FILE_JOB } from './poster-service.js'
export type { Poster } from './repository.js'

export const GALLERY_PAGE_SIZE = 24

/** One period's showcase reach (ShowcaseService.reach). */
export interface ShowcaseReach {
  submitted: number
  published: number
  votes: number
}

export type VotingState = 'none' | 'not_open' | 'open' | 'closed'

/** A measure's chart as the poster page shows it: drawn by the engine, as the viewer may see it. */
export interface PosterChart {
  measure: Awaited<ReturnType<MeasureService['page']>>['measure']
  chart: Awaited<ReturnType<MeasureService['page']>>['chart']
}

/**
 * The showcase: occasions, the gallery, each poster's page and the members' vote; the posters'
 * own lifecycle (upload, consent, review) is PosterService's, reached through `posters`.
 */
export class ShowcaseService {
  readonly posters: PosterService
  readonly judging: JudgingService
  readonly archive: ArchiveService
  readonly similar: SimilarService

  constructor(
    private readonly deps: ShowcaseDeps & {
      measures: MeasureService
      community: CommunityService
      improvement: ImprovementReportService
    },
  ) {
    this.posters = new PosterService(deps)
    this.archive = new ArchiveService(deps)
    this.similar = new SimilarService(deps)
    this.judging = new JudgingService(deps, this.posters, (o) => this.isClosed(o))
  }

  /** Closed: by the Steering Group, or its voting window has ended. Judging ends with it. */
  isClosed(o: Occasion): boolean {
    return o.status === 'closed' || (o.votingClosesAt !== null && this.now() >= o.votingClosesAt)
  }

  private get db() {
    return this.deps.db
  }

  private now(): string {
    return this.deps.clock().toISOString()
  }

  /** The background job that checks and re-encodes an uploaded file. */
  registerJobs(jobs: JobQueue): void {
    jobs.handle<{ itemId: string; fileId: string }>(POSTER_FILE_JOB, (job, ctx) =>
      this.posters.processFile(job, ctx),
    )
  }

  // ----- occasions -----

  async occasions(): Promise<Occasion[]> {
    return repo.listOccasions(this.db)
  }

  votingState(o: Occasion): VotingState {
    if (!o.votingOpensAt || !o.votingClosesAt) return 'none'
    const now = this.now()
    if (o.status === 'closed' || now >= o.votingClosesAt) return 'closed'
    return now < o.votingOpensAt ? 'not_open' : 'open'
  }

  async createOccasion(user: CurrentUser, input: OccasionInput, ip?: string): Promise<string> {
    if (!isSteeringGroup(user)) throw new ForbiddenError('Only the Steering Group can create occasions')
    const id = newId()
    const now = this.now()
    const slug = await uniqueSlug(this.db, 'showcase_occasions', input.title)
    const names = categoryNames(input.categories)
    const votingOpensAt = input.votingOpensOn ? londonToIso(input.votingOpensOn, '00:00') : null
    const votingClosesAt = input.votingClosesOn
      ? londonToIso(input.votingClosesOn, input.votingClosesAt || '23:59')
      : null
    if (votingClosesAt && votingOpensAt && votingClosesAt <= votingOpensAt)
      throw new ValidationError({ votingClosesOn: 'Voting must close after it opens' })
    await this.db.transaction().execute(async (trx) => {
      await repo.insertOccasion(trx, {
        id,
        slug,
        title: input.title,
        kind: input.kind,
        summary: input.summary,
        month: input.startsOn ? input.startsOn.slice(0, 7) : null,
        startsOn: input.kind === 'event' ? input.startsOn : null,
        endsOn: input.kind === 'event' ? input.endsOn : null,
        votingOpensAt,
        votingClosesAt,
        createdBy: user.id,
        createdAt: now,
      })
      await repo.insertCategories(
        trx,
        id,
        names.map((name) => ({ id: newId(), name })),
      )
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'showcase.occasion_create',
        entityType: 'showcase_occasion',
        entityId: id,
        ip,
        after: {
          title: input.title,
          kind: input.kind,
          votingOpensAt,
          votingClosesAt,
          categories: names.length,
        },
      })
    })
    return id
  }

  /** Closing ends the vote at once (results show) and takes no new posters. */
  async closeOccasion(user: CurrentUser, id: string, ip?: string): Promise<void> {
    if (!isSteeringGroup(user)) throw new ForbiddenError('Only the Steering Group can close occasions')
    const occasion = await repo.findOccasion(this.db, id)
    if (!occasion) throw new NotFoundError()
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await repo.closeOccasion(trx, id, now)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'showcase.occasion_close',
        entityType: 'showcase_occasion',
        entityId: id,
        ip,
        before: { status: occasion.status },
        after: { status: 'closed' },
      })
    })
  }

  /** An occasion's page: its published posters, its posters to come, and the vote or its results. */
  async occasionPage(user: CurrentUser | null, id: string) {
    const occasion = await repo.findOccasion(this.db, id)
    if (!occasion) throw new NotFoundError()
    const member = Boolean(user?.emailVerified)
    const [all, categories] = await Promise.all([
      repo.listOccasionPosters(this.db, id),
      repo.listCategories(this.db, id),
    ])
    const posters: Poster[] = []
    for (const p of all) if (this.posters.accessFor(user, p, false).listed) posters.push(p)
    const toCome = all.filter((p) => p.status === 'awaiting_files')
    const voting = this.votingState(occasion)
    const myVotes = user && voting !== 'none' ? await repo.votesOf(this.db, id, user.id) : []
    let results: { category: string; rows: { itemId: string; title: string; votes: number }[] }[] | null =
      null
    const closed = this.isClosed(occasion)
    const isJudge = user ? (await this.judging.panelOf(occasion.id)).some((j) => j.userId === user.id) : false
    if (voting === 'closed') {
      const counts = await repo.voteCounts(this.db, id)
      results = categories.map((c) => ({
        category: c.name,
        rows: counts
          .filter((r) => r.categoryId === c.id)
          .sort((a, b) => b.votes - a.votes || a.title.localeCompare(b.title)),
      }))
    }
    return {
      occasion,
      categories,
      posters,
      toCome,
      voting,
      canVote: voting === 'open' && member && posters.length > 0,
      myVotes: Object.fromEntries(myVotes.map((v) => [v.category_id, v.item_id])),
      results,
      judgingResults: closed ? await this.judging.results(occasion.id) : null,
      isJudge,
      canManage: isSteeringGroup(user),
    }
  }

  /**
   * One vote per member per category, changeable until the window closes. The unique index
   * (occasion, category, voter) is the rule; the upsert makes a second request a change.
   */
  async vote(
    user: CurrentUser | null,
    occasionId: string,
    categoryId: string,
    itemId: string,
  ): Promise<{ changed: boolean; title: string; category: string }> {
    if (!user) throw new UnauthenticatedError()
    if (!user.emailVerified) throw new ForbiddenError('Confirm your e-mail address before you vote')
    const occasion = await repo.findOccasion(this.db, occasionId)
    if (!occasion) throw new NotFoundError()
    const state = this.votingState(occasion)
    if (state === 'none') throw new ValidationError({ itemId: 'This occasion has no vote' })
    if (state === 'not_open') throw new ValidationError({ itemId: 'Voting has not opened yet' })
    if (state === 'closed')
      throw new ValidationError({ itemId: 'Voting has closed: your vote was not counted' })
    const category = (await repo.listCategories(this.db, occasionId)).find((c) => c.id === categoryId)
    if (!category) throw new ValidationError({ categoryId: 'Select a category' })
    const poster = itemId ? await repo.findPoster(this.db, itemId) : null
    if (!poster || poster.occasionId !== occasionId)
      throw new ValidationError({ itemId: `Select a poster to vote for in ${category.name}` })
    if (!this.posters.accessFor(user, poster, false).listed)
      throw new ValidationError({ itemId: 'This poster has been withdrawn: choose another' })
    const now = this.now()
    return this.db.transaction().execute(async (trx) => {
      const before = (await repo.votesOf(trx, occasionId, user.id)).find((v) => v.category_id === categoryId)
      if (before?.item_id === itemId)
        throw new ValidationError({
          itemId: `You have already voted for ${poster.title} in ${category.name}`,
        })
      await repo.upsertVote(trx, { id: newId(), occasionId, categoryId, voterId: user.id, itemId, at: now })
      return { changed: Boolean(before), title: poster.title, category: category.name }
    })
  }

  // ----- the gallery -----

  async gallery(user: CurrentUser | null, filters: GalleryFilters) {
    return repo.searchGallery(this.db, Boolean(user?.emailVerified), filters)
  }

  /** The lists the archive's form needs (no occasions or years: it filters projects, not posters). */
  async archiveOptions() {
    const [programmes, organisations, aims] = await Promise.all([
      this.deps.community.programmes(),
      this.deps.community.listOrganisations(),
      this.deps.community.aims(),
    ])
    return { programmes, organisations, aims: aims.flatMap((g) => g.items) }
  }

  async filterOptions() {
    const [shared, occasions, years] = await Promise.all([
      this.archiveOptions(),
      repo.listOccasions(this.db),
      this.db
        .selectFrom('showcase_items')
        .select('year')
        .distinct()
        .where('year', 'is not', null)
        .orderBy('year', 'desc')
        .execute(),
    ])
    return { occasions, ...shared, years: years.map((y) => Number(y.year)) }
  }

  /**
   * Showcase reach per period, for the Steering Group's portfolio (governance applies its policy):
   * posters submitted (their latest submission), published (approved) and votes cast in
   * [since, until). `periodOf` names the period of an instant. Counts only.
   */
  async reach(
    since: string,
    until: string,
    periodOf: (iso: string) => string,
  ): Promise<Map<string, ShowcaseReach>> {
    const instants = await repo.reachInstants(this.db, since, until)
    const reach = new Map<string, ShowcaseReach>()
    for (const key of ['submitted', 'published', 'votes'] as const)
      for (const at of instants[key]) {
        const period = periodOf(at)
        let r = reach.get(period)
        if (!r) reach.set(period, (r = { submitted: 0, published: 0, votes: 0 }))
        r[key]++
      }
    return reach
  }

  /**
   * Published, public posters for a search provider or sitemap (site-wide search lives elsewhere):
   * the same rule as the gallery for a visitor who is not signed in.
   */
  async listPublicPosters(
    limit = 5000,
  ): Promise<{ id: string; title: string; summary: string; url: string; approvedAt: string | null }[]> {
    const rows = await repo.listPublished(this.db, false, limit)
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      summary: r.summary,
      url: `/showcase/posters/${r.id}`,
      approvedAt: r.decided_at,
    }))
  }

  /**
   * The ids of the posters this person may see listed (approved, file ready, consent confirmed and
   * not withdrawn; public, or community for a member), as a subquery: the gallery's rule, for site search.
   */
  visiblePosterIdsQuery(user: CurrentUser | null) {
    return this.db
      .selectFrom('showcase_items')
      .select('showcase_items.id')
      .where(repo.listedWhere(Boolean(user?.emailVerified)))
  }

  /** A published poster this viewer may see (as the gallery lists it), or null. */
  async publishedPoster(user: CurrentUser | null, id: string): Promise<Poster | null> {
    const poster = await repo.findPoster(this.db, id)
    return poster && this.posters.accessFor(user, poster, false).listed ? poster : null
  }

  // ----- a poster's page -----

  async posterPage(user: CurrentUser | null, id: string) {
    const { poster, access } = await this.posters.load(user, id, 'view')
    const [links, files] = await Promise.all([repo.posterLinks(this.db, id), repo.fileMeta(this.db, id)])
    const project = poster.projectId ? await this.posters.mayViewProject(user, poster.projectId) : null
    const charts: PosterChart[] = []
    if (project) {
      const list = await this.deps.measures.listForProject(user, project.id)
      for (const item of list.items.filter((i) => i.summary.points > 0).slice(0, 3)) {
        const page = await this.deps.measures.page(user, item.measure.id, { width: 560, rows: 24 })
        charts.push({ measure: page.measure, chart: page.chart })
      }
    }
    const occasion = poster.occasionId ? await repo.findOccasion(this.db, poster.occasionId) : null
    return {
      poster,
      access,
      occasion,
      organisations: links.organisations,
      aims: links.aims,
      files: Object.fromEntries(files.map((f) => [f.role, f])),
      project,
      charts,
      missing: access.edit ? this.posters.missing(poster) : [],
      consents: access.consent ? (await this.posters.consents(user, id)).consents : [],
    }
  }
}
