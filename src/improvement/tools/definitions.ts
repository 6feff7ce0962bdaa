/**
 * The QI tools kept inside a project (DOMAIN.md §3 ToolUse): what each stores and
 * the fixed vocabularies they use. The data is JSON in project_tools.data:
 * `{ headRev, head, items }`, where `head` holds the tool's own fields (a fishbone's
 * problem, the 5 whys) and `items` its repeated parts (causes, steps, stakeholders,
 * scorings), each with an id and a revision number for the optimistic check.
 */

export const TOOL_TYPES = ['fishbone', 'five_whys', 'process_map', 'stakeholders', 'sustainability'] as const
export type ToolType = (typeof TOOL_TYPES)[number]

export const TOOL_LABELS: Record<ToolType, string> = {
  fishbone: 'Fishbone (cause and effect) diagram',
  five_whys: '5 whys',
  process_map: 'Process map',
  stakeholders: 'Stakeholder analysis',
  sustainability: 'Sustainability Model scoring',
}

export const TOOL_HINTS: Record<ToolType, string> = {
  fishbone:
    'Group the possible causes of a problem under categories such as people, processes and equipment.',
  five_whys: 'Ask “why?” up to five times to get from a problem to its root cause.',
  process_map:
    'Map the steps of a process, its decisions and hand-offs, and which steps add value or are waste.',
  stakeholders: 'Place the people and groups affected by the project by their interest and influence.',
  sustainability:
    'Score the ten factors of the NHS Sustainability Model as a team, at handover and over time.',
}

/** The usual fishbone categories a new diagram starts with (rename or remove them freely). */
export const DEFAULT_FISHBONE_CATEGORIES = [
  'People',
  'Processes',
  'Equipment',
  'Environment',
  'Materials',
  'Policies',
]

export const STEP_KINDS = ['step', 'decision', 'handoff'] as const
export type StepKind = (typeof STEP_KINDS)[number]
export const STEP_KIND_LABELS: Record<StepKind, string> = {
  step: 'Step',
  decision: 'Decision',
  handoff: 'Hand-off',
}

export const STEP_VALUES = ['value', 'waste'] as const
export type StepValue = (typeof STEP_VALUES)[number]
export const STEP_VALUE_LABELS: Record<StepValue, string> = { value: 'Value-adding', waste: 'Waste' }

/** Stakeholder grid quadrants. A score of 3 or more (out of 5) counts as high. */
export const QUADRANTS = {
  manage_closely: 'Manage closely',
  keep_satisfied: 'Keep satisfied',
  keep_informed: 'Keep informed',
  monitor: 'Monitor',
} as const
export type Quadrant = keyof typeof QUADRANTS
export const HIGH_SCORE = 3

/**
 * High influence and high interest: manage closely; high influence only: keep
 * satisfied; high interest only: keep informed; neither: monitor.
 * @example quadrantOf(5, 4) // 'manage_closely'
 */
export function quadrantOf(interest: number, influence: number): Quadrant {
  const interested = interest >= HIGH_SCORE
  const influential = influence >= HIGH_SCORE
  if (influential && interested) return 'manage_closely'
  if (influential) return 'keep_satisfied'
  if (interested) return 'keep_informed'
  return 'monitor'
}

/** The NHS Sustainability Model's ten factors, in its three groups. */
export const SUSTAINABILITY_FACTORS = [
  { key: 'benefits', group: 'Process', label: 'Benefits beyond helping patients' },
  { key: 'credibility', group: 'Process', label: 'Credibility of the evidence' },
  { key: 'adaptability', group: 'Process', label: 'Adaptability of the improved process' },
  { key: 'monitoring', group: 'Process', label: 'Effectiveness of the system to monitor progress' },
  {
    key: 'staff_involvement',
    group: 'Staff',
    label: 'Staff involvement and training to sustain the process',
  },
  {
    key: 'staff_attitudes',
    group: 'Staff',
    label: 'Staff attitudes (behaviours) toward sustaining the change',
  },
  { key: 'senior_leadership', group: 'Staff', label: 'Senior leadership engagement' },
  { key: 'clinical_leadership', group: 'Staff', label: 'Clinical leadership engagement' },
  { key: 'fit', group: 'Organisation', label: 'Fit with the organisation’s strategic aims and culture' },
  { key: 'infrastructure', group: 'Organisation', label: 'Infrastructure for sustainability' },
] as const
export type FactorKey = (typeof SUSTAINABILITY_FACTORS)[number]['key']

/**
 * A simplified 1–4 scale per factor, NOT the model's published weighted scores (which
 * give each factor's levels different points out of a total of 100). Clearly labelled
 * as such wherever it is shown.
 */
export const SCORE_LEVELS = [
  { value: 4, label: '4 – Strong: this is fully in place' },
  { value: 3, label: '3 – Good: largely in place' },
  { value: 2, label: '2 – Some: partly in place' },
  { value: 1, label: '1 – Weak: little or not in place' },
] as const
export const SCORE_MAX = 4
export const SCALE_NOTE =
  'Scored on a simple 1 (weak) to 4 (strong) scale for each factor, total out of 40. This is a simplified scale, not the Sustainability Model’s published weighted scores.'

export const LIMITS = {
  title: 120,
  problem: 300,
  why: 300,
  categoryName: 80,
  categories: 12,
  causeText: 200,
  causesPerCategory: 25,
  stepLabel: 120,
  lane: 60,
  steps: 60,
  stakeholderName: 100,
  group: 60,
  notes: 300,
  stakeholders: 80,
  scoringNote: 1000,
  scorings: 40,
  toolsPerProject: 100,
} as const

// ----- the stored shapes -----

export interface CategoryItem {
  id: string
  rev: number
  kind: 'category'
  name: string
}
export interface CauseItem {
  id: string
  rev: number
  kind: 'cause'
  categoryId: string
  text: string
}
export interface StepItem {
  id: string
  rev: number
  kind: 'step'
  label: string
  stepKind: StepKind
  value: StepValue
  lane: string
}
export interface StakeholderItem {
  id: string
  rev: number
  kind: 'stakeholder'
  name: string
  group: string
  interest: number
  influence: number
  notes: string
}
export interface ScoringItem {
  id: string
  rev: number
  kind: 'scoring'
  date: string
  scores: Record<FactorKey, number>
  note: string
  scoredBy: string
}
export type ToolItem = CategoryItem | CauseItem | StepItem | StakeholderItem | ScoringItem
export type ItemKind = ToolItem['kind']

export interface ToolHead {
  problem: string
  whys: string[]
  rootCause: string
  scope: string
}

export interface ToolData {
  headRev: number
  head: ToolHead
  items: ToolItem[]
}

/** Which item kinds each tool has. */
export const ITEM_KINDS: Record<ToolType, ItemKind[]> = {
  fishbone: ['category', 'cause'],
  five_whys: [],
  process_map: ['step'],
  stakeholders: ['stakeholder'],
  sustainability: ['scoring'],
}

export const ITEM_LABELS: Record<ItemKind, string> = {
  category: 'category',
  cause: 'cause',
  step: 'step',
  stakeholder: 'stakeholder',
  scoring: 'scoring',
}

export function emptyHead(): ToolHead {
  return { problem: '', whys: ['', '', '', '', ''], rootCause: '', scope: '' }
}

export function isToolType(value: string): value is ToolType {
  return (TOOL_TYPES as readonly string[]).includes(value)
}

const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '')
const int = (v: unknown, lo: number, hi: number, fallback: number) => {
  const n = typeof v === 'number' ? v : Number(v)
  return Number.isInteger(n) && n >= lo && n <= hi ? n : fallback
}
const oneOf = <T extends string>(v: unknown, options: readonly T[], fallback: T): T =>
  options.includes(v as T) ? (v as T) : fallback

/** Reads stored JSON defensively: anything malformed is dropped or defaulted, never trusted. */
export function normaliseData(raw: unknown): ToolData {
  const obj = (raw && typeof raw === 'object' ? raw : {}) as {
    headRev?: unknown
    head?: Record<string, unknown>
    items?: unknown
  }
  const head = obj.head ?? {}
  const whys = Array.isArray(head.whys) ? head.whys : []
  const items: ToolItem[] = []
  for (const value of Array.isArray(obj.items) ? obj.items : []) {
    const i = (value ?? {}) as Record<string, unknown>
    const base = { id: str(i.id, 64), rev: int(i.rev, 1, Number.MAX_SAFE_INTEGER, 1) }
    if (!base.id) continue
    switch (i.kind) {
      case 'category':
        items.push({ ...base, kind: 'category', name: str(i.name, LIMITS.categoryName) })
        break
      case 'cause':
        items.push({
          ...base,
          kind: 'cause',
          categoryId: str(i.categoryId, 64),
          text: str(i.text, LIMITS.causeText),
        })
        break
      case 'step':
        items.push({
          ...base,
          kind: 'step',
          label: str(i.label, LIMITS.stepLabel),
          stepKind: oneOf(i.stepKind, STEP_KINDS, 'step'),
          value: oneOf(i.value, STEP_VALUES, 'value'),
          lane: str(i.lane, LIMITS.lane),
        })
        break
      case 'stakeholder':
        items.push({
          ...base,
          kind: 'stakeholder',
          name: str(i.name, LIMITS.stakeholderName),
          group: str(i.group, LIMITS.group),
          interest: int(i.interest, 1, 5, 1),
          influence: int(i.influence, 1, 5, 1),
          notes: str(i.notes, LIMITS.notes),
        })
        break
      case 'scoring': {
        const raw = (i.scores ?? {}) as Record<string, unknown>
        const scores = Object.fromEntries(
          SUSTAINABILITY_FACTORS.map((f) => [f.key, int(raw[f.key], 1, SCORE_MAX, 1)]),
        ) as Record<FactorKey, number>
        items.push({
          ...base,
          kind: 'scoring',
          date: /^\d{4}-\d{2}-\d{2}$/.test(str(i.date, 10)) ? str(i.date, 10) : '1970-01-01',
          scores,
          note: str(i.note, LIMITS.scoringNote),
          scoredBy: str(i.scoredBy, 200),
        })
        break
      }
    }
  }
  return {
    headRev: int(obj.headRev, 1, Number.MAX_SAFE_INTEGER, 1),
    head: {
      problem: str(head.problem, LIMITS.problem),
      whys: [0, 1, 2, 3, 4].map((n) => str(whys[n], LIMITS.why)),
      rootCause: str(head.rootCause, LIMITS.why),
      scope: str(head.scope, LIMITS.problem),
    },
    items,
  }
}

/** A new tool's data. */
export function initialData(type: ToolType, newId: () => string): ToolData {
  const items: ToolItem[] =
    type === 'fishbone'
      ? DEFAULT_FISHBONE_CATEGORIES.map((name) => ({ id: newId(), rev: 1, kind: 'category' as const, name }))
      : []
  return { headRev: 1, head: emptyHead(), items }
}

export function scoringTotal(scores: Record<FactorKey, number>): number {
  return SUSTAINABILITY_FACTORS.reduce((sum, f) => sum + (scores[f.key] ?? 0), 0)
}
