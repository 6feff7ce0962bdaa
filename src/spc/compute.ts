import type { SpcResult } from './types.js'
import { validateRequest } from './validate.js'
import { readRequestBytes } from './read-json.js'
import type { PointColumns } from './read-json.js'
import { computeMdc, mdcResult } from './mdc.js'
import type { MdcComputation } from './mdc.js'
import { anhoejResult, computeAnhoej } from './anhoej.js'
import type { AnhoejComputation } from './anhoej.js'

/** A request computed into columns, or the reason it could not be. */
export type Computation = MdcComputation | AnhoejComputation | { method: 'error'; error: string }

/**
 * Validates and computes one request into typed-array columns (no per-point objects).
 * @example compute({ method: 'mdc' }).method // 'error'
 */
export function compute(request: unknown, columns?: PointColumns): Computation {
  const outcome = validateRequest(request, columns)
  if (!outcome.ok) return { method: 'error', error: outcome.error }
  return outcome.request.method === 'mdc' ? computeMdc(outcome.request) : computeAnhoej(outcome.request)
}

/** The result object (SPEC 1.2) of a computation. */
export function toResult(comp: Computation): SpcResult {
  if (comp.method === 'error') return { ok: false, error: comp.error }
  return comp.method === 'mdc' ? mdcResult(comp) : anhoejResult(comp)
}

/**
 * Computes straight from the request's JSON bytes when read-json.ts can read them (points into
 * columns, no object per point); null when it cannot, and the caller uses JSON.parse and
 * `compute`. Either way the outcome is the same (src/spc/read-json.test.ts).
 */
export function computeBytes(bytes: Uint8Array): Computation | { batch: Computation[] } | null {
  const read = readRequestBytes(bytes)
  if (read === null) return null
  const requests = 'batch' in read ? read.batch : [read]
  const fields: unknown[] = []
  for (const r of requests) {
    try {
      fields.push(JSON.parse(r.fieldsText))
    } catch {
      return null // not JSON after all: the ordinary path says so
    }
  }
  const computed = requests.map((r, i) => compute(fields[i], r.columns))
  return 'batch' in read ? { batch: computed } : computed[0]
}
