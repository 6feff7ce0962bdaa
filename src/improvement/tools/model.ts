import {
  QUADRANTS,
  STEP_KIND_LABELS,
  STEP_VALUE_LABELS,
  SUSTAINABILITY_FACTORS,
  quadrantOf,
  scoringTotal,
  type CategoryItem,
  type CauseItem,
  type Quadrant,
  type ScoringItem,
  type StakeholderItem,
  type StepItem,
  type ToolData,
} from './definitions.js'

export interface FishboneModel {
  problem: string
  categories: (CategoryItem & { causes: CauseItem[] })[]
}

export interface FiveWhysModel {
  problem: string
  whys: { number: number; text: string }[]
  rootCause: string
}

export interface ProcessMapModel {
  scope: string
  steps: (StepItem & { number: number; kindLabel: string; valueLabel: string })[]
  lanes: string[]
  valueCount: number
  wasteCount: number
}

export interface StakeholderModel {
  stakeholders: (StakeholderItem & { number: number; quadrant: Quadrant; quadrantLabel: string })[]
  quadrants: { key: Quadrant; label: string; names: string[] }[]
}

export interface SustainabilityModel {
  /** Newest first. */
  scorings: (ScoringItem & { total: number })[]
  latest: (ScoringItem & { total: number }) | null
  factors: typeof SUSTAINABILITY_FACTORS
}

export const NO_LANE = 'No owner given'

export function fishboneModel(data: ToolData): FishboneModel {
  const causes = data.items.filter((i): i is CauseItem => i.kind === 'cause')
  return {
    problem: data.head.problem,
    categories: data.items
      .filter((i): i is CategoryItem => i.kind === 'category')
      .map((c) => ({ ...c, causes: causes.filter((cause) => cause.categoryId === c.id) })),
  }
}

export function fiveWhysModel(data: ToolData): FiveWhysModel {
  return {
    problem: data.head.problem,
    whys: data.head.whys.map((text, i) => ({ number: i + 1, text })).filter((w) => w.text),
    rootCause: data.head.rootCause,
  }
}

export function processMapModel(data: ToolData): ProcessMapModel {
  const steps = data.items
    .filter((i): i is StepItem => i.kind === 'step')
    .map((s, i) => ({
      ...s,
      number: i + 1,
      kindLabel: STEP_KIND_LABELS[s.stepKind],
      valueLabel: STEP_VALUE_LABELS[s.value],
    }))
  const named = steps.some((s) => s.lane)
  const lanes: string[] = []
  if (named) for (const s of steps) if (!lanes.includes(s.lane || NO_LANE)) lanes.push(s.lane || NO_LANE)
  return {
    scope: data.head.scope,
    steps,
    lanes,
    valueCount: steps.filter((s) => s.value === 'value').length,
    wasteCount: steps.filter((s) => s.value === 'waste').length,
  }
}

export function stakeholderModel(data: ToolData): StakeholderModel {
  const stakeholders = data.items
    .filter((i): i is StakeholderItem => i.kind === 'stakeholder')
    .map((s, i) => {
      const quadrant = quadrantOf(s.interest, s.influence)
      return { ...s, number: i + 1, quadrant, quadrantLabel: QUADRANTS[quadrant] }
    })
  return {
    stakeholders,
    quadrants: (Object.keys(QUADRANTS) as Quadrant[]).map((key) => ({
      key,
      label: QUADRANTS[key],
      names: stakeholders.filter((s) => s.quadrant === key).map((s) => s.name),
    })),
  }
}

export function sustainabilityModel(data: ToolData): SustainabilityModel {
  const scorings = data.items
    .filter((i): i is ScoringItem => i.kind === 'scoring')
    .map((s, index) => ({ ...s, total: scoringTotal(s.scores), index }))
    .sort((a, b) => b.date.localeCompare(a.date) || b.index - a.index)
    .map(({ index: _index, ...s }) => s)
  return { scorings, latest: scorings[0] ?? null, factors: SUSTAINABILITY_FACTORS }
}
