import { londonParts, londonToIso } from '../core/dates.js'
import type { EventService } from '../events/service.js'
import type { ShowcaseService } from '../showcase/service.js'
import type { CsvCell } from '../core/csv.js'

/** What the portfolio reads of events and the showcase: their services' reach figures. */
export interface ReachSources {
  events: Pick<EventService, 'reach'>
  showcase: Pick<ShowcaseService, 'reach'>
}

export interface ReachRow {
  key: string
  label: string
  eventsHeld: number
  placesTaken: number
  attended: number
  peopleReached: number
  submitted: number
  published: number
  votes: number
}

/** How many calendar quarters the portfolio's reach table covers, the current one last. */
export const REACH_QUARTERS = 4

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** The London calendar quarter of an instant: "2026-Q3". */
export function quarterKey(iso: string): string {
  const [date] = londonParts(iso)
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`
}

/** "2026-Q3" → "Jul–Sep 2026". */
export function quarterLabel(key: string): string {
  const q = Number(key.slice(6)) - 1
  return `${MONTHS[q * 3]}–${MONTHS[q * 3 + 2]} ${key.slice(0, 4)}`
}

/** The last `count` quarters up to and including the one of `now`, oldest first, and when the first began. */
export function lastQuarters(now: Date, count = REACH_QUARTERS): { keys: string[]; since: string } {
  const [today] = londonParts(now.toISOString())
  let year = Number(today.slice(0, 4))
  let q = Math.floor((Number(today.slice(5, 7)) - 1) / 3)
  const keys: string[] = []
  for (let i = 0; i < count; i++) {
    keys.unshift(`${year}-Q${q + 1}`)
    if (i === count - 1) break
    if (--q < 0) {
      q = 3
      year--
    }
  }
  const since = londonToIso(`${year}-${String(q * 3 + 1).padStart(2, '0')}-01`, '00:00')
  return { keys, since }
}

/**
 * Event and showcase reach over the last quarters, one row per quarter and a total (people
 * reached counted once over the whole span, not summed). Filters of the portfolio do not apply:
 * events and posters are the community's, not one project's.
 */
export async function reachFigures(sources: ReachSources, now: Date) {
  const { keys, since } = lastQuarters(now)
  const until = now.toISOString()
  const [events, showcase, allEvents, allShowcase] = await Promise.all([
    sources.events.reach(since, until, quarterKey),
    sources.showcase.reach(since, until, quarterKey),
    sources.events.reach(since, until, () => 'all'),
    sources.showcase.reach(since, until, () => 'all'),
  ])
  const row = (key: string, label: string, e = events.get(key), s = showcase.get(key)): ReachRow => ({
    key,
    label,
    eventsHeld: e?.eventsHeld ?? 0,
    placesTaken: e?.placesTaken ?? 0,
    attended: e?.attended ?? 0,
    peopleReached: e?.peopleReached ?? 0,
    submitted: s?.submitted ?? 0,
    published: s?.published ?? 0,
    votes: s?.votes ?? 0,
  })
  return {
    since,
    rows: keys.map((k) => row(k, quarterLabel(k))),
    total: row('all', 'All four quarters', allEvents.get('all'), allShowcase.get('all')),
  }
}

export const REACH_HEADER: CsvCell[] = [
  'Period',
  'Events held',
  'Places taken',
  'Attended',
  'People reached',
  'Posters submitted',
  'Posters published',
  'Votes cast',
]

export const reachCells = (r: ReachRow): CsvCell[] => [
  r.label,
  r.eventsHeld,
  r.placesTaken,
  r.attended,
  r.peopleReached,
  r.submitted,
  r.published,
  r.votes,
]
