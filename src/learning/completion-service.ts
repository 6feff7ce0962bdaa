import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { NotFoundError, ValidationError } from '../core/errors.js'
import { formatCode, newCertificateCode } from './certificate-code.js'
import { listSessions } from './cohort-repository.js'
import { completion } from './completion.js'
import { cohortContext, sessionContext } from './context.js'
import {
  cohortLearners,
  findEnrolment,
  setProgress,
  setProjectLink,
  setStatus,
  recount,
} from './enrolment-repository.js'
import { presentCounts, saveAttendance, sessionAttendance } from './attendance-repository.js'
import { mailLearner, type Mailer } from './enrolment-service.js'
import { ENROLMENT_STATUSES, REGISTER_STATUSES } from './levels.js'
import { certificateMail } from './messages.js'
import { requireFacultyManager } from './policy.js'
import { certificatesForCohort, insertCertificate } from './record-repository.js'
import type { ProjectLinkInput } from './forms.js'
import { STATUS_LABELS } from '../projects/lifecycle.js'
import type { ProjectStatus, TeamRole } from '../projects/policy.js'
import { TEAM_ROLE_LABELS } from '../projects/team-service.js'
import { describeLink, teamProjects, visibleLinkedProjects } from './project-link-repository.js'

/** Registers, progress, completion and certificates. */
export class CompletionService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly m: Mailer,
  ) {}

  /** Everything the faculty's cohort page shows: sessions, learners by status, progress against the criteria. */
  async cohortAdmin(user: CurrentUser, cohortId: string) {
    const ctx = await cohortContext(this.db, cohortId, { prerequisites: false })
    requireFacultyManager(user, ctx.course.facultyId)
    const now = this.clock()
    const [listed, learners, present, certificates] = await Promise.all([
      listSessions(this.db, [cohortId]),
      cohortLearners(this.db, cohortId),
      presentCounts(this.db, cohortId, now.toISOString()),
      certificatesForCohort(this.db, cohortId),
    ])
    // A register opens when its session starts.
    const sessions = listed.map((s) => ({ ...s, started: new Date(s.startsAt) <= now }))
    // The faculty sees a linked project's title only if the projects policy lets them see the project.
    const visible = await visibleLinkedProjects(
      this.db,
      user,
      learners.map((l) => l.projectId),
    )
    const rows = learners.map((l) => ({
      ...l,
      ...describeLink(l.projectId, visible),
      statusText: ENROLMENT_STATUSES[l.status],
      progress: completion(ctx.course, {
        sessionsTotal: sessions.length,
        sessionsPresent: present.get(l.id) ?? 0,
        projectSubmitted: l.projectSubmitted,
        assessmentPassed: l.assessmentPassed,
      }),
      certificate: certificates.find((c) => c.enrolmentId === l.id) ?? null,
    }))
    // Only requests that await the faculty's decision, on a course where the faculty approves places.
    const requests = ctx.course.requiresApproval ? rows.filter((l) => l.status === 'requested') : []
    return { ...ctx, sessions, learners: rows, requests }
  }

  /** Why a session's register cannot be taken yet, or null once the session has started. */
  private notStarted(session: { startsAt: string; whenText: string }): string | null {
    return new Date(session.startsAt) > this.clock()
      ? `You can take the register once the session has started (${session.whenText}).`
      : null
  }

  async register(user: CurrentUser, sessionId: string) {
    const ctx = await sessionContext(this.db, sessionId)
    requireFacultyManager(user, ctx.course.facultyId)
    const [learners, marks] = await Promise.all([
      cohortLearners(this.db, ctx.cohort.id, REGISTER_STATUSES),
      sessionAttendance(this.db, sessionId),
    ])
    return {
      ...ctx,
      /** Set while the session has not started: the register cannot be taken yet. */
      notStarted: this.notStarted(ctx.session),
      taken: marks.size > 0,
      rows: learners.map((l) => ({
        enrolmentId: l.id,
        name: l.name,
        organisationName: l.organisationName,
        present: marks.get(l.id) ?? false,
      })),
    }
  }

  /** Everyone on the register is marked: ticked present, the rest absent. */
  async saveRegister(
    user: CurrentUser,
    sessionId: string,
    presentIds: string[],
    ip?: string,
  ): Promise<{ present: number; absent: number }> {
    const at = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const ctx = await sessionContext(trx, sessionId)
      requireFacultyManager(user, ctx.course.facultyId)
      const notStarted = this.notStarted(ctx.session)
      if (notStarted) throw new ValidationError({ present: notStarted })
      const learners = await cohortLearners(trx, ctx.cohort.id, REGISTER_STATUSES)
      if (presentIds.some((id) => !learners.some((l) => l.id === id)))
        throw new ValidationError({ present: 'Select learners from the register' })
      const marks = learners.map((l) => ({ enrolmentId: l.id, present: presentIds.includes(l.id) }))
      await saveAttendance(trx, sessionId, marks, user.id, at)
      const present = marks.filter((m) => m.present).length
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'attendance.save',
        entityType: 'session',
        entityId: sessionId,
        ip,
        after: { present: marks.filter((m) => m.present).map((m) => m.enrolmentId) },
      })
      return { present, absent: marks.length - present }
    })
  }

  async saveProgress(
    user: CurrentUser,
    cohortId: string,
    projectIds: string[],
    assessmentIds: string[],
    ip?: string,
  ): Promise<void> {
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const ctx = await cohortContext(trx, cohortId, { prerequisites: false })
      requireFacultyManager(user, ctx.course.facultyId)
      const learners = await cohortLearners(trx, cohortId, REGISTER_STATUSES)
      if ([...projectIds, ...assessmentIds].some((id) => !learners.some((l) => l.id === id)))
        throw new ValidationError({ progress: 'Select learners from the list' })
      for (const l of learners)
        await setProgress(trx, l.id, {
          projectSubmitted: projectIds.includes(l.id),
          assessmentPassed: assessmentIds.includes(l.id),
        })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'cohort.progress',
        entityType: 'cohort',
        entityId: cohortId,
        ip,
        after: { projectIds, assessmentIds },
      })
    })
  }

  /**
   * Works out completion from the course's criteria: everyone enrolled who meets them
   * completes and gets a certificate dated today, the completion date. With `close`, those who
   * do not are marked as not completed. Refused for a cohort with no sessions or with a session
   * still to come; attendance counts only sessions that have started and whose register was taken.
   */
  async complete(
    user: CurrentUser,
    cohortId: string,
    close: boolean,
    ip?: string,
  ): Promise<{ completed: number; notCompleted: number; waiting: number }> {
    const now = this.clock()
    const at = now.toISOString()
    return this.db.transaction().execute(async (trx) => {
      const ctx = await cohortContext(trx, cohortId, { lock: true, prerequisites: false })
      requireFacultyManager(user, ctx.course.facultyId)
      const [sessions, learners, present] = await Promise.all([
        listSessions(trx, [cohortId]),
        cohortLearners(trx, cohortId, ['enrolled']),
        presentCounts(trx, cohortId, at),
      ])
      if (sessions.length === 0)
        throw new ValidationError({
          close: 'Add the cohort’s sessions first: a cohort with no sessions cannot complete anyone',
        })
      const toCome = sessions.filter((s) => new Date(s.startsAt) > now)
      // A certificate says the course was held: nobody completes while a session is still to come.
      if (toCome.length)
        throw new ValidationError({
          close: `Work out completion after the last session: ${toCome[0].title} is still to come (${toCome[0].whenText})`,
        })
      const result = { completed: 0, notCompleted: 0, waiting: 0 }
      for (const l of learners) {
        const outcome = completion(ctx.course, {
          sessionsTotal: sessions.length,
          sessionsPresent: present.get(l.id) ?? 0,
          projectSubmitted: l.projectSubmitted,
          assessmentPassed: l.assessmentPassed,
        })
        if (outcome.met) {
          await setStatus(trx, l.id, 'completed', at, user.id)
          const code = newCertificateCode()
          const months = ctx.course.certificateValidMonths
          const expiresAt = months
            ? new Date(new Date(at).setUTCMonth(new Date(at).getUTCMonth() + months)).toISOString()
            : null
          await insertCertificate(trx, {
            id: newId(),
            enrolmentId: l.id,
            userId: l.userId,
            courseId: ctx.course.id,
            code,
            personName: l.name,
            courseTitle: ctx.course.title,
            facultyName: ctx.course.facultyName,
            level: ctx.course.level,
            localLevel: ctx.course.localLevel,
            issuedAt: at,
            expiresAt,
          })
          await mailLearner(trx, this.m, l.userId, ctx, 'learning_certificate', (p) =>
            certificateMail({
              ...p,
              code: formatCode(code),
              recordUrl: `${this.m.baseUrl}/learning/record`,
              verifyUrl: `${this.m.baseUrl}/certificates/verify`,
            }),
          )
          result.completed++
        } else if (close) {
          await setStatus(trx, l.id, 'not_completed', at, user.id)
          result.notCompleted++
        } else {
          result.waiting++
        }
      }
      await recount(trx, cohortId)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'cohort.complete',
        entityType: 'cohort',
        entityId: cohortId,
        ip,
        after: { ...result, close },
      })
      return result
    })
  }

  /** The projects a learner may link to a cohort: those on whose team they are and which they may see. */
  async projectChoices(user: CurrentUser) {
    return (await teamProjects(this.db, user)).map((p) => ({
      ...p,
      statusText: STATUS_LABELS[p.status as ProjectStatus] ?? p.status,
      roleText: TEAM_ROLE_LABELS[p.role as TeamRole] ?? p.role,
    }))
  }

  /**
   * The learner links the project they did on the course: one of their projects on the platform,
   * a reference to a project done elsewhere, or none.
   */
  async setProjectLink(
    user: CurrentUser,
    enrolmentId: string,
    input: ProjectLinkInput,
    ip?: string,
  ): Promise<void> {
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const e = await findEnrolment(trx, { id: enrolmentId })
      if (!e || e.userId !== user.id) throw new NotFoundError()
      if (e.status === 'withdrawn' || e.status === 'declined')
        throw new ValidationError({ link: 'You can only link a project to a cohort you took part in' })
      let link: { projectId: string | null; projectRef: string }
      if (input.link === 'none') link = { projectId: null, projectRef: '' }
      else if (input.link === 'elsewhere') {
        if (!input.projectRef)
          throw new ValidationError({
            projectRef: 'Enter the web address, name or reference of your project',
          })
        link = { projectId: null, projectRef: input.projectRef }
      } else {
        // Checked inside the transaction: only a project whose team the learner is on now.
        if (!(await teamProjects(trx, user, { projectId: input.link })).length)
          throw new ValidationError({
            link: 'Select one of your projects: you can only link a project whose team you are on',
          })
        link = { projectId: input.link, projectRef: '' }
      }
      await setProjectLink(trx, enrolmentId, link)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'enrolment.project_link',
        entityType: 'enrolment',
        entityId: enrolmentId,
        ip,
        before: { projectId: e.projectId, projectRef: e.projectRef },
        after: link,
      })
    })
  }
}
