import type { CurrentUser } from '../core/identity.js'
import { ForbiddenError, NotFoundError } from '../core/errors.js'
import { hasRole } from '../core/identity.js'
import type { Assurance, SpcSuccess } from '../spc/index.js'
import type { ProjectService } from '../projects/service.js'
import type { MeasureService } from '../measures/service.js'
import type { PdsaService } from '../improvement/pdsa/service.js'
import {
  aimAdvice,
  familyAdvice,
  flaggedSentences,
  measureAdvice,
  pdsaAdvice,
  type AdviceItem,
  type FlagSentence,
  type MeasureFacts,
} from './rules.js'

/** One piece of advice as the pages show it: what it is about, where it is fixed, its guide. */
export interface Advice extends AdviceItem {
  /** What it is about: "Aim", a measure's or a PDSA cycle's name. */
  about: string
  /** Where it is fixed. */
  href: string
  /** The resources library's guide, when there is one. */
  guideHref?: string
}

export interface CaseloadProject {
  id: string
  title: string
  href: string
  advice: Advice[]
}

export interface CoachDeps {
  projects: ProjectService
  measures: MeasureService
  pdsa: PdsaService
  /** The resources library (resources/ ResourceService): advice links only to guides it has. */
  guides?: { list(filters: { q?: string }): Promise<{ slug: string }[]> }
}

type MeasureItem = Awaited<ReturnType<MeasureService['withPeriods']>>['items'][number]

function measureFacts(item: MeasureItem): MeasureFacts {
  const m = item.measure
  return {
    name: m.name,
    type: m.type,
    unit: m.unit,
    numerator: m.numerator,
    denominator: m.denominator,
    inclusions: m.inclusions,
    exclusions: m.exclusions,
    source: m.source,
    frequency: m.frequency,
    collector: m.collector,
    dataKind: m.dataKind,
    chartType: m.chartType,
    chartInUse: item.summary.chart,
    periods: item.periods,
    assurance: item.summary.assurance as Assurance | null,
    target: m.target,
  }
}

/** The library's guide slugs (null: no library given, every named guide is linked). */
type Guides = ReadonlySet<string> | null

const withLinks = (items: AdviceItem[], about: string, href: string, guides: Guides): Advice[] =>
  items.map((a) => ({
    ...a,
    about,
    href,
    ...(a.guideSlug && (!guides || guides.has(a.guideSlug))
      ? { guideHref: `/resources/${a.guideSlug}` }
      : {}),
  }))

/** Where a measure's advice is fixed: its definition (edit page), or its data (its page). */
const measureHref = (id: string, a: AdviceItem) =>
  a.rule === 'data.gap' || a.rule === 'data.target' ? `/measures/${id}` : `/measures/${id}/edit`

/**
 * The built-in QI coach: gathers a project's facts through the projects, measures and PDSA
 * services (as the viewer, so nothing they may not see is read) and runs the rules on them.
 * Advice is for the people who may change the project (its team and its coach); it never blocks
 * a save, it is only shown.
 */
/** The flagged sentences of each chart result (see `whyFlagged`). */
const flaggedByResult = new WeakMap<SpcSuccess, readonly FlagSentence[]>()

export class CoachService {
  constructor(private readonly deps: CoachDeps) {}

  private async guides(): Promise<Guides> {
    if (!this.deps.guides) return null
    return new Set((await this.deps.guides.list({})).map((r) => r.slug))
  }

  /** A project's advice, or none for someone who may not change it. */
  async forProject(user: CurrentUser | null, projectId: string, known?: Guides): Promise<Advice[]> {
    if (!user) return []
    const { access } = await this.deps.projects.load(user, projectId, 'view')
    if (!access.edit) return []
    const [{ aim }, measures, pdsa, guides] = await Promise.all([
      this.deps.projects.aim(user, projectId),
      this.deps.measures.withPeriods(user, projectId),
      this.deps.pdsa.list(user, projectId),
      known === undefined ? this.guides() : known,
    ])
    const names = measures.items.map((i) => i.measure.name)
    const out: Advice[] = [
      ...withLinks(aimAdvice(aim, names), 'Aim', `/projects/${projectId}/aim`, guides),
      ...withLinks(
        familyAdvice(measures.items.map((i) => i.measure.type)),
        'Measures',
        `/projects/${projectId}/measures/new`,
        guides,
      ),
    ]
    for (const item of measures.items)
      for (const a of measureAdvice(measureFacts(item)))
        out.push(...withLinks([a], item.measure.name, measureHref(item.measure.id, a), guides))
    for (const c of pdsa.cycles)
      out.push(
        ...withLinks(
          pdsaAdvice({ ...c, decision: c.decision ?? null }),
          `PDSA: ${c.title}`,
          `/projects/${projectId}/pdsa/${c.id}`,
          guides,
        ),
      )
    return out
  }

  /** One measure's own advice (its definition, chart, data and target), for those who may change it. */
  async forMeasure(user: CurrentUser | null, measureId: string): Promise<Advice[]> {
    if (!user) return []
    const { measure, access } = await this.deps.measures.context(user, measureId)
    if (!access.edit) return []
    const [{ items }, guides] = await Promise.all([
      this.deps.measures.withPeriods(user, measure.projectId),
      this.guides(),
    ])
    const item = items.find((i) => i.measure.id === measureId)
    if (!item) return []
    return measureAdvice(measureFacts(item)).flatMap((a) =>
      withLinks([a], item.measure.name, measureHref(measureId, a), guides),
    )
  }

  /** One PDSA cycle's advice, for those who may change its project. */
  async forPdsa(user: CurrentUser | null, projectId: string, pdsaId: string): Promise<Advice[]> {
    if (!user) return []
    const view = await this.deps.pdsa.cycle(user, projectId, pdsaId)
    if (!view.access.edit) return []
    const c = view.cycle
    return withLinks(
      pdsaAdvice({ ...c, decision: c.decision ?? null }),
      `PDSA: ${c.title}`,
      `/projects/${projectId}/pdsa/${c.id}`,
      await this.guides(),
    )
  }

  /**
   * Why each flagged block of a chart is flagged, one sentence each (pure: from the engine's
   * result). Kept with the result: the measure pages hand out the same cached chart, and so the
   * same result object, while nothing it is drawn from changes, so the sentences of a long series
   * are written once, not on every page view.
   */
  whyFlagged(result: SpcSuccess | null): readonly FlagSentence[] {
    if (!result) return []
    let sentences = flaggedByResult.get(result)
    if (!sentences) flaggedByResult.set(result, (sentences = Object.freeze(flaggedSentences(result))))
    return sentences
  }

  /** A coach's caseload (the projects where they are the team's coach), each with its advice. */
  async caseload(user: CurrentUser): Promise<CaseloadProject[]> {
    if (!hasRole(user, 'coach')) throw new ForbiddenError('Only QI coaches have a caseload')
    const [projects, guides] = await Promise.all([this.deps.projects.coachedBy(user), this.guides()])
    const out: CaseloadProject[] = []
    for (const p of projects) {
      // A project the coach can no longer see (or change) has no advice for them, not an error page.
      const advice = await this.forProject(user, p.id, guides).catch((error: unknown) => {
        if (error instanceof NotFoundError || error instanceof ForbiddenError) return []
        throw error
      })
      out.push({ id: p.id, title: p.title, href: `/projects/${p.id}`, advice })
    }
    return out
  }
}
