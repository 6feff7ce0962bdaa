import {
  sql,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
  type Expression,
} from 'kysely'
import { read } from '../db/database.js'
import { containsLike } from '../db/sql.js'
import type { DB } from '../db/schema.js'

type Db = Kysely<DB> | Transaction<DB>

export interface Occasion {
  id: string
  slug: string
  title: string
  kind: 'event' | 'collection'
  summary: string
  month: string | null
  startsOn: string | null
  endsOn: string | null
  votingOpensAt: string | null
  votingClosesAt: string | null
  status: 'open' | 'closed'
  closedAt: string | null
  /** "May 2024", or "15 May 2024" from its start date; null for a collection. */
  when: string | null
}

export interface Poster {
  id: string
  slug: string
  title: string
  summary: string
  status: string
  visibility: string
  occasionId: string | null
  occasionTitle: string | null
  projectId: string | null
  programmeId: string | null
  programmeName: string | null
  funder: string | null
  externalUrl: string | null
  year: number | null
  fileStatus: string
  fileError: string | null
  fileKind: string | null
  nobodyIdentifiable: boolean
  consentConfirmedAt: string | null
  withdrawnConsents: number
  createdBy: string | null
  createdAt: string
  submittedAt: string | null
  decidedAt: string | null
  decisionComment: string | null
  version: number
}

export interface Consent {
  id: string
  personName: string
  appearsAs: string
  method: string
  givenOn: string
  recordedAt: string
  withdrawnAt: string | null
}

export interface GalleryFilters {
  occasionId?: string
  programmeId?: string
  organisationId?: string
  aimCode?: string
  year?: number
  q?: string
  page: number
  pageSize: number
}

/**
 * Published posters this viewer may see: the SQL of policy.ts's `isPublished` and `listed`.
 * Every list, count, search and sitemap reads posters through this.
 */
export function listedWhere(member: boolean) {
  return (eb: ExpressionBuilder<DB, 'showcase_items'>): Expression<SqlBool> =>
    eb.and([
      eb('showcase_items.status', '=', 'approved'),
      eb('showcase_items.file_status', '=', 'ready'),
      eb('showcase_items.consent_confirmed_at', 'is not', null),
      eb.not(
        eb.exists(
          eb
            .selectFrom('showcase_consents as wc')
            .select('wc.id')
            .whereRef('wc.item_id', '=', 'showcase_items.id')
            .where('wc.withdrawn_at', 'is not', null),
        ),
      ),
      member
        ? eb('showcase_items.visibility', 'in', ['public', 'community'])
        : eb('showcase_items.visibility', '=', 'public'),
    ])
}

const occasionColumns = [
  'id',
  'slug',
  'title',
  'kind',
  'summary',
  'month',
  'starts_on',
  'ends_on',
  'voting_opens_at',
  'voting_closes_at',
  'status',
  'closed_at',
] as const

function toOccasion(r: {
  id: string
  slug: string
  title: string
  kind: string
  summary: string
  month: string | null
  starts_on: string | null
  ends_on: string | null
  voting_opens_at: string | null
  voting_closes_at: string | null
  status: string
  closed_at: string | null
}): Occasion {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    kind: r.kind === 'collection' ? 'collection' : 'event',
    summary: r.summary,
    month: r.month,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    votingOpensAt: r.voting_opens_at,
    votingClosesAt: r.voting_closes_at,
    status: r.status === 'closed' ? 'closed' : 'open',
    closedAt: r.closed_at,
    when: r.starts_on
      ? dayLabel.format(new Date(`${r.starts_on}T12:00:00Z`))
      : r.month
        ? monthLabel.format(new Date(`${r.month}-15T12:00:00Z`))
        : null,
  }
}

const monthLabel = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
const dayLabel = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

export async function listOccasions(db: Db): Promise<Occasion[]> {
  const rows = await db
    .selectFrom('showcase_occasions')
    .select(occasionColumns)
    .orderBy(sql`coalesce(starts_on, month, '9999')`, 'desc')
    .orderBy('title')
    .execute()
  return rows.map(toOccasion)
}

export async function findOccasion(db: Db, id: string): Promise<Occasion | null> {
  const r = await db
    .selectFrom('showcase_occasions')
    .select(occasionColumns)
    .where('id', '=', id)
    .executeTakeFirst()
  return r ? toOccasion(r) : null
}

export async function insertOccasion(
  db: Db,
  o: Omit<Occasion, 'status' | 'closedAt' | 'when'> & { createdBy: string; createdAt: string },
): Promise<void> {
  await db
    .insertInto('showcase_occasions')
    .values({
      id: o.id,
      slug: o.slug,
      title: o.title,
      kind: o.kind,
      summary: o.summary,
      month: o.month,
      starts_on: o.startsOn,
      ends_on: o.endsOn,
      voting_opens_at: o.votingOpensAt,
      voting_closes_at: o.votingClosesAt,
      status: 'open',
      created_by: o.createdBy,
      created_at: o.createdAt,
    })
    .execute()
}

export async function closeOccasion(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable('showcase_occasions')
    .set({ status: 'closed', closed_at: at })
    .where('id', '=', id)
    .execute()
}

export async function slugTaken(db: Db, table: 'showcase_occasions' | 'showcase_items', slug: string) {
  return Boolean(await db.selectFrom(table).select('id').where('slug', '=', slug).executeTakeFirst())
}

export async function listCategories(db: Db, occasionId: string) {
  return db
    .selectFrom('showcase_categories')
    .select(['id', 'name'])
    .where('occasion_id', '=', occasionId)
    .orderBy('sort')
    .execute()
}

export async function insertCategories(db: Db, occasionId: string, names: { id: string; name: string }[]) {
  if (names.length === 0) return
  await db
    .insertInto('showcase_categories')
    .values(names.map((n, i) => ({ id: n.id, occasion_id: occasionId, name: n.name, sort: i })))
    .execute()
}

function posters(db: Db) {
  return db
    .selectFrom('showcase_items')
    .leftJoin('showcase_occasions as o', 'o.id', 'showcase_items.occasion_id')
    .leftJoin('programmes as pr', 'pr.id', 'showcase_items.programme_id')
    .leftJoin('organisations as fo', 'fo.id', 'showcase_items.funder_organisation_id')
    .select((eb) => [
      'showcase_items.id',
      'showcase_items.slug',
      'showcase_items.title',
      'showcase_items.summary',
      'showcase_items.status',
      'showcase_items.visibility',
      'showcase_items.occasion_id',
      'o.title as occasion_title',
      'showcase_items.project_id',
      'showcase_items.programme_id',
      'pr.name as programme_name',
      'showcase_items.funder',
      'fo.name as funder_name',
      'showcase_items.scheme',
      'showcase_items.funded_year',
      'showcase_items.external_url',
      'showcase_items.year',
      'showcase_items.file_status',
      'showcase_items.file_error',
      'showcase_items.file_kind',
      'showcase_items.nobody_identifiable',
      'showcase_items.consent_confirmed_at',
      'showcase_items.created_by',
      'showcase_items.created_at',
      'showcase_items.submitted_at',
      'showcase_items.decided_at',
      'showcase_items.decision_comment',
      'showcase_items.version',
      eb
        .selectFrom('showcase_consents as wc')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('wc.item_id', '=', 'showcase_items.id')
        .where('wc.withdrawn_at', 'is not', null)
        .as('withdrawn_consents'),
    ])
}

type PosterRow = Awaited<ReturnType<ReturnType<typeof posters>['executeTakeFirstOrThrow']>>

/** "The Health Foundation, Q Exchange 2023": the typed funder, or the seeded funder, scheme and year. */
function funderOf(r: PosterRow): string | null {
  if (r.funder) return r.funder
  if (!r.funder_name) return null
  const scheme = [r.scheme, r.funded_year].filter(Boolean).join(' ')
  return scheme ? `${r.funder_name}, ${scheme}` : r.funder_name
}

function toPoster(r: PosterRow): Poster {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    status: r.status,
    visibility: r.visibility,
    occasionId: r.occasion_id,
    occasionTitle: r.occasion_title,
    projectId: r.project_id,
    programmeId: r.programme_id,
    programmeName: r.programme_name,
    funder: funderOf(r),
    externalUrl: r.external_url,
    year: r.year === null ? null : read.num(r.year),
    fileStatus: r.file_status,
    fileError: r.file_error,
    fileKind: r.file_kind,
    nobodyIdentifiable: read.bool(r.nobody_identifiable),
    consentConfirmedAt: r.consent_confirmed_at,
    withdrawnConsents: read.num(r.withdrawn_consents),
    createdBy: r.created_by,
    createdAt: r.created_at,
    submittedAt: r.submitted_at,
    decidedAt: r.decided_at,
    decisionComment: r.decision_comment,
    version: read.num(r.version),
  }
}

export async function findPoster(db: Db, id: string): Promise<Poster | null> {
  const r = await posters(db).where('showcase_items.id', '=', id).executeTakeFirst()
  return r ? toPoster(r) : null
}

/** The gallery: published posters matching every filter given, newest occasion first. */
export async function searchGallery(
  db: Db,
  member: boolean,
  f: GalleryFilters,
): Promise<{ items: Poster[]; total: number }> {
  // The cheap column filters first: SQLite tests a row's conditions in the order written, and
  // the published rule's consent subquery then runs only for rows that pass them.
  let q = db.selectFrom('showcase_items').where('showcase_items.status', '=', 'approved')
  if (f.occasionId) q = q.where('showcase_items.occasion_id', '=', f.occasionId)
  if (f.programmeId) q = q.where('showcase_items.programme_id', '=', f.programmeId)
  if (f.year) q = q.where('showcase_items.year', '=', f.year)
  if (f.organisationId) {
    const org = f.organisationId
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('showcase_item_organisations as so')
          .select('so.item_id')
          .whereRef('so.item_id', '=', 'showcase_items.id')
          .where('so.organisation_id', '=', org),
      ),
    )
  }
  if (f.aimCode) {
    const code = f.aimCode
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('showcase_item_aim_codes as sa')
          .select('sa.item_id')
          .whereRef('sa.item_id', '=', 'showcase_items.id')
          .where('sa.aim_code', '=', code),
      ),
    )
  }
  if (f.q)
    for (const word of f.q.split(/\s+/).filter(Boolean).slice(0, 8))
      q = q.where(containsLike(sql.ref('showcase_items.search_text'), word, { lowerCased: true }))
  q = q.where(listedWhere(member))
  // The page and the count in one pass over the matches (a window count), not two.
  const ids = await q
    .select(['showcase_items.id', sql<number>`count(*) over ()`.as('n')])
    .orderBy('showcase_items.year', 'desc')
    .orderBy('showcase_items.title')
    .orderBy('showcase_items.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute()
  if (ids.length === 0) {
    // Past the last page (or nothing matches): count on its own.
    const count =
      f.page > 1 ? await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow() : null
    return { items: [], total: count ? read.num(count.n) : 0 }
  }
  const count = ids[0]
  const rows = await posters(db)
    .where(
      'showcase_items.id',
      'in',
      ids.map((r) => r.id),
    )
    .execute()
  const byId = new Map(rows.map((r) => [r.id, toPoster(r)]))
  return { items: ids.map((r) => byId.get(r.id)!), total: read.num(count.n) }
}

/** Published posters for a search provider or a sitemap: id, title, summary and when they were approved. */
export async function listPublished(db: Db, member: boolean, limit: number) {
  return db
    .selectFrom('showcase_items')
    .select(['id', 'title', 'summary', 'decided_at'])
    .where(listedWhere(member))
    .orderBy('decided_at', 'desc')
    .limit(limit)
    .execute()
}

/** An occasion's posters in any state (the service decides who sees which). */
export async function listOccasionPosters(db: Db, occasionId: string): Promise<Poster[]> {
  const rows = await posters(db)
    .where('showcase_items.occasion_id', '=', occasionId)
    .orderBy('showcase_items.title')
    .execute()
  return rows.map(toPoster)
}

/** Posters created by this person or linked to one of these projects. */
export async function listPostersOf(db: Db, userId: string, projectIds: string[]): Promise<Poster[]> {
  const rows = await posters(db)
    .where((eb) =>
      eb.or([
        eb('showcase_items.created_by', '=', userId),
        ...(projectIds.length ? [eb('showcase_items.project_id', 'in', projectIds)] : []),
      ]),
    )
    .orderBy('showcase_items.created_at', 'desc')
    .execute()
  return rows.map(toPoster)
}

export async function listSubmitted(db: Db): Promise<Poster[]> {
  const rows = await posters(db)
    .where('showcase_items.status', '=', 'submitted')
    .orderBy('showcase_items.submitted_at')
    .execute()
  return rows.map(toPoster)
}

export async function posterLinks(db: Db, id: string) {
  const [organisations, aims] = await Promise.all([
    db
      .selectFrom('showcase_item_organisations as so')
      .innerJoin('organisations as o', 'o.id', 'so.organisation_id')
      .select(['o.id', 'o.name'])
      .where('so.item_id', '=', id)
      .orderBy('o.name')
      .execute(),
    db
      .selectFrom('showcase_item_aim_codes as sa')
      .innerJoin('aims as a', 'a.code', 'sa.aim_code')
      .select(['a.code', 'a.text'])
      .where('sa.item_id', '=', id)
      .orderBy('a.sort')
      .execute(),
  ])
  return { organisations, aims }
}

export interface PosterRowInput {
  title: string
  summary: string
  occasionId: string | null
  projectId: string | null
  programmeId: string | null
  funder: string | null
  visibility: string
  year: number | null
}

const searchText = (title: string, summary: string) => `${title}\n${summary}`.toLowerCase()

export async function insertPoster(
  db: Db,
  p: PosterRowInput & { id: string; slug: string; createdBy: string; now: string },
): Promise<void> {
  await db
    .insertInto('showcase_items')
    .values({
      id: p.id,
      slug: p.slug,
      title: p.title,
      summary: p.summary,
      occasion_id: p.occasionId,
      project_id: p.projectId,
      programme_id: p.programmeId,
      funder: p.funder,
      visibility: p.visibility,
      year: p.year,
      status: 'draft',
      created_by: p.createdBy,
      created_at: p.now,
      updated_at: p.now,
      search_text: searchText(p.title, p.summary),
    })
    .execute()
}

/** Saves the details if the version is still `version`; false when someone saved first. */
export async function updatePoster(
  db: Db,
  id: string,
  version: number,
  p: PosterRowInput,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('showcase_items')
    .set({
      title: p.title,
      summary: p.summary,
      occasion_id: p.occasionId,
      project_id: p.projectId,
      programme_id: p.programmeId,
      funder: p.funder,
      visibility: p.visibility,
      year: p.year,
      updated_at: now,
      search_text: searchText(p.title, p.summary),
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function setPosterState(
  db: Db,
  id: string,
  values: Partial<{
    status: string
    file_status: string
    file_error: string | null
    file_kind: string | null
    file_name: string | null
    submitted_at: string | null
    submitted_by: string | null
    decided_at: string | null
    decided_by: string | null
    decision_comment: string | null
    nobody_identifiable: boolean
    consent_confirmed_at: string | null
    consent_confirmed_by: string | null
    updated_at: string
    created_by: string
  }>,
): Promise<void> {
  await db
    .updateTable('showcase_items')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

export async function replaceLinks(db: Db, id: string, organisationIds: string[], aimCodes: string[]) {
  await db.deleteFrom('showcase_item_organisations').where('item_id', '=', id).execute()
  await db.deleteFrom('showcase_item_aim_codes').where('item_id', '=', id).execute()
  if (organisationIds.length)
    await db
      .insertInto('showcase_item_organisations')
      .values(organisationIds.map((o) => ({ item_id: id, organisation_id: o })))
      .execute()
  if (aimCodes.length)
    await db
      .insertInto('showcase_item_aim_codes')
      .values(aimCodes.map((a) => ({ item_id: id, aim_code: a })))
      .execute()
}

export async function countExisting(
  db: Db,
  table: 'organisations' | 'programmes' | 'showcase_occasions',
  ids: string[],
) {
  if (ids.length === 0) return 0
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow()
  return read.num(r.n)
}

export async function countAims(db: Db, codes: string[]) {
  if (codes.length === 0) return 0
  const r = await db
    .selectFrom('aims')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('code', 'in', codes)
    .executeTakeFirstOrThrow()
  return read.num(r.n)
}

// ----- files -----

export async function replaceFiles(
  db: Db,
  itemId: string,
  files: { role: string; contentType: string; bytes: Buffer; width: number | null; height: number | null }[],
  ids: () => string,
  now: string,
): Promise<void> {
  await db.deleteFrom('showcase_files').where('item_id', '=', itemId).execute()
  for (const f of files)
    await db
      .insertInto('showcase_files')
      .values({
        id: ids(),
        item_id: itemId,
        role: f.role,
        content_type: f.contentType,
        byte_size: f.bytes.length,
        width: f.width,
        height: f.height,
        bytes: f.bytes,
        created_at: now,
      })
      .execute()
}

export async function fileMeta(db: Db, itemId: string) {
  return db
    .selectFrom('showcase_files')
    .select(['role', 'content_type', 'byte_size', 'width', 'height'])
    .where('item_id', '=', itemId)
    .execute()
}

export async function fileBytes(db: Db, itemId: string, role: string) {
  const r = await db
    .selectFrom('showcase_files')
    .select(['content_type', 'bytes', 'byte_size'])
    .where('item_id', '=', itemId)
    .where('role', '=', role)
    .executeTakeFirst()
  return r ? { contentType: r.content_type, bytes: Buffer.from(r.bytes), size: read.num(r.byte_size) } : null
}

// ----- consent -----

export async function listConsents(db: Db, itemId: string): Promise<Consent[]> {
  const rows = await db
    .selectFrom('showcase_consents')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    personName: r.person_name,
    appearsAs: r.appears_as,
    method: r.method,
    givenOn: r.given_on,
    recordedAt: r.recorded_at,
    withdrawnAt: r.withdrawn_at,
  }))
}

export async function insertConsent(
  db: Db,
  c: {
    id: string
    itemId: string
    personName: string
    appearsAs: string
    method: string
    givenOn: string
    by: string
    at: string
  },
) {
  await db
    .insertInto('showcase_consents')
    .values({
      id: c.id,
      item_id: c.itemId,
      person_name: c.personName,
      appears_as: c.appearsAs,
      method: c.method,
      given_on: c.givenOn,
      recorded_by: c.by,
      recorded_at: c.at,
    })
    .execute()
}

export async function withdrawConsent(db: Db, itemId: string, consentId: string, by: string, at: string) {
  const r = await db
    .updateTable('showcase_consents')
    .set({ withdrawn_at: at, withdrawn_by: by })
    .where('id', '=', consentId)
    .where('item_id', '=', itemId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

// ----- votes -----

/**
 * The member's vote in a category, made or changed in one statement: the unique index on
 * (occasion, category, voter) means two requests at once leave one row, on either database.
 */
export async function upsertVote(
  db: Db,
  v: { id: string; occasionId: string; categoryId: string; voterId: string; itemId: string; at: string },
) {
  await db
    .insertInto('showcase_votes')
    .values({
      id: v.id,
      occasion_id: v.occasionId,
      category_id: v.categoryId,
      voter_id: v.voterId,
      item_id: v.itemId,
      created_at: v.at,
      updated_at: v.at,
    })
    .onConflict((oc) =>
      oc
        .columns(['occasion_id', 'category_id', 'voter_id'])
        .doUpdateSet({ item_id: v.itemId, updated_at: v.at }),
    )
    .execute()
}

export async function votesOf(db: Db, occasionId: string, voterId: string) {
  return db
    .selectFrom('showcase_votes')
    .select(['category_id', 'item_id'])
    .where('occasion_id', '=', occasionId)
    .where('voter_id', '=', voterId)
    .execute()
}

/** Votes per category and poster, published posters only (a withdrawn poster's votes no longer count). */
export async function voteCounts(db: Db, occasionId: string) {
  const rows = await db
    .selectFrom('showcase_votes as v')
    .innerJoin('showcase_items', 'showcase_items.id', 'v.item_id')
    .select((eb) => ['v.category_id', 'v.item_id', 'showcase_items.title', eb.fn.countAll<number>().as('n')])
    .where('v.occasion_id', '=', occasionId)
    .where(listedWhere(true))
    .groupBy(['v.category_id', 'v.item_id', 'showcase_items.title'])
    .execute()
  return rows.map((r) => ({
    categoryId: r.category_id,
    itemId: r.item_id,
    title: r.title,
    votes: read.num(r.n),
  }))
}

/**
 * When posters were last submitted, when the approved ones were published, and when votes were
 * cast, in [since, until): the instants alone, for the Steering Group's reach figures.
 */
export async function reachInstants(
  db: Db,
  since: string,
  until: string,
): Promise<{ submitted: string[]; published: string[]; votes: string[] }> {
  const [submitted, published, votes] = await Promise.all([
    db
      .selectFrom('showcase_items')
      .select('submitted_at as at')
      .where('submitted_at', '>=', since)
      .where('submitted_at', '<', until)
      .execute(),
    db
      .selectFrom('showcase_items')
      .select('decided_at as at')
      .where('status', '=', 'approved')
      .where('decided_at', '>=', since)
      .where('decided_at', '<', until)
      .execute(),
    db
      .selectFrom('showcase_votes')
      .select('created_at as at')
      .where('created_at', '>=', since)
      .where('created_at', '<', until)
      .execute(),
  ])
  const iso = (rows: { at: string | null }[]) =>
    rows.filter((r) => r.at !== null).map((r) => new Date(r.at!).toISOString())
  return { submitted: iso(submitted), published: iso(published), votes: iso(votes) }
}
