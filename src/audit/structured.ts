import { createHmac } from 'node:crypto'
import { screenText } from '../core/pid-screen.js'

/**
 * The audit log holds no free text (issue 15): an entry says who, what, when, which record and
 * which fields changed, with values only for structured fields. `writeAudit` passes every
 * `before` and `after` through `structuredValue`, so no caller can store free text there.
 *
 * Kept as they are:
 * - numbers, booleans and null;
 * - **tokens**: 1 to 64 characters of a-z, 0-9, `_ . : -` (statuses, visibilities, roles,
 *   decisions, slugs, numbers written as text), `TOKEN`;
 * - **ids**: UUIDs, any case;
 * - **dates and timestamps**: `2026-12-02`, `2026-12-02T09:30:00.000Z` (ISO 8601);
 * - **plain URLs**: http(s), host, port and path only (no query, no spaces), up to 200 characters
 *   (single sign-on issuers);
 * and only when screening finds no patient data in them (a 10-digit token may be an NHS number).
 *
 * Any other string (titles, problem statements, notes, names, e-mail addresses…) becomes
 * `{ changed: true, length, hash }`: its length in characters and an HMAC-SHA256 under the
 * audit key (kept in the database, `settings.audit.hmac_key`), so a later copy of the text can be
 * shown to be the one that was there without the log holding it. Object keys are field names
 * from the code; a key that is not name-shaped is replaced by `field_<12 hex of its HMAC>`.
 */

export const AUDIT_KEY_SETTING = 'audit.hmac_key'

const TOKEN = /^[a-z0-9_.:-]{1,64}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const URL_SHAPE = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[A-Za-z0-9._~/-]*)?$/
const KEY = /^[A-Za-z0-9_.:-]{1,64}$/
const HEX64 = /^[0-9a-f]{64}$/

export interface FreeTextMarker {
  changed: true
  length: number
  hash: string
}

/** True for a string the audit log may keep as it is (see above). */
export function isStructuredString(value: string): boolean {
  const shaped =
    TOKEN.test(value) || UUID.test(value) || ISO.test(value) || (value.length <= 200 && URL_SHAPE.test(value))
  return shaped && screenText(value) === null
}

export function isFreeTextMarker(value: unknown): value is FreeTextMarker {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const v = value as Record<string, unknown>
  return (
    Object.keys(v).length === 3 &&
    v.changed === true &&
    typeof v.length === 'number' &&
    typeof v.hash === 'string' &&
    HEX64.test(v.hash)
  )
}

export function auditHash(key: string, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex')
}

export function freeTextMarker(key: string, text: string): FreeTextMarker {
  return { changed: true, length: [...text].length, hash: auditHash(key, text) }
}

/**
 * The value with every free-text string replaced by its marker.
 * @example structuredValue(k, { status: 'active', title: 'Fewer falls' })
 * // { status: 'active', title: { changed: true, length: 11, hash: '…' } }
 */
export function structuredValue(key: string, value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') return isStructuredString(value) ? value : freeTextMarker(key, value)
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (depth > 8) return freeTextMarker(key, JSON.stringify(value) ?? '')
  if (Array.isArray(value)) return value.map((v) => structuredValue(key, v, depth + 1))
  if (typeof value === 'object') {
    if (isFreeTextMarker(value)) return value
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue
      const name = KEY.test(k) && screenText(k) === null ? k : `field_${auditHash(key, k).slice(0, 12)}`
      out[name] = structuredValue(key, v, depth + 1)
    }
    return out
  }
  return null
}

/** The target's id as stored: structured ids as they are, anything else as `hmac:<16 hex>`. */
export function structuredEntityId(key: string, id: string | null | undefined): string | null {
  if (id === null || id === undefined || id === '') return null
  return /^[A-Za-z0-9_.:-]{1,100}$/.test(id) && screenText(id) === null
    ? id
    : `hmac:${auditHash(key, id).slice(0, 16)}`
}

/**
 * Who did it. With an account (actorId set) the label is the account's name and address,
 * staff data the audit needs ("who changed it"), screened at sign-up like any name. Without one
 * it must be a fixed word of the code ('system', 'command line', 'anonymous'): anything else,
 * such as an address typed into a failed sign-in or a visitor's name on an enquiry, becomes
 * `anonymous #<12 hex of its HMAC>`, so repeated attempts can still be told apart.
 */
export function structuredActorLabel(key: string, actorId: string | null, label: string): string {
  const text = label.slice(0, 300)
  if (actorId !== null && screenText(text) === null) return text
  if (/^[a-z][a-z -]{0,39}$/.test(text)) return text
  return `anonymous #${auditHash(key, label).slice(0, 12)}`
}

/**
 * One line per changed field for the audit page: "title changed (42 characters)",
 * "status: draft → submitted", "version: 3".
 */
export function describeChange(before: unknown, after: unknown): string[] {
  const b = flatten(before)
  const a = flatten(after)
  const lines: string[] = []
  for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const was = b[field]
    const now = a[field]
    if (isFreeTextMarker(now) || isFreeTextMarker(was)) {
      const same = isFreeTextMarker(now) && isFreeTextMarker(was) && now.hash === was.hash
      if (same) continue
      lines.push(
        isFreeTextMarker(now)
          ? `${field} ${field in b ? 'changed' : 'set'} (${now.length} character${now.length === 1 ? '' : 's'})`
          : `${field} changed (text removed)`,
      )
    } else if (field in b && field in a) {
      if (JSON.stringify(was) !== JSON.stringify(now)) lines.push(`${field}: ${show(was)} → ${show(now)}`)
    } else lines.push(`${field}: ${show(field in a ? now : was)}`)
  }
  return lines
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'none'
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value === null || value === undefined) return out
  if (typeof value !== 'object' || Array.isArray(value) || isFreeTextMarker(value)) {
    out[prefix || 'value'] = value
    return out
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${k}` : k
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isFreeTextMarker(v))
      flatten(v, name, out)
    else out[name] = v
  }
  return out
}
