/**
 * A measure's frequency, in the team's own words ("Weekly", "monthly, first Monday"), read by
 * the first period word in it. What is late (mywork/late.ts) and which periods a paper
 * data-collection sheet lists (paper/) both step by it. A frequency we cannot read ("ad hoc",
 * empty) has no step.
 */
export type PeriodStep = { days: number } | { months: number }

export function periodStep(frequency: string): PeriodStep | null {
  const match = /\b(dai|day|week|fortnight|month|quarter|annual|year)/.exec(frequency.toLowerCase())
  switch (match?.[1]) {
    case 'dai':
    case 'day':
      return { days: 1 }
    case 'week':
      return { days: 7 }
    case 'fortnight':
      return { days: 14 }
    case 'month':
      return { months: 1 }
    case 'quarter':
      return { months: 3 }
    case 'annual':
    case 'year':
      return { months: 12 }
    default:
      return null
  }
}

/**
 * The date (YYYY-MM-DD) `times` steps after `date`, month steps clamped to the month's last day
 * and counted from `date` itself (31 January + 1 month = 28/29 February; + 2 months = 31 March).
 */
export function addSteps(date: string, step: PeriodStep, times: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  if ('days' in step) return new Date(Date.UTC(y, m - 1, d + step.days * times)).toISOString().slice(0, 10)
  const target = new Date(Date.UTC(y, m - 1 + step.months * times, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, last))
  return target.toISOString().slice(0, 10)
}
