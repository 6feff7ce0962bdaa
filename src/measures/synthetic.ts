import type { DataKind } from './policy.js'
import { gaussian, poisson, seededRandom } from './demo.js'

/** One synthetic data point, as stored. */
export interface SyntheticPoint {
  period: string
  value: number | null
  numerator: number | null
  denominator: number | null
}

export type Shape = 'stable' | 'shift' | 'trend' | 'seasonal' | 'outliers'

const DAY = 86_400_000

/** `count` periods ending on `end` (exclusive), daily, weekly or monthly. */
export function syntheticPeriods(end: string, count: number, every: 'day' | 'week' | 'month'): string[] {
  const [y, m, d] = end.split('-').map(Number)
  const out = new Array<string>(count)
  for (let i = 0; i < count; i++) {
    const back = count - i
    const t =
      every === 'month'
        ? Date.UTC(y, m - 1 - back, 1)
        : Date.UTC(y, m - 1, d) - back * (every === 'week' ? 7 : 1) * DAY
    out[i] = new Date(t).toISOString().slice(0, 10)
  }
  return out
}

/**
 * A realistic series for a measure: noise around a level, with (by seed) a lasting shift, a
 * trend, a seasonal cycle or the odd outlier; proportions as numerators out of denominators,
 * rates as events over exposure, counts as Poisson draws. Deterministic for a seed.
 * @example syntheticSeries(7, 'count', 24, syntheticPeriods('2026-01-01', 24, 'month')).length // 24
 */
export function syntheticSeries(
  seed: number,
  kind: DataKind,
  count: number,
  periods: readonly string[],
): { shape: Shape; points: SyntheticPoint[] } {
  const random = seededRandom(seed)
  const r = random()
  const shape: Shape =
    r < 0.35 ? 'stable' : r < 0.6 ? 'shift' : r < 0.75 ? 'trend' : r < 0.92 ? 'seasonal' : 'outliers'
  const at = Math.floor(count * (0.4 + 0.4 * random()))
  const size = (random() < 0.5 ? -1 : 1) * (1.5 + 2 * random())
  const base =
    kind === 'proportion'
      ? 0.2 + 0.6 * random()
      : kind === 'rate'
        ? 2 + 8 * random()
        : kind === 'count'
          ? 2 + 20 * random()
          : 10 + 90 * random()
  const sd =
    kind === 'proportion'
      ? 0.03
      : kind === 'rate'
        ? base * 0.1
        : kind === 'count'
          ? Math.sqrt(base)
          : base * 0.08
  const points = new Array<SyntheticPoint>(count)
  for (let i = 0; i < count; i++) {
    let level = base
    if (shape === 'shift' && i >= at) level += size * sd
    if (shape === 'trend') level += ((size * sd * i) / count) * 2
    if (shape === 'seasonal') level += 1.5 * sd * Math.sin((2 * Math.PI * i) / 12)
    if (shape === 'outliers' && random() < 0.05) level += 4 * sd * (random() < 0.5 ? -1 : 1)
    const period = periods[i]
    if (kind === 'proportion') {
      const denominator = 50 + Math.floor(random() * 450)
      const p = Math.min(0.99, Math.max(0.01, level + sd * 0.5 * gaussian(random)))
      const numerator = Math.min(
        denominator,
        Math.max(0, Math.round(denominator * p + Math.sqrt(denominator * p * (1 - p)) * gaussian(random))),
      )
      points[i] = { period, value: null, numerator, denominator }
    } else if (kind === 'rate') {
      const denominator = 1000 + Math.floor(random() * 4000)
      points[i] = {
        period,
        value: null,
        numerator: poisson(random, Math.max(0.1, (level * denominator) / 1000)),
        denominator,
      }
    } else if (kind === 'count') {
      points[i] = { period, value: poisson(random, Math.max(0.1, level)), numerator: null, denominator: null }
    } else {
      points[i] = {
        period,
        value: Math.round((level + sd * gaussian(random)) * 100) / 100,
        numerator: null,
        denominator: null,
      }
    }
  }
  return { shape, points }
}
