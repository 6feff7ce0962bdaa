import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { MailService } from '../mail/service.js'
import type { CurrentUser } from '../core/identity.js'
import { CapacityService } from './capacity/service.js'
import { PipelineService } from './capacity/pipeline-service.js'
import { ReportCache } from './report-cache.js'
import { ProgrammeService } from './programmes/service.js'
import { SupportService } from './support/service.js'
import { TriageService } from './support/triage-service.js'

/**
 * What facilitation shows of events (the hub's upcoming list, a programme's events). The events
 * feature provides it (app.ts passes it in), so facilitation imports nothing of events.
 */
export interface EventListings {
  list(user: CurrentUser | null): Promise<{ upcoming: unknown[] }>
  canCreate(user: CurrentUser | null): boolean
  forProgramme(programmeId: string): Promise<{ upcoming: unknown[]; past: unknown[] }>
}

/** Everything facilitation needs, built once per app. */
export interface FacilitationServices {
  programmes: ProgrammeService
  support: SupportService
  triage: TriageService
  capacity: CapacityService
  pipeline: PipelineService
  events: EventListings
}

export function buildFacilitation(
  db: Kysely<DB>,
  clock: () => Date,
  mail: MailService,
  baseUrl: string,
  events: EventListings,
): FacilitationServices {
  // The triage team's shared views, reused for up to 5 seconds and dropped on every write here.
  const cache = new ReportCache(5000)
  const capacity = new CapacityService(db, clock, cache)
  return {
    programmes: new ProgrammeService(db, clock, cache),
    support: new SupportService(db, clock, mail, baseUrl, cache),
    triage: new TriageService(db, clock, mail, baseUrl, capacity, cache),
    capacity,
    pipeline: new PipelineService(db, clock, capacity, cache),
    events,
  }
}
