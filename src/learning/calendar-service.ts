import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import type { CurrentUser } from '../core/identity.js'
import { NotFoundError } from '../core/errors.js'
import { claimReminder, listSessions, sessionsDueReminder, type Session } from './cohort-repository.js'
import { cohortContext, sessionContext, type CohortContext } from './context.js'
import { cohortLearners, findEnrolment } from './enrolment-repository.js'
import { mailLearner, type Mailer } from './enrolment-service.js'
import { calendarFile, type CalendarEvent } from '../core/ical.js'
import { REGISTER_STATUSES } from './levels.js'
import { reminderMail } from './messages.js'
import { canManageFaculty } from './policy.js'

const PRODUCT_ID = '-//QI Community//Learning//EN'

/** Calendar files for sessions and cohorts, and e-mail reminders before each session. */
export class CalendarService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly m: Mailer,
  ) {}

  /** Online links go only to people with a place and to the faculty. */
  private async mayJoinOnline(user: CurrentUser | null, ctx: CohortContext): Promise<boolean> {
    if (!user) return false
    if (canManageFaculty(user, ctx.course.facultyId)) return true
    const e = await findEnrolment(this.db, { cohortId: ctx.cohort.id, userId: user.id })
    return !!e && REGISTER_STATUSES.includes(e.status)
  }

  private event(ctx: CohortContext, s: Session, online: boolean): CalendarEvent {
    const link = s.onlineUrl || ctx.cohort.onlineUrl
    const courseUrl = `${this.m.baseUrl}/learning/courses/${ctx.course.slug}`
    const place = s.venue || ctx.cohort.venue
    const description = [
      `${ctx.course.title}, ${ctx.cohort.name}.`,
      online && link
        ? `Join online: ${link}`
        : link
          ? 'Online: the joining link is on the course page once you have a place.'
          : '',
      courseUrl,
    ]
      .filter(Boolean)
      .join('\n')
    return {
      uid: `${s.id}@${new URL(this.m.baseUrl).hostname}`,
      start: s.startsAt,
      end: s.endsAt,
      summary: `${s.title}: ${ctx.course.title}`,
      location: place || (link ? 'Online' : undefined),
      description,
      url: courseUrl,
      sequence: s.sequence,
    }
  }

  async sessionCalendar(
    user: CurrentUser | null,
    sessionId: string,
  ): Promise<{ filename: string; body: string }> {
    const { session, ...ctx } = await sessionContext(this.db, sessionId)
    if (!ctx.course.published && !canManageFaculty(user, ctx.course.facultyId)) throw new NotFoundError()
    const body = calendarFile([this.event(ctx, session, await this.mayJoinOnline(user, ctx))], {
      now: this.clock(),
      productId: PRODUCT_ID,
      name: ctx.course.title,
    })
    return { filename: `${ctx.course.slug}-session.ics`, body }
  }

  async cohortCalendar(
    user: CurrentUser | null,
    cohortId: string,
  ): Promise<{ filename: string; body: string }> {
    const ctx = await cohortContext(this.db, cohortId, { prerequisites: false })
    if (!ctx.course.published && !canManageFaculty(user, ctx.course.facultyId)) throw new NotFoundError()
    const online = await this.mayJoinOnline(user, ctx)
    const events = (await listSessions(this.db, [cohortId])).map((s) => this.event(ctx, s, online))
    return {
      filename: `${ctx.course.slug}-cohort.ics`,
      body: calendarFile(events, {
        now: this.clock(),
        productId: PRODUCT_ID,
        name: `${ctx.course.title}, ${ctx.cohort.name}`,
      }),
    }
  }

  /**
   * Queues a reminder e-mail to everyone with a place, for sessions starting within
   * `leadHours`. Each session is claimed once, so several workers never send twice.
   */
  async sendDueReminders(
    now: Date = this.clock(),
    leadHours = 24,
  ): Promise<{ sessions: number; mails: number }> {
    const at = now.toISOString()
    const due = await sessionsDueReminder(
      this.db,
      at,
      new Date(now.getTime() + leadHours * 3600_000).toISOString(),
    )
    let sessions = 0
    let mails = 0
    for (const s of due) {
      await this.db.transaction().execute(async (trx) => {
        if (!(await claimReminder(trx, s.id, at))) return
        const ctx = await cohortContext(trx, s.cohortId, { prerequisites: false })
        const learners = await cohortLearners(trx, s.cohortId, ['enrolled'])
        const link = s.onlineUrl || ctx.cohort.onlineUrl
        const where =
          [s.venue || ctx.cohort.venue, link ? `online: ${link}` : ''].filter(Boolean).join('; ') ||
          'see the course page'
        for (const l of learners) {
          await mailLearner(trx, this.m, l.userId, ctx, 'learning_reminder', (p) =>
            reminderMail({ ...p, sessionTitle: s.title, startsAt: s.startsAt, where }),
          )
        }
        await writeAudit(trx, at, {
          actorId: null,
          actorLabel: 'system',
          action: 'session.reminders',
          entityType: 'session',
          entityId: s.id,
          after: { sent: learners.length },
        })
        sessions++
        mails += learners.length
      })
    }
    return { sessions, mails }
  }
}
