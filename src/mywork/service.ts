import type { CurrentUser } from '../core/identity.js'
import { hasRole } from '../core/identity.js'
import { londonToday } from '../core/dates.js'
import type { ProjectService } from '../projects/service.js'
import type { ProjectLifecycleService } from '../projects/lifecycle-service.js'
import type { PdsaService } from '../improvement/pdsa/service.js'
import type { MeasureService } from '../measures/service.js'
import type { LearningService } from '../learning/service.js'
import type { SupportService } from '../facilitation/support/service.js'
import type { PipelineService } from '../facilitation/capacity/pipeline-service.js'
import { canTriage } from '../facilitation/policy.js'
import { REQUEST_STATUSES } from '../facilitation/support/lifecycle.js'
import type { PosterService } from '../showcase/poster-service.js'
import type { NetworkService } from '../networks/service.js'
import { lateBy } from './late.js'

/** One thing that needs the person, linking to where it is done. */
export interface MyWorkItem {
  kind: MyWorkKind
  title: string
  detail: string
  href: string
  /** YYYY-MM-DD, when the item has a date it was due by. */
  due?: string
}

export type MyWorkKind = 'study' | 'data' | 'review' | 'learning' | 'support' | 'mentions' | 'caseload'

export interface MyWorkSection {
  kind: MyWorkKind
  heading: string
  /** What the section says when it has nothing. */
  empty: string
  /** The first items (all of them on the section's own page). */
  items: MyWorkItem[]
  /** How many items the section has in all. */
  count: number
  /** The section's own page, with every item. */
  href: string
}

export interface MyWork {
  sections: MyWorkSection[]
  total: number
}

/** The services "my work" asks (app.ts passes the real ones). */
export interface MyWorkDeps {
  clock: () => Date
  projects: Pick<ProjectService, 'memberProjects' | 'coachedBy'>
  lifecycle: Pick<ProjectLifecycleService, 'reviewQueue'>
  pdsa: Pick<PdsaService, 'dueForStudy'>
  measures: Pick<MeasureService, 'latestOfEditable'>
  learning: { records: Pick<LearningService['records'], 'record'> }
  support: Pick<SupportService, 'listFor'>
  pipeline: Pick<PipelineService, 'triage'>
  posters: Pick<PosterService, 'reviewQueue'>
  networks: Pick<NetworkService, 'activityFor'>
}

/**
 * Projects looked at for PDSA cycles and measures: a person's own, newest activity first. Each
 * section asks for all of them at once, so a coach's caseload of 200 plus their own projects fits.
 */
const MAX_PROJECTS = 500
/**
 * Items each section shows on the home, most urgent first; the section's own page has them all.
 * A coach with 200 projects had 600 items on one page (152 KB): nobody reads that far, and
 * drawing it was a third of the page's cost.
 */
export const HOME_ITEMS = 10
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: 'Europe/London' })
const OPEN_SUPPORT = new Set(['submitted', 'triage', 'waitlisted', 'accepted', 'scoping', 'in_delivery'])
const UPCOMING_ENROLMENT = new Set(['requested', 'enrolled', 'waitlisted'])

/** The sections in the order the home shows them; the caseload only for coaches. */
export const MY_WORK_KINDS: readonly MyWorkKind[] = [
  'study',
  'data',
  'review',
  'learning',
  'support',
  'mentions',
  'caseload',
]

const SECTIONS: Record<MyWorkKind, { heading: string; empty: string }> = {
  study: {
    heading: 'PDSA cycles due for Study',
    empty: 'No PDSA cycle is waiting for its Study. Well done.',
  },
  data: { heading: 'Measures with late data', empty: 'Every measure of your projects is up to date.' },
  review: { heading: 'Waiting for your review', empty: 'Nothing is waiting for your review.' },
  learning: {
    heading: 'Your courses coming up',
    empty: 'You have no courses coming up. The learning catalogue has what is on offer.',
  },
  support: { heading: 'Your support requests', empty: 'You have no open support requests.' },
  mentions: {
    heading: 'Mentions and replies',
    empty: 'Nobody has mentioned you or replied to you in the last 30 days.',
  },
  caseload: { heading: 'Your caseload', empty: 'You are not the QI coach of any project yet.' },
}

/** The sections that need the person's projects. */
const ON_PROJECTS = new Set<MyWorkKind>(['study', 'data', 'caseload'])

/**
 * A signed-in person's home: what needs them, gathered from each feature's own service, so
 * every item is one the person may see (each service checks its own rights).
 */
export class MyWorkService {
  constructor(private readonly deps: MyWorkDeps) {}

  /** The home: every section the person has, each with its first HOME_ITEMS items and its count. */
  async forUser(user: CurrentUser): Promise<MyWork> {
    const sections = (await this.build(user, this.kindsFor(user))).map((s) => ({
      ...s,
      items: s.items.slice(0, HOME_ITEMS),
    }))
    // Mentions and the caseload are news, not things to do: they are not counted.
    const todo = (s: MyWorkSection) => s.kind !== 'caseload' && s.kind !== 'mentions'
    return { sections, total: sections.reduce((n, s) => n + (todo(s) ? s.count : 0), 0) }
  }

  /** One section with all its items, or null when the person has no such section. */
  async section(user: CurrentUser, kind: string): Promise<MyWorkSection | null> {
    const found = this.kindsFor(user).find((k) => k === kind)
    if (!found) return null
    const [section] = await this.build(user, [found])
    return section
  }

  private kindsFor(user: CurrentUser): MyWorkKind[] {
    return MY_WORK_KINDS.filter((k) => k !== 'caseload' || hasRole(user, 'coach'))
  }

  private async build(user: CurrentUser, kinds: readonly MyWorkKind[]): Promise<MyWorkSection[]> {
    const now = this.deps.clock()
    const today = londonToday(now)
    const projects = kinds.some((k) => ON_PROJECTS.has(k))
      ? await this.deps.projects.memberProjects(user, MAX_PROJECTS)
      : []
    const items = await Promise.all(
      kinds.map((kind): Promise<MyWorkItem[]> => {
        switch (kind) {
          case 'study':
            return this.study(user, projects, today)
          case 'data':
            return this.lateData(user, projects, today)
          case 'review':
            return this.reviews(user)
          case 'learning':
            return this.learning(user, now)
          case 'support':
            return this.support(user)
          case 'mentions':
            return this.mentions(user)
          case 'caseload':
            return this.caseload(user, projects)
        }
      }),
    )
    return kinds.map((kind, i) => ({
      kind,
      ...SECTIONS[kind],
      items: items[i],
      count: items[i].length,
      href: `/my-work/${kind}`,
    }))
  }

  // PDSA cycles and measures: one batch for all the person's projects (never one query per project).
  private async study(user: CurrentUser, projects: Project[], today: string): Promise<MyWorkItem[]> {
    const due = await this.deps.pdsa.dueForStudy(
      user,
      projects.map((p) => p.id),
      today,
    )
    return due
      .map((c) => ({
        kind: 'study' as const,
        title: c.title,
        detail: `${c.projectTitle}: the Do stage ended, write what you learned`,
        href: `/projects/${encodeURIComponent(c.projectId)}/pdsa/${encodeURIComponent(c.id)}`,
        due: c.doEnd,
      }))
      .sort((a, b) => a.due.localeCompare(b.due))
  }

  private async lateData(user: CurrentUser, projects: Project[], today: string): Promise<MyWorkItem[]> {
    const measures = await this.deps.measures.latestOfEditable(
      user,
      projects.map((p) => p.id),
    )
    const out: MyWorkItem[] = []
    for (const m of measures) {
      const due = m.latestPeriod ? lateBy(m.frequency, m.latestPeriod, today) : null
      if (!due) continue
      out.push({
        kind: 'data',
        title: m.name,
        detail: `${m.projectTitle}: ${m.frequency.toLowerCase()} data, latest for ${m.latestPeriod}`,
        href: `/measures/${encodeURIComponent(m.id)}/data/new`,
        due,
      })
    }
    return out.sort((a, b) => (a.due ?? '').localeCompare(b.due ?? ''))
  }

  private async reviews(user: CurrentUser): Promise<MyWorkItem[]> {
    const out: MyWorkItem[] = []
    if (hasRole(user, 'coach') || hasRole(user, 'steering_group')) {
      const queue = await this.deps.lifecycle.reviewQueue(user)
      for (const p of queue.registrations) {
        out.push({
          kind: 'review',
          title: p.title,
          detail: 'Waiting for registration',
          href: `/projects/${encodeURIComponent(p.id)}/status`,
        })
      }
    }
    if (hasRole(user, 'steering_group')) {
      const posters = await this.deps.posters.reviewQueue(user)
      if (posters.length) {
        out.push({
          kind: 'review',
          title: `${posters.length} ${posters.length === 1 ? 'poster' : 'posters'} to review`,
          detail: 'Submitted to the showcase',
          href: '/showcase/review',
        })
      }
    }
    if (canTriage(user)) {
      const { total } = await this.deps.pipeline.triage(user, { status: '', page: 1, pageSize: 1 })
      if (total) {
        out.push({
          kind: 'review',
          title: `${total} support ${total === 1 ? 'request' : 'requests'} to triage`,
          detail: 'Open in the triage queue',
          href: '/support/triage',
        })
      }
    }
    return out
  }

  private async learning(user: CurrentUser, now: Date): Promise<MyWorkItem[]> {
    const { entries } = await this.deps.learning.records.record(user)
    const nowIso = now.toISOString()
    return entries
      .filter((e) => UPCOMING_ENROLMENT.has(e.status) && (!e.endsAt || e.endsAt >= nowIso))
      .map((e) => ({
        kind: 'learning' as const,
        title: e.courseTitle,
        detail: `${e.cohortName}: ${e.statusText}`,
        href: `/learning/courses/${encodeURIComponent(e.courseSlug)}`,
        ...(e.startsAt ? { due: e.startsAt.slice(0, 10) } : {}),
      }))
      .sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'))
  }

  private async support(user: CurrentUser): Promise<MyWorkItem[]> {
    const { mine } = await this.deps.support.listFor(user)
    return mine
      .filter((r) => OPEN_SUPPORT.has(r.status))
      .map((r) => ({
        kind: 'support' as const,
        title: r.title,
        detail: REQUEST_STATUSES[r.status],
        href: `/support/requests/${encodeURIComponent(r.id)}`,
      }))
  }

  /** Network @mentions and replies to threads the person posted in, the last 30 days (networks' own rules). */
  private async mentions(user: CurrentUser): Promise<MyWorkItem[]> {
    return (await this.deps.networks.activityFor(user, { days: 30, limit: 10 })).map((a) => ({
      kind: 'mentions' as const,
      title: a.threadTitle,
      detail: `${a.authorName} ${a.kind === 'mention' ? 'mentioned you' : 'replied'} in ${a.networkName} on ${DAY.format(new Date(a.createdAt))}`,
      href: a.href,
    }))
  }

  private async caseload(user: CurrentUser, mine: Project[]): Promise<MyWorkItem[]> {
    if (!hasRole(user, 'coach')) return []
    const coached = await this.deps.projects.coachedBy(user)
    const activity = new Map(mine.map((p) => [p.id, p.lastActivityAt]))
    return coached
      .map((p) => {
        const last = activity.get(p.id) ?? null
        return {
          kind: 'caseload' as const,
          title: p.title,
          detail: last ? `Last activity ${last.slice(0, 10)}` : 'No activity yet',
          href: `/projects/${encodeURIComponent(p.id)}`,
          ...(last ? { due: last.slice(0, 10) } : {}),
        }
      })
      .sort((a, b) => (a.due ?? '').localeCompare(b.due ?? ''))
  }
}

type Project = { id: string; title: string; lastActivityAt: string }
