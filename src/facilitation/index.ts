import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { MailService } from '../mail/service.js'
import { EventService } from '../events/service.js'
import { RegistrationService } from '../events/registration-service.js'
import { AttendanceService } from '../events/attendance-service.js'
import { CapacityService } from './capacity-service.js'
import { PipelineService } from './pipeline-service.js'
import { ReportCache } from './report-cache.js'
import { ProgrammeService } from './programme-service.js'
import { SupportService } from './support-service.js'
import { TriageService } from './triage-service.js'

/** Everything facilitation and events need, built once per app. */
export interface FacilitationServices {
  programmes: ProgrammeService
  support: SupportService
  triage: TriageService
  capacity: CapacityService
  pipeline: PipelineService
  events: EventService
  registrations: RegistrationService
  attendance: AttendanceService
}

export function buildFacilitation(
  db: Kysely<DB>,
  clock: () => Date,
  mail: MailService,
  baseUrl: string,
): FacilitationServices {
  // The triage team's shared views, reused for up to 5 seconds and dropped on every write here.
  const cache = new ReportCache(5000)
  const capacity = new CapacityService(db, clock, cache)
  const registrations = new RegistrationService(db, clock, mail, baseUrl)
  return {
    programmes: new ProgrammeService(db, clock, cache),
    support: new SupportService(db, clock, mail, baseUrl, cache),
    triage: new TriageService(db, clock, mail, baseUrl, capacity, cache),
    capacity,
    pipeline: new PipelineService(db, clock, capacity, cache),
    events: new EventService(db, clock, baseUrl, registrations),
    registrations,
    attendance: new AttendanceService(db, clock),
  }
}
