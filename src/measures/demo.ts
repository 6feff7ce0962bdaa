import { dataPointRow, measureRow } from '../db/rows.js'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import type { DataKind, Direction, MeasureChart, MeasureType } from './policy.js'

/** Deterministic pseudo-random numbers (mulberry32): the demo data is the same on every load. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A roughly normal deviate (sum of uniforms), mean 0, sd 1. */
export function gaussian(random: () => number): number {
  return (random() + random() + random() + random() + random() + random() - 3) * Math.SQRT2
}

/** A Poisson draw (Knuth), for counts. */
export function poisson(random: () => number, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)))
  const limit = Math.exp(-mean)
  let k = 0
  let p = 1
  do {
    k++
    p *= random()
  } while (p > limit)
  return k - 1
}

interface DemoMeasure {
  id: string
  projectId: string
  type: MeasureType
  name: string
  unit: string
  dataKind: DataKind
  chartType: MeasureChart | null
  direction: Direction
  target: number | null
  multiplier: number
  definition: {
    numerator: string
    denominator: string
    source: string
    frequency: string
    collector: string
    inclusions?: string
    exclusions?: string
  }
  /** 'month' or 'week' periods, ending last month / last week. */
  every: 'month' | 'week'
  points: number
  /** The i-th point's numbers. */
  data: (i: number, random: () => number) => { value?: number; numerator?: number; denominator?: number }
  annotations?: { id: string; at: number; text: string; isRebase?: boolean }[]
}

const round1 = (v: number) => Math.round(v * 10) / 10

/**
 * Synthetic measures on the demo projects, chosen so the charts show each kind of variation:
 * common cause, special cause improvement, special cause concern, a rebase, and counts small
 * enough to be suppressed for people outside the team.
 */
export const demoMeasures: DemoMeasure[] = [
  {
    id: 'demo-measure-discharge-noon',
    projectId: 'demo-project-discharge',
    type: 'outcome',
    name: 'Patients discharged before noon (DEMO)',
    unit: '%',
    dataKind: 'proportion',
    chartType: 'i',
    direction: 'increase',
    target: 40,
    multiplier: 100,
    definition: {
      numerator: 'Discharges from Ward 3 with a discharge time before 12:00',
      denominator: 'All discharges from Ward 3 home or to usual residence',
      exclusions: 'Deaths, transfers to other hospitals',
      source: 'Synthetic (DEMO): patient administration system',
      frequency: 'Monthly',
      collector: 'Ward 3 data lead',
    },
    every: 'month',
    points: 24,
    // Baseline around 15%, then the board-round changes lift it to about 30%: special cause improvement.
    data: (i, random) => {
      const denominator = 120 + Math.floor(random() * 40)
      const p = (i < 14 ? 0.15 : 0.3) + 0.02 * gaussian(random)
      return { numerator: Math.max(0, Math.round(denominator * p)), denominator }
    },
    annotations: [
      {
        id: 'demo-annotation-discharge-board-round',
        at: 14,
        text: 'Morning board round with pharmacy and transport started',
      },
    ],
  },
  {
    id: 'demo-measure-discharge-letters',
    projectId: 'demo-project-discharge',
    type: 'process',
    name: 'Discharge letters ready the day before (DEMO)',
    unit: '%',
    dataKind: 'proportion',
    chartType: null,
    direction: 'increase',
    target: null,
    multiplier: 100,
    definition: {
      numerator: 'Planned discharges whose letter was ready by 17:00 the day before',
      denominator: 'Planned discharges',
      source: 'Synthetic (DEMO): electronic discharge summaries',
      frequency: 'Weekly',
      collector: 'Ward clerk',
    },
    every: 'week',
    points: 30,
    // Stable around 55%: common cause.
    data: (_i, random) => {
      const denominator = 25 + Math.floor(random() * 15)
      return {
        numerator: Math.min(
          denominator,
          Math.max(0, Math.round(denominator * (0.55 + 0.05 * gaussian(random)))),
        ),
        denominator,
      }
    },
  },
  {
    id: 'demo-measure-discharge-readmissions',
    projectId: 'demo-project-discharge',
    type: 'balancing',
    name: 'Readmissions within 7 days (DEMO)',
    unit: 'readmissions',
    dataKind: 'count',
    chartType: null,
    direction: 'decrease',
    target: null,
    multiplier: 1,
    definition: {
      numerator: 'Patients discharged from Ward 3 readmitted as an emergency within 7 days',
      denominator: '',
      source: 'Synthetic (DEMO): patient administration system',
      frequency: 'Monthly',
      collector: 'Information team',
    },
    every: 'month',
    points: 24,
    // Small counts (often 1 to 4): hidden from people outside the team.
    data: (_i, random) => ({ value: poisson(random, 3) }),
  },
  {
    id: 'demo-measure-discharge-los',
    projectId: 'demo-project-discharge',
    type: 'balancing',
    name: 'Average length of stay (DEMO)',
    unit: 'days',
    dataKind: 'continuous',
    chartType: null,
    direction: 'decrease',
    target: 6,
    multiplier: 1,
    definition: {
      numerator: 'Mean length of stay of patients discharged in the month, in days',
      denominator: '',
      source: 'Synthetic (DEMO): patient administration system',
      frequency: 'Monthly',
      collector: 'Information team',
    },
    every: 'month',
    points: 24,
    // Stable around 6.5 days, then the last 8 months higher: special cause concern.
    data: (i, random) => ({ value: round1((i < 16 ? 6.5 : 7.4) + 0.3 * gaussian(random)) }),
  },
  {
    id: 'demo-measure-falls-count',
    projectId: 'demo-project-falls',
    type: 'outcome',
    name: 'Falls at home within 30 days of discharge (DEMO)',
    unit: 'falls',
    dataKind: 'count',
    chartType: null,
    direction: 'decrease',
    target: null,
    multiplier: 1,
    definition: {
      numerator: 'People who fell at home within 30 days of discharge from community physiotherapy',
      denominator: '',
      source: 'Synthetic (DEMO): follow-up calls',
      frequency: 'Monthly',
      collector: 'Physiotherapy assistant',
    },
    every: 'month',
    points: 14,
    data: (_i, random) => ({ value: poisson(random, 9) }),
  },
  {
    id: 'demo-measure-falls-checks',
    projectId: 'demo-project-falls',
    type: 'process',
    name: 'Home safety checks before discharge (DEMO)',
    unit: '%',
    dataKind: 'proportion',
    chartType: null,
    direction: 'increase',
    target: 90,
    multiplier: 100,
    definition: {
      numerator: 'Discharges with a home safety check recorded',
      denominator: 'Discharges from the caseload',
      source: 'Synthetic (DEMO): clinical system template',
      frequency: 'Monthly',
      collector: 'Team lead',
    },
    every: 'month',
    points: 8,
    // Too few points for limits yet: a run chart is suggested.
    data: (i, random) => {
      const denominator = 30 + Math.floor(random() * 10)
      return { numerator: Math.min(denominator, Math.round(denominator * (0.4 + i * 0.05))), denominator }
    },
  },
  {
    id: 'demo-measure-referrals-days',
    projectId: 'demo-project-referrals',
    type: 'outcome',
    name: 'Working days to send a routine referral (DEMO)',
    unit: 'working days',
    dataKind: 'continuous',
    chartType: null,
    direction: 'decrease',
    target: 2,
    multiplier: 1,
    definition: {
      numerator: 'Median working days from the decision to refer to the referral being sent, in the week',
      denominator: '',
      source: 'Synthetic (DEMO): practice referrals log',
      frequency: 'Weekly',
      collector: 'Practice manager',
    },
    every: 'week',
    points: 36,
    // About 6 days, then about 2 after the shared inbox: special cause improvement (low).
    data: (i, random) => ({ value: round1(Math.max(0.5, (i < 18 ? 6 : 2) + 0.5 * gaussian(random))) }),
    annotations: [
      {
        id: 'demo-annotation-referrals-inbox',
        at: 18,
        text: 'One shared referrals inbox with a daily owner',
      },
    ],
  },
  {
    id: 'demo-measure-referrals-same-day',
    projectId: 'demo-project-referrals',
    type: 'process',
    name: 'Referrals sent the same day (DEMO)',
    unit: '%',
    dataKind: 'proportion',
    chartType: null,
    direction: 'increase',
    target: null,
    multiplier: 100,
    definition: {
      numerator: 'Routine referrals sent on the day of the decision',
      denominator: 'Routine referrals',
      source: 'Synthetic (DEMO): practice referrals log',
      frequency: 'Weekly',
      collector: 'Practice manager',
    },
    every: 'week',
    points: 36,
    // Rebased when the new process became the normal way of working.
    data: (i, random) => {
      const denominator = 40 + Math.floor(random() * 20)
      return {
        numerator: Math.round(denominator * ((i < 18 ? 0.2 : 0.65) + 0.04 * gaussian(random))),
        denominator,
      }
    },
    annotations: [
      {
        id: 'demo-annotation-referrals-rebase',
        at: 18,
        text: 'New referral process adopted by the whole practice: new limits',
        isRebase: true,
      },
    ],
  },
]

/** The first day of the period `back` periods before the current one (months, or weeks starting Monday). */
export function periodBefore(now: Date, every: 'month' | 'week', back: number): string {
  if (every === 'month')
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 10)
  const monday =
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) -
    ((now.getUTCDay() + 6) % 7) * 86_400_000
  return new Date(monday - back * 7 * 86_400_000).toISOString().slice(0, 10)
}

/**
 * Adds the demo measures to the demo projects (run after the projects' demo content). A measure
 * whose project is missing is skipped; one already there is left alone, so loading twice adds
 * nothing. Returns how many measures were added.
 */
export async function loadMeasuresDemo(trx: Transaction<DB>, nowIso: string): Promise<number> {
  const now = new Date(nowIso)
  const projects = new Set(
    (
      await trx
        .selectFrom('projects')
        .select('id')
        .where('id', 'in', [...new Set(demoMeasures.map((m) => m.projectId))])
        .execute()
    ).map((p) => p.id),
  )
  let added = 0
  for (const [k, m] of demoMeasures.entries()) {
    if (!projects.has(m.projectId)) continue
    const inserted = await trx
      .insertInto('measures')
      .values(
        measureRow({
          id: m.id,
          project_id: m.projectId,
          type: m.type,
          name: m.name,
          unit: m.unit,
          numerator: m.definition.numerator,
          denominator: m.definition.denominator,
          inclusions: m.definition.inclusions ?? '',
          exclusions: m.definition.exclusions ?? '',
          source: m.definition.source,
          sampling: 'All cases',
          frequency: m.definition.frequency,
          collector: m.definition.collector,
          direction: m.direction,
          target: m.target,
          data_kind: m.dataKind,
          chart_type: m.chartType,
          multiplier: m.multiplier,
          sort: k,
          is_demo: true,
          last_data_at: nowIso,
          created_at: nowIso,
        }),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue
    added++
    const random = seededRandom(k + 1)
    const periods = Array.from({ length: m.points }, (_, i) => periodBefore(now, m.every, m.points - i))
    await trx
      .insertInto('measure_data_points')
      .values(
        periods.map((period, i) => {
          const d = m.data(i, random)
          return dataPointRow({
            measure_id: m.id,
            period,
            value: d.value ?? null,
            numerator: d.numerator ?? null,
            denominator: d.denominator ?? null,
            entered_at: nowIso,
          })
        }),
      )
      .execute()
    for (const a of m.annotations ?? []) {
      await trx
        .insertInto('measure_annotations')
        .values({
          id: a.id,
          measure_id: m.id,
          date: periods[a.at],
          text: a.text,
          pdsa_id: null,
          is_rebase: a.isRebase ?? false,
          created_by: null,
          created_at: nowIso,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
    }
  }
  return added
}
