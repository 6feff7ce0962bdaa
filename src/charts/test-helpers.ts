/**
 * The seeded generator the demo data uses (mulberry32), for the property tests: the same seed
 * gives the same cases, so a failure names the seed that shows it.
 */
export { seededRandom as seeded } from '../measures/demo.js'

/** A whole number from `min` to `max` inclusive. */
export function intBetween(rnd: () => number, min: number, max: number): number {
  return min + Math.floor(rnd() * (max - min + 1))
}

const WORDS = [
  'new',
  'triage',
  'nurse',
  'started',
  'discharge',
  'checklist',
  'ward',
  'Rebase:',
  'PDSA',
  'cycle',
  'WWW',
  'mmm',
  'i',
  '—',
  'Pharmacy-led',
  'medicines reconciliation',
  '病棟',
]

/** Text of 1 to `max` characters from a few words (wide and narrow letters, non-Latin too). */
export function randomLabel(rnd: () => number, max: number): string {
  const target = intBetween(rnd, 1, max)
  let text = ''
  while (text.length < target) text += `${text ? ' ' : ''}${WORDS[intBetween(rnd, 0, WORDS.length - 1)]}`
  return text.slice(0, target).trim() || 'x'
}

/** Monthly dates from January 2020: the x values of a test series. */
export function monthlyDates(n: number, from = 2020): string[] {
  return Array.from(
    { length: n },
    (_, i) => `${from + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
  )
}
