import { CHART_CHOICES, CHARTS_FOR_KIND, DATA_KINDS, DIRECTIONS, MEASURE_TYPES } from './policy.js'
import { eventRef, type MeasureChartView } from './chart.js'
import { spcTableHtml } from '../web/components/spc-chart/table-html.js'
import type { Measure } from './repository.js'
import { idParams, type ZodApp } from '../web/route-schemas.js'
import { bytesKeptWith, htmlSlot } from '../web/html-bytes.js'
import { type MeasuresRouteServices } from './route-helpers.js'

/** Rows of the data table on the measure page; longer series have the whole table on their own page. */
export const PAGE_TABLE_ROWS = 100

/**
 * The table's markup for a chart, kept with the chart: the service hands out the same chart
 * object while the measure, its data, annotations and marks are unchanged (see page()), so the
 * markup is built once per chart and per right to edit.
 */
const tableMarkup = new WeakMap<MeasureChartView, Map<string, string>>()

function chartTableHtml(
  measure: Measure,
  chart: MeasureChartView,
  editHref: ((period: string) => string) | null,
): string {
  const key = editHref ? `edit:${measure.id}` : 'view'
  let byKey = tableMarkup.get(chart)
  if (!byKey) tableMarkup.set(chart, (byKey = new Map()))
  let html = byKey.get(key)
  if (html === undefined) byKey.set(key, (html = spcTableHtml(chartTable(measure, chart, editHref))))
  return html
}

/** The data table of the spc-chart component, from the rows the service prepared. */
function chartTable(
  measure: Measure,
  chart: MeasureChartView,
  editHref: ((period: string) => string) | null,
) {
  const two = measure.dataKind === 'proportion' || measure.dataKind === 'rate'
  const head = [
    { text: 'Period' },
    { text: measure.unit ? `Value (${measure.unit})` : 'Value', numeric: true },
    ...(two
      ? [
          { text: 'Numerator', numeric: true },
          { text: 'Denominator', numeric: true },
        ]
      : []),
    { text: chart.summary.chart === 'run' ? 'Median' : 'Centre', numeric: true },
    ...(chart.summary.chart === 'run'
      ? []
      : [
          { text: 'Lower limit', numeric: true },
          { text: 'Upper limit', numeric: true },
        ]),
    { text: 'Signal' },
    { text: 'Notes' },
  ]
  const rows = chart.rows.map((r) => [
    { text: r.label },
    { text: r.value, numeric: true },
    ...(two
      ? [
          { text: r.numerator, numeric: true },
          { text: r.denominator, numeric: true },
        ]
      : []),
    { text: r.centre, numeric: true },
    ...(chart.summary.chart === 'run'
      ? []
      : [
          { text: r.lcl, numeric: true },
          { text: r.ucl, numeric: true },
        ]),
    { text: r.signal },
    editHref
      ? { text: r.note ? `${r.note} (change)` : 'Change', href: editHref(r.period) }
      : { text: r.note },
  ])
  const all = chart.summary.points
  const caption =
    rows.length < all
      ? `The latest ${rows.length} of ${all.toLocaleString('en-GB')} points of ${measure.name}`
      : `Data for ${measure.name}`
  return { caption, head, rows }
}

export function chartParams(
  measure: Measure,
  chart: MeasureChartView,
  id: string,
  editHref: ((period: string) => string) | null,
) {
  const icons = [
    ...(chart.variationIconSvg ? [{ svg: chart.variationIconSvg, label: chart.summary.variationLabel }] : []),
    ...(chart.assuranceIconSvg ? [{ svg: chart.assuranceIconSvg, label: chart.summary.assuranceLabel }] : []),
  ]
  const notes: string[] = []
  if (chart.suppressedCount)
    notes.push(
      `${chart.suppressedCount} ${chart.suppressedCount === 1 ? 'point is' : 'points are'} not shown: counts from 1 to 4 are hidden outside the project team (small numbers). The centre line, limits and signals still use every point.`,
    )
  if (chart.excludedCount)
    notes.push(
      `${chart.excludedCount} ${chart.excludedCount === 1 ? 'point is' : 'points are'} excluded from the calculations (see the table).`,
    )
  return {
    id,
    svg: chart.svg,
    description: chart.description,
    icons,
    notes,
    tableHtml: chartTableHtml(measure, chart, editHref),
    tableSummary:
      chart.rows.length < chart.summary.points
        ? `Show the latest ${chart.rows.length} points as a table`
        : `Show the data as a table (${chart.rows.length} ${chart.rows.length === 1 ? 'point' : 'points'})`,
  }
}

/**
 * The one-click switch between the chart suggested for a proportion or rate (a p or u chart, Anhøj
 * rules) and Making Data Count's XmR chart: the measure's own values with only the chart changed,
 * sent to the edit route (so its checks, version and audit apply). Null when there is no choice.
 */
function chartSwitch(
  measure: Measure,
  chart: MeasureChartView,
  values: Record<string, unknown>,
): { text: string; values: Record<string, unknown> } | null {
  if (measure.dataKind !== 'proportion' && measure.dataKind !== 'rate') return null
  const { chart: current, suggestedChart: suggested } = chart.summary
  if (current !== 'i' && CHARTS_FOR_KIND[measure.dataKind].includes('i'))
    return { text: `Use the ${CHART_CHOICES.i} instead`, values: { ...values, chartType: 'i' } }
  if (current === 'i' && suggested !== 'i' && measure.chartType === 'i')
    return {
      text: `Use the suggested ${CHART_CHOICES[suggested].replace(/^(\w)/, (c) => c.toLowerCase())} instead`,
      values: { ...values, chartType: 'auto' },
    }
  return null
}

/**
 * The page's list of annotations and PDSA marks, numbered as on the chart and its key (in time
 * order); those outside the chart's dates come last, unnumbered.
 */
function eventItems(
  annotations: readonly { id: string; date: string; text: string; isRebase: boolean }[],
  marks: readonly { pdsaId: string; date: string; label: string }[],
  numbers: Record<string, number>,
) {
  const items = [
    ...annotations.map((a) => ({
      number: numbers[eventRef.note(a.id)] ?? null,
      date: a.date,
      text: a.text,
      kind: a.isRebase ? 'rebase' : 'annotation',
      annotationId: a.id,
    })),
    ...marks.map((m) => ({
      number: numbers[eventRef.mark(m.pdsaId, m.date)] ?? null,
      date: m.date,
      text: m.label,
      kind: 'pdsa',
      annotationId: null,
    })),
  ]
  return items.sort((a, b) => (a.number ?? Infinity) - (b.number ?? Infinity) || a.date.localeCompare(b.date))
}

/** The measure page (its chart, icons and latest points) and the whole data table. */
export async function measurePageRoutes(app: ZodApp, { services }: { services: MeasuresRouteServices }) {
  const measures = services.measures

  app.get('/measures/:id', { schema: { params: idParams } }, async (request, reply) => {
    // The page's table holds the latest points; every point is on /table and in the CSV.
    const page = await measures.page(request.user, request.params.id, { rows: PAGE_TABLE_ROWS })
    const id = page.measure.id
    const edit = page.access.edit ? (period: string) => `/measures/${id}/data/${period}` : null
    // the cached chart's SVG goes out as bytes encoded once (most of the page for a long series)
    const svg = page.chart.svg ? bytesKeptWith(page.chart, page.chart.svg) : null
    const params =
      page.chart.svg || page.chart.rows.length
        ? chartParams(page.measure, page.chart, `measure-${id}`, edit)
        : null
    return reply.page(
      'measures/views/measure.njk',
      {
        title: page.measure.name,
        ...page,
        chartParams: params && svg ? { ...params, svg: htmlSlot(0) } : params,
        eventItems: eventItems(page.annotations, page.marks, page.chart.eventNumbers),
        chartSwitch: page.access.edit
          ? chartSwitch(page.measure, page.chart, measures.formValues(page.measure))
          : null,
        flagged: services.coach?.whyFlagged(page.chart.result) ?? [],
        advice: page.access.edit ? ((await services.coach?.forMeasure(request.user, id)) ?? []) : [],
        types: MEASURE_TYPES,
        directions: DIRECTIONS,
        kinds: DATA_KINDS,
        charts: CHART_CHOICES,
      },
      undefined,
      { slots: svg ? [svg] : [] },
    )
  })

  app.get('/measures/:id/table', { schema: { params: idParams } }, async (request, reply) => {
    const page = await measures.page(request.user, request.params.id)
    const id = page.measure.id
    const edit = page.access.edit ? (period: string) => `/measures/${id}/data/${period}` : null
    return reply.page('measures/views/table.njk', {
      title: `Data for ${page.measure.name}`,
      ...page,
      tableHtml: chartTableHtml(page.measure, page.chart, edit),
    })
  })
}
