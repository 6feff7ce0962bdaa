import type { Assurance, AssuranceIcon, ImprovementDirection, PointType, VariationIcon } from './types.js'

/**
 * Variation icon of the last point's type (SPEC 2.4): improvement/concern read high or low
 * according to the improvement direction.
 * @example variationIconOf('special_cause_concern', 'increase') // 'concern_low'
 * @example variationIconOf('special_cause_improvement', 'decrease') // 'improvement_low'
 */
export function variationIconOf(type: PointType, direction: ImprovementDirection): VariationIcon {
  switch (type) {
    case 'common_cause':
      return 'common_cause'
    case 'special_cause_neutral_high':
      return 'neutral_high'
    case 'special_cause_neutral_low':
      return 'neutral_low'
    case 'special_cause_improvement':
      return direction === 'decrease' ? 'improvement_low' : 'improvement_high'
    case 'special_cause_concern':
      return direction === 'decrease' ? 'concern_high' : 'concern_low'
  }
}

/**
 * Assurance of meeting a target from the process limits of the last period (SPEC 2.4): a target
 * beyond the limits is consistently failed or passed; between them (or with no limits) the
 * process is inconsistent. Null without a target or with a neutral direction.
 * @example assuranceOf(90, 'increase', 93.05, 99.89) // 'consistent_pass'
 * @example assuranceOf(100, 'increase', 93.05, 99.89) // 'consistent_fail'
 */
export function assuranceOf(
  target: number | null,
  direction: ImprovementDirection,
  lcl: number,
  ucl: number,
): Assurance | null {
  if (target === null || direction === 'neutral') return null
  const increase = direction === 'increase'
  if (target > ucl) return increase ? 'consistent_fail' : 'consistent_pass'
  if (target < lcl) return increase ? 'consistent_pass' : 'consistent_fail'
  return 'inconsistent'
}

/**
 * Assurance against a target trajectory (docs/spc.md), judged as SPEC 2.4 judges a constant target
 * but point by point over the last period: pass when every point that has a target has it beyond
 * its limit on the good side (below the lcl for `increase`, above the ucl for `decrease`), fail
 * when every such target is beyond the other limit, otherwise (or with no limits) inconsistent.
 * A trajectory that is the same number everywhere gives what that constant target gives. Null when
 * the last period has no target or the direction is neutral. `targets` are the last period's (NaN = none).
 * @example assuranceOfTrajectory([90, 91, NaN], 'increase', 93.05, 99.89) // 'consistent_pass'
 * @example assuranceOfTrajectory([90, 95], 'increase', 93.05, 99.89) // 'inconsistent'
 */
export function assuranceOfTrajectory(
  targets: ArrayLike<number>,
  direction: ImprovementDirection,
  lcl: number,
  ucl: number,
): Assurance | null {
  if (direction === 'neutral') return null
  let count = 0
  let above = 0
  let below = 0
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]
    if (t !== t) continue
    count++
    if (t > ucl) above++
    else if (t < lcl) below++
  }
  if (count === 0) return null
  const increase = direction === 'increase'
  if (above === count) return increase ? 'consistent_fail' : 'consistent_pass'
  if (below === count) return increase ? 'consistent_pass' : 'consistent_fail'
  return 'inconsistent'
}

/**
 * Assurance icon name for an assurance result.
 * @example assuranceIcon('consistent_pass') // 'pass'
 */
export function assuranceIcon(assurance: Assurance): AssuranceIcon {
  return assurance === 'consistent_pass' ? 'pass' : assurance === 'consistent_fail' ? 'fail' : 'inconsistent'
}
