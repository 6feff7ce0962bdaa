import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { CurrentUser } from '../core/identity.js'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'
import { visibleProjects } from './access.js'
import { isPostgres } from '../db/dialect.js'
import type { ProjectsTable } from '../db/tables/projects.js'

type Db = Kysely<DB> | Transaction<DB>

export interface Project {
  id: string
  title: string
  problem: string
  status: string
  visibility: string
  publicApprovedAt: string | null
  publicApprovedBy: string | null
  publicRequestedAt: string | null
  publicConsentAt: string | null
  programmeId: string | null
  programmeName: string | null
  qsirStage: string
  progressScore: number | null
  researchAnswer: string | null
  researchNotes: string
  submittedAt: string | null
  approvedAt: string | null
  approvedByName: string | null
  returnedComment: string | null
  abandonedReason: string | null
  statusChangedAt: string | null
  lessons: string
  lastActivityAt: string
  isDemo: boolean
  createdBy: string | null
  version: number
  createdAt: string
  updatedAt: string
}

export interface TeamMember {
  userId: string
  name: string
  email: string
  role: string
  isPartner: boolean
  organisationName: string | null
  addedAt: string
}

export interface Aim {
  id: string
  version: number
  what: string
  measure: string
  baseline: string
  target: string
  forWhom: string
  byWhen: string
  statement: string
  createdAt: string
  createdByName: string | null
}

export interface ProgressScore {
  score: number
  note: string
  createdAt: string
  createdByName: string | null
}

export interface ProjectSummary {
  id: string
  title: string
  status: string
  visibility: string
  publicApproved: boolean
  progressScore: number | null
  lastActivityAt: string
  isDemo: boolean
  organisations: string[]
}

function projects(db: Db) {
  return db
    .selectFrom('projects as p')
    .leftJoin('programmes as pr', 'pr.id', 'p.programme_id')
    .leftJoin('users as ap', 'ap.id', 'p.approved_by')
    .selectAll('p')
    .select(['pr.name as programme_name', 'ap.name as approved_by_name'])
}

type ProjectRow = Awaited<ReturnType<ReturnType<typeof projects>['execute']>>[number]

function toProject(r: ProjectRow): Project {
  return {
    id: r.id,
    title: r.title,
    problem: r.problem,
    status: r.status,
    visibility: r.visibility,
    publicApprovedAt: r.public_approved_at,
    publicApprovedBy: r.public_approved_by,
    publicRequestedAt: r.public_requested_at,
    publicConsentAt: r.public_consent_at,
    programmeId: r.programme_id,
    programmeName: r.programme_name ?? null,
    qsirStage: r.qsir_stage,
    progressScore: r.progress_score === null ? null : Number(r.progress_score),
    researchAnswer: r.research_answer,
    researchNotes: r.research_notes,
    submittedAt: r.submitted_at,
    approvedAt: r.approved_at,
    approvedByName: r.approved_by_name ?? null,
    returnedComment: r.returned_comment,
    abandonedReason: r.abandoned_reason,
    statusChangedAt: r.status_changed_at,
    lessons: r.lessons,
    lastActivityAt: r.last_activity_at,
    isDemo: read.bool(r.is_demo),
    createdBy: r.created_by,
    version: read.num(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export async function findProject(db: Db, id: string): Promise<Project | null> {
  const row = await projects(db).where('p.id', '=', id).executeTakeFirst()
  return row ? toProject(row) : null
}

/** Locks the project's row on PostgreSQL (SQLite serialises writers anyway) and returns it. */
export async function lockProject(
  trx: Transaction<DB>,
  id: string,
  postgres: boolean,
): Promise<Project | null> {
  if (postgres)
    await trx.selectFrom('projects').select('id').where('id', '=', id).forUpdate().executeTakeFirst()
  return findProject(trx, id)
}

export async function listProjectOrganisations(
  db: Db,
  projectId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('project_organisations as po')
    .innerJoin('organisations as o', 'o.id', 'po.organisation_id')
    .select(['o.id', 'o.name'])
    .where('po.project_id', '=', projectId)
    .orderBy('o.name')
    .execute()
}

const ROLE_ORDER = sql<number>`case pm.role when 'lead' then 0 when 'coach' then 1 when 'sponsor' then 2 else 3 end`

export async function listTeam(db: Db, projectId: string): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('project_members as pm')
    .innerJoin('users as u', 'u.id', 'pm.user_id')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'pm.user_id',
      'pm.role',
      'pm.added_at',
      'u.name',
      'u.email',
      'u.is_partner',
      'o.name as organisation_name',
    ])
    .where('pm.project_id', '=', projectId)
    .orderBy(ROLE_ORDER)
    .orderBy('u.name')
    .execute()
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    email: r.email,
    role: r.role,
    isPartner: read.bool(r.is_partner),
    organisationName: r.organisation_name ?? null,
    addedAt: r.added_at,
  }))
}

export async function listProjectAimCodes(
  db: Db,
  projectId: string,
): Promise<{ code: string; text: string }[]> {
  return db
    .selectFrom('project_aim_codes as pa')
    .innerJoin('aims as a', 'a.code', 'pa.aim_code')
    .select(['a.code', 'a.text'])
    .where('pa.project_id', '=', projectId)
    .orderBy('a.sort')
    .execute()
}

export async function listProjectPriorities(
  db: Db,
  projectId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('project_priorities as pp')
    .innerJoin('system_priorities as s', 's.id', 'pp.priority_id')
    .select(['s.id', 's.name'])
    .where('pp.project_id', '=', projectId)
    .orderBy('s.name')
    .execute()
}

function aims(db: Db) {
  return db
    .selectFrom('project_aims as a')
    .leftJoin('users as u', 'u.id', 'a.created_by')
    .selectAll('a')
    .select('u.name as created_by_name')
}

type AimRow = Awaited<ReturnType<ReturnType<typeof aims>['execute']>>[number]

const toAim = (r: AimRow): Aim => ({
  id: r.id,
  version: read.num(r.version),
  what: r.what,
  measure: r.measure,
  baseline: r.baseline,
  target: r.target,
  forWhom: r.for_whom,
  byWhen: r.by_when,
  statement: r.statement,
  createdAt: r.created_at,
  createdByName: r.created_by_name ?? null,
})

export async function findCurrentAim(db: Db, projectId: string): Promise<Aim | null> {
  const row = await aims(db)
    .where('a.project_id', '=', projectId)
    .orderBy('a.version', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? toAim(row) : null
}

export async function listAimVersions(db: Db, projectId: string): Promise<Aim[]> {
  return (await aims(db).where('a.project_id', '=', projectId).orderBy('a.version', 'desc').execute()).map(
    toAim,
  )
}

export async function insertAim(
  db: Db,
  a: Omit<Aim, 'createdByName'> & { projectId: string; createdBy: string },
): Promise<void> {
  await db
    .insertInto('project_aims')
    .values({
      id: a.id,
      project_id: a.projectId,
      version: a.version,
      what: a.what,
      measure: a.measure,
      baseline: a.baseline,
      target: a.target,
      for_whom: a.forWhom,
      by_when: a.byWhen,
      statement: a.statement,
      created_at: a.createdAt,
      created_by: a.createdBy,
    })
    .execute()
}

export async function listProgressScores(db: Db, projectId: string): Promise<ProgressScore[]> {
  const rows = await db
    .selectFrom('project_progress_scores as s')
    .leftJoin('users as u', 'u.id', 's.created_by')
    .select(['s.score', 's.note', 's.created_at', 'u.name as created_by_name'])
    .where('s.project_id', '=', projectId)
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .execute()
  return rows.map((r) => ({
    score: Number(r.score),
    note: r.note,
    createdAt: r.created_at,
    createdByName: r.created_by_name ?? null,
  }))
}

export async function insertProgressScore(
  db: Db,
  s: { projectId: string; score: number; note: string; at: string; by: string },
): Promise<void> {
  await db
    .insertInto('project_progress_scores')
    .values({ project_id: s.projectId, score: s.score, note: s.note, created_at: s.at, created_by: s.by })
    .execute()
}

/**
 * Updates the project's row when its version is still `version`, bumping it. Returns
 * false when someone else saved first (the caller refuses with a ConflictError).
 */
export async function updateProjectRow(
  db: Db,
  id: string,
  version: number,
  values: Partial<{
    title: string
    problem: string
    status: string
    visibility: string
    public_approved_at: string | null
    public_approved_by: string | null
    public_requested_at: string | null
    public_consent_at: string | null
    public_consent_by: string | null
    programme_id: string | null
    qsir_stage: string
    progress_score: number | null
    research_answer: string | null
    research_notes: string
    submitted_at: string | null
    approved_at: string | null
    approved_by: string | null
    returned_comment: string | null
    abandoned_reason: string | null
    status_changed_at: string | null
    lessons: string
    search_text: string
  }>,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('projects')
    .set({ ...values, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function setSearchText(db: Db, id: string, searchText: string): Promise<void> {
  await db.updateTable('projects').set({ search_text: searchText }).where('id', '=', id).execute()
}

export async function replaceOrganisations(db: Db, projectId: string, ids: string[]): Promise<void> {
  await db.deleteFrom('project_organisations').where('project_id', '=', projectId).execute()
  if (ids.length)
    await db
      .insertInto('project_organisations')
      .values(ids.map((organisation_id) => ({ project_id: projectId, organisation_id })))
      .execute()
}

export async function replaceAimCodes(db: Db, projectId: string, codes: string[]): Promise<void> {
  await db.deleteFrom('project_aim_codes').where('project_id', '=', projectId).execute()
  if (codes.length)
    await db
      .insertInto('project_aim_codes')
      .values(codes.map((aim_code) => ({ project_id: projectId, aim_code })))
      .execute()
}

export async function replacePriorities(db: Db, projectId: string, ids: string[]): Promise<void> {
  await db.deleteFrom('project_priorities').where('project_id', '=', projectId).execute()
  if (ids.length)
    await db
      .insertInto('project_priorities')
      .values(ids.map((priority_id) => ({ project_id: projectId, priority_id })))
      .execute()
}

export async function insertProjectRow(
  db: Db,
  p: { id: string; title: string; problem: string; createdBy: string; now: string; searchText: string },
): Promise<void> {
  await db
    .insertInto('projects')
    .values({
      id: p.id,
      title: p.title,
      problem: p.problem,
      status: 'draft',
      visibility: 'private',
      public_approved_at: null,
      public_approved_by: null,
      public_requested_at: null,
      public_consent_at: null,
      public_consent_by: null,
      programme_id: null,
      progress_score: null,
      research_answer: null,
      submitted_at: null,
      approved_at: null,
      approved_by: null,
      returned_comment: null,
      abandoned_reason: null,
      status_changed_at: p.now,
      last_activity_at: p.now,
      is_demo: false,
      created_by: p.createdBy,
      search_text: p.searchText,
      created_at: p.now,
      updated_at: p.now,
    })
    .execute()
}

export async function deleteProjectRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('projects').where('id', '=', id).execute()
}

// ----- team -----

export async function findMember(
  db: Db,
  projectId: string,
  userId: string,
): Promise<{ role: string } | null> {
  return (
    (await db
      .selectFrom('project_members')
      .select('role')
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .executeTakeFirst()) ?? null
  )
}

export async function insertMember(
  db: Db,
  m: { projectId: string; userId: string; role: string; at: string; by: string },
): Promise<void> {
  await db
    .insertInto('project_members')
    .values({ project_id: m.projectId, user_id: m.userId, role: m.role, added_at: m.at, added_by: m.by })
    .execute()
}

export async function setMemberRole(db: Db, projectId: string, userId: string, role: string): Promise<void> {
  await db
    .updateTable('project_members')
    .set({ role })
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute()
}

export async function deleteMember(db: Db, projectId: string, userId: string): Promise<void> {
  await db
    .deleteFrom('project_members')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute()
}

export async function countLeads(db: Db, projectId: string): Promise<number> {
  const r = await db
    .selectFrom('project_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .where('role', '=', 'lead')
    .executeTakeFirstOrThrow()
  return read.num(r.n)
}

export interface PersonRef {
  id: string
  name: string
  email: string
  organisationId: string | null
  isPartner: boolean
  emailVerified: boolean
  orgVerified: boolean
  disabled: boolean
  inDirectory: boolean
}

function people(db: Db) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'name',
      'email',
      'organisation_id',
      'is_partner',
      'email_verified_at',
      'org_verified_at',
      'disabled_at',
      'in_directory',
    ])
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof people>['execute']>>[number]

const toPersonRef = (r: PersonRow): PersonRef => ({
  id: r.id,
  name: r.name,
  email: r.email,
  organisationId: r.organisation_id,
  isPartner: read.bool(r.is_partner),
  emailVerified: r.email_verified_at !== null,
  orgVerified: r.org_verified_at !== null,
  disabled: r.disabled_at !== null,
  inDirectory: read.bool(r.in_directory),
})

export async function findPersonRefByEmail(db: Db, email: string): Promise<PersonRef | null> {
  const r = await people(db).where('email', '=', email.toLowerCase()).executeTakeFirst()
  return r ? toPersonRef(r) : null
}

export async function findPersonRef(db: Db, id: string): Promise<PersonRef | null> {
  const r = await people(db).where('id', '=', id).executeTakeFirst()
  return r ? toPersonRef(r) : null
}

/** Verified, enabled people whose lower-cased name starts with `prefix` (mention candidates). */
export async function findPeopleByNamePrefix(db: Db, prefix: string, limit = 50): Promise<PersonRef[]> {
  const pattern = `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`
  const rows = await people(db)
    .where(sql<boolean>`lower(name) like ${pattern} escape '\\'`)
    .where('email_verified_at', 'is not', null)
    .where('disabled_at', 'is', null)
    .limit(limit)
    .execute()
  return rows.map(toPersonRef)
}

export async function findPeopleByEmails(db: Db, emails: string[]): Promise<PersonRef[]> {
  if (emails.length === 0) return []
  return (
    await people(db)
      .where(
        'email',
        'in',
        emails.map((e) => e.toLowerCase()),
      )
      .execute()
  ).map(toPersonRef)
}

export async function findPeopleByIds(db: Db, ids: string[]): Promise<PersonRef[]> {
  if (ids.length === 0) return []
  return (await people(db).where('id', 'in', ids).execute()).map(toPersonRef)
}

/** Role grants of several people at once (to check what they may see). */
export async function grantsOf(
  db: Db,
  userIds: string[],
): Promise<Map<string, { id: string; role: string; scopeType: string; scopeId: string }[]>> {
  const out = new Map<string, { id: string; role: string; scopeType: string; scopeId: string }[]>()
  if (userIds.length === 0) return out
  const rows = await db
    .selectFrom('role_grants')
    .select(['id', 'user_id', 'role', 'scope_type', 'scope_id'])
    .where('user_id', 'in', userIds)
    .execute()
  for (const r of rows) {
    const list = out.get(r.user_id) ?? []
    list.push({ id: r.id, role: r.role, scopeType: r.scope_type, scopeId: r.scope_id })
    out.set(r.user_id, list)
  }
  return out
}

/** E-mail addresses of enabled people holding any of these roles. */
export async function emailsWithRoles(db: Db, roles: string[]): Promise<{ email: string; name: string }[]> {
  return db
    .selectFrom('users as u')
    .innerJoin('role_grants as g', 'g.user_id', 'u.id')
    .select(['u.email', 'u.name'])
    .where('g.role', 'in', roles)
    .where('u.disabled_at', 'is', null)
    .where('u.email_verified_at', 'is not', null)
    .distinct()
    .orderBy('u.email')
    .execute()
}

// ----- options for forms -----

/**
 * Every list the project filters offer, in one round trip: organisations, programmes and system
 * priorities by name, aim codes in their order.
 */
export async function filterOptionLists(db: Db) {
  const named = (table: 'organisations' | 'programmes' | 'system_priorities', kind: string) =>
    db
      .selectFrom(table)
      .select([
        sql<string>`${sql.lit(kind)}`.as('kind'),
        'id',
        'name',
        sql<string>`''`.as('grp'),
        sql<number>`0`.as('sort'),
      ])
  const rows = await named('organisations', 'o')
    .unionAll(named('programmes', 'p'))
    .unionAll(named('system_priorities', 's'))
    .unionAll(
      db
        .selectFrom('aims')
        .select([sql<string>`'a'`.as('kind'), 'code as id', 'text as name', 'group_code as grp', 'sort']),
    )
    .orderBy('kind')
    .orderBy('sort')
    .orderBy('name')
    .execute()
  const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => ({ id: r.id, name: r.name }))
  return {
    organisations: of('o'),
    programmes: of('p'),
    priorities: of('s'),
    aims: rows.filter((r) => r.kind === 'a').map((r) => ({ code: r.id, group: r.grp, text: r.name })),
  }
}

export async function countExisting(
  db: Db,
  table: 'organisations' | 'programmes' | 'system_priorities',
  ids: string[],
): Promise<number> {
  if (ids.length === 0) return 0
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow()
  return read.num(r.n)
}

export async function countExistingAims(db: Db, codes: string[]): Promise<number> {
  if (codes.length === 0) return 0
  const r = await db
    .selectFrom('aims')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('code', 'in', codes)
    .executeTakeFirstOrThrow()
  return read.num(r.n)
}

// ----- lists -----

/** Lists count their matches up to this many (see searchProjects). */
export const COUNT_CAP = 200

export interface ProjectFilters {
  q?: string
  status?: string
  organisationId?: string
  programmeId?: string
  aimCode?: string
  priorityId?: string
  /** Only projects this user is on the team of. */
  memberId?: string
  page: number
  pageSize: number
}

/** The projects this user may see (visibleProjects), filtered and paginated, most recently active first. */
export async function searchProjects(
  db: Db,
  user: CurrentUser | null,
  f: ProjectFilters,
): Promise<{ items: ProjectSummary[]; total: number; totalIsExact: boolean }> {
  let base = db.selectFrom('projects').where(visibleProjects(user))
  const terms = (f.q ?? '').split(/\s+/).filter(Boolean).slice(0, 6)
  // On SQLite a word of three or more plain characters is looked up in the trigram index
  // (migration 2026-11-26T1310); the index answers LIKE exactly as the table would.
  const indexed = isPostgres(db) ? [] : terms.filter((t) => t.length >= 3 && !/[\\%_]/.test(t))
  if (indexed.length) {
    const likes = indexed.map((t) => sql`search_text like ${`%${t.toLowerCase()}%`}`)
    base = base.where(
      sql<boolean>`projects.id in (select project_id from projects_search where ${sql.join(likes, sql` and `)})`,
    )
  }
  for (const term of terms.filter((t) => !indexed.includes(t))) {
    // search_text is stored lower-cased: compare it as it is (lower() on every row costs).
    const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`
    base = base.where(sql<boolean>`projects.search_text like ${pattern} escape '\\'`)
  }
  if (f.status) base = base.where('projects.status', '=', f.status)
  if (f.programmeId) base = base.where('projects.programme_id', '=', f.programmeId)
  // Filters on what a project is linked to: one EXISTS each, a primary-key lookup per row.
  const links = [
    ['project_organisations', 'organisation_id', f.organisationId],
    ['project_aim_codes', 'aim_code', f.aimCode],
    ['project_priorities', 'priority_id', f.priorityId],
    ['project_members', 'user_id', f.memberId],
  ] as const
  for (const [table, column, value] of links) {
    if (!value) continue
    base = base.where(
      sql<boolean>`exists (select 1 from ${sql.table(table)} as l where l.project_id = projects.id and ${sql.ref(`l.${column}`)} = ${value})`,
    )
  }
  const offset = (f.page - 1) * f.pageSize
  // Counting every visible match costs as much as the page itself on a large portfolio: count
  // up to a cap (always past this page, so "next" still shows) and say "more than".
  const countLimit = Math.max(COUNT_CAP, f.page * f.pageSize + 1) + 1
  const columns = [
    'projects.id',
    'projects.title',
    'projects.status',
    'projects.visibility',
    'projects.public_approved_at',
    'projects.progress_score',
    'projects.last_activity_at',
    'projects.is_demo',
  ] as const
  let rows: Pick<
    Selectable<ProjectsTable>,
    (typeof columns)[number] extends `projects.${infer C}` ? C : never
  >[]
  let counted: number
  if (terms.length) {
    // A text search reads every visible row whatever the plan: one pass collects the matches'
    // ids in order up to the cap, and both the page and the count come from it.
    const ids = await base
      .select('projects.id')
      .orderBy('projects.last_activity_at', 'desc')
      .orderBy('projects.id')
      .limit(countLimit)
      .execute()
    counted = ids.length
    const pageIds = ids.slice(offset, offset + f.pageSize).map((r) => r.id)
    const found = pageIds.length
      ? await db.selectFrom('projects').select(columns).where('projects.id', 'in', pageIds).execute()
      : []
    const byId = new Map(found.map((r) => [r.id, r]))
    rows = pageIds.flatMap((id) => byId.get(id) ?? [])
  } else {
    const fetched = await base
      .select(columns)
      .orderBy('projects.last_activity_at', 'desc')
      .orderBy('projects.id')
      .limit(f.pageSize + 1)
      .offset(offset)
      .execute()
    rows = fetched.slice(0, f.pageSize)
    // When this page is the last one the total is known; otherwise count up to the cap.
    if (fetched.length <= f.pageSize && (fetched.length > 0 || f.page === 1)) {
      counted = offset + fetched.length
    } else {
      const count = await db
        .selectFrom(
          base
            .select(sql`1`.as('one'))
            .limit(countLimit)
            .as('capped'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      counted = read.num(count.n)
    }
  }
  const orgs = new Map<string, string[]>()
  if (rows.length) {
    const orgRows = await db
      .selectFrom('project_organisations as po')
      .innerJoin('organisations as o', 'o.id', 'po.organisation_id')
      .select(['po.project_id', 'o.name'])
      .where(
        'po.project_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('o.name')
      .execute()
    for (const r of orgRows) orgs.set(r.project_id, [...(orgs.get(r.project_id) ?? []), r.name])
  }
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      visibility: r.visibility,
      publicApproved: r.public_approved_at !== null,
      progressScore: r.progress_score === null ? null : Number(r.progress_score),
      lastActivityAt: r.last_activity_at,
      isDemo: read.bool(r.is_demo),
      organisations: orgs.get(r.id) ?? [],
    })),
    total: Math.min(counted, countLimit - 1),
    totalIsExact: counted < countLimit,
  }
}

/** Ids of every project this user may see among `ids` (for the rights matrix and other lists). */
export async function visibleIds(db: Db, user: CurrentUser | null, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('projects')
    .select('id')
    .where('id', 'in', ids)
    .where(visibleProjects(user))
    .execute()
  return rows.map((r) => r.id)
}

/** Waiting for a coach or the Steering Group: registrations, and requests to go public. */
export async function reviewQueue(db: Db): Promise<{
  registrations: (ProjectSummary & { submittedAt: string | null; leads: string[] })[]
  publications: (ProjectSummary & { publicRequestedAt: string | null; leads: string[] })[]
}> {
  const select = [
    'id',
    'title',
    'status',
    'visibility',
    'public_approved_at',
    'public_requested_at',
    'progress_score',
    'last_activity_at',
    'is_demo',
    'submitted_at',
  ] as const
  const [submitted, pending] = await Promise.all([
    db
      .selectFrom('projects')
      .select(select)
      .where('status', '=', 'submitted')
      .orderBy('submitted_at')
      .limit(200)
      .execute(),
    db
      .selectFrom('projects')
      .select(select)
      .where('visibility', '=', 'public')
      .where('public_approved_at', 'is', null)
      .where('status', 'not in', ['draft', 'returned'])
      .orderBy('public_requested_at')
      .limit(200)
      .execute(),
  ])
  const ids = [...submitted, ...pending].map((r) => r.id)
  const leads = new Map<string, string[]>()
  if (ids.length) {
    const rows = await db
      .selectFrom('project_members as pm')
      .innerJoin('users as u', 'u.id', 'pm.user_id')
      .select(['pm.project_id', 'u.name'])
      .where('pm.project_id', 'in', ids)
      .where('pm.role', '=', 'lead')
      .orderBy('u.name')
      .execute()
    for (const r of rows) leads.set(r.project_id, [...(leads.get(r.project_id) ?? []), r.name])
  }
  const summary = (r: (typeof submitted)[number]) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    visibility: r.visibility,
    publicApproved: r.public_approved_at !== null,
    progressScore: r.progress_score === null ? null : Number(r.progress_score),
    lastActivityAt: r.last_activity_at,
    isDemo: read.bool(r.is_demo),
    organisations: [],
    leads: leads.get(r.id) ?? [],
  })
  return {
    registrations: submitted.map((r) => ({ ...summary(r), submittedAt: r.submitted_at })),
    publications: pending.map((r) => ({ ...summary(r), publicRequestedAt: r.public_requested_at })),
  }
}
