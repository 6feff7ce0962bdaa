import type { Kysely } from 'kysely'
import type { CurrentUser } from '../core/identity.js'
import { cohortRow, courseRow, facultyRow, organisationRow, userRow } from '../db/rows.js'
import type { DB } from '../db/schema.js'
import { MailService } from '../mail/service.js'
import { LearningService } from './service.js'

/** Test helpers: a faculty, course and cohort written straight to the database, and learners as signed-in users. */

export const NOW = new Date('2027-01-10T10:00:00.000Z')

export async function seedFaculty(db: Kysely<DB>, id = 'fac-test') {
  const at = NOW.toISOString()
  await db
    .insertInto('organisations')
    .values(organisationRow({ id: 'org-test', name: 'Test Trust', is_demo: true, created_at: at }))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  await db
    .insertInto('faculties')
    .values(facultyRow({ id, name: `Faculty ${id}`, host_organisation_id: 'org-test', created_at: at }))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
}

export async function seedCohort(
  db: Kysely<DB>,
  options: {
    id: string
    capacity: number
    requiresApproval?: boolean
    closesAt?: string
    facultyId?: string
  },
) {
  const at = NOW.toISOString()
  const facultyId = options.facultyId ?? 'fac-test'
  await seedFaculty(db, facultyId)
  const courseId = `crs-${options.id}`
  await db
    .insertInto('courses')
    .values(
      courseRow({
        id: courseId,
        faculty_id: facultyId,
        title: `Course ${options.id}`,
        summary: 'A test course',
        eligible_org_ids: '[]',
        eligible_roles: '[]',
        min_attendance_pct: 50,
        requires_approval: options.requiresApproval ?? false,
        created_at: at,
      }),
    )
    .execute()
  await db
    .insertInto('cohorts')
    .values(
      cohortRow({
        id: options.id,
        course_id: courseId,
        name: `Cohort ${options.id}`,
        capacity: options.capacity,
        enrolment_closes_at: options.closesAt ?? '2027-02-01T17:00:00.000Z',
        created_at: at,
      }),
    )
    .execute()
  return { courseId, cohortId: options.id }
}

export async function seedLearners(
  db: Kysely<DB>,
  count: number,
  prefix = 'learner',
): Promise<CurrentUser[]> {
  const at = NOW.toISOString()
  const users: CurrentUser[] = []
  for (let i = 1; i <= count; i++) {
    const id = `${prefix}-${i}`
    const email = `${prefix}.${i}@example.invalid`
    await db
      .insertInto('users')
      .values(
        userRow({
          id,
          email,
          name: `Learner ${prefix} ${i}`,
          organisation_id: 'org-test',
          email_verified_at: at,
          org_verified_at: at,
          created_at: at,
        }),
      )
      .execute()
    users.push({
      id,
      name: `Learner ${prefix} ${i}`,
      email,
      organisationId: 'org-test',
      isPartner: false,
      emailVerified: true,
      orgVerified: true,
      roles: [{ id: `g-${id}`, role: 'member', scopeType: 'platform', scopeId: '' }],
      sessionId: `s-${id}`,
    })
  }
  return users
}

export function facultyAdmin(facultyId = 'fac-test'): CurrentUser {
  return {
    id: 'admin-1',
    name: 'Fran Faculty',
    email: 'fran@example.invalid',
    organisationId: null,
    isPartner: false,
    emailVerified: true,
    orgVerified: false,
    roles: [{ id: 'g-admin', role: 'faculty_admin', scopeType: 'faculty', scopeId: facultyId }],
    sessionId: 's-admin',
  }
}

export function learningService(db: Kysely<DB>, clock: () => Date = () => NOW) {
  const mail = new MailService(db, { smtpUrl: null, from: 'test@example.invalid', guard: true, clock })
  return { learning: new LearningService(db, clock, mail, 'http://localhost:3000'), mail }
}
