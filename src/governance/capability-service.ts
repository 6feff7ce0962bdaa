import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, canAdministerOrganisation, isPlatformAdmin, type CurrentUser } from '../core/identity.js'
import { csvFile } from '../core/csv.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { londonToday } from '../core/dates.js'
import { analyse } from '../spc/index.js'
import { describeSpcResult, renderSpcChartSvg } from '../charts/index.js'
import type { ProjectService } from '../projects/service.js'
import { LADDER, LADDER_LEVELS } from '../learning/levels.js'
import { canSeeBoardSummary, canSteer } from './policy.js'
import * as repo from './capability-repository.js'

/** What capability needs of the learning feature: counts of people trained, and the faculties' names. */
export interface TrainingSource {
  dashboard: {
    trainedCounts(): Promise<
      {
        level: string
        facultyId: string | null
        organisationId: string | null
        month: string
        people: number
      }[]
    >
  }
  catalogue: { faculties(): Promise<{ id: string; name: string }[]> }
}

export interface CapabilityFilters {
  faculty?: string
  level?: string
  organisation?: string
}

export const CAPABILITY_PATH = '/steering-group/capability'
export const HEADCOUNTS_PATH = `${CAPABILITY_PATH}/headcounts`

const day = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
const monthWords = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' })

const pct = (n: number) => `${n.toFixed(1).replace(/\.0$/, '')}%`

/** The calendar quarter of a month (YYYY-MM): "Jan–Mar 2026". */
function quarterOf(month: string): string {
  const [y, m] = month.split('-').map(Number)
  const q = Math.floor((m - 1) / 3)
  const names = ['Jan–Mar', 'Apr–Jun', 'Jul–Sep', 'Oct–Dec']
  return `${names[q]} ${y}`
}

/** Every month from `first` to `last` (YYYY-MM), inclusive. */
function monthsBetween(first: string, last: string): string[] {
  const out: string[] = []
  let [y, m] = first.split('-').map(Number)
  const [ly, lm] = last.split('-').map(Number)
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`)
    m++
    if (m > 12) {
      m = 1
      y++
    }
  }
  return out
}

/**
 * Capability against targets (issue 12 point 2): people trained, from the training records the
 * learning feature counts (each person once per level, in the month of their first valid
 * certificate or verified external record at it), by faculty, level, organisation and period;
 * against the share of each organisation's staff the Steering Group sets per level and date, over
 * the headcount the organisation's admin enters. Counts only: no names.
 */
export class CapabilityService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly deps: { projects: ProjectService; learning: TrainingSource },
  ) {}

  requireReader(user: CurrentUser): void {
    if (!canSeeBoardSummary(user))
      throw new ForbiddenError('Only the Steering Group and the Board can see the capability figures')
  }

  requireSteering(user: CurrentUser): void {
    if (!canSteer(user)) throw new ForbiddenError('Only the Steering Group sets capability targets')
  }

  /** The filters' choices: value → label. */
  async options() {
    const [faculties, lists] = await Promise.all([
      this.deps.learning.catalogue.faculties(),
      this.deps.projects.filterOptions(),
    ])
    return {
      faculty: new Map(faculties.map((f) => [f.id, f.name])),
      level: new Map<string, string>(LADDER_LEVELS.map((l) => [l, LADDER[l]])),
      organisation: new Map(lists.organisations.map((o) => [o.id, o.name])),
    }
  }

  /** Filters checked against what exists; an unknown value is named in `errors`. */
  async parseFilters(query: CapabilityFilters) {
    const options = await this.options()
    const filters: CapabilityFilters = {}
    const errors: Record<string, string> = {}
    const names = { faculty: 'faculty', level: 'course level', organisation: 'organisation' }
    for (const key of ['faculty', 'level', 'organisation'] as const) {
      const value = query[key]?.trim()
      if (!value) continue
      if (options[key].has(value)) filters[key] = value
      else errors[key] = `The ${names[key]} in the address is not one we know: choose one from the list`
    }
    return { filters, errors, options }
  }

  /** Everything the capability page shows, for these (checked) filters. */
  async figures(
    user: CurrentUser,
    filters: CapabilityFilters,
    options: Awaited<ReturnType<typeof this.options>>,
  ) {
    this.requireReader(user)
    const [counts, targets, headcounts] = await Promise.all([
      this.deps.learning.dashboard.trainedCounts(),
      repo.listTargets(this.db),
      repo.listHeadcounts(this.db),
    ])
    const rows = counts.filter(
      (c) =>
        (!filters.faculty || c.facultyId === filters.faculty) &&
        (!filters.level || c.level === filters.level) &&
        (!filters.organisation || c.organisationId === filters.organisation),
    )
    const total = rows.reduce((n, r) => n + r.people, 0)
    const levelName = (l: string) => (LADDER as Record<string, string>)[l] ?? l
    const sum = <K extends string>(keyOf: (r: (typeof rows)[number]) => K) => {
      const m = new Map<K, number>()
      for (const r of rows) m.set(keyOf(r), (m.get(keyOf(r)) ?? 0) + r.people)
      return m
    }
    const levels = LADDER_LEVELS.filter((l) => !filters.level || l === filters.level)

    // Organisation × level, with its headcount and target.
    const byOrgLevel = sum((r) => `${r.organisationId ?? ''}|${r.level}`)
    const orgIds = [
      ...new Set([...rows.map((r) => r.organisationId ?? ''), ...targets.map((t) => t.organisationId)]),
    ].filter((id) => !filters.organisation || id === filters.organisation)
    const orgName = (id: string) => (id ? (options.organisation.get(id) ?? id) : 'No organisation')
    orgIds.sort((a, b) => (a === '' ? 1 : b === '' ? -1 : orgName(a).localeCompare(orgName(b))))
    const organisations = orgIds.flatMap((id) => {
      const head = id ? (headcounts.get(id)?.headcount ?? null) : null
      return levels.flatMap((level) => {
        const trained = byOrgLevel.get(`${id}|${level}`) ?? 0
        const target = targets.find((t) => t.organisationId === id && t.level === level) ?? null
        if (!trained && !target) return []
        const share = head ? (100 * trained) / head : null
        const needed = target && head ? Math.max(0, Math.ceil((target.percent * head) / 100) - trained) : null
        return [
          {
            organisationId: id || null,
            organisation: orgName(id),
            level,
            levelName: levelName(level),
            trained,
            headcount: head,
            share: share === null ? 'No headcount entered' : pct(share),
            target: target
              ? `${pct(target.percent)} of staff by ${day.format(new Date(target.byDate))}`
              : 'No target',
            targetPercent: target?.percent ?? null,
            byDate: target?.byDate ?? null,
            progress: !target
              ? ''
              : needed === null
                ? 'Needs the organisation’s headcount'
                : needed === 0
                  ? 'Target reached'
                  : `${needed} more ${needed === 1 ? 'person' : 'people'} to train`,
          },
        ]
      })
    })

    const byFacultyLevel = sum((r) => `${r.facultyId ?? ''}|${r.level}`)
    const facultyIds = [...new Set(rows.map((r) => r.facultyId ?? ''))]
    const facultyName = (id: string) => (id ? (options.faculty.get(id) ?? id) : 'Outside our faculties')
    const faculties = facultyIds
      .sort((a, b) => facultyName(a).localeCompare(facultyName(b)))
      .map((id) => ({
        faculty: facultyName(id),
        cells: levels.map((l) => byFacultyLevel.get(`${id}|${l}`) ?? 0),
        total: levels.reduce((n, l) => n + (byFacultyLevel.get(`${id}|${l}`) ?? 0), 0),
      }))

    const byQuarterLevel = sum((r) => `${quarterOf(r.month)}|${r.level}`)
    const quarterKeys = [
      ...new Set(
        rows
          .map((r) => r.month)
          .sort()
          .map(quarterOf),
      ),
    ]
    const periods = quarterKeys.map((q) => ({
      period: q,
      cells: levels.map((l) => byQuarterLevel.get(`${q}|${l}`) ?? 0),
      total: levels.reduce((n, l) => n + (byQuarterLevel.get(`${q}|${l}`) ?? 0), 0),
    }))

    return {
      total,
      levels: levels.map((l) => ({ value: l, name: levelName(l) })),
      organisations,
      faculties,
      periods,
      chart: this.runChart(rows),
      asAt: this.clock().toISOString(),
    }
  }

  /** People newly trained per month (the filtered records), as a run chart from the engine. */
  private runChart(rows: { month: string; people: number }[]) {
    if (rows.length === 0) return null
    const byMonth = new Map<string, number>()
    for (const r of rows) byMonth.set(r.month, (byMonth.get(r.month) ?? 0) + r.people)
    const sorted = [...byMonth.keys()].sort()
    const now = this.clock().toISOString().slice(0, 7)
    const months = monthsBetween(sorted[0], sorted[sorted.length - 1] > now ? sorted[sorted.length - 1] : now)
    const result = analyse({
      method: 'anhoej',
      chart: 'run',
      points: months.map((m) => ({ x: `${m}-01`, y: byMonth.get(m) ?? 0 })),
      improvement_direction: 'increase',
    })
    const title = 'People newly trained each month'
    if (!result.ok) return { svg: null, description: `The chart could not be drawn: ${result.error}`, title }
    const ok = result
    const options = { title, yLabel: 'people', direction: 'increase' as const }
    return {
      title,
      svg: renderSpcChartSvg(ok, { ...options, id: 'capability-chart' }),
      description: describeSpcResult(ok, options),
      first: monthWords.format(new Date(`${months[0]}-01`)),
    }
  }

  /** The organisation × level table as CSV; the export is audited. */
  async csv(user: CurrentUser, query: CapabilityFilters, ip?: string) {
    const parsed = await this.parseFilters(query)
    if (Object.keys(parsed.errors).length) return { errors: parsed.errors }
    const figures = await this.figures(user, parsed.filters, parsed.options)
    const header = [
      'Organisation',
      'Level',
      'People trained',
      'Headcount',
      'Share of staff',
      'Target',
      'Progress',
    ]
    const rows = figures.organisations.map((r) => [
      r.organisation,
      r.levelName,
      r.trained,
      r.headcount ?? '',
      r.share,
      r.target,
      r.progress,
    ])
    await writeAudit(this.db, this.clock().toISOString(), {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action: 'governance.capability_export',
      entityType: 'capability',
      entityId: null,
      ip,
      after: { rows: rows.length },
    })
    return { file: { filename: `capability-${londonToday(this.clock())}.csv`, body: csvFile(header, rows) } }
  }

  async targets() {
    return repo.listTargets(this.db)
  }

  /** Sets (or changes) the target for an organisation and level. */
  async setTarget(
    user: CurrentUser,
    input: { organisationId: string; level: string; percent: number; byDate: string },
    ip?: string,
  ): Promise<void> {
    this.requireSteering(user)
    const options = await this.options()
    const errors: Record<string, string> = {}
    if (!options.organisation.has(input.organisationId))
      errors.organisationId = 'Choose an organisation from the list'
    if (!options.level.has(input.level)) errors.level = 'Choose a course level from the list'
    if (Object.keys(errors).length) throw new ValidationError(errors)
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findTarget(trx, input.organisationId, input.level)
      await repo.saveTarget(trx, { ...input, by: user.id, at })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'governance.capability_target',
        entityType: 'organisation',
        entityId: input.organisationId,
        ip,
        before: before ? { level: before.level, percent: before.percent, byDate: before.byDate } : undefined,
        after: { level: input.level, percent: input.percent, byDate: input.byDate },
      })
    })
  }

  async removeTarget(user: CurrentUser, organisationId: string, level: string, ip?: string): Promise<void> {
    this.requireSteering(user)
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findTarget(trx, organisationId, level)
      if (!before) throw new NotFoundError('There is no such target')
      await repo.deleteTarget(trx, organisationId, level)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'governance.capability_target_removed',
        entityType: 'organisation',
        entityId: organisationId,
        ip,
        before: { level, percent: before.percent, byDate: before.byDate },
      })
    })
  }

  /** The organisations this person administers (every one for a platform admin), with their headcounts. */
  async headcounts(user: CurrentUser) {
    const options = await this.options()
    const mine = [...options.organisation].filter(
      ([id]) => isPlatformAdmin(user) || canAdministerOrganisation(user, id),
    )
    if (mine.length === 0)
      throw new ForbiddenError('Only an organisation’s administrator enters its staff headcount')
    const counts = await repo.listHeadcounts(this.db)
    return mine.map(([id, name]) => ({
      id,
      name,
      headcount: counts.get(id)?.headcount ?? null,
      updatedAt: counts.get(id)?.updatedAt ?? null,
    }))
  }

  /** Throws unless this person administers at least one organisation. */
  requireOrgAdmin(user: CurrentUser): void {
    if (!isPlatformAdmin(user) && !user.roles.some((g) => g.role === 'org_admin'))
      throw new ForbiddenError('Only an organisation’s administrator enters its staff headcount')
  }

  async setHeadcount(
    user: CurrentUser,
    organisationId: string,
    headcount: number,
    ip?: string,
  ): Promise<void> {
    if (!canAdministerOrganisation(user, organisationId))
      throw new ForbiddenError('Only this organisation’s administrator enters its staff headcount')
    const options = await this.options()
    if (!options.organisation.has(organisationId))
      throw new ValidationError({ organisationId: 'Choose an organisation from the list' })
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = (await repo.listHeadcounts(trx)).get(organisationId)
      await repo.saveHeadcount(trx, { organisationId, headcount, by: user.id, at })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'governance.headcount',
        entityType: 'organisation',
        entityId: organisationId,
        ip,
        before: before ? { headcount: before.headcount } : undefined,
        after: { headcount },
      })
    })
  }

  /** People trained per level across the system, for the board pack. */
  async packLines(): Promise<{ level: string; trained: number; target: string }[]> {
    const [counts, targets] = await Promise.all([
      this.deps.learning.dashboard.trainedCounts(),
      repo.listTargets(this.db),
    ])
    return LADDER_LEVELS.flatMap((level) => {
      const trained = counts.filter((c) => c.level === level).reduce((n, c) => n + c.people, 0)
      const n = targets.filter((t) => t.level === level).length
      if (!trained && !n) return []
      return [
        {
          level: LADDER[level],
          trained,
          target: n ? `${n} organisation ${n === 1 ? 'target' : 'targets'} set` : '',
        },
      ]
    })
  }
}
