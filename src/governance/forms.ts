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
  'reach',
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

const idValue = (message: string) =>
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,127}$/, { error: message })
const datePart = z.string().regex(/^\s*\d{0,4}\s*$/, { error: 'Enter the date as numbers, like 31 3 2027' })

/** The capability page's filters (ids from its selects; unknown values are named on the page). */
export const capabilityQuery = z.object({
  faculty: filterValue,
  level: filterValue,
  organisation: filterValue,
})
export type CapabilityQuery = z.infer<typeof capabilityQuery>

/** A capability target: a share of an organisation's staff at a level by a date (checked in the route). */
export const targetForm = z.object({
  organisationId: idValue('Choose an organisation'),
  level: idValue('Choose a course level'),
  percent: z.coerce
    .number({ error: 'Enter the share of staff as a number, like 10' })
    .min(0.1, { error: 'Enter a share of 0.1% or more' })
    .max(100, { error: 'Enter a share of 100% or less' }),
  byDateDay: datePart,
  byDateMonth: datePart,
  byDateYear: datePart,
})

export const removeTargetForm = z.object({
  organisationId: idValue('Choose an organisation'),
  level: idValue('Choose a course level'),
})

export const headcountForm = z.object({
  organisationId: idValue('Choose an organisation'),
  headcount: z.coerce
    .number({ error: 'Enter the headcount as a whole number, like 8500' })
    .int({ error: 'Enter the headcount as a whole number, like 8500' })
    .min(1, { error: 'Enter a headcount of 1 or more' })
    .max(1_000_000, { error: 'Enter a headcount of 1,000,000 or fewer' }),
})
