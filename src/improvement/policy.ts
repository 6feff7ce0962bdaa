/**
 * The rules of improvement methods (DOMAIN.md §3): change idea statuses and the PDSA
 * lifecycle. Who may see or change anything inside a project is decided by
 * `projectAccess` (src/projects/policy.ts): 'view' to read, 'edit' to change.
 */

export const CHANGE_IDEA_STATUSES = ['idea', 'testing', 'adopted', 'abandoned'] as const
export type ChangeIdeaStatus = (typeof CHANGE_IDEA_STATUSES)[number]

export const CHANGE_IDEA_STATUS_LABELS: Record<ChangeIdeaStatus, string> = {
  idea: 'Idea',
  testing: 'Testing',
  adopted: 'Adopted',
  abandoned: 'Abandoned',
}

export const DRIVER_KINDS = ['primary', 'secondary'] as const
export type DriverKind = (typeof DRIVER_KINDS)[number]

/** planned (prediction required) → doing → studying → decided (adopt | adapt | abandon) → closed. */
export const PDSA_STATUSES = ['planned', 'doing', 'studying', 'decided', 'closed'] as const
export type PdsaStatus = (typeof PDSA_STATUSES)[number]

export const PDSA_STATUS_LABELS: Record<PdsaStatus, string> = {
  planned: 'Planned',
  doing: 'Doing',
  studying: 'Studying',
  decided: 'Decided',
  closed: 'Closed',
}

export const PREDICTION_MET = ['yes', 'partly', 'no'] as const
export type PredictionMet = (typeof PREDICTION_MET)[number]
export const PREDICTION_MET_LABELS: Record<PredictionMet, string> = { yes: 'Yes', partly: 'Partly', no: 'No' }

export const PDSA_DECISIONS = ['adopt', 'adapt', 'abandon'] as const
export type PdsaDecision = (typeof PDSA_DECISIONS)[number]
export const PDSA_DECISION_LABELS: Record<PdsaDecision, string> = {
  adopt: 'Adopt',
  adapt: 'Adapt',
  abandon: 'Abandon',
}

/**
 * What a decision does to the change idea, automatically: adopting or abandoning the
 * tested change settles the idea; adapting keeps it in testing. The team can still
 * set the change idea's status by hand afterwards.
 */
export const DECISION_SETS_IDEA_STATUS: Record<PdsaDecision, ChangeIdeaStatus> = {
  adopt: 'adopted',
  adapt: 'testing',
  abandon: 'abandoned',
}

/** The stages whose forms may be saved in each status (saving may also move the cycle on). */
export type PdsaStage = 'plan' | 'do' | 'study' | 'act' | 'close'

const ALLOWED: Record<PdsaStage, PdsaStatus[]> = {
  plan: ['planned'],
  do: ['planned', 'doing'],
  study: ['doing', 'studying'],
  act: ['studying'],
  close: ['decided'],
}

/** Where a saved stage leaves the cycle. */
export const STAGE_RESULT: Record<PdsaStage, PdsaStatus> = {
  plan: 'planned',
  do: 'doing',
  study: 'studying',
  act: 'decided',
  close: 'closed',
}

export function canSaveStage(status: string, stage: PdsaStage): boolean {
  return (ALLOWED[stage] as string[]).includes(status)
}

/** Why a stage cannot be saved now, in plain English; null when it can. */
export function stageRefusal(status: string, stage: PdsaStage): string | null {
  if (canSaveStage(status, stage)) return null
  if (status === 'closed') return 'This cycle is closed. Its record can no longer be changed.'
  switch (stage) {
    case 'plan':
      return 'The plan can only be changed before the test starts. This cycle has already started.'
    case 'do':
      return status === 'decided'
        ? 'This cycle has been decided. Its Do record can no longer be changed.'
        : 'This cycle has moved on to Study. Its Do record can no longer be changed.'
    case 'study':
      return status === 'planned'
        ? 'Start the test and record what happened (Do) before studying it.'
        : 'This cycle has been decided. Its findings can no longer be changed.'
    case 'act':
      return status === 'decided'
        ? 'This cycle has already been decided.'
        : 'Study cannot be skipped: record the findings and compare them with the prediction before deciding to adopt, adapt or abandon.'
    case 'close':
      return 'Only a decided cycle can be closed. Decide to adopt, adapt or abandon first.'
  }
}

export const PDSA_STAGE_ORDER: PdsaStatus[] = ['planned', 'doing', 'studying', 'decided', 'closed']
