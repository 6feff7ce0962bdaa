import { renderAssuranceIcon, renderVariationIcon } from '../charts/index.js'
import type { AssuranceIcon, VariationIcon } from '../spc/index.js'

/**
 * What a board pack says (issue 12 point 5), worked out once by the job and stored with the pack:
 * the PowerPoint file, the PDF and the print page are all drawn from this one snapshot, so the
 * three agree and each states its "data as at".
 */

/** One row of the Making Data Count table, already in words. */
export interface PackRow {
  section: string
  measureId: string
  name: string
  projectTitle: string
  frequency: string
  unit: string
  latestPeriod: string
  latestValue: string
  centreName: string
  centre: string
  lcl: string
  ucl: string
  target: string
  variationLabel: string
  assuranceLabel: string
  /** The icons' names (charts/icons.ts), drawn beside the words in the PDF and the print page. */
  variationIcon: string | null
  assuranceIcon: string | null
  ruleSet: string
  points: number
}

/** A flagged measure's slide: its chart and icons (SVG, drawn to PNG for the files), words and notes. */
export interface PackChart {
  row: PackRow
  chartSvg: string | null
  variationIconSvg: string | null
  assuranceIconSvg: string | null
  description: string
  /** The latest annotations, newest first (only for projects the requester may open). */
  annotations: { date: string; text: string }[]
  annotationsHidden: boolean
}

export interface PackContent {
  community: string
  dataAsAt: string
  requestedAt: string
  rows: PackRow[]
  charts: PackChart[]
  /** Flagged measures with no chart slide (past the pack's limit). */
  chartsLeftOut: number
  /** Measures flagged when the pack was asked for and deleted before it was made. */
  deleted: number
  portfolio: {
    total: number
    byStatus: { label: string; n: number }[]
    withPartners: number
    stalled: number | null
    stalledDays: number
  }
  capability: { level: string; trained: number; target: string }[] | null
  highlights: {
    completed: { title: string; finishedAt: string | null }[]
    posters: { title: string; approvedAt: string | null }[]
    programmes: string[]
  }
}

/** Rows of the summary table per slide or printed page. */
export const ROWS_PER_SLIDE = 12

/** Chart slides in one pack: a pack of 500 measures lists them all in the table, charts the first 100. */
export const MAX_CHART_SLIDES = 100

/** The table split into pages of `size` rows. */
export function pagesOf<T>(rows: readonly T[], size = ROWS_PER_SLIDE): T[][] {
  const pages: T[][] = []
  for (let i = 0; i < rows.length; i += size) pages.push(rows.slice(i, i + size))
  return pages
}

const when = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})
const day = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})

export const asAtWords = (iso: string) => `Data as at ${when.format(new Date(iso))}`
export const dayWords = (iso: string | null) => (iso ? day.format(new Date(iso)) : '')

/** The header and cells of the summary table, the same in every format. */
export const TABLE_HEADER = [
  'Measure',
  'Latest point',
  'Latest value',
  'Mean',
  'Lower limit',
  'Upper limit',
  'Target',
  'Variation',
  'Assurance',
]

export function tableCells(r: PackRow): string[] {
  return [
    `${r.name} (${r.projectTitle}; ${r.frequency}${r.unit ? `, ${r.unit}` : ''})`,
    r.latestPeriod,
    r.latestValue,
    r.centreName === 'Mean' ? r.centre : `${r.centre} (median)`,
    r.lcl,
    r.ucl,
    r.target,
    r.variationLabel,
    r.assuranceLabel,
  ]
}

/** The icons of a row of the table, as SVG (none when the chart has none). */
export function rowIcons(r: PackRow, size = 24): { variation: string | null; assurance: string | null } {
  return {
    variation: r.variationIcon ? renderVariationIcon(r.variationIcon as VariationIcon, size) : null,
    assurance: r.assuranceIcon ? renderAssuranceIcon(r.assuranceIcon as AssuranceIcon, size) : null,
  }
}

/** The lines the pack says about its own contents: empty, deleted measures, charts left out. */
export function packNotes(c: PackContent): string[] {
  const notes: string[] = []
  if (c.rows.length === 0) notes.push('No measures were flagged for the Board when this pack was made.')
  if (c.deleted)
    notes.push(
      `${c.deleted} ${c.deleted === 1 ? 'measure was' : 'measures were'} flagged when the pack was asked for but deleted before it was made, and ${c.deleted === 1 ? 'is' : 'are'} left out.`,
    )
  if (c.chartsLeftOut)
    notes.push(
      `Charts are shown for the first ${c.charts.length} measures; the other ${c.chartsLeftOut} are in the summary table only.`,
    )
  return notes
}
