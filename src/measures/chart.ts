import { analyse, type SpcRequest, type SpcSuccess, type SpcResult } from '../spc/index.js'
import {
  ASSURANCE_ICON_LABELS,
  VARIATION_ICON_LABELS,
  describeSpcResult,
  renderAssuranceIcon,
  renderSpcChartSvg,
  renderVariationIcon,
  ruleSetWords,
  spcTableRows,
  chartSignals,
  chartEvents,
  type ChartAnnotation,
} from '../charts/index.js'
import { CHART_CHOICES, isSmallNumber, methodFor, suggestedChart, type MeasureChart } from './policy.js'
import { rawValueOf } from './points.js'
import { formatValue } from './format.js'
import {
  eventRef,
  type ChartMark,
  type ChartMeasure,
  type ChartNote,
  type ChartPoint,
  type DataTableRow,
  type MeasureChartView,
  type SpcSummary,
} from './chart-view.js'

export * from './chart-view.js'

/** The chart in use: the team's choice, or the one suggested from the data. */
export function chartFor(
  measure: Pick<ChartMeasure, 'dataKind' | 'chartType'>,
  points: number,
): MeasureChart {
  return measure.chartType ?? suggestedChart(measure.dataKind, points)
}

/**
 * The engine request for a measure's data. XmR (`i`) uses Making Data Count (no `exclude` nor
 * `multiply` there: an excluded point is sent as missing, values are scaled here); the other
 * charts use the Anhøj rules with `exclude`, `multiply` and, for p and u, numerator over
 * denominator. A rebase date starts a new period at the first point on or after it.
 */
export function buildSpcRequest(
  measure: ChartMeasure,
  points: readonly ChartPoint[],
  rebaseDates: readonly string[],
): SpcRequest {
  const chart = chartFor(measure, points.length)
  const method = methodFor(chart)
  const two = measure.dataKind === 'proportion' || measure.dataKind === 'rate'
  const multiplier = two ? measure.multiplier : 1
  const rebase = new Set<string>()
  for (const date of rebaseDates) {
    const at = points.find((p) => p.period >= date)
    if (at && at !== points[0]) rebase.add(at.period)
  }
  if (method === 'mdc') {
    return {
      method,
      chart: 'i',
      points: points.map((p) => {
        const raw = rawValueOf(measure.dataKind, p)
        return { x: p.period, y: p.excluded || raw === null ? null : raw * multiplier }
      }),
      improvement_direction: measure.direction,
      target: measure.target,
      rebase: [...rebase],
    }
  }
  const withDenominator = two && (chart === 'p' || chart === 'u' || chart === 'run')
  return {
    method,
    chart,
    points: points.map((p) =>
      withDenominator
        ? { x: p.period, y: p.numerator, n: p.denominator }
        : { x: p.period, y: rawValueOf(measure.dataKind, p) },
    ),
    improvement_direction: measure.direction,
    target: measure.target,
    rebase: [...rebase],
    exclude: points.filter((p) => p.excluded).map((p) => p.period),
    ...(withDenominator && multiplier !== 1 ? { multiply: multiplier } : {}),
  }
}

const fmt = formatValue

/** The signal of a suppressed point, without the rule that could narrow down its value. */
function broadSignal(signal: string): string {
  if (signal === 'None' || signal === 'Missing value') return signal
  const colon = signal.indexOf(':')
  if (colon > 0 && signal.startsWith('Special cause')) return signal.slice(0, colon)
  return 'Signal (details hidden with the value)'
}

/**
 * Everything the measure page, the downloads and the API show about a measure's chart, for one
 * viewer. The engine always runs on the real data (so centre, limits and signals are the
 * engine's); for viewers outside the team (`seeSmallNumbers` false) a count of 1 to 4 (or a
 * proportion or rate built on one) is then removed: no value, no dot on the chart, no numerator or
 * denominator, its own limits hidden on p and u charts (they would give the denominator away),
 * and its signal given only as improvement, concern or neutral, not which rule (a value just
 * above a limit could otherwise be worked out). Summary figures (mean, limits) stay.
 */
export function analyseMeasure(
  measure: ChartMeasure,
  points: readonly ChartPoint[],
  notes: readonly ChartNote[],
  marks: readonly ChartMark[],
  options: {
    seeSmallNumbers: boolean
    id?: string
    width?: number
    svg?: boolean
    /** The data table's rows: all (default), none (false) or the latest n. */
    rows?: boolean | number
  },
): MeasureChartView {
  const chart = chartFor(measure, points.length)
  const suggested = suggestedChart(measure.dataKind, points.length)
  const method = methodFor(chart)
  const two = measure.dataKind === 'proportion' || measure.dataKind === 'rate'
  const suppressed = points.map((p) => !options.seeSmallNumbers && isSmallNumber(measure.dataKind, p))
  const suppressedCount = suppressed.filter(Boolean).length
  const excludedCount = points.filter((p) => p.excluded).length
  const empty: SpcSummary = {
    chart,
    chartName: CHART_CHOICES[chart],
    suggestedChart: suggested,
    method,
    points: points.length,
    centre: null,
    lcl: null,
    ucl: null,
    variation: null,
    variationIcon: null,
    variationLabel: null,
    assurance: null,
    assuranceIcon: null,
    assuranceLabel: null,
    runsSignal: null,
    ruleSet: null,
    latest: null,
  }
  if (points.length === 0)
    return {
      summary: empty,
      result: null,
      error: null,
      svg: null,
      description: 'There is no data yet.',
      variationIconSvg: null,
      assuranceIconSvg: null,
      rows: [],
      suppressedCount: 0,
      excludedCount: 0,
      eventNumbers: {},
    }
  const request = buildSpcRequest(
    measure,
    points,
    notes.filter((n) => n.isRebase).map((n) => n.date),
  )
  const analysed: SpcResult = analyse(request)
  if (!analysed.ok) {
    return {
      summary: empty,
      result: null,
      error: analysed.error,
      svg: null,
      description: `The chart could not be drawn: ${analysed.error}`,
      variationIconSvg: null,
      assuranceIconSvg: null,
      rows: [],
      suppressedCount,
      excludedCount,
      eventNumbers: {},
    }
  }
  const full = analysed
  // Colours, icons and assurance come from the real data, as the engine's limits do.
  const signals = chartSignals(full, measure.direction, measure.target)
  const tableSignals = options.rows === false ? [] : spcTableRows(full, signals)
  const perPointLimits = chart === 'p' || chart === 'u'
  // A centre line that is exactly a suppressed value (the median of a few points often is one
  // of them) would state that value: such a period's centre is hidden too.
  const hiddenCentre = new Set<number>()
  full.points.forEach((p, i) => {
    if (suppressed[i] && p.value !== null && p.centre !== null && Math.abs(p.centre - p.value) < 1e-9)
      hiddenCentre.add(p.period)
  })
  // The viewer's copy: suppressed values (and their own limits on p/u charts) removed.
  const shown = (
    suppressedCount
      ? {
          ...full,
          points: full.points.map((p, i) => ({
            ...p,
            ...(suppressed[i] ? { value: null } : {}),
            ...(suppressed[i] && perPointLimits
              ? { lcl: null, ucl: null, lcl_2sigma: null, ucl_2sigma: null }
              : {}),
            ...(hiddenCentre.has(p.period) ? { centre: null } : {}),
          })),
          periods: full.periods.map((period) =>
            hiddenCentre.has(period.period) ? { ...period, centre: null } : period,
          ),
        }
      : full
  ) as SpcSuccess
  // Lines repeat along a period: format each value once.
  const lineText = new Map<number | null, string>()
  const line = (v: number | null) => {
    let text = lineText.get(v)
    if (text === undefined) lineText.set(v, (text = fmt(v)))
    return text
  }
  const first =
    options.rows === false
      ? points.length
      : typeof options.rows === 'number'
        ? Math.max(0, points.length - options.rows)
        : 0
  const rows: DataTableRow[] = points.slice(first).map((p, k) => {
    const i = first + k
    const r = shown.points[i]
    const hidden = suppressed[i]
    const note = hidden
      ? 'Suppressed: a count from 1 to 4'
      : p.excluded
        ? `Excluded from calculations${p.exclusionReason ? `: ${p.exclusionReason}` : ''}`
        : ''
    const rawShown = method === 'mdc' && p.excluded ? rawValueOf(measure.dataKind, p) : null
    const value = hidden
      ? null
      : (r.value ?? (rawShown === null ? null : rawShown * (two ? measure.multiplier : 1)))
    return {
      period: p.period,
      label: tableSignals[i].label,
      value: hidden ? 'suppressed' : fmt(value),
      numerator: two && !hidden ? fmt(p.numerator) : two ? 'suppressed' : '',
      denominator: two && !hidden ? fmt(p.denominator) : two ? 'suppressed' : '',
      centre: line(r.centre),
      lcl: line(r.lcl),
      ucl: line(r.ucl),
      signal: hidden
        ? broadSignal(tableSignals[i].signal)
        : method === 'mdc' && p.excluded
          ? 'Excluded'
          : tableSignals[i].signal,
      note,
      suppressed: hidden,
      excluded: p.excluded,
    }
  })
  const lastPeriod = full.periods[full.periods.length - 1]
  const lastPoint = full.points[full.points.length - 1]
  const lastIndex = points.length - 1
  const lastShownValue = shown.points[lastIndex].value
  const summary: SpcSummary = {
    ...empty,
    centre: hiddenCentre.has(lastPeriod.period) ? null : lastPeriod.centre,
    lcl: full.method === 'mdc' ? (lastPeriod as { lcl: number | null }).lcl : lastPoint.lcl,
    ucl: full.method === 'mdc' ? (lastPeriod as { ucl: number | null }).ucl : lastPoint.ucl,
    latest: { period: points[lastIndex].period, value: lastShownValue, suppressed: suppressed[lastIndex] },
  }
  summary.variationIcon = signals.variationIcon
  summary.variationLabel = VARIATION_ICON_LABELS[signals.variationIcon]
  summary.assurance = signals.assurance
  summary.assuranceIcon = signals.assuranceIcon
  summary.assuranceLabel = signals.assuranceIcon ? ASSURANCE_ICON_LABELS[signals.assuranceIcon] : null
  summary.ruleSet = ruleSetWords(full)
  if (full.method === 'mdc') summary.variation = full.variation
  else {
    const last = full.periods[full.periods.length - 1]
    summary.runsSignal = last.runs.runs_signal
  }
  const annotations: ChartAnnotation[] = [
    ...notes.map((n): ChartAnnotation => ({
      x: n.date,
      label: n.isRebase ? `Rebase: ${n.text}` : n.text,
      kind: n.isRebase ? 'rebase' : 'annotation',
      ref: n.id === undefined ? undefined : eventRef.note(n.id),
    })),
    ...marks.map((m): ChartAnnotation => ({
      x: m.date,
      label: m.label,
      kind: 'pdsa',
      ref: m.pdsaId === undefined ? undefined : eventRef.mark(m.pdsaId, m.date),
    })),
  ]
  // the numbers the chart and its key give each event, for the page's list
  const eventNumbers: Record<string, number> = {}
  for (const e of chartEvents(shown, annotations)) if (e.ref) eventNumbers[e.ref] = e.number
  const yLabel = measureAxisLabel(measure)
  const svg =
    options.svg === false
      ? null
      : renderSpcChartSvg(shown, {
          title: measure.name,
          yLabel,
          target: measure.target,
          direction: measure.direction,
          signals,
          annotations,
          id: options.id ?? 'spc-chart',
          width: options.width,
        })
  return {
    summary,
    result: shown,
    error: null,
    svg,
    description: describeSpcResult(shown, {
      title: measure.name,
      yLabel,
      target: measure.target,
      direction: measure.direction,
      signals,
    }),
    variationIconSvg: renderVariationIcon(signals.variationIcon),
    assuranceIconSvg: signals.assuranceIcon ? renderAssuranceIcon(signals.assuranceIcon) : null,
    rows,
    suppressedCount,
    excludedCount,
    eventNumbers,
  }
}

/** The y-axis label: the unit, or what a multiplier means ("%", "per 1,000"). */
export function measureAxisLabel(measure: Pick<ChartMeasure, 'unit' | 'dataKind' | 'multiplier'>): string {
  if (measure.unit) return measure.unit
  if (measure.dataKind === 'proportion') return measure.multiplier === 100 ? '%' : 'proportion'
  if (measure.dataKind === 'rate')
    return measure.multiplier === 1 ? 'rate' : `per ${measure.multiplier.toLocaleString('en-GB')}`
  return ''
}
