import type { AuditLogTable } from '../audit/table.js'
import type { FormSubmissionsTable } from '../web/table.js'
import type { OneTimeTokensTable, RateLimitsTable, SessionsTable } from '../auth/table.js'
import type {
  AimsTable,
  ContactRoutesTable,
  FacultiesTable,
  ProgrammesTable,
  ResourcesTable,
  SettingsTable,
  ShowcaseItemsTable,
  ShowcaseOccasionsTable,
} from '../community/table.js'
import type {
  AttendanceTable,
  CertificatesTable,
  CohortSessionsTable,
  CohortsTable,
  CoursePrerequisitesTable,
  CoursesTable,
  EnrolmentsTable,
  ExternalTrainingTable,
  FacultyLearningColumns,
} from '../learning/table.js'
import type {
  ChangeIdeaDriversTable,
  ChangeIdeasTable,
  DriverParentsTable,
  DriversTable,
  PdsaCyclesTable,
  PdsaMeasuresTable,
  ProjectToolsTable,
} from '../improvement/table.js'
import type { MailOutboxTable } from '../mail/table.js'
import type {
  MeasureAnnotationsTable,
  MeasureDataPointsTable,
  MeasureImportsTable,
  MeasuresTable,
} from '../measures/table.js'
import type { ApiTokensTable } from '../api/table.js'
import type { OrganisationsTable } from '../orgs/table.js'
import type { EnquiriesTable, PageRevisionsTable, PagesTable } from '../pages/table.js'
import type { RoleGrantsTable, UsersTable } from '../people/table.js'
import type { ScreeningPatternsTable } from '../screening/table.js'
import type {
  CommentsTable,
  ProjectActivityTable,
  ProjectAimCodesTable,
  ProjectAimsTable,
  ProjectMembersTable,
  ProjectOrganisationsTable,
  ProjectPrioritiesTable,
  ProjectProgressScoresTable,
  ProjectsTable,
} from '../projects/table.js'
import type { EventFeedbackTable, EventRegistrationsTable, EventsTable } from '../events/table.js'
import type {
  CoachCapacityTable,
  ProgrammeFacilitationColumns,
  SupportAssignmentsTable,
  SupportRequestDecisionsTable,
  SupportRequestPrioritiesTable,
  SupportRequestsTable,
  SystemPrioritiesTable,
} from '../facilitation/table.js'

/** The whole database, as Kysely sees it. Each feature owns its tables' types. */
export interface DB {
  organisations: OrganisationsTable
  users: UsersTable
  role_grants: RoleGrantsTable
  sessions: SessionsTable
  one_time_tokens: OneTimeTokensTable
  rate_limits: RateLimitsTable
  audit_log: AuditLogTable
  mail_outbox: MailOutboxTable
  enquiries: EnquiriesTable
  pages: PagesTable
  page_revisions: PageRevisionsTable
  settings: SettingsTable
  aims: AimsTable
  faculties: FacultiesTable & FacultyLearningColumns
  programmes: ProgrammesTable & ProgrammeFacilitationColumns
  resources: ResourcesTable
  showcase_occasions: ShowcaseOccasionsTable
  showcase_items: ShowcaseItemsTable
  contact_routes: ContactRoutesTable
  projects: ProjectsTable
  project_organisations: ProjectOrganisationsTable
  project_members: ProjectMembersTable
  project_aim_codes: ProjectAimCodesTable
  project_priorities: ProjectPrioritiesTable
  project_aims: ProjectAimsTable
  project_progress_scores: ProjectProgressScoresTable
  project_activity: ProjectActivityTable
  comments: CommentsTable
  measures: MeasuresTable
  measure_data_points: MeasureDataPointsTable
  measure_annotations: MeasureAnnotationsTable
  measure_imports: MeasureImportsTable
  api_tokens: ApiTokensTable
  drivers: DriversTable
  driver_parents: DriverParentsTable
  change_ideas: ChangeIdeasTable
  change_idea_drivers: ChangeIdeaDriversTable
  pdsa_cycles: PdsaCyclesTable
  pdsa_measures: PdsaMeasuresTable
  project_tools: ProjectToolsTable
  courses: CoursesTable
  course_prerequisites: CoursePrerequisitesTable
  cohorts: CohortsTable
  cohort_sessions: CohortSessionsTable
  enrolments: EnrolmentsTable
  attendance: AttendanceTable
  certificates: CertificatesTable
  external_training: ExternalTrainingTable
  system_priorities: SystemPrioritiesTable
  support_requests: SupportRequestsTable
  support_request_priorities: SupportRequestPrioritiesTable
  support_request_decisions: SupportRequestDecisionsTable
  coach_capacity: CoachCapacityTable
  support_assignments: SupportAssignmentsTable
  events: EventsTable
  event_registrations: EventRegistrationsTable
  event_feedback: EventFeedbackTable
  form_submissions: FormSubmissionsTable
  screening_patterns: ScreeningPatternsTable
}
