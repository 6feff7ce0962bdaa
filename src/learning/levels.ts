/**
 * The community's one capability ladder (DOMAIN.md "Dosing"), the separate Board /
 * sponsor track, and the words used for modes and enrolment states.
 */
export const LADDER = {
  awareness: 'Awareness',
  foundation: 'Foundation',
  practitioner: 'Practitioner',
  coach: 'Coach',
  expert: 'Expert',
  board: 'Board / sponsor',
} as const
export type LadderLevel = keyof typeof LADDER
export const LADDER_LEVELS = Object.keys(LADDER) as LadderLevel[]
/** The ladder proper, lowest first; the Board / sponsor track sits beside it. */
const ORDER: LadderLevel[] = ['awareness', 'foundation', 'practitioner', 'coach', 'expert']

export const MODES = { in_person: 'In person', online: 'Online', blended: 'Blended' } as const
export type Mode = keyof typeof MODES
export const MODE_VALUES = Object.keys(MODES) as Mode[]

export const ENROLMENT_STATUSES = {
  requested: 'Waiting for faculty approval',
  enrolled: 'Enrolled',
  waitlisted: 'On the waiting list',
  withdrawn: 'Withdrawn',
  declined: 'Not approved',
  completed: 'Completed',
  not_completed: 'Did not complete',
} as const
export type EnrolmentStatus = keyof typeof ENROLMENT_STATUSES
/** States that hold or wait for a place: a person has at most one of these per course. */
export const ACTIVE_STATUSES: EnrolmentStatus[] = ['requested', 'enrolled', 'waitlisted']
/** States that appear on a session's register. */
export const REGISTER_STATUSES: EnrolmentStatus[] = ['enrolled', 'completed', 'not_completed']

export function isLadderLevel(value: string): value is LadderLevel {
  return Object.hasOwn(LADDER, value)
}

/** "Silver (Foundation)" when the faculty has its own name for the level, else "Foundation". */
export function levelLabel(level: string, localLevel?: string | null): string {
  const ladder = isLadderLevel(level) ? LADDER[level] : level
  return localLevel ? `${localLevel} (${ladder})` : ladder
}

/** The highest rung reached on the ladder, ignoring the Board / sponsor track. */
export function highestLevel(levels: string[]): LadderLevel | null {
  let best = -1
  for (const l of levels) best = Math.max(best, ORDER.indexOf(l as LadderLevel))
  return best >= 0 ? ORDER[best] : null
}

/**
 * A faculty's level names mapped onto the ladder. Names without a mapping are
 * left out, so a course can only use names the faculty has placed.
 */
export function localLevelOptions(
  levelNames: string[],
  levelMap: Record<string, string>,
): { name: string; level: LadderLevel }[] {
  return levelNames.flatMap((name) => {
    const level = levelMap[name]
    return level && isLadderLevel(level) ? [{ name, level }] : []
  })
}

/** Roles a course may be restricted to (the actors who take courses). */
export const ELIGIBLE_ROLES = [
  'board',
  'steering_group',
  'coach',
  'programme_lead',
  'improvement_partner',
  'org_admin',
] as const
