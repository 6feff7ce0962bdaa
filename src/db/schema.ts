import type { AuditLogTable } from './tables/audit.js'
import type { FormSubmissionsTable } from './tables/web.js'
import type { OneTimeTokensTable, RateLimitsTable, SessionsTable } from './tables/auth.js'
import type {
  AimsTable,
  ContactRoutesTable,
  FacultiesTable,
  ProgrammesTable,
  ResourcesTable,
  SettingsTable,
} from './tables/community.js'
import type {
  ShowcaseCategoriesTable,
  ShowcaseConsentsTable,
  ShowcaseCriteriaTable,
  ShowcaseFilesTable,
  ShowcaseItemAimCodesTable,
  ShowcaseItemOrganisationsTable,
  ShowcaseItemsTable,
  ShowcaseJudgesTable,
  ShowcaseOccasionsTable,
  ShowcaseScoresTable,
  ShowcaseVotesTable,
} from './tables/showcase.js'
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
} from './tables/learning.js'
import type {
  ChangeIdeaDriversTable,
  ChangeIdeasTable,
  DriverParentsTable,
  DriversTable,
  PdsaCyclesTable,
  PdsaMeasuresTable,
  ProjectToolsTable,
} from './tables/improvement.js'
import type {
  BoardMeasuresTable,
  BoardPacksTable,
  CapabilityTargetsTable,
  GovernanceDigestPrefsTable,
  GovernanceDigestsSentTable,
  GovernanceSettingsTable,
  ImpactActionsTable,
  ImpactAssessmentsTable,
  ImpactRatingsTable,
  OrganisationHeadcountsTable,
} from './tables/governance.js'
import type { PartnerInvolvementTable, PartnerSettingsTable, PartnerYouSaidTable } from './tables/partners.js'
import type { JobsTable } from './tables/jobs.js'
import type { LibraryResourceRevisionsTable, LibraryResourcesTable } from './tables/resources.js'
import type { SearchDocsTable } from './tables/search.js'
import type {
  NetworkMembersTable,
  NetworkPostsTable,
  NetworkReportsTable,
  NetworksTable,
  NetworkThreadsTable,
  NetworkMentionsTable,
} from './tables/networks.js'
import type { NotificationDigestItemsTable, NotificationPreferencesTable } from './tables/notifications.js'
import type { MailOutboxTable, MailUnsubscribeTokensTable } from './tables/mail.js'
import type {
  MeasureAnnotationsTable,
  MeasureDataPointsTable,
  MeasureImportsTable,
  MeasureResultsTable,
  MeasureResultViewsTable,
  MeasuresTable,
} from './tables/measures.js'
import type { ApiTokensTable } from './tables/api.js'
import type { OrganisationsTable } from './tables/orgs.js'
import type { EnquiriesTable, PageRevisionsTable, PagesTable } from './tables/pages.js'
import type { RoleGrantsTable, UsersTable } from './tables/people.js'
import type { ScreeningPatternsTable } from './tables/screening.js'
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
} from './tables/projects.js'
import type { EventFeedbackTable, EventRegistrationsTable, EventsTable } from './tables/events.js'
import type {
  CoachCapacityTable,
  ProgrammeFacilitationColumns,
  SupportAssignmentsTable,
  SupportRequestDecisionsTable,
  SupportRequestPrioritiesTable,
  SupportRequestsTable,
  SystemPrioritiesTable,
} from './tables/facilitation.js'

/**
 * The whole database, as Kysely sees it. `db/` owns every table's types (`tables/<feature>.ts`),
 * so it imports no feature; each feature reads and writes its own tables through its repository.
 */
export interface DB {
  organisations: OrganisationsTable
  users: UsersTable
  role_grants: RoleGrantsTable
  sessions: SessionsTable
  one_time_tokens: OneTimeTokensTable
  rate_limits: RateLimitsTable
  audit_log: AuditLogTable
  jobs: JobsTable
  mail_outbox: MailOutboxTable
  mail_unsubscribe_tokens: MailUnsubscribeTokensTable
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
  showcase_categories: ShowcaseCategoriesTable
  showcase_item_organisations: ShowcaseItemOrganisationsTable
  showcase_item_aim_codes: ShowcaseItemAimCodesTable
  showcase_files: ShowcaseFilesTable
  showcase_consents: ShowcaseConsentsTable
  showcase_votes: ShowcaseVotesTable
  showcase_judges: ShowcaseJudgesTable
  showcase_criteria: ShowcaseCriteriaTable
  showcase_scores: ShowcaseScoresTable
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
  measure_results: MeasureResultsTable
  measure_result_views: MeasureResultViewsTable
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
  governance_settings: GovernanceSettingsTable
  governance_digest_prefs: GovernanceDigestPrefsTable
  governance_digests_sent: GovernanceDigestsSentTable
  board_measures: BoardMeasuresTable
  board_packs: BoardPacksTable
  capability_targets: CapabilityTargetsTable
  organisation_headcounts: OrganisationHeadcountsTable
  impact_assessments: ImpactAssessmentsTable
  impact_ratings: ImpactRatingsTable
  impact_actions: ImpactActionsTable
  library_resources: LibraryResourcesTable
  library_resource_revisions: LibraryResourceRevisionsTable
  search_docs: SearchDocsTable
  networks: NetworksTable
  network_members: NetworkMembersTable
  network_threads: NetworkThreadsTable
  network_posts: NetworkPostsTable
  network_reports: NetworkReportsTable
  network_mentions: NetworkMentionsTable
  notification_preferences: NotificationPreferencesTable
  notification_digest_items: NotificationDigestItemsTable
  partner_you_said: PartnerYouSaidTable
  partner_involvement: PartnerInvolvementTable
  partner_settings: PartnerSettingsTable
}
