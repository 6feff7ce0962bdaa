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
 * Assurance icon name for an assurance result.
 * @example assuranceIcon('consistent_pass') // 'pass'
 */
export function assuranceIcon(assurance: Assurance): AssuranceIcon {
  return assurance === 'consistent_pass' ? 'pass' : assurance === 'consistent_fail' ? 'fail' : 'inconsistent'
}
