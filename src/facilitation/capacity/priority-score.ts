import { sql, type RawBuilder } from 'kysely'

/** How much of the system a request reaches, with its weight in the suggested priority. */
export const SCALES = {
  team: { label: 'One team', points: 5 },
  service: { label: 'A service or department', points: 10 },
  organisation: { label: 'A whole organisation', points: 15 },
  multi_organisation: { label: 'Several partner organisations', points: 25 },
  system: { label: 'The whole system (One Gloucestershire)', points: 30 },
} as const
export type Scale = keyof typeof SCALES
export const SCALE_NAMES = Object.keys(SCALES) as Scale[]

export const HELP_WANTED = {
  facilitation: 'Facilitation',
  coaching: 'Coaching',
  workshop_design: 'Workshop design',
  measurement_support: 'Measurement support',
} as const
export type HelpWanted = keyof typeof HELP_WANTED
export const HELP_NAMES = Object.keys(HELP_WANTED) as HelpWanted[]

export interface ScoreInput {
  /** How many of the Steering Group's system priorities the request serves. */
  priorityCount: number
  scale: Scale
  /** YYYY-MM-DD: when the support is needed from. */
  startDate: string
}

export interface ScoreBreakdown {
  alignment: number
  scale: number
  urgency: number
  total: number
}

const DAY_MS = 86_400_000

/**
 * Suggested priority, 0–100, the sum of three parts:
 * - alignment (0–40): 20 points for each system priority the request serves, at most 40;
 * - scale (0–30): one team 5, a service 10, an organisation 15, several organisations 25, the whole system 30;
 * - urgency (0–30): days from today to the start date: 28 or fewer (or already started) 30,
 *   up to 56 days 20, up to 91 days 10, later 5.
 * The Steering Group can override it with a reason; the override then orders the queue.
 * @example suggestedPriority({ priorityCount: 1, scale: 'system', startDate: '2026-12-10' }, '2026-12-01') // total 80
 */
export function suggestedPriority(input: ScoreInput, today: string): ScoreBreakdown {
  const alignment = Math.min(Math.max(input.priorityCount, 0), 2) * 20
  const scale = SCALES[input.scale]?.points ?? 0
  const days = Math.round(
    (Date.parse(`${input.startDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS,
  )
  const urgency = Number.isNaN(days) ? 0 : days <= 28 ? 30 : days <= 56 ? 20 : days <= 91 ? 10 : 5
  return { alignment, scale, urgency, total: alignment + scale + urgency }
}

/** Today + n days as 'YYYY-MM-DD' (dates compare as text on both databases). */
function dayAfter(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/**
 * The same formula as `suggestedPriority`, as a SQL expression over `support_requests` aliased
 * `r`, so the triage queue is ordered by the database rather than by loading every open request.
 * `priority.db.test.ts` checks the two agree.
 */
export function suggestedPrioritySql(today: string): RawBuilder<number> {
  const alignment = sql`(case when r.priority_count >= 2 then 40 when r.priority_count = 1 then 20 else 0 end)`
  const scale = sql.join(
    SCALE_NAMES.map((s) => sql`when ${s} then ${sql.lit(SCALES[s].points)}`),
    sql` `,
  )
  return sql<number>`(
    ${alignment}
    + (case r.scale ${scale} else 0 end)
    + (case when r.start_date <= ${dayAfter(today, 28)} then 30 when r.start_date <= ${dayAfter(today, 56)} then 20 when r.start_date <= ${dayAfter(today, 91)} then 10 else 5 end)
  )`
}
