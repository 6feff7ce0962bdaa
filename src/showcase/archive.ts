import type { CurrentUser } from '../core/identity.js'
import type { ImprovementReportService, ProjectOutcome } from '../improvement/reports.js'
import type { MeasureService } from '../measures/service.js'
import type { ProjectService } from '../projects/service.js'

/** Finished: the statuses whose projects the archive keeps. */
export const FINISHED_STATUSES = ['completed', 'sustaining', 'archived', 'abandoned'] as const

export const ARCHIVE_PAGE_SIZE = 12

export interface ArchiveFilters {
  status?: string
  programmeId?: string
  organisationId?: string
  aimCode?: string
  q?: string
  page: number
}

export interface ArchiveCard {
  id: string
  title: string
  status: string
  organisations: string[]
  aim: string | null
  lessons: string
  abandonedReason: string | null
  finishedAt: string | null
  outcome: ProjectOutcome
  /** The final chart, small: the project's first measure with data, as viewers outside the team see it. */
  chart: { title: string; sparkline: string } | null
}

/**
 * The archive of finished projects: each visible exactly as its project allows (the projects
 * feature's own list decides), with its aim, final chart, adopted and abandoned change ideas,
 * lessons learnt and sustainability score. An abandoned project's lessons are learning too.
 */
export class ArchiveService {
  constructor(
    private readonly deps: {
      projects: ProjectService
      measures: MeasureService
      improvement: ImprovementReportService
    },
  ) {}

  async list(user: CurrentUser | null, f: ArchiveFilters): Promise<{ items: ArchiveCard[]; total: number }> {
    const status =
      f.status && (FINISHED_STATUSES as readonly string[]).includes(f.status) ? f.status : undefined
    const page = await this.deps.projects.list(user, {
      statuses: status ? [status] : FINISHED_STATUSES,
      programmeId: f.programmeId,
      organisationId: f.organisationId,
      aimCode: f.aimCode,
      q: f.q,
      page: f.page,
      pageSize: ARCHIVE_PAGE_SIZE,
    })
    const ids = page.items.map((p) => p.id)
    const [details, outcomes, reports] = await Promise.all([
      this.deps.projects.finishedDetails(ids),
      this.deps.improvement.outcomes(ids),
      this.deps.measures.reports.ofProjects(ids),
    ])
    const charts = new Map<string, { title: string; sparkline: string }>()
    // The outcome measure first: the aim's own number; otherwise the first measure with data.
    const ordered = [...reports].sort(
      (a, b) => Number(b.measure.type === 'outcome') - Number(a.measure.type === 'outcome'),
    )
    for (const r of ordered)
      if (r.sparkline && !charts.has(r.measure.projectId))
        charts.set(r.measure.projectId, { title: r.measure.name, sparkline: r.sparkline })
    return {
      total: page.total,
      items: page.items.map((p) => {
        const d = details.get(p.id)
        return {
          id: p.id,
          title: p.title,
          status: p.status,
          organisations: p.organisations,
          aim: d?.aim ?? null,
          lessons: d?.lessons ?? '',
          abandonedReason: d?.abandonedReason ?? null,
          finishedAt: d?.finishedAt ?? null,
          outcome: outcomes.get(p.id) ?? { adopted: [], abandoned: [], sustainability: null },
          chart: charts.get(p.id) ?? null,
        }
      }),
    }
  }
}
