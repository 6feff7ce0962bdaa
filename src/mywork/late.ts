import { addSteps, periodStep } from '../core/frequency.js'

/**
 * When a measure's data is late by its own frequency: the next point is allowed one period of
 * slack, so weekly data is late two weeks after its latest period, monthly two months after,
 * quarterly two quarters after (daily: two days). Frequency is the team's own words, read by
 * core/frequency.ts; a frequency we cannot read (or "ad hoc") is never late.
 */
export function lateBy(frequency: string, latestPeriod: string, today: string): string | null {
  const step = periodStep(frequency)
  if (!step || !/^\d{4}-\d{2}-\d{2}$/.test(latestPeriod)) return null
  const due = addSteps(latestPeriod, step, 2)
  return due < today ? due : null
}
