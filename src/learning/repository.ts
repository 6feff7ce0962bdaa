import type { Kysely, Selectable, Transaction } from 'kysely'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'
import type { CoursesTable } from '../db/tables/learning.js'

export type Db = Kysely<DB> | Transaction<DB>

export interface Faculty {
  id: string
  slug: string
  name: string
  hostOrganisationId: string | null
  hostName: string | null
  eligibility: string
  offers: string
  contactRouteId: string | null
  contactText: string
  description: string
  levelNames: string[]
  levelMap: Record<string, string>
}

export interface CourseBrief {
  id: string
  slug: string
  title: string
}

export interface Course extends CourseBrief {
  facultyId: string
  facultySlug: string
  facultyName: string
  summary: string
  level: string
  localLevel: string | null
  mode: string
  openToAll: boolean
  eligibleOrgIds: string[]
  eligibleRoles: string[]
  minAttendancePct: number
  requiresProject: boolean
  requiresAssessment: boolean
  requiresApproval: boolean
  certificateValidMonths: number | null
  published: boolean
  version: number
  prerequisites: CourseBrief[]
}

function selectFaculties(db: Db) {
  return db
    .selectFrom('faculties')
    .leftJoin('organisations', 'organisations.id', 'faculties.host_organisation_id')
    .select([
      'faculties.id',
      'faculties.slug',
      'faculties.name',
      'faculties.host_organisation_id',
      'faculties.eligibility',
      'faculties.offers',
      'faculties.contact',
      'faculties.contact_text',
      'faculties.description',
      'faculties.level_names',
      'faculties.level_map',
      'organisations.name as host_name',
    ])
}

type FacultyRow = Awaited<ReturnType<ReturnType<typeof selectFaculties>['executeTakeFirstOrThrow']>>

function toFaculty(r: FacultyRow): Faculty {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    hostOrganisationId: r.host_organisation_id,
    hostName: r.host_name,
    eligibility: r.eligibility,
    offers: r.offers,
    contactRouteId: r.contact,
    contactText: r.contact_text,
    description: r.description,
    levelNames: read.json<string[]>(r.level_names, []),
    levelMap: read.json<Record<string, string>>(r.level_map, {}),
  }
}

export async function listFaculties(db: Db): Promise<Faculty[]> {
  return (await selectFaculties(db).orderBy('faculties.name').execute()).map(toFaculty)
}

export async function findFaculty(db: Db, by: { slug: string } | { id: string }): Promise<Faculty | null> {
  const q =
    'slug' in by
      ? selectFaculties(db).where('faculties.slug', '=', by.slug)
      : selectFaculties(db).where('faculties.id', '=', by.id)
  const r = await q.executeTakeFirst()
  return r ? toFaculty(r) : null
}

export async function facultyAdminNames(db: Db, facultyId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select('users.name')
    .where('role_grants.role', '=', 'faculty_admin')
    .where('role_grants.scope_id', '=', facultyId)
    .where('users.disabled_at', 'is', null)
    .orderBy('users.name')
    .execute()
  return rows.map((r) => r.name)
}

export async function contactRoutePurpose(db: Db, id: string): Promise<string | null> {
  const r = await db.selectFrom('contact_routes').select('purpose').where('id', '=', id).executeTakeFirst()
  return r?.purpose ?? null
}

export async function updateFacultyDetails(
  db: Db,
  id: string,
  values: { description: string; contactText: string; levelMap: Record<string, string> },
) {
  await db
    .updateTable('faculties')
    .set({
      description: values.description,
      contact_text: values.contactText,
      level_map: JSON.stringify(values.levelMap),
    })
    .where('id', '=', id)
    .execute()
}

function selectCourses(db: Db) {
  return db
    .selectFrom('courses')
    .innerJoin('faculties', 'faculties.id', 'courses.faculty_id')
    .selectAll('courses')
    .select(['faculties.slug as faculty_slug', 'faculties.name as faculty_name'])
}

type CourseRow = Selectable<CoursesTable> & { faculty_slug: string; faculty_name: string }

function toCourse(r: CourseRow, prerequisites: CourseBrief[]): Course {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    facultyId: r.faculty_id,
    facultySlug: r.faculty_slug,
    facultyName: r.faculty_name,
    summary: r.summary,
    level: r.level,
    localLevel: r.local_level,
    mode: r.mode,
    openToAll: read.bool(r.open_to_all),
    eligibleOrgIds: read.json<string[]>(r.eligible_org_ids, []),
    eligibleRoles: read.json<string[]>(r.eligible_roles, []),
    minAttendancePct: read.num(r.min_attendance_pct),
    requiresProject: read.bool(r.requires_project),
    requiresAssessment: read.bool(r.requires_assessment),
    requiresApproval: read.bool(r.requires_approval),
    certificateValidMonths: read.numOrNull(r.certificate_valid_months),
    published: read.bool(r.published),
    version: read.num(r.version),
    prerequisites,
  }
}

async function withPrerequisites(db: Db, rows: CourseRow[]): Promise<Course[]> {
  if (rows.length === 0) return []
  const links = await db
    .selectFrom('course_prerequisites')
    .innerJoin('courses', 'courses.id', 'course_prerequisites.prerequisite_id')
    .select(['course_prerequisites.course_id', 'courses.id', 'courses.slug', 'courses.title'])
    .where(
      'course_prerequisites.course_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('courses.title')
    .execute()
  return rows.map((r) =>
    toCourse(
      r,
      links.filter((l) => l.course_id === r.id).map((l) => ({ id: l.id, slug: l.slug, title: l.title })),
    ),
  )
}

export interface CourseFilter {
  facultyId?: string
  facultySlug?: string
  level?: string
  mode?: string
  publishedOnly?: boolean
  /** false skips loading prerequisites (each course's list is then empty). */
  prerequisites?: boolean
}

export async function listCourses(db: Db, filter: CourseFilter = {}): Promise<Course[]> {
  let q = selectCourses(db)
  if (filter.facultyId) q = q.where('courses.faculty_id', '=', filter.facultyId)
  if (filter.facultySlug) q = q.where('faculties.slug', '=', filter.facultySlug)
  if (filter.level) q = q.where('courses.level', '=', filter.level)
  if (filter.mode) q = q.where('courses.mode', '=', filter.mode)
  if (filter.publishedOnly) q = q.where('courses.published', '=', true)
  const rows = await q.orderBy('faculties.name').orderBy('courses.title').execute()
  return filter.prerequisites === false ? rows.map((r) => toCourse(r, [])) : withPrerequisites(db, rows)
}

/** One course; `prerequisites: false` skips loading them (the list is then empty). */
export async function findCourse(
  db: Db,
  by: { slug: string } | { id: string },
  options: { prerequisites?: boolean } = {},
): Promise<Course | null> {
  const q =
    'slug' in by
      ? selectCourses(db).where('courses.slug', '=', by.slug)
      : selectCourses(db).where('courses.id', '=', by.id)
  const r = await q.executeTakeFirst()
  if (!r) return null
  return options.prerequisites === false ? toCourse(r, []) : ((await withPrerequisites(db, [r]))[0] ?? null)
}

export async function allCourseBriefs(db: Db): Promise<(CourseBrief & { facultyName: string })[]> {
  const rows = await db
    .selectFrom('courses')
    .innerJoin('faculties', 'faculties.id', 'courses.faculty_id')
    .select(['courses.id', 'courses.slug', 'courses.title', 'faculties.name as faculty_name'])
    .orderBy('courses.title')
    .execute()
  return rows.map((r) => ({ id: r.id, slug: r.slug, title: r.title, facultyName: r.faculty_name }))
}

export async function courseSlugTaken(db: Db, slug: string): Promise<boolean> {
  return !!(await db.selectFrom('courses').select('id').where('slug', '=', slug).executeTakeFirst())
}

export interface CourseValues {
  title: string
  summary: string
  level: string
  localLevel: string | null
  mode: string
  openToAll: boolean
  eligibleOrgIds: string[]
  eligibleRoles: string[]
  minAttendancePct: number
  requiresProject: boolean
  requiresAssessment: boolean
  requiresApproval: boolean
  certificateValidMonths: number | null
  published: boolean
}

function courseColumns(v: CourseValues) {
  return {
    title: v.title,
    summary: v.summary,
    level: v.level,
    local_level: v.localLevel,
    mode: v.mode,
    open_to_all: v.openToAll,
    eligible_org_ids: JSON.stringify(v.eligibleOrgIds),
    eligible_roles: JSON.stringify(v.eligibleRoles),
    min_attendance_pct: v.minAttendancePct,
    requires_project: v.requiresProject,
    requires_assessment: v.requiresAssessment,
    requires_approval: v.requiresApproval,
    certificate_valid_months: v.certificateValidMonths,
    published: v.published,
  }
}

export async function insertCourse(
  db: Db,
  row: { id: string; facultyId: string; slug: string; now: string; isDemo?: boolean },
  v: CourseValues,
) {
  await db
    .insertInto('courses')
    .values({
      id: row.id,
      faculty_id: row.facultyId,
      slug: row.slug,
      ...courseColumns(v),
      is_demo: row.isDemo ?? false,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute()
}

/** Returns false when the course changed since the form was loaded. */
export async function updateCourse(
  db: Db,
  id: string,
  version: number,
  now: string,
  v: CourseValues,
): Promise<boolean> {
  const r = await db
    .updateTable('courses')
    .set({ ...courseColumns(v), version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function setPrerequisites(db: Db, courseId: string, prerequisiteIds: string[]) {
  await db.deleteFrom('course_prerequisites').where('course_id', '=', courseId).execute()
  if (prerequisiteIds.length) {
    await db
      .insertInto('course_prerequisites')
      .values(prerequisiteIds.map((p) => ({ course_id: courseId, prerequisite_id: p })))
      .execute()
  }
}

export async function organisationNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('organisations').select(['id', 'name']).orderBy('name').execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}
