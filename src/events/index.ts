import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { MailService } from '../mail/service.js'
import { AttendanceService } from './attendance-service.js'
import { RegistrationService } from './registration-service.js'
import { EventService } from './service.js'

/** Events and workshops: the events themselves, registrations and waiting lists, check-in. */
export interface EventServices {
  events: EventService
  registrations: RegistrationService
  attendance: AttendanceService
}

export function buildEvents(
  db: Kysely<DB>,
  clock: () => Date,
  mail: MailService,
  baseUrl: string,
  reader: Kysely<DB> = db,
): EventServices {
  const registrations = new RegistrationService(db, clock, mail, baseUrl)
  return {
    events: new EventService(db, clock, baseUrl, registrations, reader),
    registrations,
    attendance: new AttendanceService(db, clock),
  }
}
