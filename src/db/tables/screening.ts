import type { Timestamp } from '../column-types.js'

/** A hospital-number pattern an IG lead configured (see core/hospital-patterns.ts). */
export interface ScreeningPatternsTable {
  id: string
  label: string
  /** 'mask' or 'regex'. */
  kind: string
  /** As the IG lead typed it. */
  pattern: string
  /** The checked regular-expression source screening uses. */
  source: string
  created_at: Timestamp
  created_by: string | null
}
