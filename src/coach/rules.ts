import type { Assurance, SpcSuccess } from '../spc/index.js'
import { formatX, runsOf } from '../charts/index.js'
import type { Run } from '../charts/signals.js'
import { xStyleOf } from '../charts/format.js'
import { CHART_CHOICES, CHARTS_FOR_KIND, RUN_CHART_BELOW, type MeasureChart } from '../measures/policy.js'

/**
 * The built-in QI coach: rules, not a language model. Each rule takes plain facts and returns
 * advice, written kindly and specifically. Nothing here reads a database or a clock; the service
 * (service.ts) gathers the facts. Advice is shown, never enforced.
 */

export interface AdviceItem {
  /** A stable name for the rule, e.g. 'aim.by-when'. */
  rule: string
  severity: 'advice'
  message: string
  /** A guide of the resources library (src/resources/content.ts), linked as /resources/<slug>. */
  guideSlug?: string
  /** The form field the advice is about, when there is one. */
  field?: string
}

const advice = (rule: string, message: string, guideSlug?: string, field?: string): AdviceItem => ({
  rule,
  severity: 'advice',
  message,
  ...(guideSlug ? { guideSlug } : {}),
  ...(field ? { field } : {}),
})

const blank = (s: string | null | undefined) => !s || !s.trim()
const hasNumber = (s: string) =>
  /\d/.test(s) || /\b(one|two|three|four|five|six|seven|eight|nine|ten|half|a single)\b/i.test(s)
const MONTHS =
  /\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?|q[1-4]|spring|summer|autumn|winter|end of)\b/i
const YEAR = /\b(19|20)\d{2}\b/

// ----- SMART aim -----

export interface AimFacts {
  what: string
  measure: string
  baseline: string
  target: string
  forWhom: string
  byWhen: string
}

/** The words of a name that carry meaning (lower case, plurals folded, small words dropped). */
export function meaningfulWords(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2 && !STOP_WORDS.has(w) && !/^\d+$/.test(w))
    .map(stem)
  return new Set(words)
}

const STOP_WORDS = new Set(
  'a an and are as at be by for from in into is it of on or per the their to with within who how many much number percentage percent proportion rate our we will each all'.split(
    ' ',
  ),
)

/** A crude English stem, enough to match "discharged" with "Discharges" and "falls" with "fall". */
function stem(word: string): string {
  if (word.length < 4) return word
  const cut = word.replace(/ies$/, 'y').replace(/(ing|ed|es|s|e)$/, '')
  return cut.length >= 3 ? cut : word
}

/**
 * A SMART aim: how much, for whom, by when, a baseline, and a "how much" that one of the
 * project's measures can show (the aim's measure words against the measures' names).
 */
export function aimAdvice(aim: AimFacts | null, measureNames: readonly string[]): AdviceItem[] {
  if (!aim)
    return [
      advice(
        'aim.missing',
        'Your project has no aim yet: write one with the aim builder, saying how much, for whom and by when.',
        'define-and-scope',
        'what',
      ),
    ]
  const out: AdviceItem[] = []
  if (blank(aim.target) || !hasNumber(aim.target))
    out.push(
      advice(
        'aim.how-much',
        `Your aim says what you want to improve, but not how much: give the target as a number, for example 'to 85%' or 'from 12 to 6 a month' (you wrote '${aim.target.trim() || 'nothing'}').`,
        'define-and-scope',
        'target',
      ),
    )
  if (blank(aim.forWhom) || aim.forWhom.trim().length < 4)
    out.push(
      advice(
        'aim.for-whom',
        'Your aim does not say for whom: name the people or the service, for example "adults admitted to Ward 7".',
        'define-and-scope',
        'forWhom',
      ),
    )
  if (blank(aim.byWhen) || !(YEAR.test(aim.byWhen) || MONTHS.test(aim.byWhen)))
    out.push(
      advice(
        'aim.by-when',
        "Your aim says what and for whom, but not by when: add a date, for example 'by March 2027'.",
        'define-and-scope',
        'byWhen',
      ),
    )
  if (blank(aim.baseline))
    out.push(
      advice(
        'aim.baseline',
        'Your aim has no baseline: say where you start from (for example "from 62%"), so everyone can see how far the target is.',
        'measure-and-understand',
        'baseline',
      ),
    )
  else if (!hasNumber(aim.baseline))
    out.push(
      advice(
        'aim.baseline',
        `Your baseline ('${aim.baseline.trim()}') has no number: give the figure you start from, for example "from 62% in 2026".`,
        'measure-and-understand',
        'baseline',
      ),
    )
  if (!blank(aim.measure)) {
    if (measureNames.length === 0)
      out.push(
        advice(
          'aim.measurable',
          `Your aim will be measured by '${aim.measure.trim()}', but the project has no measures yet: add it as an outcome measure so its chart shows your progress.`,
          'family-of-measures',
          'measure',
        ),
      )
    else {
      const aimWords = meaningfulWords(aim.measure)
      const matched = measureNames.some((name) => [...meaningfulWords(name)].some((w) => aimWords.has(w)))
      if (aimWords.size > 0 && !matched)
        out.push(
          advice(
            'aim.measurable',
            `Your aim's "how much" ('${aim.measure.trim()}') does not match any of the project's measures (${measureNames.map((n) => `'${n}'`).join(', ')}): add a measure for it, or name it with the same words.`,
            'family-of-measures',
            'measure',
          ),
        )
    }
  }
  return out
}

// ----- measures -----

export interface MeasureFacts {
  name: string
  /** outcome | process | balancing */
  type: string
  unit: string
  numerator: string
  denominator: string
  inclusions: string
  exclusions: string
  source: string
  frequency: string
  collector: string
  /** continuous | proportion | rate | count */
  dataKind: string
  /** The team's choice of chart, or null for "suggested from the data". */
  chartType: MeasureChart | null
  /** The chart in use (the team's choice, or the suggested one). */
  chartInUse: MeasureChart
  /** The periods of its data points (YYYY-MM-DD), in any order. */
  periods: readonly string[]
  /** The SPC engine's assurance for the latest point against the target (null: none). */
  assurance: Assurance | null
  target: number | null
}

const DEFINITION_FIELDS = [
  ['numerator', 'a numerator'],
  ['denominator', 'a denominator'],
  ['inclusions', 'inclusions'],
  ['exclusions', 'exclusions'],
  ['source', 'a data source'],
  ['frequency', 'a frequency'],
  ['collector', 'who collects it'],
] as const

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

/** The operational definition: every part present (a denominator only for proportions and rates). */
export function definitionAdvice(m: MeasureFacts): AdviceItem[] {
  const two = m.dataKind === 'proportion' || m.dataKind === 'rate'
  const missing = DEFINITION_FIELDS.filter(([field]) => (field !== 'denominator' || two) && blank(m[field]))
  if (missing.length === 0) return []
  return [
    advice(
      'definition.incomplete',
      `The operational definition of '${m.name}' has no ${listWords(missing.map(([, words]) => words))} yet: write them down so that everyone who collects it counts the same way.`,
      'family-of-measures',
      missing[0][0],
    ),
  ]
}

/** The unit as a kind of figure: a percentage, a rate, a time, or none we can tell. */
function unitKind(unit: string): 'percent' | 'rate' | 'time' | null {
  const u = unit.toLowerCase()
  if (/%|percent|proportion/.test(u)) return 'percent'
  if (/\bper\b|rate/.test(u)) return 'rate'
  if (/\b(min(ute)?s?|hours?|hrs?|days?|weeks?|seconds?|secs?)\b/.test(u)) return 'time'
  return null
}

const CHART_GUIDE: Partial<Record<MeasureChart, string>> = {
  run: 'run-chart',
  i: 'xmr-chart',
  p: 'p-chart',
  u: 'u-chart',
  c: 'c-chart',
}
const lower = (chart: MeasureChart) => CHART_CHOICES[chart].replace(/^(\w)/, (c) => c.toLowerCase())

/** The chart against the data: its kind, the unit, and enough points for limits. */
export function chartAdvice(m: MeasureFacts): AdviceItem[] {
  const out: AdviceItem[] = []
  const allowed = CHARTS_FOR_KIND[m.dataKind as keyof typeof CHARTS_FOR_KIND] ?? []
  if (m.chartType && !allowed.includes(m.chartType))
    out.push(
      advice(
        'chart.kind',
        `'${m.name}' is ${m.dataKind === 'count' ? 'a count' : `a ${m.dataKind}`}, which a ${lower(m.chartType)} does not fit: use ${listWords(allowed.map((c) => `a ${lower(c)}`)).replace(/ and /, ' or ')}.`,
        CHART_GUIDE[allowed[0]],
        'chartType',
      ),
    )
  const kind = unitKind(m.unit)
  const chart = m.chartInUse
  const mismatch =
    (kind === 'percent' && (chart === 'c' || chart === 'u')) ||
    (kind === 'rate' && (chart === 'p' || chart === 'c')) ||
    (kind === 'time' && (chart === 'p' || chart === 'u' || chart === 'c'))
  if (mismatch)
    out.push(
      advice(
        'chart.unit',
        `The unit of '${m.name}' is '${m.unit}', ${kind === 'percent' ? 'a proportion' : kind === 'rate' ? 'a rate' : 'a time'}, but it is drawn on a ${lower(chart)}: ${kind === 'percent' ? 'a p chart fits a proportion' : kind === 'rate' ? 'a u chart fits a rate' : 'an XmR chart fits a time'}.`,
        kind === 'percent' ? 'p-chart' : kind === 'rate' ? 'u-chart' : 'xmr-chart',
        'unit',
      ),
    )
  const n = m.periods.length
  if (n > 0 && n < RUN_CHART_BELOW && m.chartType && m.chartType !== 'run')
    out.push(
      advice(
        'data.few-points',
        `'${m.name}' has ${n} ${n === 1 ? 'point' : 'points'}: show it on a run chart first, until there are ${RUN_CHART_BELOW} or more points for process limits to mean something.`,
        'run-chart',
        'chartType',
      ),
    )
  return out
}

/** Days between expected points, from the frequency in words; null when it does not say. */
export function frequencyDays(frequency: string): number | null {
  const f = frequency.toLowerCase()
  if (/\bdaily|every day|each day|per day|a day\b/.test(f)) return 1
  if (/fortnight|two weeks|2 weeks/.test(f)) return 14
  if (/\bweekly|every week|each week|per week|a week\b/.test(f)) return 7
  if (/quarter/.test(f)) return 91
  if (/\bmonthly|every month|each month|per month|a month\b/.test(f)) return 31
  if (/\bannual|yearly|every year\b/.test(f)) return 366
  return null
}

const dayOf = (period: string) => Date.parse(`${period.slice(0, 10)}T00:00:00Z`) / 86_400_000
// One formatter: toLocaleDateString with options builds a new one each call (about 70 µs).
const longDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
const longDate = (period: string) => longDay.format(new Date(`${period.slice(0, 10)}T00:00:00Z`))

/** A gap in the data longer than 3 periods of the measure's own frequency (the longest one). */
export function gapAdvice(m: MeasureFacts): AdviceItem[] {
  const every = frequencyDays(m.frequency)
  if (every === null || m.periods.length < 2) return []
  const sorted = [...m.periods].filter((p) => !Number.isNaN(dayOf(p))).sort()
  let worst: { from: string; to: string; days: number } | null = null
  for (let k = 1; k < sorted.length; k++) {
    const days = dayOf(sorted[k]) - dayOf(sorted[k - 1])
    if (days > 3 * every && (!worst || days > worst.days))
      worst = { from: sorted[k - 1], to: sorted[k], days }
  }
  if (!worst) return []
  return [
    advice(
      'data.gap',
      `'${m.name}' is collected ${m.frequency.trim().toLowerCase()}, but there is no data between ${longDate(worst.from)} and ${longDate(worst.to)}: add the missing points if you have them, or note on the chart why there are none.`,
      'run-chart',
    ),
  ]
}

/** The engine's assurance says the target will not be met without a change to the process. */
export function targetAdvice(m: MeasureFacts): AdviceItem[] {
  if (m.assurance !== 'consistent_fail' || m.target === null) return []
  return [
    advice(
      'data.target',
      `The process will not consistently hit the target of ${m.target.toLocaleString('en-GB')} for '${m.name}': its process limits are all on the wrong side of it, so it will take a change to the process (a PDSA cycle), not more of the same, to reach it.`,
      'xmr-chart',
    ),
  ]
}

/** One measure's advice: its definition, chart, data gaps and target. */
export function measureAdvice(m: MeasureFacts): AdviceItem[] {
  return [...definitionAdvice(m), ...chartAdvice(m), ...gapAdvice(m), ...targetAdvice(m)]
}

/** At least one outcome, one process and one balancing measure. */
export function familyAdvice(types: readonly string[]): AdviceItem[] {
  const have = new Set(types)
  const missing = (['outcome', 'process', 'balancing'] as const).filter((t) => !have.has(t))
  if (missing.length === 0) return []
  const why: Record<(typeof missing)[number], string> = {
    outcome: 'an outcome measure shows whether things are better for the people you serve',
    process: 'a process measure shows whether the change is being done',
    balancing: 'a balancing measure shows whether something else got worse',
  }
  return [
    advice(
      'family.incomplete',
      `Your family of measures has no ${listWords(missing.map((t) => `${t} measure`))} yet: ${listWords(missing.map((t) => why[t]))}.`,
      'family-of-measures',
      'type',
    ),
  ]
}

// ----- PDSA -----

export interface PdsaFacts {
  title: string
  prediction: string
  planWho: string
  planWhat: string
  planWhen: string
  planWhere: string
  /** The cycle this one adapts: null for the first test of a change idea. */
  previousId: string | null
  findings: string
  /** adopt | adapt | abandon, or null before Act. */
  decision: string | null
}

const DIRECTION_WORDS =
  /\b(increase[sd]?|decrease[sd]?|reduce[sd]?|reduction|fewer|more|less|lower|higher|rise|fall|drop|improve[sd]?|shorter|longer|faster|slower|at least|no more than|up|down)\b/i

/** A checkable prediction, a small first test with its scale, and Study written before Act. */
export function pdsaAdvice(c: PdsaFacts): AdviceItem[] {
  const out: AdviceItem[] = []
  if (!/\d/.test(c.prediction) && !DIRECTION_WORDS.test(c.prediction))
    out.push(
      advice(
        'pdsa.prediction',
        `The prediction of '${c.title}' cannot be checked yet: say what you expect to change and by how much, for example "at least 8 of the 10 patients will be seen within 15 minutes".`,
        'pdsa-cycles',
        'prediction',
      ),
    )
  const plan = [c.planWho, c.planWhat, c.planWhen, c.planWhere].join(' ')
  if (c.previousId === null && !hasNumber(plan))
    out.push(
      advice(
        'pdsa.scale',
        `'${c.title}' is a first test, but its plan does not say how small it is: state the scale, for example "one nurse, one morning, five patients", and grow it in later cycles.`,
        'pdsa-cycles',
        'planWho',
      ),
    )
  if (c.decision && blank(c.findings))
    out.push(
      advice(
        'pdsa.study-before-act',
        `'${c.title}' has a decision (${c.decision}) but no Study: write what you found and compare it with your prediction before you decide.`,
        'pdsa-cycles',
        'findings',
      ),
    )
  return out
}

// ----- why a chart point is flagged -----

export interface FlagSentence {
  /** The rule: the engine's special cause, or 'long_run' for an Anhøj run longer than its limit. */
  rule: string
  /** The first and last points (0-based) of the signal. */
  from: number
  to: number
  sentence: string
}

/** An Anhøj point left out of the calculations (Making Data Count points have no such flag). */
const isExcluded = (p: SpcSuccess['points'][number]) => 'excluded' in p && p.excluded

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/**
 * Why the point at `index` is flagged, in one sentence naming the rule and the points involved,
 * from the engine's result (its `signal` per point; for the Anhøj charts also the runs). Null
 * for a point that is not flagged.
 * @example whyFlagged(result, 9) // 'Flagged by the shift rule: the 7 points from Mar 2026 to Sep 2026 are all above the mean (7 or more in a row is a signal).'
 */
export function whyFlagged(
  result: SpcSuccess,
  index: number,
  context: FlagContext = flagContext(result),
): FlagSentence | null {
  const point = result.points[index]
  if (!point || point.value === null) return null
  const { at } = context
  const span = (from: number, to: number) =>
    from === to ? at(from) : `the ${to - from + 1} points from ${at(from)} to ${at(to)}`
  const signal = point.signal
  if (signal) {
    const { from, to } = signal
    const mean = result.method === 'mdc' ? 'mean' : 'centre line'
    const limitName = result.method === 'mdc' ? 'process limit' : 'control limit'
    const n = result.method === 'mdc' ? result.rule_set : null
    const words: Record<typeof signal.rule, string> = {
      above_ucl: `Flagged because ${at(index)} is above the upper ${limitName}: a single point beyond a limit is a signal.`,
      below_lcl: `Flagged because ${at(index)} is below the lower ${limitName}: a single point beyond a limit is a signal.`,
      trend_increasing: `Flagged by the trend rule: ${span(from, to)} each rise on the one before (${n?.trend_n ?? 7} or more in a row is a signal).`,
      trend_decreasing: `Flagged by the trend rule: ${span(from, to)} each fall on the one before (${n?.trend_n ?? 7} or more in a row is a signal).`,
      two_in_three_above: `Flagged by the two-in-three rule: 2 of ${span(from, to)} are close to the upper ${limitName} (beyond two sigma).`,
      two_in_three_below: `Flagged by the two-in-three rule: 2 of ${span(from, to)} are close to the lower ${limitName} (beyond two sigma).`,
      shift_above: `Flagged by the shift rule: ${span(from, to)} are all above the ${mean} (${n?.shift_n ?? 7} or more in a row is a signal).`,
      shift_below: `Flagged by the shift rule: ${span(from, to)} are all below the ${mean} (${n?.shift_n ?? 7} or more in a row is a signal).`,
    }
    return { rule: signal.rule, from, to, sentence: words[signal.rule] }
  }
  if (result.method !== 'anhoej' || isExcluded(point)) return null
  const long = context.longRunOf.get(index)
  if (!long) return null
  const { run, max } = long
  const from = run.points[0]
  const to = run.points[run.points.length - 1]
  const centre = result.chart === 'run' || result.chart === 'g' ? 'median' : 'centre line'
  return {
    rule: 'long_run',
    from,
    to,
    sentence: `Flagged by the long-run rule: ${plural(run.points.length, 'point')} from ${at(from)} to ${at(to)} are all ${run.side > 0 ? 'above' : 'below'} the ${centre}, more than the ${max} a run may have by chance with this much data.`,
  }
}

/** What every point's sentence needs, worked out once per chart (a long series stays linear). */
export interface FlagContext {
  at: (k: number) => string
  /** Anhøj charts: each point of a run longer than its period's limit, with the run and the limit. */
  longRunOf: Map<number, { run: Run; max: number }>
}

export function flagContext(result: SpcSuccess): FlagContext {
  const style = xStyleOf(result.points.map((p) => p.x))
  const labels = new Map<number, string>()
  const at = (k: number) => {
    let label = labels.get(k)
    if (label === undefined) labels.set(k, (label = formatX(result.points[k].x, style)))
    return label
  }
  const longRunOf = new Map<number, { run: Run; max: number }>()
  if (result.method === 'anhoej') {
    const limit = new Map(result.periods.map((p) => [p.period, p.runs.longest_run_max]))
    for (const run of runsOf(result)) {
      const max = limit.get(run.period)
      if (max === null || max === undefined || run.points.length <= max) continue
      for (const k of run.points) longRunOf.set(k, { run, max })
    }
  }
  return { at, longRunOf }
}

/**
 * Every flagged block of a chart, one sentence each (latest first, at most `limit`); points beyond
 * the same limit one after another share a sentence. A block with a hidden point (a suppressed
 * small number: its value is null in the viewer's copy) is left out, so the sentence cannot tell
 * what the chart hides.
 */
export function flaggedSentences(result: SpcSuccess, limit = 20): FlagSentence[] {
  const context = flagContext(result)
  const blocks: FlagSentence[] = []
  for (let k = 0; k < result.points.length; k++) {
    const why = whyFlagged(result, k, context)
    if (!why) continue
    const last = blocks[blocks.length - 1]
    if (last && last.from === why.from && last.to === why.to && last.rule === why.rule) continue
    const beyond = why.rule === 'above_ucl' || why.rule === 'below_lcl'
    if (last && beyond && last.rule === why.rule && last.to === k - 1) last.to = k
    else blocks.push({ ...why })
  }
  const { at } = context
  const limitName = result.method === 'mdc' ? 'process limit' : 'control limit'
  const out: FlagSentence[] = []
  for (const b of blocks.reverse()) {
    if (out.length >= limit) break
    let hidden = false
    for (let j = b.from; j <= b.to; j++)
      if (result.points[j].value === null && !isExcluded(result.points[j])) hidden = true
    if (hidden) continue
    if ((b.rule === 'above_ucl' || b.rule === 'below_lcl') && b.to > b.from)
      b.sentence = `Flagged because each of the ${b.to - b.from + 1} points from ${at(b.from)} to ${at(b.to)} is ${b.rule === 'above_ucl' ? 'above the upper' : 'below the lower'} ${limitName}: a single point beyond a limit is a signal.`
    out.push(b)
  }
  return out
}
