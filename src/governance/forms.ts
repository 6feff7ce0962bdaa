import { z } from 'zod'
import { pageNumber, queryText } from '../web/route-schemas.js'

/**
 * A filter's value: an id, a code, a status or a score, as the form's lists send them. Anything
 * else (spaces, words typed into the address, an NHS number) names nothing and is dropped here.
 */
const filterValue = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,127}$/)
  .optional()
  .catch(undefined)

/**
 * The portfolio's filters, as the address carries them. Values are checked against what exists
 * in the service (an unknown one is a clear message on the page, never a 500); a repeated key or
 * a non-text value is ignored as on the project list.
 */
export const portfolioQuery = z.object({
  status: filterValue,
  organisation: filterValue,
  programme: filterValue,
  priority: filterValue,
  aim: filterValue,
  stage: filterValue,
  score: filterValue,
  page: pageNumber.optional().catch(undefined),
})
export type PortfolioQuery = z.infer<typeof portfolioQuery>

/** The filter keys, in the order the page lists them. */
export const FILTER_KEYS = [
  'status',
  'organisation',
  'programme',
  'priority',
  'aim',
  'stage',
  'score',
] as const
export type FilterKey = (typeof FILTER_KEYS)[number]

/** The tables the portfolio downloads as CSV. */
export const PORTFOLIO_TABLES = [
  'status',
  'organisation',
  'programme',
  'priority',
  'aim',
  'stage',
  'score',
  'projects',
  'stalled',
  'signals',
  'decisions',
  'partners',
] as const
export type PortfolioTable = (typeof PORTFOLIO_TABLES)[number]

export const tableParams = z.object({
  table: z.enum(PORTFOLIO_TABLES, { error: 'There is no such table in the portfolio' }),
})

export const settingsForm = z.object({
  stalledDays: z.coerce
    .number({ error: 'Enter the number of days as a whole number, like 60' })
    .int({ error: 'Enter the number of days as a whole number, like 60' })
    .min(7, { error: 'Enter 7 days or more' })
    .max(730, { error: 'Enter 730 days (two years) or fewer' }),
})

export const flagForm = z.object({
  measureId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,127}$/, { error: 'Choose a measure from the list' }),
  priorityId: z
    .string()
    .regex(/^([A-Za-z0-9][A-Za-z0-9_.:~-]{0,127})?$/, { error: 'Choose a system priority from the list' })
    .optional()
    .transform((v) => v || null),
  /** Where the button was pressed (the portfolio, or the Board measures page). */
  from: z.enum(['portfolio', 'board-measures']).catch('board-measures'),
})

export const boardMeasuresQuery = z.object({ q: queryText })
