export interface CompletionCriteria {
  /** 0–100: the share of the cohort's sessions a learner must attend. */
  minAttendancePct: number
  requiresProject: boolean
  requiresAssessment: boolean
}

export interface LearnerProgress {
  sessionsTotal: number
  sessionsPresent: number
  projectSubmitted: boolean
  assessmentPassed: boolean
}

export interface CompletionResult {
  met: boolean
  /** Whole per cent; 100 when the cohort has no sessions. */
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
    progress.sessionsTotal === 0 ? 100 : Math.floor((100 * progress.sessionsPresent) / progress.sessionsTotal)
  const missing: string[] = []
  if (attendancePct < criteria.minAttendancePct)
    missing.push(`attended ${attendancePct}% of sessions (needs ${criteria.minAttendancePct}%)`)
  if (criteria.requiresProject && !progress.projectSubmitted) missing.push('project not submitted')
  if (criteria.requiresAssessment && !progress.assessmentPassed) missing.push('assessment not passed')
  return { met: missing.length === 0, attendancePct, missing }
}
