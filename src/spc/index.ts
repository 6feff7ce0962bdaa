/**
 * The SPC engine: pure functions from a request (parsed JSON) to a result (SPEC shared/spc/SPEC.md).
 * No I/O, no clock; bad input gives an error result, never an exception.
 */
import type { SpcBatchResult, SpcResult } from './types.js'
import { compute, toResult } from './compute.js'
import type { Computation } from './compute.js'
import { serialiseComputations, serialiseComputationsToBytes } from './serialise.js'

export type * from './types.js'
export { CHART_TYPES, MDC_CHART_TYPES } from './types.js'
export {
  validateRequest,
  isIsoDate,
  REQUEST_FIELDS,
  POINT_FIELDS,
  DEFAULT_SHIFT_N,
  DEFAULT_TREND_N,
  MIN_RUN_N,
  MAX_RUN_N,
  MAX_LABEL_LENGTH,
} from './validate.js'
export type { ParsedRequest, ValidationOutcome } from './validate.js'
export { compute, computeBytes, toResult } from './compute.js'
export { readRequestBytes } from './read-json.js'
export type { PointColumns, ReadInput, ReadRequest } from './read-json.js'
export type { Computation } from './compute.js'
export { serialiseComputations, serialiseComputationsToBytes, serialiseResult } from './serialise.js'
export { ByteSink } from './json-bytes.js'
export { mean, sum } from './mean.js'
export { median } from './median.js'
export { orNull, trajectoryEcho } from './numbers.js'
export { describeRuleSet, signalPoints, signalSpans, runsSignalOf } from './signals.js'
export { movingRanges, averageMovingRange } from './moving-range.js'
export { lnGamma, c4, c5, a3, b3, b4 } from './subgroups.js'
export { runsAnalysis, longestRunMax, crossingsMinimum, qbinomHalf } from './runs.js'
export {
  mdcLimits,
  medianMrLimits,
  MEDIAN_MR_LIMIT,
  MEDIAN_MR_LIMIT_CLOSE,
  trendMarks,
  shiftMarks,
  twoInThreeMarks,
  pointTypeOf,
  MDC_LIMIT,
  MDC_LIMIT_CLOSE,
} from './mdc.js'
export { xmrSigma, subgroupMeanSd } from './anhoej.js'
export { variationIconOf, assuranceOf, assuranceOfTrajectory, assuranceIcon } from './icons.js'

/**
 * Analyses one request (SPEC 1.1): validates it, then computes with the `mdc` or `anhoej` method.
 * Bad input gives `{ ok: false, error }` naming the field (and point index); it never throws for data.
 * @example analyse({ method: 'anhoej', chart: 'run', points: [{ x: 1, y: 3 }, { x: 2, y: 5 }] }).ok // true
 */
export function analyse(request: unknown): SpcResult {
  return toResult(compute(request))
}

/**
 * Analyses each request of a batch independently (SPEC 1.3): a failing request gives an error
 * result in its slot and does not affect the others.
 * @throws RangeError when `requests` is not an array (programmer misuse)
 * @example analyseBatch([{ method: 'x' }]).batch[0].ok // false
 */
export function analyseBatch(requests: readonly unknown[]): SpcBatchResult {
  if (!Array.isArray(requests)) throw new RangeError('analyseBatch: requests must be an array')
  return { batch: requests.map((r) => analyse(r)) }
}

/** True when the input is a batch: an object whose only key is `batch`. */
export function isBatchRequest(input: unknown): input is { batch: unknown } {
  return (
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    Object.keys(input).length === 1 &&
    'batch' in input
  )
}

/**
 * What `qi spc` does with its parsed stdin: a batch (`{"batch": [...]}`) or a single request.
 * @example analyseInput({ batch: [] }) // { batch: [] }
 */
export function analyseInput(input: unknown): SpcResult | SpcBatchResult {
  if (isBatchRequest(input)) {
    if (!Array.isArray(input.batch)) return { ok: false, error: 'batch: must be an array of requests' }
    return analyseBatch(input.batch)
  }
  return analyse(input)
}

/**
 * Like `analyseInput`, but computed into columns only: pass the outcome to `serialiseComputations`
 * for the JSON text. This is the fast path of `qi spc`.
 */
export function computeInput(input: unknown): Computation | { batch: Computation[] } {
  if (isBatchRequest(input)) {
    if (!Array.isArray(input.batch)) return { method: 'error', error: 'batch: must be an array of requests' }
    return { batch: input.batch.map((r) => compute(r)) }
  }
  return compute(input)
}

/**
 * The JSON text (chunks, newline-terminated) of the result for a parsed stdin: what `qi spc` prints.
 * @example [...analyseToJson({ method: 'x' })].join('').startsWith('{"ok":false') // true
 */
export function analyseToJson(input: unknown): Generator<string> {
  return serialiseComputations(computeInput(input))
}

/**
 * Like `analyseToJson`, as UTF-8 byte chunks (about 1 MiB each): what `qi spc` writes to stdout.
 * @example Buffer.concat([...analyseToJsonBytes({ method: 'x' })]).toString().startsWith('{"ok":false') // true
 */
export function analyseToJsonBytes(input: unknown): Generator<Uint8Array> {
  return serialiseComputationsToBytes(computeInput(input))
}
