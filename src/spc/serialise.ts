import type { Computation } from './compute.js'
import type { SpcBatchResult, SpcResult } from './types.js'
import { mdcPeriods, RULES_BY_BITS, SPECIAL_CAUSES } from './mdc.js'
import { anhoejPeriods } from './anhoej.js'
import { trajectoryEcho } from './numbers.js'

/** Points per yielded chunk: big enough to be fast, small enough to stay far from V8's string limit. */
const CHUNK = 2048

const RULES_JSON = RULES_BY_BITS.map((r) => JSON.stringify(r))

/** JSON text of a number: null for NaN and infinities (what JSON.stringify does). */
function num(v: number): string {
  return v - v === 0 ? String(v) : 'null'
}

/**
 * The JSON text of a computed request (or a batch of them), as chunks ending with a newline.
 * The text is exactly `JSON.stringify(analyse(request))`, written straight from the typed-array
 * columns, so a million-point result needs no million point objects and never one huge string.
 * @example [...serialiseComputations({ kind: 'error', error: 'x: bad' })].join('') // '{"ok":false,"error":"x: bad"}\n'
 */
export function* serialiseComputations(input: Computation | { batch: Computation[] }): Generator<string> {
  if ('batch' in input) {
    yield '{"batch":['
    for (let i = 0; i < input.batch.length; i++) {
      if (i > 0) yield ','
      yield* serialiseOne(input.batch[i])
    }
    yield ']}\n'
    return
  }
  yield* serialiseOne(input)
  yield '\n'
}

/**
 * The JSON text of a result object built by `analyse` (any size), as chunks ending with a newline.
 * @example [...serialiseResult({ ok: false, error: 'x: bad' })].join('') // '{"ok":false,"error":"x: bad"}\n'
 */
export function* serialiseResult(result: SpcResult | SpcBatchResult): Generator<string> {
  const one = function* (r: SpcResult): Generator<string> {
    if (!r.ok) {
      yield JSON.stringify(r)
      return
    }
    const { points, ...rest } = r
    const head = JSON.stringify({ ok: rest.ok, method: rest.method, chart: rest.chart })
    yield `${head.slice(0, -1)},"points":[`
    for (let i = 0; i < points.length; i += CHUNK) {
      yield (i > 0 ? ',' : '') + JSON.stringify(points.slice(i, i + CHUNK)).slice(1, -1)
    }
    const { ok: _ok, method: _method, chart: _chart, ...tail } = rest
    yield `],${JSON.stringify(tail).slice(1)}`
  }
  if ('batch' in result) {
    yield '{"batch":['
    for (let i = 0; i < result.batch.length; i++) {
      if (i > 0) yield ','
      yield* one(result.batch[i])
    }
    yield ']}\n'
    return
  }
  yield* one(result)
  yield '\n'
}

function* serialiseOne(comp: Computation): Generator<string> {
  if (comp.method === 'error') {
    yield JSON.stringify({ ok: false, error: comp.error })
    return
  }
  const { req } = comp
  const { xs, xKind } = req
  const xText = xKind === 'date' ? (i: number) => `"${xs[i] as string}"` : (i: number) => String(xs[i])
  yield `{"ok":true,"method":"${comp.method}","chart":"${req.chart}","points":[`
  let parts: string[] = []
  if (comp.method === 'mdc') {
    const { y } = req
    const causes = SPECIAL_CAUSES.map(
      (c, i) => `,"special_cause":"${c}","point_type":"${comp.types[i]}","signal":`,
    )
    const rules = SPECIAL_CAUSES.map((c) => `{"rule":"${c}","from":`)
    const { signalFrom, signalTo } = comp
    for (let p = 0; p < comp.periods.length; p++) {
      const period = comp.periods[p]
      const lines = `,"centre":${num(period.centre)},"lcl":${num(period.lcl)},"ucl":${num(period.ucl)},"lcl_2sigma":${num(period.lcl2)},"ucl_2sigma":${num(period.ucl2)},"period":${p + 1},"baseline":`
      for (let i = period.start; i < period.end; i++) {
        const c = comp.cause[i]
        const signal = c === 0 ? 'null}' : `${rules[c]}${signalFrom[i]},"to":${signalTo[i]}}}`
        parts.push(
          `{"x":${xText(i)},"value":${num(y[i])}${lines}${i < period.baselineEnd},"rules":${RULES_JSON[comp.ruleBits[i]]}${causes[c]}${signal}`,
        )
        if (parts.length === CHUNK) {
          yield (i >= CHUNK ? ',' : '') + parts.join(',')
          parts = []
        }
      }
    }
    yield `${tail(parts, req.size)}],"periods":${JSON.stringify(mdcPeriods(comp))},${JSON.stringify({
      variation: comp.variation,
      variation_icon: comp.variationIcon,
      assurance: comp.assurance,
      assurance_icon: comp.assuranceIcon,
      improvement_direction: req.improvementDirection,
      target: req.target,
      target_trajectory: trajectoryEcho(req.trajectory),
      rule_set: comp.ruleSet,
    }).slice(1)}`
    return
  }
  const { excluded } = req
  for (let p = 0; p < comp.periods.length; p++) {
    const period = comp.periods[p]
    const centre = `,"centre":${num(period.centre)},"lcl":`
    const periodText = `,"period":${p + 1},"baseline":`
    for (let k = period.start; k < period.end; k++) {
      const flagged = comp.signal[k] === 1
      const signal = flagged
        ? `true,"signal":{"rule":"${comp.value[k] > comp.ucl[k] ? 'above_ucl' : 'below_lcl'}","from":${k},"to":${k}}}`
        : 'false,"signal":null}'
      parts.push(
        `{"x":${xText(k)},"value":${num(comp.value[k])}${centre}${num(comp.lcl[k])},"ucl":${num(comp.ucl[k])},"lcl_2sigma":${num(comp.lcl2[k])},"ucl_2sigma":${num(comp.ucl2[k])}${periodText}${k < comp.baselineEnd},"excluded":${excluded !== null && excluded[k] === 1},"sigma_signal":${signal}`,
      )
      if (parts.length === CHUNK) {
        yield (k >= CHUNK ? ',' : '') + parts.join(',')
        parts = []
      }
    }
  }
  yield `${tail(parts, req.size)}],"periods":${JSON.stringify(anhoejPeriods(comp))},${JSON.stringify({
    target: req.target,
    target_trajectory: trajectoryEcho(req.trajectory),
    rule_set: { name: 'anhoej' },
  }).slice(1)}`
}

/** The last, partial chunk of points, with its leading comma when full chunks came before. */
function tail(parts: string[], size: number): string {
  if (parts.length === 0) return ''
  return (size > parts.length ? ',' : '') + parts.join(',')
}
