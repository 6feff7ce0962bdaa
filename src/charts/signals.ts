import {
  assuranceIcon,
  assuranceOf,
  variationIconOf,
  type AnhoejResult,
  type Assurance,
  type AssuranceIcon,
  type ImprovementDirection,
  type PointType,
  type SpcSuccess,
  type VariationIcon,
} from '../spc/index.js'

/** How a point is drawn: Making Data Count's classes, plus excluded and missing points. */
export type PointClass = 'common' | 'improvement' | 'concern' | 'neutral' | 'excluded' | 'missing'

/** The signals a chart shows, read from one engine result: point colours, icons, assurance. */
export interface ChartSignals {
  classes: PointClass[]
  /** +1 high, −1 low, 0 for points without a special cause. */
  sides: Int8Array
  /** Anhøj charts: 1 for the points of a run longer than the period's limit. */
  longRun: Uint8Array
  variationIcon: VariationIcon
  assurance: Assurance | null
  assuranceIcon: AssuranceIcon | null
}

function classOfType(type: PointType): PointClass {
  if (type === 'special_cause_improvement') return 'improvement'
  if (type === 'special_cause_concern') return 'concern'
  if (type === 'common_cause') return 'common'
  return 'neutral'
}

function typeOfSide(side: number, direction: ImprovementDirection): PointType {
  if (side === 0) return 'common_cause'
  if (direction === 'neutral') return side > 0 ? 'special_cause_neutral_high' : 'special_cause_neutral_low'
  return (direction === 'increase') === side > 0 ? 'special_cause_improvement' : 'special_cause_concern'
}

/** A run of consecutive useful points on one side of the centre line. */
export interface Run {
  period: number
  /** Indices of its points (skipped points between them are not part of it). */
  points: number[]
  side: 1 | -1
}

/**
 * The runs of each period of an Anhøj chart, as the engine counts them: points excluded, missing
 * or exactly on the centre line are skipped, not breaks.
 * @example runsOf(result).map((r) => r.points.length) // [2, 9, 1]
 */
export function runsOf(result: AnhoejResult): Run[] {
  const runs: Run[] = []
  let current: Run | null = null
  result.points.forEach((p, k) => {
    if (current && current.period !== p.period) current = null
    if (p.excluded || p.value === null || p.centre === null) return
    const side = p.value > p.centre ? 1 : p.value < p.centre ? -1 : 0
    if (side === 0) return
    if (!current || current.side !== side) runs.push((current = { period: p.period, points: [], side }))
    current.points.push(k)
  })
  return runs
}

/**
 * The points of runs longer than their period's limit (`longest_run_max`), with their side.
 * @example longRunMarks(result).marks // Uint8Array [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0]
 */
export function longRunMarks(result: AnhoejResult): { marks: Uint8Array; sides: Int8Array } {
  const marks = new Uint8Array(result.points.length)
  const sides = new Int8Array(result.points.length)
  const limit = new Map(result.periods.map((p) => [p.period, p.runs.longest_run_max]))
  for (const run of runsOf(result)) {
    const max = limit.get(run.period)
    if (max === null || max === undefined || run.points.length <= max) continue
    for (const k of run.points) {
      marks[k] = 1
      sides[k] = run.side
    }
  }
  return { marks, sides }
}

/**
 * Colours, variation and assurance of any chart, from the engine's result and the measure's
 * improvement direction. Making Data Count (`mdc`) results carry them; for the Anhøj charts (run,
 * p, u, c, g, t, x̄, s…) a point beyond a 3-sigma limit or in a run longer than the limit is a
 * special cause, high or low, which the direction makes an improvement or a concern (or neutral);
 * the variation icon is the latest point's, and assurance compares the target with the latest
 * point's limits, as NHSRplotthedots does for XmR charts.
 * @example chartSignals(result, 'decrease', 15).classes[4] // 'improvement'
 */
export function chartSignals(
  result: SpcSuccess,
  direction: ImprovementDirection = 'neutral',
  target: number | null = null,
): ChartSignals {
  const n = result.points.length
  if (result.method === 'mdc') {
    const sides = new Int8Array(n)
    const classes = result.points.map((p, k): PointClass => {
      if (p.value === null) return 'missing'
      const c = classOfType(p.point_type)
      if (c !== 'common') sides[k] = /above|increasing/.test(p.special_cause) ? 1 : -1
      return c
    })
    return {
      classes,
      sides,
      longRun: new Uint8Array(n),
      variationIcon: result.variation_icon,
      assurance: result.assurance,
      assuranceIcon: result.assurance_icon,
    }
  }
  const { marks, sides: runSides } = longRunMarks(result)
  const sides = new Int8Array(n)
  const types: PointType[] = result.points.map((p, k) => {
    if (p.value === null || p.excluded) return 'common_cause'
    if (p.sigma_signal) sides[k] = p.ucl !== null && p.value > p.ucl ? 1 : -1
    else if (marks[k]) sides[k] = runSides[k]
    return typeOfSide(sides[k], direction)
  })
  const classes = result.points.map((p, k): PointClass =>
    p.excluded ? 'excluded' : p.value === null ? 'missing' : classOfType(types[k]),
  )
  // The latest point, as for XmR charts (a missing one is common cause).
  const last = n - 1
  const variationIcon = variationIconOf(types[last], direction)
  const latest = result.points[last]
  const assurance =
    result.chart === 'run' || latest.lcl === null || latest.ucl === null
      ? null
      : assuranceOf(target ?? result.target, direction, latest.lcl, latest.ucl)
  return {
    classes,
    sides,
    longRun: marks,
    variationIcon,
    assurance,
    assuranceIcon: assurance === null ? null : assuranceIcon(assurance),
  }
}
