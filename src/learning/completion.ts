export interface CompletionCriteria {
  /** 0–100: the share of the cohort's sessions a learner must attend. */
  minAttendancePct: number
  requiresProject: boolean
  requiresAssessment: boolean
}

export interface LearnerProgress {
  /** Every session of the cohort, held or not: one still to come counts as not attended yet. */
  sessionsTotal: number
  /** Sessions that have taken place, whose register was taken, with the learner marked present. */
  sessionsPresent: number
  projectSubmitted: boolean
  assessmentPassed: boolean
}

export interface CompletionResult {
  met: boolean
  /** Whole per cent; 0 when the cohort has no sessions (a cohort with no sessions completes nobody). */
  attendancePct: number
  missing: string[]
}

/**
 * Works out whether a learner has met a course's completion criteria.
 * @example completion({ minAttendancePct: 75, requiresProject: false, requiresAssessment: false },
 *   { sessionsTotal: 4, sessionsPresent: 3, projectSubmitted: false, assessmentPassed: false }) // met, 75%
 */
export function completion(criteria: CompletionCriteria, progress: LearnerProgress): CompletionResult {
  const attendancePct =
    progress.sessionsTotal === 0 ? 0 : Math.floor((100 * progress.sessionsPresent) / progress.sessionsTotal)
  const missing: string[] = []
  if (progress.sessionsTotal === 0) missing.push('the cohort has no sessions yet')
  else if (attendancePct < criteria.minAttendancePct)
    missing.push(`attended ${attendancePct}% of sessions (needs ${criteria.minAttendancePct}%)`)
  if (criteria.requiresProject && !progress.projectSubmitted) missing.push('project not submitted')
  if (criteria.requiresAssessment && !progress.assessmentPassed) missing.push('assessment not passed')
  return { met: missing.length === 0, attendancePct, missing }
}
