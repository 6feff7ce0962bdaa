import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../core/identity.js'
import { requireProjectAccess } from '../projects/access.js'
import { NotFoundError, ValidationError } from '../core/errors.js'
import type { MeasureService, ApiPointInput, Measure } from '../measures/service.js'
import type { SpcSummary } from '../measures/chart.js'
import type { Poster, ShowcaseService } from '../showcase/service.js'
import { findProjectDetail, listVisibleProjects } from './repository.js'

export const API_BASE = '/api/v1'

function measureJson(m: Measure, summary: SpcSummary) {
  return {
    id: m.id,
    projectId: m.projectId,
    type: m.type,
    name: m.name,
    unit: m.unit,
    direction: m.direction,
    target: m.target,
    dataKind: m.dataKind,
    chartType: summary.chart,
    chartChosen: m.chartType !== null,
    multiplier: m.multiplier,
    updatedAt: m.updatedAt,
    spc: summaryJson(summary),
    links: {
      self: `${API_BASE}/measures/${m.id}`,
      dataPoints: `${API_BASE}/measures/${m.id}/data-points`,
      page: `/measures/${m.id}`,
    },
  }
}

function summaryJson(s: SpcSummary) {
  return {
    chart: s.chart,
    method: s.method,
    points: s.points,
    centre: s.centre,
    lowerLimit: s.lcl,
    upperLimit: s.ucl,
    variation: s.variation,
    variationIcon: s.variationIcon,
    assurance: s.assurance,
    assuranceIcon: s.assuranceIcon,
    runsSignal: s.runsSignal,
    latest: s.latest,
  }
}

/**
 * The JSON API's answers. Every one goes through the projects' access rules
 * (`visibleProjects`, `requireProjectAccess`), and measure data through the measures service,
 * so small numbers are suppressed exactly as on the pages.
 */
export class ApiService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly measures: MeasureService,
    private readonly showcase?: ShowcaseService,
  ) {}

  /** Published posters this caller may see: public ones to anyone, community ones to members' tokens. */
  async posters(user: CurrentUser | null, query: { q?: string; page: number; pageSize: number }) {
    if (!this.showcase) return { items: [], page: query.page, pageSize: query.pageSize, total: 0 }
    const { items, total } = await this.showcase.gallery(user, {
      q: query.q || undefined,
      page: query.page,
      pageSize: query.pageSize,
    })
    return { items: items.map((p) => this.posterJson(p)), page: query.page, pageSize: query.pageSize, total }
  }

  async poster(user: CurrentUser | null, id: string) {
    const poster = this.showcase ? await this.showcase.publishedPoster(user, id) : null
    if (!poster) throw new NotFoundError()
    return this.posterJson(poster)
  }

  private posterJson(p: Poster) {
    return {
      id: p.id,
      title: p.title,
      summary: p.summary,
      occasion: p.occasionId ? { id: p.occasionId, title: p.occasionTitle ?? '' } : null,
      year: p.year,
      programme: p.programmeId ? { id: p.programmeId, name: p.programmeName ?? '' } : null,
      funder: p.funder,
      approvedAt: p.decidedAt,
      links: {
        self: `${API_BASE}/posters/${p.id}`,
        page: `/showcase/posters/${p.id}`,
        file: `/showcase/posters/${p.id}/download`,
        thumbnail: `/showcase/posters/${p.id}/thumbnail.png`,
      },
    }
  }

  async projects(
    user: CurrentUser | null,
    query: { q?: string; status?: string; page: number; pageSize: number },
  ) {
    const { items, total } = await listVisibleProjects(this.db, user, query)
    return {
      items: items.map((p) => ({
        ...p,
        links: {
          self: `${API_BASE}/projects/${p.id}`,
          measures: `${API_BASE}/projects/${p.id}/measures`,
          page: `/projects/${p.id}`,
        },
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    }
  }

  async project(user: CurrentUser | null, id: string) {
    const { access } = await requireProjectAccess(this.db, user, id, 'view')
    const project = await findProjectDetail(this.db, id)
    if (!project) throw new NotFoundError()
    return {
      ...project,
      canEdit: access.edit,
      links: {
        self: `${API_BASE}/projects/${id}`,
        measures: `${API_BASE}/projects/${id}/measures`,
        page: `/projects/${id}`,
      },
    }
  }

  async projectMeasures(user: CurrentUser | null, projectId: string) {
    const list = await this.measures.listForProject(user, projectId)
    return { items: list.items.map((i) => measureJson(i.measure, i.summary)) }
  }

  async measure(user: CurrentUser | null, id: string) {
    const page = await this.measures.page(user, id, { rows: 0 })
    const m = page.measure
    return {
      ...measureJson(m, page.chart.summary),
      operationalDefinition: {
        numerator: m.numerator,
        denominator: m.denominator,
        inclusions: m.inclusions,
        exclusions: m.exclusions,
        source: m.source,
        sampling: m.sampling,
        frequency: m.frequency,
        collector: m.collector,
      },
      description: page.chart.description,
      suppressedPoints: page.chart.suppressedCount,
      annotations: page.annotations.map((a) => ({
        date: a.date,
        text: a.text,
        isRebase: a.isRebase,
        pdsaId: a.pdsaId,
      })),
      pdsaMarks: page.marks,
    }
  }

  async dataPoints(user: CurrentUser | null, id: string) {
    const page = await this.measures.page(user, id, { withPoints: true })
    return {
      measureId: id,
      dataKind: page.measure.dataKind,
      items: this.measures.viewerPoints(page.measure, page.points, page.access.seeSmallNumbers),
    }
  }

  async addDataPoints(user: CurrentUser, id: string, body: unknown, ip?: string) {
    const single = !(
      typeof body === 'object' &&
      body !== null &&
      Array.isArray((body as { points?: unknown }).points)
    )
    const points = single ? [body as ApiPointInput] : ((body as { points: ApiPointInput[] }).points ?? [])
    if (!single && points.length > 1000)
      throw new ValidationError({ points: 'Send at most 1,000 data points at a time' })
    const safe = points.map((p) => (typeof p === 'object' && p !== null ? p : {}))
    const periods = await this.measures.addPointsFromApi(user, id, safe, single, ip)
    return { added: periods.length, periods, links: { dataPoints: `${API_BASE}/measures/${id}/data-points` } }
  }
}
