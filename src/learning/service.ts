import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { MailService } from '../mail/service.js'
import { LearningAccess } from './access.js'
import { CalendarService } from './calendar-service.js'
import { CatalogueService } from './catalogue-service.js'
import { CertificateService } from './certificate-service.js'
import { CohortService } from './cohort-service.js'
import { CompletionService } from './completion-service.js'
import { CourseService } from './course-service.js'
import { DashboardService } from './dashboard-service.js'
import { EnrolmentService } from './enrolment-service.js'
import { RecordService } from './record-service.js'

/**
 * Learning: faculties, courses, cohorts and sessions, enrolment with waiting lists,
 * attendance, completion and certificates, and each person's training record.
 */
export class LearningService {
  readonly access: LearningAccess
  readonly catalogue: CatalogueService
  readonly courses: CourseService
  readonly cohorts: CohortService
  readonly calendar: CalendarService
  readonly enrolments: EnrolmentService
  readonly completion: CompletionService
  readonly certificates: CertificateService
  readonly records: RecordService
  readonly dashboard: DashboardService

  /** `reader`: the replica, for the catalogue (database.reader); the primary when there is none. */
  constructor(
    db: Kysely<DB>,
    clock: () => Date,
    mail: MailService,
    baseUrl: string,
    reader: Kysely<DB> = db,
  ) {
    const mailer = { mail, baseUrl }
    this.access = new LearningAccess(db)
    this.catalogue = new CatalogueService(db, clock, reader)
    this.courses = new CourseService(db, clock)
    this.cohorts = new CohortService(db, clock, mailer)
    this.calendar = new CalendarService(db, clock, mailer)
    this.enrolments = new EnrolmentService(db, clock, mailer)
    this.completion = new CompletionService(db, clock, mailer)
    this.certificates = new CertificateService(db, clock, mailer)
    this.records = new RecordService(db, clock, mail, baseUrl)
    this.dashboard = new DashboardService(db, clock)
  }

  /** For the worker: e-mail everyone with a place about sessions starting within a day. */
  sendDueReminders(now?: Date): Promise<{ sessions: number; mails: number }> {
    return this.calendar.sendDueReminders(now)
  }
}
