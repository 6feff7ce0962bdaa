/**
 * When a measure's data is late by its own frequency: the next point is allowed one period of
 * slack, so weekly data is late two weeks after its latest period, monthly two months after,
 * quarterly two quarters after (daily: two days). Frequency is the team's own words
 * ("Weekly", "monthly, first Monday"), read by the first period word in it; a frequency we
 * cannot read (or "ad hoc") is never late.
 */
export function lateBy(frequency: string, latestPeriod: string, today: string): string | null {
  const allowance = allowanceOf(frequency)
  if (!allowance || !/^\d{4}-\d{2}-\d{2}$/.test(latestPeriod)) return null
  const due = addTo(latestPeriod, allowance)
  return due < today ? due : null
}

type Allowance = { days: number } | { months: number }

export function allowanceOf(frequency: string): Allowance | null {
  const f = frequency.toLowerCase()
  const match = /\b(dai|day|week|fortnight|month|quarter|annual|year)/.exec(f)
  switch (match?.[1]) {
    case 'dai':
    case 'day':
      return { days: 2 }
    case 'week':
      return { days: 14 }
    case 'fortnight':
      return { days: 28 }
    case 'month':
      return { months: 2 }
    case 'quarter':
      return { months: 6 }
    case 'annual':
    case 'year':
      return { months: 24 }
    default:
      return null
  }
}

function addTo(date: string, allowance: Allowance): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  if ('days' in allowance) {
    return new Date(Date.UTC(y, m - 1, d + allowance.days)).toISOString().slice(0, 10)
  }
  // Month arithmetic clamped to the month's last day (31 January + 1 month = 28/29 February).
  const target = new Date(Date.UTC(y, m - 1 + allowance.months, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, last))
  return target.toISOString().slice(0, 10)
}
