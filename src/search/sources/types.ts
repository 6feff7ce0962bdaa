import type { Expression } from 'kysely'
import type { CurrentUser } from '../../core/identity.js'
import type { NetworkService } from '../../networks/service.js'
import type { ProjectService } from '../../projects/service.js'
import type { ShowcaseService } from '../../showcase/service.js'

/** The services the sources ask who may see what (app.ts passes them). */
export interface SearchDeps {
  projects: ProjectService
  showcase: ShowcaseService
  networks: NetworkService
}

/**
 * One kind of thing the search finds. The index rows come from the triggers its migration puts
 * on its table (db/search-index.ts `createSearchSource`); this says what to call it and who may
 * see which rows. Adding a kind: one file here, one line in sources/index.ts, one migration.
 */
export interface SearchSource {
  /** The `kind` its trigger writes: 'project'. */
  kind: string
  /** 'Project', 'Projects'. */
  label: string
  plural: string
  /**
   * The ids this viewer may see, as a subquery of one `id` column (the same rule as the item's
   * own page); null when every indexed row is visible to everyone (its trigger indexes only
   * what may be shown).
   */
  visibleIds(user: CurrentUser | null): Expression<unknown> | null
}

export type SourceFactory = (deps: SearchDeps) => SearchSource
