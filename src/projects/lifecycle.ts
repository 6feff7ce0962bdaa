import type { ProjectStatus } from './policy.js'

/**
 * The project lifecycle of DOMAIN.md §3, as a transition table:
 * draft → submitted → active (approved) or returned → draft; active ⇄ on_hold;
 * active → sustaining → completed → archived; any open state → abandoned.
 */
export const STATUS_LABELS: Record<ProjectStatus, string> = {
  draft: 'Draft',
  submitted: 'Waiting for registration',
  returned: 'Returned with comments',
  active: 'Active',
  on_hold: 'On hold',
  sustaining: 'Sustaining',
  completed: 'Completed',
  archived: 'Archived',
  abandoned: 'Abandoned',
}

/** NHS.UK tag colours for each status. */
export const STATUS_COLOURS: Record<ProjectStatus, string> = {
  draft: 'grey',
  submitted: 'yellow',
  returned: 'orange',
  active: 'green',
  on_hold: 'purple',
  sustaining: 'aqua-green',
  completed: 'blue',
  archived: 'white',
  abandoned: 'red',
}

/** States in which a project can still be abandoned (and is worked on). */
export const OPEN_STATUSES: readonly ProjectStatus[] = [
  'draft',
  'submitted',
  'returned',
  'active',
  'on_hold',
  'sustaining',
]

export type ProjectAction =
  | 'submit'
  | 'approve'
  | 'return'
  | 'revise'
  | 'hold'
  | 'resume'
  | 'sustain'
  | 'complete'
  | 'archive'
  | 'abandon'

export interface Transition {
  from: readonly ProjectStatus[]
  to: ProjectStatus
  /** Who may take it: the project's leads ('manage') or a coach / the Steering Group ('approve'). */
  by: 'manage' | 'approve'
  label: string
  /** What the note field is called, and whether it must be filled in. */
  note?: { label: string; hint?: string; required: boolean; error?: string }
  /** Lessons learnt must be written (closing the project). */
  lessons?: boolean
  /** The button is a warning (red). */
  warning?: boolean
}

export const TRANSITIONS: Record<ProjectAction, Transition> = {
  submit: {
    from: ['draft'],
    to: 'submitted',
    by: 'manage',
    label: 'Submit for registration',
    note: { label: 'Anything the reviewer should know? (optional)', required: false },
  },
  approve: {
    from: ['submitted'],
    to: 'active',
    by: 'approve',
    label: 'Approve and register the project',
    note: { label: 'A note for the project leads (optional)', required: false },
  },
  return: {
    from: ['submitted'],
    to: 'returned',
    by: 'approve',
    label: 'Return it to the team with comments',
    note: {
      label: 'Your comments for the project leads',
      hint: 'Say what needs to change before it can be registered',
      required: true,
      error: 'Enter your comments for the project leads',
    },
    warning: true,
  },
  revise: { from: ['returned'], to: 'draft', by: 'manage', label: 'Revise the draft' },
  hold: {
    from: ['active'],
    to: 'on_hold',
    by: 'manage',
    label: 'Put the project on hold',
    note: { label: 'Why is it on hold? (optional)', required: false },
  },
  resume: { from: ['on_hold'], to: 'active', by: 'manage', label: 'Resume the project' },
  sustain: {
    from: ['active'],
    to: 'sustaining',
    by: 'manage',
    label: 'Move to sustaining',
    note: { label: 'How will the gains be kept? (optional)', required: false },
  },
  complete: {
    from: ['sustaining'],
    to: 'completed',
    by: 'manage',
    label: 'Complete the project',
    lessons: true,
  },
  archive: { from: ['completed'], to: 'archived', by: 'manage', label: 'Archive the project' },
  abandon: {
    from: OPEN_STATUSES,
    to: 'abandoned',
    by: 'manage',
    label: 'Abandon the project',
    note: {
      label: 'Why is the project being abandoned?',
      required: true,
      error: 'Enter why the project is being abandoned',
    },
    lessons: true,
    warning: true,
  },
}

export const PROJECT_ACTIONS = Object.keys(TRANSITIONS) as ProjectAction[]

export function isProjectAction(value: string): value is ProjectAction {
  return Object.hasOwn(TRANSITIONS, value)
}

export function canTake(action: ProjectAction, from: string): boolean {
  return (TRANSITIONS[action].from as readonly string[]).includes(from)
}

/** The actions open from this status for someone who may manage and/or approve. */
export function availableActions(from: string, may: { manage: boolean; approve: boolean }): ProjectAction[] {
  return PROJECT_ACTIONS.filter((a) => canTake(a, from) && may[TRANSITIONS[a].by])
}

/** Why an action is refused in this status, in words a person can act on. */
export function refusal(action: ProjectAction, from: string): string | null {
  if (canTake(action, from)) return null
  const label = (STATUS_LABELS[from as ProjectStatus] ?? from).toLowerCase()
  return `This project is ${label}, so you cannot ${TRANSITIONS[action].label.charAt(0).toLowerCase()}${TRANSITIONS[action].label.slice(1)}`
}

/** DOMAIN.md §1: QSIR's six stages. */
export const QSIR_STAGES = {
  start_out: 'Start out',
  define_scope: 'Define and scope',
  measure_understand: 'Measure and understand',
  design_plan: 'Design and plan',
  implement: 'Implement',
  handover_sustain: 'Handover and sustain',
} as const
export type QsirStage = keyof typeof QSIR_STAGES

/** The HRA decision tool's answer (DOMAIN.md §5.8). */
export const RESEARCH_ANSWERS = {
  qi: 'Quality improvement',
  service_evaluation: 'Service evaluation',
  research: 'Research',
  unsure: 'Not sure yet',
} as const
export type ResearchAnswer = keyof typeof RESEARCH_ANSWERS

/** IHI progress scores 0.5–5.0 (DOMAIN.md §1, [4]). */
export const PROGRESS_SCORES: { value: number; text: string }[] = [
  { value: 0.5, text: 'Intent to participate' },
  { value: 1.0, text: 'Charter and team established' },
  { value: 1.5, text: 'Planning for the project has begun' },
  { value: 2.0, text: 'Activity, but no changes' },
  { value: 2.5, text: 'Changes tested, but no improvement' },
  { value: 3.0, text: 'Modest improvement' },
  { value: 3.5, text: 'Improvement' },
  { value: 4.0, text: 'Significant improvement' },
  { value: 4.5, text: 'Sustainable improvement' },
  { value: 5.0, text: 'Outstanding sustainable results' },
]

export function progressScoreLabel(score: number | null): string {
  if (score === null) return 'Not scored yet'
  const entry = PROGRESS_SCORES.find((s) => s.value === score)
  return entry ? `${score.toFixed(1)}: ${entry.text}` : score.toFixed(1)
}
