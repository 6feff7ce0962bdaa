import type { Migration, MigrationProvider } from 'kysely/migration'
import * as createFoundation from './2026-11-26T0930-create-foundation.js'
import * as createLearning from './2026-11-26T1100-create-learning.js'
import * as createFacilitation from './2026-11-26T1110-create-facilitation.js'
import * as createProjects from './2026-11-26T1200-create-projects.js'
import * as createMeasures from './2026-11-26T1220-create-measures.js'
import * as createImprovement from './2026-11-26T1230-create-improvement.js'
import * as enrolmentProject from './2026-11-26T1300-enrolment-project.js'
import * as projectSearch from './2026-11-26T1310-project-search.js'
import * as formSubmissions from './2026-12-02T0100-form-submissions.js'
import * as auditWithoutFreeText from './2026-12-02T0900-audit-without-free-text.js'
import * as mailParts from './2026-12-02T1000-mail-parts.js'
import * as activityTeamNote from './2026-12-02T1100-activity-team-note.js'
import * as jobs from './2026-12-02T1200-jobs.js'
import * as showcase from './2026-12-03T0900-showcase.js'
import * as createGovernance from './2026-12-03T1100-create-governance.js'
import * as networks from './2026-12-04T0900-networks.js'
import * as resources from './2026-12-04T1000-resources.js'
import * as search from './2026-12-04T1100-search.js'
import * as boardPacks from './2026-12-04T1200-board-packs.js'
import * as capability from './2026-12-04T1300-capability.js'
import * as partners from './2026-12-04T1500-partners.js'
import * as searchNetworks from './2026-12-04T1600-search-networks.js'
import * as measureResults from './2026-12-04T1700-measure-results.js'
import * as impact from './2026-12-04T1800-impact.js'
import * as searchKinds from './2026-12-05T0800-search-kinds.js'
import * as galleryProgramme from './2026-12-05T0810-gallery-programme.js'
import * as notifications from './2026-12-05T1000-notifications.js'
import * as networkMentions from './2026-12-05T1010-network-mentions.js'
import * as governanceDigest from './2026-12-05T0900-governance-digest.js'
import * as measureResultSignal from './2026-12-05T0910-measure-result-signal.js'
import * as measureResultViews from './2026-12-07T0900-measure-result-views.js'
import * as showcaseYearIndex from './2026-12-07T0910-showcase-year-index.js'
import * as oneUnsubscribeTokenTable from './2026-12-06T0910-one-unsubscribe-token-table.js'

/** Every migration, in order. Add new files here; never edit a released one. */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0930-create-foundation': createFoundation,
  '2026-11-26T1100-create-learning': createLearning,
  '2026-11-26T1110-create-facilitation': createFacilitation,
  '2026-11-26T1200-create-projects': createProjects,
  '2026-11-26T1220-create-measures': createMeasures,
  '2026-11-26T1230-create-improvement': createImprovement,
  '2026-11-26T1300-enrolment-project': enrolmentProject,
  '2026-11-26T1310-project-search': projectSearch,
  '2026-12-02T0100-form-submissions': formSubmissions,
  '2026-12-02T0900-audit-without-free-text': auditWithoutFreeText,
  '2026-12-02T1000-mail-parts': mailParts,
  '2026-12-02T1100-activity-team-note': activityTeamNote,
  '2026-12-02T1200-jobs': jobs,
  '2026-12-03T0900-showcase': showcase,
  '2026-12-03T1100-create-governance': createGovernance,
  '2026-12-04T0900-networks': networks,
  '2026-12-04T1000-resources': resources,
  '2026-12-04T1100-search': search,
  '2026-12-04T1200-board-packs': boardPacks,
  '2026-12-04T1300-capability': capability,
  '2026-12-04T1500-partners': partners,
  '2026-12-04T1600-search-networks': searchNetworks,
  '2026-12-04T1700-measure-results': measureResults,
  '2026-12-04T1800-impact': impact,
  '2026-12-05T0800-search-kinds': searchKinds,
  '2026-12-05T0810-gallery-programme': galleryProgramme,
  '2026-12-05T1000-notifications': notifications,
  '2026-12-05T1010-network-mentions': networkMentions,
  '2026-12-05T0900-governance-digest': governanceDigest,
  '2026-12-05T0910-measure-result-signal': measureResultSignal,
  '2026-12-06T0910-one-unsubscribe-token-table': oneUnsubscribeTokenTable,
  '2026-12-07T0900-measure-result-views': measureResultViews,
  '2026-12-07T0910-showcase-year-index': showcaseYearIndex,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
