/**
 * How often a measure is measured, read from its periods (the operational definition's
 * frequency is free text), and its latest period in those words, so weekly, monthly and
 * quarterly measures sit side by side in the Board's table.
 */

export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular'

export const FREQUENCY_LABELS: Record<Frequency, string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  yearly: 'Yearly',
  irregular: 'Irregular',
}

const DAY = 86_400_000
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const time = (period: string) => Date.parse(`${period}T00:00:00Z`)

/**
 * The usual gap between the latest points (the median of up to 12 gaps), in words.
 * @example frequencyOf(['2026-01-01', '2026-02-01', '2026-03-01']) // 'monthly'
 */
export function frequencyOf(periods: readonly string[]): Frequency {
  const recent = periods.slice(-13)
  const gaps: number[] = []
  for (let i = 1; i < recent.length; i++) gaps.push((time(recent[i]) - time(recent[i - 1])) / DAY)
  if (gaps.length === 0) return 'irregular'
  gaps.sort((a, b) => a - b)
  const gap = gaps[Math.floor(gaps.length / 2)]
  if (gap >= 0.5 && gap <= 1.5) return 'daily'
  if (gap >= 6 && gap <= 8) return 'weekly'
  if (gap >= 28 && gap <= 31) return 'monthly'
  if (gap >= 89 && gap <= 92) return 'quarterly'
  if (gap >= 364 && gap <= 366) return 'yearly'
  return 'irregular'
}

/**
 * The period a point stands for, as the Board reads it.
 * @example periodWords('2026-03-01', 'monthly') // 'Mar 2026'
 * @example periodWords('2026-01-01', 'quarterly') // 'Jan to Mar 2026'
 * @example periodWords('2026-03-02', 'weekly') // 'Week from 2 Mar 2026'
 */
export function periodWords(period: string, frequency: Frequency): string {
  const [y, m, d] = period.split('-').map(Number)
  const day = `${d} ${MONTHS[m - 1]} ${y}`
  if (frequency === 'monthly') return `${MONTHS[m - 1]} ${y}`
  if (frequency === 'quarterly') {
    const end = new Date(Date.UTC(y, m + 1, 1))
    return `${MONTHS[m - 1]} to ${MONTHS[end.getUTCMonth()]} ${end.getUTCFullYear()}`
  }
  if (frequency === 'yearly') return `Year from ${day}`
  if (frequency === 'weekly') return `Week from ${day}`
  return day
}
