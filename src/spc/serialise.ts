import type { Computation } from './compute.js'
import type { SpcBatchResult, SpcResult, XValue } from './types.js'
import { mdcPeriods, RULES_BY_BITS, SPECIAL_CAUSES } from './mdc.js'
import type { MdcComputation } from './mdc.js'
import { anhoejPeriods } from './anhoej.js'
import { trajectoryEcho } from './numbers.js'
import {
  asciiBytes,
  ByteSink,
  MAX_NUMBER_BYTES,
  putAscii,
  putBytes,
  putInt,
  putNumber,
} from './json-bytes.js'

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
 * @example [...serialiseComputations({ method: 'error', error: 'x: bad' })].join('') // '{"ok":false,"error":"x: bad"}\n'
 */
export function* serialiseComputations(input: Computation | { batch: Computation[] }): Generator<string> {
  const decoder = new TextDecoder()
  for (const chunk of serialiseComputationsToBytes(input, { reuse: true }))
    yield decoder.decode(chunk, { stream: true })
}

/**
 * The same JSON text as UTF-8 bytes, in chunks of about 1 MiB: what `qi spc` writes to stdout.
 * Numbers and the constant pieces go straight into the chunks, so no string is built per point.
 * With `reuse`, each chunk is overwritten after the next is asked for (write it out first): no
 * fresh memory per chunk.
 * @example new TextDecoder().decode(Buffer.concat([...serialiseComputationsToBytes({ method: 'error', error: 'x' })]))
 * // '{"ok":false,"error":"x"}\n'
 */
export function* serialiseComputationsToBytes(
  input: Computation | { batch: Computation[] },
  options: { reuse?: boolean } = {},
): Generator<Uint8Array> {
  const sink = new ByteSink(undefined, options.reuse ?? false)
  if ('batch' in input) {
    sink.ascii('{"batch":[')
    for (let i = 0; i < input.batch.length; i++) {
      if (i > 0) sink.ascii(',')
      yield* writeOne(sink, input.batch[i])
    }
    sink.ascii(']}\n')
  } else {
    yield* writeOne(sink, input)
    sink.ascii('\n')
  }
  yield* sink.take(true)
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

const BYTES = {
  pointX: asciiBytes('{"x":'),
  nextPointX: asciiBytes(',{"x":'),
  value: asciiBytes(',"value":'),
  to: asciiBytes(',"to":'),
  closeTwo: asciiBytes('}}'),
  ucl: asciiBytes(',"ucl":'),
  lcl2: asciiBytes(',"lcl_2sigma":'),
  ucl2: asciiBytes(',"ucl_2sigma":'),
  excludedTrue: asciiBytes(',"excluded":true,"sigma_signal":'),
  excludedFalse: asciiBytes(',"excluded":false,"sigma_signal":'),
  anhoejSignalFalse: asciiBytes('false,"signal":null}'),
  aboveUcl: asciiBytes('true,"signal":{"rule":"above_ucl","from":'),
  belowLcl: asciiBytes('true,"signal":{"rule":"below_lcl","from":'),
}

/** Writes one point's x: digits for numbers, the quoted date for date strings. */
function putX(buf: Uint8Array, pos: number, x: XValue): number {
  if (typeof x === 'number') return putNumber(buf, pos, x)
  buf[pos] = 34
  pos = putAscii(buf, pos + 1, x)
  buf[pos] = 34
  return pos + 1
}

/** Room for one point's x: a number, or a quoted date. */
const X_BYTES = MAX_NUMBER_BYTES + 2

/** `{"rule":"<cause>","from":` by cause index: the start of a point's signal. */
const SIGNAL_HEADS = SPECIAL_CAUSES.map((c) => `{"rule":"${c}","from":`)

/**
 * What follows a period's lines in a point, for each (baseline, rule bits, cause, point type),
 * as bytes: the same for every request, so made once per process when first needed.
 */
const POINT_ENDS = new Map<string, Uint8Array>()

function pointEnd(baseline: boolean, bits: number, c: number, type: string): Uint8Array {
  const key = `${baseline ? 1 : 0}${bits},${c},${type}`
  let end = POINT_ENDS.get(key)
  if (end === undefined) {
    const signal = c === 0 ? 'null}' : SIGNAL_HEADS[c]
    end = asciiBytes(
      `${baseline},"rules":${RULES_JSON[bits]},"special_cause":"${SPECIAL_CAUSES[c]}","point_type":"${type}","signal":${signal}`,
    )
    POINT_ENDS.set(key, end)
  }
  return end
}

/**
 * Everything after a point's value, up to its signal's indices, for each (baseline, rule bits,
 * cause) of one period: the period's lines and the point's end, joined once when first needed,
 * then copied for every point.
 */
class MdcTails {
  private readonly kinds = RULES_JSON.length * SPECIAL_CAUSES.length
  readonly byKey: (Uint8Array | undefined)[]
  private readonly lines: Uint8Array
  constructor(
    private readonly comp: MdcComputation,
    lines: string,
  ) {
    this.byKey = new Array<Uint8Array | undefined>(2 * this.kinds)
    this.lines = asciiBytes(lines)
  }

  make(key: number): Uint8Array {
    const c = key % SPECIAL_CAUSES.length
    const bits = ((key - c) / SPECIAL_CAUSES.length) % RULES_JSON.length
    const end = pointEnd(key >= this.kinds, bits, c, this.comp.types[c])
    const tail = new Uint8Array(this.lines.length + end.length)
    tail.set(this.lines)
    tail.set(end, this.lines.length)
    this.byKey[key] = tail
    return tail
  }
}

/**
 * Writes the points `from`… of one `mdc` period until the period ends or a chunk is full; returns
 * the next point to write. A plain function, not part of the generator, so that V8 optimises its
 * loop early (a generator's body is optimised late, and a short-lived process never gets there).
 */
function writeMdcPoints(
  sink: ByteSink,
  comp: MdcComputation,
  tails: MdcTails,
  from: number,
  end: number,
  baselineEnd: number,
): number {
  const { xs, y } = comp.req
  const { signalFrom, signalTo, cause, ruleBits } = comp
  const byKey = tails.byKey
  const rules = RULES_JSON.length
  const causes = SPECIAL_CAUSES.length
  for (let i = from; i < end; i++) {
    const c = cause[i]
    const key = ((i < baselineEnd ? rules : 0) + ruleBits[i]) * causes + c
    const tail = byKey[key] ?? tails.make(key)
    const need = 2 * X_BYTES + 2 * MAX_NUMBER_BYTES + tail.length + 40
    const buf = sink.pos + need <= sink.buf.length ? sink.buf : sink.reserve(need)
    let pos = putBytes(buf, sink.pos, i === 0 ? BYTES.pointX : BYTES.nextPointX)
    pos = putX(buf, pos, xs[i])
    pos = putBytes(buf, pos, BYTES.value)
    pos = putNumber(buf, pos, y[i])
    pos = putBytes(buf, pos, tail)
    if (c !== 0) {
      pos = putInt(buf, pos, signalFrom[i])
      pos = putBytes(buf, pos, BYTES.to)
      pos = putInt(buf, pos, signalTo[i])
      pos = putBytes(buf, pos, BYTES.closeTwo)
    }
    sink.pos = pos
    if (sink.ready) return i + 1
  }
  return end
}

function* writeOne(sink: ByteSink, comp: Computation): Generator<Uint8Array> {
  if (comp.method === 'error') {
    sink.text(JSON.stringify({ ok: false, error: comp.error }))
    return
  }
  const { req } = comp
  const { xs } = req
  sink.ascii(`{"ok":true,"method":"${comp.method}","chart":"${req.chart}","points":[`)
  if (comp.method === 'mdc') {
    for (let p = 0; p < comp.periods.length; p++) {
      const period = comp.periods[p]
      const lines = `,"centre":${num(period.centre)},"lcl":${num(period.lcl)},"ucl":${num(period.ucl)},"lcl_2sigma":${num(period.lcl2)},"ucl_2sigma":${num(period.ucl2)},"period":${p + 1},"baseline":`
      const tails = new MdcTails(comp, lines)
      for (let i = period.start; i < period.end;) {
        i = writeMdcPoints(sink, comp, tails, i, period.end, period.baselineEnd)
        if (sink.ready) yield* sink.take()
      }
    }
    sink.text(
      `],"periods":${JSON.stringify(mdcPeriods(comp))},${JSON.stringify({
        variation: comp.variation,
        variation_icon: comp.variationIcon,
        assurance: comp.assurance,
        assurance_icon: comp.assuranceIcon,
        improvement_direction: req.improvementDirection,
        target: req.target,
        target_trajectory: trajectoryEcho(req.trajectory),
        rule_set: comp.ruleSet,
      }).slice(1)}`,
    )
    return
  }
  const { excluded } = req
  for (let p = 0; p < comp.periods.length; p++) {
    const period = comp.periods[p]
    const centre = asciiBytes(`,"centre":${num(period.centre)},"lcl":`)
    const inBaseline = asciiBytes(`,"period":${p + 1},"baseline":true`)
    const after = asciiBytes(`,"period":${p + 1},"baseline":false`)
    for (let k = period.start; k < period.end; k++) {
      const buf = sink.reserve(6 + X_BYTES + 80 + 5 * MAX_NUMBER_BYTES + 120)
      let pos = putBytes(buf, sink.pos, k === 0 ? BYTES.pointX : BYTES.nextPointX)
      pos = putX(buf, pos, xs[k])
      pos = putBytes(buf, pos, BYTES.value)
      pos = putNumber(buf, pos, comp.value[k])
      pos = putBytes(buf, pos, centre)
      pos = putNumber(buf, pos, comp.lcl[k])
      pos = putBytes(buf, pos, BYTES.ucl)
      pos = putNumber(buf, pos, comp.ucl[k])
      pos = putBytes(buf, pos, BYTES.lcl2)
      pos = putNumber(buf, pos, comp.lcl2[k])
      pos = putBytes(buf, pos, BYTES.ucl2)
      pos = putNumber(buf, pos, comp.ucl2[k])
      pos = putBytes(buf, pos, k < comp.baselineEnd ? inBaseline : after)
      pos = putBytes(
        buf,
        pos,
        excluded !== null && excluded[k] === 1 ? BYTES.excludedTrue : BYTES.excludedFalse,
      )
      if (comp.signal[k] === 1) {
        pos = putBytes(buf, pos, comp.value[k] > comp.ucl[k] ? BYTES.aboveUcl : BYTES.belowLcl)
        pos = putInt(buf, pos, k)
        pos = putBytes(buf, pos, BYTES.to)
        pos = putInt(buf, pos, k)
        pos = putBytes(buf, pos, BYTES.closeTwo)
      } else pos = putBytes(buf, pos, BYTES.anhoejSignalFalse)
      sink.pos = pos
      if (sink.ready) yield* sink.take()
    }
  }
  sink.text(
    `],"periods":${JSON.stringify(anhoejPeriods(comp))},${JSON.stringify({
      target: req.target,
      target_trajectory: trajectoryEcho(req.trajectory),
      rule_set: { name: 'anhoej' },
    }).slice(1)}`,
  )
}
