import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { NotFoundError } from '../core/errors.js'
import { csvFile, type CsvCell } from '../core/csv.js'
import {
  cohortsStarting,
  facultyCohorts,
  statusCounts,
  trainingRecords,
  type StatusCount,
} from './dashboard-repository.js'
import { REGISTER_STATUSES } from './levels.js'
import { canManageFaculty, requireFacultyFigures } from './policy.js'
import { findFaculty } from './repository.js'
import { londonInstant } from '../core/dates.js'

export interface DashboardQuery {
  from?: string
  to?: string
  organisation?: string
}

interface Tally {
  places: number
  inProgress: number
  completed: number
  notCompleted: number
  waitlisted: number
  requested: number
  withdrawn: number
}

const empty = (): Tally => ({
  places: 0,
  inProgress: 0,
  completed: 0,
  notCompleted: 0,
  waitlisted: 0,
  requested: 0,
  withdrawn: 0,
})

function add(t: Tally, c: StatusCount) {
  if (REGISTER_STATUSES.includes(c.status as never)) t.places += c.n
  if (c.status === 'enrolled') t.inProgress += c.n
  if (c.status === 'completed') t.completed += c.n
  if (c.status === 'not_completed') t.notCompleted += c.n
  if (c.status === 'waitlisted') t.waitlisted += c.n
  if (c.status === 'requested') t.requested += c.n
  if (c.status === 'withdrawn') t.withdrawn += c.n
}

/** Completed as a share of those whose outcome is known (completed or did not complete). */
export const completionRate = (t: Tally) =>
  t.completed + t.notCompleted === 0 ? null : Math.round((100 * t.completed) / (t.completed + t.notCompleted))

const month = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'Europe/London' })
/** Calendar quarter of a cohort's start, e.g. "Jan–Mar 2027". */
export function periodOf(iso: string | null): string {
  if (!iso) return 'No sessions yet'
  const d = new Date(iso)
  const q = Math.floor(d.getUTCMonth() / 3)
  const first = new Date(Date.UTC(d.getUTCFullYear(), q * 3, 15))
  const last = new Date(Date.UTC(d.getUTCFullYear(), q * 3 + 2, 15))
  return `${month.format(first)}–${month.format(last)} ${d.getUTCFullYear()}`
}

/** Fill rates, waiting lists and completion for one faculty, by organisation and period. */
export class DashboardService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  /**
   * People trained, for the Steering Group's capability figures (governance/): each person counted
   * once per ladder level, in the month of their first record at that level (a valid certificate
   * or verified external training), with that record's faculty and the person's organisation.
   * Counts only, no names; who may see them is the caller's decision.
   */
  /**
   * Every faculty's cohorts starting in [from, to), with their places taken and waiting lists, for
   * the Steering Group's weekly digest (courses filling or empty); who sees them is the caller's decision.
   */
  async cohortsStarting(from: string, to: string, limit = 100) {
    return cohortsStarting(this.db, from, to, limit)
  }

  async trainedCounts(): Promise<
    {
      level: string
      facultyId: string | null
      organisationId: string | null
      month: string
      people: number
    }[]
  > {
    const first = new Map<
      string,
      { level: string; facultyId: string | null; organisationId: string | null; at: string }
    >()
    for (const r of await trainingRecords(this.db)) {
      const key = `${r.userId} ${r.level}`
      const seen = first.get(key)
      if (!seen || r.at < seen.at) first.set(key, r)
    }
    const counts = new Map<
      string,
      {
        level: string
        facultyId: string | null
        organisationId: string | null
        month: string
        people: number
      }
    >()
    for (const r of first.values()) {
      const month = r.at.slice(0, 7)
      const key = JSON.stringify([r.level, r.facultyId, r.organisationId, month])
      const c = counts.get(key)
      if (c) c.people++
      else
        counts.set(key, {
          level: r.level,
          facultyId: r.facultyId,
          organisationId: r.organisationId,
          month,
          people: 1,
        })
    }
    return [...counts.values()].sort((a, b) => a.month.localeCompare(b.month))
  }

  async dashboard(user: CurrentUser, slug: string, query: DashboardQuery) {
    const faculty = await findFaculty(this.db, { slug })
    if (!faculty) throw new NotFoundError()
    requireFacultyFigures(user, faculty.id)
    const to = query.to ? londonInstant(query.to, '00:00') : null
    const filter = {
      from: query.from ? (londonInstant(query.from, '00:00') ?? undefined) : undefined,
      to: to ? new Date(new Date(to).getTime() + 86_400_000).toISOString() : undefined,
      organisationId: query.organisation || undefined,
    }
    const [cohorts, counts] = await Promise.all([
      facultyCohorts(this.db, faculty.id, filter),
      statusCounts(this.db, faculty.id, filter),
    ])
    const byCohort = new Map<string, Tally>()
    const byOrganisation = new Map<string, Tally & { name: string }>()
    const byPeriod = new Map<string, Tally & { period: string; sort: string }>()
    const totals = empty()
    for (const c of counts) {
      if (!byCohort.has(c.cohortId)) byCohort.set(c.cohortId, empty())
      add(byCohort.get(c.cohortId)!, c)
      const orgKey = c.organisationId ?? ''
      if (!byOrganisation.has(orgKey))
        byOrganisation.set(orgKey, { ...empty(), name: c.organisationName ?? 'No organisation' })
      add(byOrganisation.get(orgKey)!, c)
      const period = periodOf(c.startsAt)
      if (!byPeriod.has(period)) byPeriod.set(period, { ...empty(), period, sort: c.startsAt ?? '9999' })
      add(byPeriod.get(period)!, c)
      add(totals, c)
    }
    const cohortRows = cohorts.map((c) => {
      const t = byCohort.get(c.cohortId) ?? empty()
      return {
        ...c,
        period: periodOf(c.startsAt),
        fillRate: c.capacity ? Math.round((100 * c.placesTaken) / c.capacity) : 0,
        tally: t,
        completionRate: completionRate(t),
      }
    })
    const capacity = cohorts.reduce((s, c) => s + c.capacity, 0)
    const taken = cohorts.reduce((s, c) => s + c.placesTaken, 0)
    return {
      faculty,
      /** The faculty's admins get links to manage each cohort; the Steering Group reads only. */
      canManage: canManageFaculty(user, faculty.id),
      cohorts: cohortRows,
      byOrganisation: [...byOrganisation.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((t) => ({ ...t, completionRate: completionRate(t) })),
      periods: [...byPeriod.values()]
        .sort((a, b) => a.sort.localeCompare(b.sort))
        .map((t) => ({ ...t, completionRate: completionRate(t) })),
      totals: {
        ...totals,
        capacity,
        fillRate: capacity ? Math.round((100 * taken) / capacity) : null,
        waitlistedNow: cohorts.reduce((s, c) => s + c.waitlisted, 0),
        completionRate: completionRate(totals),
      },
      counts,
    }
  }

  /** One row per cohort and organisation; the export is audited. */
  async csv(
    user: CurrentUser,
    slug: string,
    query: DashboardQuery,
    ip?: string,
  ): Promise<{ filename: string; body: string }> {
    const d = await this.dashboard(user, slug, query)
    const rows: CsvCell[][] = [
      [
        'Course',
        'Cohort',
        'Starts',
        'Period',
        'Capacity',
        'Places taken (cohort)',
        'Fill rate % (cohort)',
        'Organisation',
        'Places taken',
        'In progress',
        'Completed',
        'Did not complete',
        'Waiting list',
        'Awaiting approval',
        'Withdrawn',
      ],
    ]
    for (const c of d.cohorts) {
      const orgs = new Map<string, Tally & { name: string }>()
      for (const s of d.counts.filter((x) => x.cohortId === c.cohortId)) {
        const key = s.organisationId ?? ''
        if (!orgs.has(key)) orgs.set(key, { ...empty(), name: s.organisationName ?? 'No organisation' })
        add(orgs.get(key)!, s)
      }
      const base: CsvCell[] = [
        c.courseTitle,
        c.cohortName,
        c.startsAt?.slice(0, 10) ?? '',
        c.period,
        c.capacity,
        c.placesTaken,
        c.fillRate,
      ]
      if (orgs.size === 0) rows.push([...base, '', 0, 0, 0, 0, 0, 0, 0])
      for (const t of orgs.values())
        rows.push([
          ...base,
          t.name,
          t.places,
          t.inProgress,
          t.completed,
          t.notCompleted,
          t.waitlisted,
          t.requested,
          t.withdrawn,
        ])
    }
    const at = this.clock().toISOString()
    await writeAudit(this.db, at, {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action: 'learning.dashboard_export',
      entityType: 'faculty',
      entityId: d.faculty.id,
      ip,
      after: { ...query, rows: rows.length - 1 },
    })
    return {
      filename: `${d.faculty.slug}-learning-${at.slice(0, 10)}.csv`,
      body: csvFile(rows[0], rows.slice(1)),
    }
  }
}
