import type { SpcResult } from './types.js'
import { validateRequest } from './validate.js'
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
export function compute(request: unknown): Computation {
  const outcome = validateRequest(request)
  if (!outcome.ok) return { method: 'error', error: outcome.error }
  return outcome.request.method === 'mdc' ? computeMdc(outcome.request) : computeAnhoej(outcome.request)
}

/** The result object (SPEC 1.2) of a computation. */
export function toResult(comp: Computation): SpcResult {
  if (comp.method === 'error') return { ok: false, error: comp.error }
  return comp.method === 'mdc' ? mdcResult(comp) : anhoejResult(comp)
}
