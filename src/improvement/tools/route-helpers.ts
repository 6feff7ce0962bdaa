import { z } from 'zod'
import { idParam } from '../../web/route-schemas.js'
import { projectPath } from '../route-helpers.js'
import {
  LIMITS,
  QUADRANTS,
  SCALE_NOTE,
  SCORE_LEVELS,
  SCORE_MAX,
  STEP_KINDS,
  STEP_KIND_LABELS,
  STEP_VALUES,
  STEP_VALUE_LABELS,
  SUSTAINABILITY_FACTORS,
  TOOL_HINTS,
  TOOL_LABELS,
  TOOL_TYPES,
  ITEM_LABELS,
} from './definitions.js'

export const toolParams = z.object({ id: idParam, toolId: idParam })
export const itemParams = z.object({ id: idParam, toolId: idParam, itemId: idParam })

/** `/projects/:id/tools`. */
export const toolsPath = (projectId: string) => `${projectPath(projectId)}/tools`

/** One tool's page. */
export const toolPath = (params: { id: string; toolId: string }) =>
  `${toolsPath(params.id)}/${encodeURIComponent(params.toolId)}`

/** The labels and choices every tool page and form shows. */
export const vocab = {
  toolLabels: TOOL_LABELS,
  toolHints: TOOL_HINTS,
  typeItems: TOOL_TYPES.map((value) => ({
    value,
    text: TOOL_LABELS[value],
    hint: { text: TOOL_HINTS[value] },
  })),
  stepKindItems: STEP_KINDS.map((value) => ({ value, text: STEP_KIND_LABELS[value] })),
  stepValueItems: STEP_VALUES.map((value) => ({ value, text: STEP_VALUE_LABELS[value] })),
  scoreLevels: SCORE_LEVELS,
  scoreMax: SCORE_MAX,
  scaleNote: SCALE_NOTE,
  factors: SUSTAINABILITY_FACTORS,
  quadrantLabels: QUADRANTS,
  itemLabels: ITEM_LABELS,
  limits: LIMITS,
}
