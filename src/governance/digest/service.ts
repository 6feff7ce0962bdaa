import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { writeAudit } from '../../audit/service.js'
import { actorLabel, hasRole, type CurrentUser } from '../../core/identity.js'
import { addDays, londonToIso, londonWeek } from '../../core/dates.js'
import { ForbiddenError, NotFoundError } from '../../core/errors.js'
import type { Job, JobContext, JobQueue } from '../../jobs/queue.js'
import type { MailService } from '../../mail/service.js'
import { unsubscribeHeaders, unsubscribeTokens } from '../../mail/unsubscribe.js'
import { loadRoleHolders } from '../../people/accounts.js'
import type { ProjectService } from '../../projects/service.js'
import type { MeasureService } from '../../measures/service.js'
import type { PipelineService } from '../../facilitation/capacity/pipeline-service.js'
import type { DashboardService } from '../../learning/dashboard-service.js'
import type { PortfolioService } from '../portfolio-service.js'
import { canSeeBoardSummary, canSteer } from '../policy.js'
import { listBoardMeasures } from '../repository.js'
import { count, digestText, section, type DigestSection } from './content.js'
import * as repo from './repository.js'

export const DIGEST_JOB = 'governance.digest'
export const DIGEST_LIST = 'governance.digest'
const isDigestList = (list: string) => list === DIGEST_LIST
export const DIGEST_SETTINGS_PATH = '/steering-group/digest'
export const DIGEST_UNSUBSCRIBE_PATH = '/steering-group/digest/unsubscribe'

/** The week a digest covers: its Monday and its bounds (London). */
export interface DigestPayload {
  week: string
  from: string
  to: string
}

export interface DigestDeps {
  mail: MailService
  jobs: JobQueue
  baseUrl: string
  projects: Pick<ProjectService, 'visibleIds' | 'titles'>
  measures: Pick<MeasureService, 'reports'>
  portfolio: Pick<PortfolioService, 'stalled'>
  pipeline: Pick<PipelineService, 'newAndAgeing'>
  learning: { dashboard: Pick<DashboardService, 'cohortsStarting'> }
  /** The showcase's review queue (the Steering Group approves posters). */
  review?: { reviewQueue(user: CurrentUser): Promise<{ id: string; title: string }[]> }
}

const DAY = 86_400_000
const dateWords = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })

/**
 * The weekly digest (issue 12 point 7): on Monday morning, last week's new special-cause signals,
 * stalled projects, new and ageing support requests, courses filling or empty in the next four
 * weeks and posters awaiting approval, to each Steering Group member who has not turned it off and
 * each Board member who turned it on. Each section follows the page rights: the Board gets the
 * signals of the Board's measures and the courses only. A database job per week (one live job per
 * key), and one row per recipient and week, so it is sent once however many workers run it; the
 * mail is written to the outbox in the job's fenced commit.
 */
export class DigestService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly deps: DigestDeps,
  ) {}

  registerJobs(jobs: JobQueue): void {
    jobs.handle<DigestPayload>(DIGEST_JOB, (job, ctx) => this.send(job, ctx))
  }

  /** Who may choose: the Steering Group and the Board. */
  requireRecipient(user: CurrentUser): void {
    if (!canSeeBoardSummary(user))
      throw new ForbiddenError('Only the Steering Group and the Board can get the weekly digest')
  }

  /** Without a choice, the Steering Group gets it and the Board does not (they opt in). */
  private defaultFor(user: CurrentUser): boolean {
    return canSteer(user)
  }

  async preference(user: CurrentUser): Promise<{ weekly: boolean; isDefault: boolean; steering: boolean }> {
    this.requireRecipient(user)
    const stored = (await repo.digestPrefs(this.db, [user.id])).get(user.id)
    return {
      weekly: stored ?? this.defaultFor(user),
      isDefault: stored === undefined,
      steering: canSteer(user),
    }
  }

  async setPreference(user: CurrentUser, weekly: boolean, ip?: string): Promise<void> {
    this.requireRecipient(user)
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await repo.saveDigestPref(trx, user.id, weekly, now)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'governance.digest_pref',
        entityType: 'user',
        entityId: user.id,
        ip,
        after: { weekly },
      })
    })
  }

  /**
   * Queues the digest of the current week, to run next Monday at 07:00 (London). The worker calls
   * this every few minutes; the job's key keeps one live job per week across instances.
   */
  async schedule(now = this.clock()): Promise<string> {
    const week = londonWeek(now)
    return this.deps.jobs.enqueue(
      DIGEST_JOB,
      { week: week.monday, from: week.from, to: week.to } satisfies DigestPayload,
      { key: `week:${week.monday}`, runAt: new Date(londonToIso(addDays(week.monday, 7), '07:00')) },
    )
  }

  /** Everyone who gets this week's digest. */
  async recipients(): Promise<CurrentUser[]> {
    const people = await loadRoleHolders(this.db, ['steering_group', 'board'], 'digest')
    const prefs = await repo.digestPrefs(
      this.db,
      people.map((p) => p.id),
    )
    return people.filter((p) => p.emailVerified && (prefs.get(p.id) ?? this.defaultFor(p)))
  }

  /** The sections of this person's digest for the week; empty sections left out. */
  async sections(user: CurrentUser, payload: DigestPayload): Promise<DigestSection[]> {
    const steering = canSteer(user)
    const now = this.clock()
    const [signals, stalled, support, courses, posters] = await Promise.all([
      this.signals(user, payload),
      steering ? this.deps.portfolio.stalled(user, {}) : null,
      steering ? this.deps.pipeline.newAndAgeing(payload.from) : null,
      this.deps.learning.dashboard.cohortsStarting(
        now.toISOString(),
        new Date(now.getTime() + 28 * DAY).toISOString(),
      ),
      steering && this.deps.review ? this.deps.review.reviewQueue(user) : null,
    ])
    const out: (DigestSection | null)[] = [signals]
    if (stalled)
      out.push(
        section(
          'stalled',
          'Stalled projects',
          `${count(stalled.items.length, 'project has', 'projects have')} had no data point and no PDSA change for ${stalled.days} days.`,
          stalled.items.map((p) => ({ text: `${p.title}: ${p.silentDays} days`, href: `/projects/${p.id}` })),
        ),
      )
    if (support) {
      const items = [
        ...support.fresh.map((r) => ({ text: `New: ${r.title}`, href: `/support/requests/${r.id}` })),
        ...support.ageing.map((r) => ({
          text: `Waiting since ${dateWords.format(new Date(r.statusChangedAt))}: ${r.title}`,
          href: `/support/requests/${r.id}`,
        })),
      ]
      out.push(
        section(
          'support',
          'Support requests',
          `${count(support.fresh.length, 'new request', 'new requests')} last week; ${count(support.ageing.length, 'request has', 'requests have')} waited six weeks or more.`,
          items,
        ),
      )
    }
    const filling = courses.filter(
      (c) => c.capacity > 0 && (c.placesTaken >= 0.8 * c.capacity || c.waitlisted > 0),
    )
    const empty = courses.filter((c) => c.placesTaken === 0)
    out.push(
      section(
        'courses',
        'Courses filling or empty',
        `Starting in the next four weeks: ${count(filling.length, 'cohort is', 'cohorts are')} nearly full, ${count(empty.length, 'has', 'have')} nobody enrolled.`,
        [
          ...filling.map((c) => ({
            text: `Filling: ${c.courseTitle}, ${c.cohortName} (${c.placesTaken} of ${c.capacity} places${c.waitlisted ? `, ${c.waitlisted} waiting` : ''})`,
            href: `/learning/courses/${c.courseSlug}`,
          })),
          ...empty.map((c) => ({
            text: `Empty: ${c.courseTitle}, ${c.cohortName}`,
            href: `/learning/courses/${c.courseSlug}`,
          })),
        ],
      ),
    )
    if (posters)
      out.push(
        section(
          'posters',
          'Posters awaiting approval',
          `${count(posters.length, 'poster is', 'posters are')} waiting for the Steering Group’s decision.`,
          posters.map((p) => ({ text: p.title, href: `/showcase/review` })),
        ),
      )
    return out.filter((s): s is DigestSection => s !== null)
  }

  /** Special cause that appeared in last week's stored results, of measures this person may see in the digest. */
  private async signals(user: CurrentUser, payload: DigestPayload): Promise<DigestSection | null> {
    const all = await this.deps.measures.reports.signalsStoredBetween(payload.from, payload.to)
    let mine = all
    if (canSteer(user)) {
      const visible = new Set(
        await this.deps.projects.visibleIds(user, [...new Set(all.map((s) => s.projectId))]),
      )
      mine = all.filter((s) => visible.has(s.projectId))
    } else {
      const board = new Set((await listBoardMeasures(this.db)).map((b) => b.measureId))
      mine = all.filter((s) => board.has(s.measureId))
    }
    const titles = await this.deps.projects.titles([...new Set(mine.map((s) => s.projectId))])
    const improvement = mine.filter((s) => s.icon.startsWith('improvement')).length
    return section(
      'signals',
      'New special-cause signals',
      `${count(mine.length, 'measure', 'measures')} showed special cause at the latest point after last week’s changes: ${improvement} improvement, ${mine.length - improvement} concern.`,
      mine.map((s) => ({
        text: `${s.name} (${titles.get(s.projectId) ?? 'a project'}): ${s.label}${s.period ? `, ${s.period}` : ''}`,
        href: `/measures/${s.measureId}`,
      })),
    )
  }

  /** The job: one digest per recipient for the week, unless it was sent or would be empty. */
  async send(job: Job<DigestPayload>, ctx: JobContext): Promise<void> {
    const payload = job.payload
    const recipients = await this.recipients()
    const digests: { user: CurrentUser; sections: DigestSection[] }[] = []
    for (const user of recipients) {
      const sections = await this.sections(user, payload)
      if (sections.length) digests.push({ user, sections })
    }
    const now = this.clock().toISOString()
    const weekWords = dateWords.format(new Date(`${payload.week}T12:00:00Z`))
    await ctx.commit(async (trx) => {
      for (const { user, sections } of digests) {
        if (!(await repo.claimDigest(trx, user.id, payload.week, now))) continue
        const token = await unsubscribeTokens.issue(trx, user.id, DIGEST_LIST, now)
        const url = `${this.deps.baseUrl}${DIGEST_UNSUBSCRIBE_PATH}/${token}`
        await this.deps.mail.enqueue(trx, {
          to: user.email,
          toName: user.name,
          subject: `Weekly digest for the week of ${weekWords}`,
          text: digestText(
            `Your weekly digest for the week beginning ${weekWords}, from the live data.`,
            sections,
            this.deps.baseUrl,
            { settings: DIGEST_SETTINGS_PATH, unsubscribe: url },
          ),
          kind: 'governance_digest',
          headers: unsubscribeHeaders(url),
        })
      }
    })
  }

  /** Whether an unsubscribe link works: 'ok', 'used' or (a tampered or made-up link) 'unknown'. */
  async unsubscribeState(token: string): Promise<'ok' | 'used' | 'unknown'> {
    const found = await unsubscribeTokens.find(this.db, token, isDigestList)
    return !found ? 'unknown' : found.usedAt ? 'used' : 'ok'
  }

  /** Uses the link (no sign-in: the token is the proof): the person gets no more digests. */
  async unsubscribe(token: string, ip?: string): Promise<'done' | 'used'> {
    return this.db.transaction().execute(async (trx) => {
      const found = await unsubscribeTokens.find(trx, token, isDigestList)
      if (!found) throw new NotFoundError('This unsubscribe link is not one we know')
      const now = this.clock().toISOString()
      if (found.usedAt || !(await unsubscribeTokens.use(trx, token, now))) return 'used'
      await repo.saveDigestPref(trx, found.userId, false, now)
      await writeAudit(trx, now, {
        actorId: found.userId,
        actorLabel: 'unsubscribe link',
        action: 'governance.digest_unsubscribed',
        entityType: 'user',
        entityId: found.userId,
        ip,
        after: { weekly: false },
      })
      return 'done'
    })
  }
}

/** Whether this person may choose the digest (for links to the settings page). */
export function mayGetDigest(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'steering_group') || hasRole(user, 'board')
}
