import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { analyse, type SpcSuccess } from '../spc/index.js'
import {
  aimAdvice,
  chartAdvice,
  definitionAdvice,
  familyAdvice,
  flaggedSentences,
  frequencyDays,
  gapAdvice,
  pdsaAdvice,
  targetAdvice,
  whyFlagged,
  type AdviceItem,
  type AimFacts,
  type MeasureFacts,
  type PdsaFacts,
} from './rules.js'

const rules = (items: AdviceItem[]) => items.map((a) => a.rule)

/** A SMART aim with every part (DEMO wording). */
const goodAim: AimFacts = {
  what: 'Increase',
  measure: 'the percentage of patients discharged before noon',
  baseline: '15%',
  target: '40%',
  forWhom: 'patients on Ward 3',
  byWhen: 'March 2027',
}
const measureNames = ['Discharges before noon (%)']

/** A measure with a complete operational definition, on the chart its data needs. */
const goodMeasure: MeasureFacts = {
  name: 'Discharges before noon (%)',
  type: 'outcome',
  unit: '%',
  numerator: 'DEMO: discharges before 12:00',
  denominator: 'DEMO: all discharges',
  inclusions: 'DEMO: adults on Ward 3',
  exclusions: 'DEMO: transfers to other wards',
  source: 'DEMO: the ward system',
  frequency: 'Weekly',
  collector: 'DEMO: ward clerk',
  dataKind: 'proportion',
  chartType: null,
  chartInUse: 'p',
  periods: Array.from({ length: 20 }, (_, k) =>
    new Date(Date.UTC(2026, 0, 5 + 7 * k)).toISOString().slice(0, 10),
  ),
  assurance: 'inconsistent',
  target: 40,
}

const goodCycle: PdsaFacts = {
  title: 'DEMO: discharge checklist',
  prediction: 'At least 3 of the 5 patients will leave before noon',
  planWho: 'One nurse',
  planWhat: 'Use the checklist with five patients',
  planWhen: 'Monday morning',
  planWhere: 'Bay 2',
  previousId: null,
  findings: '',
  decision: null,
}

describe('coach rules: SMART aim', () => {
  const cases: { name: string; aim: Partial<AimFacts> | null; names?: string[]; fires: string | null }[] = [
    { name: 'a complete aim', aim: {}, fires: null },
    { name: 'no aim at all', aim: null, fires: 'aim.missing' },
    { name: 'no date', aim: { byWhen: 'soon' }, fires: 'aim.by-when' },
    { name: 'a month and a year', aim: { byWhen: 'by the end of March 2027' }, fires: null },
    { name: 'how much without a number', aim: { target: 'a lot more' }, fires: 'aim.how-much' },
    { name: 'how much in words', aim: { target: 'half of them' }, fires: null },
    { name: 'for whom missing', aim: { forWhom: '' }, fires: 'aim.for-whom' },
    { name: 'no baseline', aim: { baseline: '' }, fires: 'aim.baseline' },
    { name: 'a baseline without a figure', aim: { baseline: 'poor' }, fires: 'aim.baseline' },
    {
      name: 'a how much no measure can show',
      aim: { measure: 'the waiting time for transport' },
      fires: 'aim.measurable',
    },
    { name: 'a how much with no measures yet', aim: {}, names: [], fires: 'aim.measurable' },
    { name: 'plural and singular words match', aim: { measure: 'discharge before noon' }, fires: null },
    {
      name: 'word forms match',
      aim: { measure: 'patients discharged' },
      names: ['Discharges (DEMO)', 'Falls'],
      fires: null,
    },
    {
      name: 'small words do not match',
      aim: { measure: 'the number of falls' },
      names: ['Number of days'],
      fires: 'aim.measurable',
    },
  ]
  for (const c of cases)
    test(`${c.name}: ${c.fires ?? 'no advice'}`, () => {
      const got = rules(aimAdvice(c.aim ? { ...goodAim, ...c.aim } : null, c.names ?? measureNames))
      assert.deepEqual(got, c.fires ? [c.fires] : [])
    })

  test('the by-when advice is kind and specific, and links to the guide', () => {
    const [a] = aimAdvice({ ...goodAim, byWhen: 'soon' }, measureNames)
    assert.equal(
      a.message,
      "Your aim says what and for whom, but not by when: add a date, for example 'by March 2027'.",
    )
    assert.equal(a.guideSlug, 'define-and-scope')
    assert.equal(a.field, 'byWhen')
    assert.equal(a.severity, 'advice')
  })
})

describe('coach rules: operational definition and chart', () => {
  const cases: { name: string; m: Partial<MeasureFacts>; fires: string[] }[] = [
    { name: 'a complete definition', m: {}, fires: [] },
    { name: 'no collector', m: { collector: ' ' }, fires: ['definition.incomplete'] },
    { name: 'no numerator nor source', m: { numerator: '', source: '' }, fires: ['definition.incomplete'] },
    {
      name: 'a continuous measure needs no denominator',
      m: { dataKind: 'continuous', denominator: '', unit: 'minutes', chartInUse: 'i' },
      fires: [],
    },
    { name: 'a proportion needs a denominator', m: { denominator: '' }, fires: ['definition.incomplete'] },
  ]
  for (const c of cases)
    test(`${c.name}: ${c.fires.join(', ') || 'no advice'}`, () => {
      assert.deepEqual(rules(definitionAdvice({ ...goodMeasure, ...c.m })), c.fires)
    })

  test('names every missing part, with the first as the field', () => {
    const [a] = definitionAdvice({ ...goodMeasure, inclusions: '', collector: '' })
    assert.match(a.message, /no inclusions and who collects it yet/)
    assert.equal(a.field, 'inclusions')
  })

  const charts: { name: string; m: Partial<MeasureFacts>; fires: string[] }[] = [
    { name: 'a proportion on a p chart', m: {}, fires: [] },
    {
      name: 'a proportion on a c chart',
      m: { chartType: 'c', chartInUse: 'c' },
      fires: ['chart.kind', 'chart.unit'],
    },
    {
      name: 'a percentage unit on a u chart',
      m: { dataKind: 'rate', chartInUse: 'u' },
      fires: ['chart.unit'],
    },
    {
      name: 'a time on an XmR chart',
      m: { dataKind: 'continuous', unit: 'minutes', chartInUse: 'i' },
      fires: [],
    },
    {
      name: 'a time on a c chart',
      m: { dataKind: 'count', unit: 'minutes', chartInUse: 'c' },
      fires: ['chart.unit'],
    },
    {
      name: 'fewer than 12 points on a chosen control chart',
      m: { chartType: 'p', chartInUse: 'p', periods: goodMeasure.periods.slice(0, 6) },
      fires: ['data.few-points'],
    },
    {
      name: 'fewer than 12 points on the suggested run chart',
      m: { chartType: null, chartInUse: 'run', periods: goodMeasure.periods.slice(0, 6) },
      fires: [],
    },
  ]
  for (const c of charts)
    test(`${c.name}: ${c.fires.join(', ') || 'no advice'}`, () => {
      assert.deepEqual(rules(chartAdvice({ ...goodMeasure, ...c.m })), c.fires)
    })
})

describe('coach rules: data', () => {
  test('frequencies in words', () => {
    assert.equal(frequencyDays('Weekly'), 7)
    assert.equal(frequencyDays('every month'), 31)
    assert.equal(frequencyDays('Daily'), 1)
    assert.equal(frequencyDays('Fortnightly'), 14)
    assert.equal(frequencyDays('when we can'), null)
  })

  const gaps: { name: string; m: Partial<MeasureFacts>; fires: string[] }[] = [
    { name: 'weekly points every week', m: {}, fires: [] },
    {
      name: 'weekly points with two weeks missing',
      m: { periods: ['2026-01-05', '2026-01-12', '2026-02-02'] },
      fires: [],
    },
    {
      name: 'weekly points with five weeks missing',
      m: { periods: ['2026-01-05', '2026-01-12', '2026-02-23', '2026-03-02'] },
      fires: ['data.gap'],
    },
    {
      name: 'a gap with no frequency written',
      m: { frequency: '', periods: ['2026-01-05', '2026-06-01'] },
      fires: [],
    },
  ]
  for (const c of gaps)
    test(`${c.name}: ${c.fires.join(', ') || 'no advice'}`, () => {
      assert.deepEqual(rules(gapAdvice({ ...goodMeasure, ...c.m })), c.fires)
    })

  test('the gap advice names the dates', () => {
    const [a] = gapAdvice({ ...goodMeasure, periods: ['2026-01-05', '2026-01-12', '2026-02-23'] })
    assert.match(a.message, /between 12 January 2026 and 23 February 2026/)
  })

  const targets: { name: string; m: Partial<MeasureFacts>; fires: string[] }[] = [
    {
      name: 'limits say the target will not be met',
      m: { assurance: 'consistent_fail' },
      fires: ['data.target'],
    },
    { name: 'the target is sometimes met', m: { assurance: 'inconsistent' }, fires: [] },
    { name: 'the target is always met', m: { assurance: 'consistent_pass' }, fires: [] },
    { name: 'no target', m: { assurance: 'consistent_fail', target: null }, fires: [] },
  ]
  for (const c of targets)
    test(`${c.name}: ${c.fires.join(', ') || 'no advice'}`, () => {
      const got = targetAdvice({ ...goodMeasure, ...c.m })
      assert.deepEqual(rules(got), c.fires)
      if (c.fires.length)
        assert.match(got[0].message, /The process will not consistently hit the target of 40/)
    })
})

describe('coach rules: family of measures', () => {
  const cases: { types: string[]; fires: boolean; missing?: RegExp }[] = [
    { types: ['outcome', 'process', 'balancing'], fires: false },
    { types: ['outcome', 'process', 'balancing', 'process'], fires: false },
    { types: ['outcome', 'process'], fires: true, missing: /no balancing measure yet/ },
    { types: ['outcome'], fires: true, missing: /no process measure and balancing measure yet/ },
  ]
  for (const c of cases)
    test(`${c.types.join(', ')}: ${c.fires ? 'advice' : 'no advice'}`, () => {
      const got = familyAdvice(c.types)
      assert.deepEqual(rules(got), c.fires ? ['family.incomplete'] : [])
      if (c.missing) assert.match(got[0].message, c.missing)
    })
})

describe('coach rules: PDSA', () => {
  const cases: { name: string; c: Partial<PdsaFacts>; fires: string[] }[] = [
    { name: 'a good first test', c: {}, fires: [] },
    { name: 'a prediction with a direction', c: { prediction: 'Fewer patients will wait' }, fires: [] },
    {
      name: 'a prediction that cannot be checked',
      c: { prediction: 'It will go well' },
      fires: ['pdsa.prediction'],
    },
    {
      name: 'a first test with no scale',
      c: { planWho: 'Nurses', planWhat: 'Use the checklist', planWhen: '', planWhere: 'The ward' },
      fires: ['pdsa.scale'],
    },
    {
      name: 'a later cycle need not restate the scale',
      c: {
        planWho: 'Nurses',
        planWhat: 'Use the checklist',
        planWhen: '',
        planWhere: 'The ward',
        previousId: 'x',
      },
      fires: [],
    },
    { name: 'Act before Study', c: { decision: 'adopt', findings: '' }, fires: ['pdsa.study-before-act'] },
    {
      name: 'Study then Act',
      c: { decision: 'adopt', findings: 'DEMO: 4 of 5 left before noon' },
      fires: [],
    },
  ]
  for (const c of cases)
    test(`${c.name}: ${c.fires.join(', ') || 'no advice'}`, () => {
      assert.deepEqual(rules(pdsaAdvice({ ...goodCycle, ...c.c })), c.fires)
    })
})

describe('coach rules: why a point is flagged', () => {
  const months = (n: number) =>
    Array.from({ length: n }, (_, k) => new Date(Date.UTC(2025, k, 1)).toISOString().slice(0, 10))
  const run = (ys: (number | null)[], method: 'mdc' | 'anhoej' = 'mdc', chart: 'i' | 'run' = 'i') => {
    const xs = months(ys.length)
    const r = analyse({ method, chart, points: ys.map((y, k) => ({ x: xs[k], y })) })
    assert.ok(r.ok)
    return r
  }

  test('a point beyond the upper limit names the point', () => {
    const ys = [10, 11, 9, 12, 8, 10, 11, 9, 12, 8, 10, 11, 30, 9, 10]
    const r = run(ys)
    assert.equal(
      whyFlagged(r, 12)?.sentence,
      'Flagged because Jan 2026 is above the upper process limit: a single point beyond a limit is a signal.',
    )
    assert.equal(whyFlagged(r, 1), null, 'a common-cause point is not flagged')
  })

  test('a shift names the rule and the points involved', () => {
    const ys = [10, 12, 9, 11, 10, 12, 9, 11, 15, 16, 15, 16, 15, 16, 15, 16]
    const r = run(ys)
    const why = whyFlagged(r, 15)
    assert.ok(why)
    assert.match(
      why.sentence,
      /^Flagged by the shift rule: the \d+ points from \w+ 2025 to Apr 2026 are all above the mean \(7 or more in a row is a signal\)\.$/,
    )
    assert.equal(why.to, 15)
    const all = flaggedSentences(r)
    assert.ok(all.some((s) => s.sentence === why.sentence))
    assert.equal(new Set(all.map((s) => s.sentence)).size, all.length, 'one sentence per block')
  })

  test('a long run on a run chart (Anhøj rules)', () => {
    const ys = [5, 7, 4, 8, 5, 7, 4, 8, 5, 7, 4, 8, 9, 10, 11, 9, 10, 11, 12, 10, 11, 12]
    const r = run(ys, 'anhoej', 'run')
    assert.equal(
      whyFlagged(r, 21)?.sentence,
      'Flagged by the long-run rule: 10 points from Jan 2026 to Oct 2026 are all above the median, more than the 7 a run may have by chance with this much data.',
    )
    assert.equal(whyFlagged(r, 3), null, 'a point on the median is in no run')
  })

  test('points beyond the same limit one after another share a sentence', () => {
    const ys = [10, 11, 9, 12, 8, 10, 11, 9, 12, 8, 10, 11, 30, 31, 10]
    const all = flaggedSentences(run(ys))
    assert.equal(
      all[0].sentence,
      'Flagged because each of the 2 points from Jan 2026 to Feb 2026 is above the upper process limit: a single point beyond a limit is a signal.',
    )
    assert.deepEqual([all[0].from, all[0].to], [12, 13])
    assert.equal(all.filter((s) => /upper process limit/.test(s.sentence)).length, 1)
  })

  test('a long series gives at most 20 sentences, latest first', () => {
    const ys = Array.from({ length: 3000 }, (_, k) => (Math.floor(k / 40) % 2 ? 20 : 10) + (k % 3))
    const xs = Array.from({ length: ys.length }, (_, k) =>
      new Date(Date.UTC(2020, 0, 1 + k)).toISOString().slice(0, 10),
    )
    const r = analyse({ method: 'anhoej', chart: 'run', points: ys.map((y, k) => ({ x: xs[k], y })) })
    assert.ok(r.ok)
    const all = flaggedSentences(r)
    assert.equal(all.length, 20)
    assert.ok(all[0].to > all[1].to, 'latest first')
    assert.ok(all[0].to >= 2990, 'the latest block ends near the end')
  })

  test('a block with a hidden (suppressed) point gets no sentence', () => {
    const ys = [10, 11, 9, 12, 8, 10, 11, 9, 12, 8, 10, 11, 30, 9, 10]
    const r = run(ys)
    const hidden = {
      ...r,
      points: r.points.map((p, k) => (k === 12 ? { ...p, value: null } : p)),
    } as SpcSuccess
    assert.equal(flaggedSentences(hidden).length, 0)
    assert.equal(flaggedSentences(r).length, 1)
  })
})
