import type { AuditLogTable } from '../audit/table.js'
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
import type { MailOutboxTable } from '../mail/table.js'
import type { OrganisationsTable } from '../orgs/table.js'
import type { EnquiriesTable, PageRevisionsTable, PagesTable } from '../pages/table.js'
import type { RoleGrantsTable, UsersTable } from '../people/table.js'

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
  faculties: FacultiesTable
  programmes: ProgrammesTable
  resources: ResourcesTable
  showcase_occasions: ShowcaseOccasionsTable
  showcase_items: ShowcaseItemsTable
  contact_routes: ContactRoutesTable
}
