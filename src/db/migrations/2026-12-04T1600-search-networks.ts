import type { Kysely } from 'kysely'
import { dialectOf } from '../schema-helpers.js'
import { createSearchSource, dropSearchSource, type SearchSourceSpec } from '../search-index.js'

// Frozen in time: imports nothing from features.
// Networks, their discussions and the posts in them join the site search (issue 11 point 3).
// Only what may be shown is indexed: open discussions, visible posts (a post reported as patient
// data is hidden at once, and its index row goes with it, in the same transaction). Who may read
// a closed network's discussions is decided when searching (search/sources/networks.ts).

const networkSlug = `(select n.slug from networks n where n.id = {r}.network_id)`

const SOURCES: SearchSourceSpec[] = [
  {
    kind: 'network',
    table: 'networks',
    path: `'/networks/' || {r}.slug`,
    title: '{r}.name',
    body: '{r}.purpose',
    columns: ['slug', 'name', 'purpose'],
  },
  {
    kind: 'thread',
    table: 'network_threads',
    path: `'/networks/' || ${networkSlug} || '/threads/' || {r}.id`,
    title: '{r}.title',
    body: `''`,
    when: `{r}.status = 'open'`,
    columns: ['title', 'status'],
  },
  {
    kind: 'post',
    table: 'network_posts',
    path: `'/networks/' || ${networkSlug} || '/threads/' || {r}.thread_id || '#post-' || {r}.id`,
    title: `(select t.title from network_threads t where t.id = {r}.thread_id)`,
    body: '{r}.body',
    when: `{r}.status = 'visible'`,
    columns: ['body', 'status'],
  },
]

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  for (const source of SOURCES) await createSearchSource(db, dialect, source)
}

export async function down(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  for (const source of SOURCES) await dropSearchSource(db, dialect, source.kind)
}
