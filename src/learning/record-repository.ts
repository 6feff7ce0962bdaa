import type { Selectable } from 'kysely'
import type { EnrolmentStatus } from './levels.js'
import type { Db } from './repository.js'
import type { CertificatesTable, ExternalTrainingTable } from '../db/tables/learning.js'

export interface Certificate {
  id: string
  enrolmentId: string
  userId: string
  courseId: string
  code: string
  personName: string
  courseTitle: string
  facultyName: string
  level: string
  localLevel: string | null
  issuedAt: string
  expiresAt: string | null
  revokedAt: string | null
}

function toCertificate(r: Selectable<CertificatesTable>): Certificate {
  return {
    id: r.id,
    enrolmentId: r.enrolment_id,
    userId: r.user_id,
    courseId: r.course_id,
    code: r.code,
    personName: r.person_name,
    courseTitle: r.course_title,
    facultyName: r.faculty_name,
    level: r.level,
    localLevel: r.local_level,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  }
}

export async function insertCertificate(db: Db, c: Omit<Certificate, 'revokedAt'>) {
  await db
    .insertInto('certificates')
    .values({
      id: c.id,
      enrolment_id: c.enrolmentId,
      user_id: c.userId,
      course_id: c.courseId,
      code: c.code,
      person_name: c.personName,
      course_title: c.courseTitle,
      faculty_name: c.facultyName,
      level: c.level,
      local_level: c.localLevel,
      issued_at: c.issuedAt,
      expires_at: c.expiresAt,
    })
    .execute()
}

export async function findCertificate(
  db: Db,
  by: { id: string } | { code: string } | { enrolmentId: string },
): Promise<Certificate | null> {
  let q = db.selectFrom('certificates').selectAll()
  q =
    'id' in by
      ? q.where('id', '=', by.id)
      : 'code' in by
        ? q.where('code', '=', by.code)
        : q.where('enrolment_id', '=', by.enrolmentId)
  const r = await q.executeTakeFirst()
  return r ? toCertificate(r) : null
}

export async function certificatesOf(db: Db, userId: string): Promise<Certificate[]> {
  const rows = await db
    .selectFrom('certificates')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('issued_at', 'desc')
    .execute()
  return rows.map(toCertificate)
}

export async function certificatesForCohort(db: Db, cohortId: string): Promise<Certificate[]> {
  const rows = await db
    .selectFrom('certificates')
    .innerJoin('enrolments', 'enrolments.id', 'certificates.enrolment_id')
    .selectAll('certificates')
    .where('enrolments.cohort_id', '=', cohortId)
    .execute()
  return rows.map(toCertificate)
}

export async function revokeCertificate(db: Db, id: string, now: string, reason: string) {
  await db
    .updateTable('certificates')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute()
}

export interface RecordEntry {
  enrolmentId: string
  status: EnrolmentStatus
  courseId: string
  courseSlug: string
  courseTitle: string
  facultyName: string
  facultySlug: string
  level: string
  localLevel: string | null
  cohortId: string
  cohortName: string
  startsAt: string | null
  endsAt: string | null
  projectId: string | null
  projectRef: string
  completedAt: string | null
}

export async function recordEntries(db: Db, userId: string): Promise<RecordEntry[]> {
  const rows = await db
    .selectFrom('enrolments')
    .innerJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
    .innerJoin('courses', 'courses.id', 'cohorts.course_id')
    .innerJoin('faculties', 'faculties.id', 'courses.faculty_id')
    .select([
      'enrolments.id',
      'enrolments.status',
      'enrolments.project_id',
      'enrolments.project_ref',
      'enrolments.completed_at',
      'courses.id as course_id',
      'courses.slug',
      'courses.title',
      'courses.level',
      'courses.local_level',
      'faculties.name as faculty_name',
      'faculties.slug as faculty_slug',
      'cohorts.id as cohort_id',
      'cohorts.name as cohort_name',
      'cohorts.starts_at',
      'cohorts.ends_at',
    ])
    .where('enrolments.user_id', '=', userId)
    .orderBy('cohorts.starts_at', 'desc')
    .execute()
  return rows.map((r) => ({
    enrolmentId: r.id,
    status: r.status as EnrolmentStatus,
    courseId: r.course_id,
    courseSlug: r.slug,
    courseTitle: r.title,
    facultyName: r.faculty_name,
    facultySlug: r.faculty_slug,
    level: r.level,
    localLevel: r.local_level,
    cohortId: r.cohort_id,
    cohortName: r.cohort_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    projectId: r.project_id,
    projectRef: r.project_ref,
    completedAt: r.completed_at,
  }))
}

export type ExternalStatus = 'pending' | 'verified' | 'rejected'

export interface ExternalTraining {
  id: string
  userId: string
  personName: string
  title: string
  provider: string
  level: string
  completedOn: string
  evidenceText: string
  evidenceUrl: string
  facultyId: string | null
  facultyName: string | null
  status: ExternalStatus
  reviewedAt: string | null
  reviewNote: string
  createdAt: string
}

function selectExternal(db: Db) {
  return db
    .selectFrom('external_training')
    .innerJoin('users', 'users.id', 'external_training.user_id')
    .leftJoin('faculties', 'faculties.id', 'external_training.faculty_id')
    .selectAll('external_training')
    .select(['users.name as person_name', 'faculties.name as faculty_name'])
}

function toExternal(
  r: Selectable<ExternalTrainingTable> & { person_name: string; faculty_name: string | null },
): ExternalTraining {
  return {
    id: r.id,
    userId: r.user_id,
    personName: r.person_name,
    title: r.title,
    provider: r.provider,
    level: r.level,
    completedOn: r.completed_on,
    evidenceText: r.evidence_text,
    evidenceUrl: r.evidence_url,
    facultyId: r.faculty_id,
    facultyName: r.faculty_name,
    status: r.status as ExternalStatus,
    reviewedAt: r.reviewed_at,
    reviewNote: r.review_note,
    createdAt: r.created_at,
  }
}

export async function externalOf(db: Db, userId: string): Promise<ExternalTraining[]> {
  return (
    await selectExternal(db)
      .where('external_training.user_id', '=', userId)
      .orderBy('external_training.completed_on', 'desc')
      .execute()
  ).map(toExternal)
}

export async function findExternal(db: Db, id: string): Promise<ExternalTraining | null> {
  const r = await selectExternal(db).where('external_training.id', '=', id).executeTakeFirst()
  return r ? toExternal(r) : null
}

export async function pendingExternal(db: Db, facultyId: string): Promise<ExternalTraining[]> {
  const rows = await selectExternal(db)
    .where('external_training.faculty_id', '=', facultyId)
    .where('external_training.status', '=', 'pending')
    .orderBy('external_training.created_at')
    .execute()
  return rows.map(toExternal)
}

export async function insertExternal(
  db: Db,
  v: {
    id: string
    userId: string
    title: string
    provider: string
    level: string
    completedOn: string
    evidenceText: string
    evidenceUrl: string
    facultyId: string
    now: string
  },
) {
  await db
    .insertInto('external_training')
    .values({
      id: v.id,
      user_id: v.userId,
      title: v.title,
      provider: v.provider,
      level: v.level,
      completed_on: v.completedOn,
      evidence_text: v.evidenceText,
      evidence_url: v.evidenceUrl,
      faculty_id: v.facultyId,
      status: 'pending',
      created_at: v.now,
    })
    .execute()
}

export async function reviewExternal(
  db: Db,
  id: string,
  status: ExternalStatus,
  by: string,
  now: string,
  note: string,
) {
  await db
    .updateTable('external_training')
    .set({ status, reviewed_by: by, reviewed_at: now, review_note: note })
    .where('id', '=', id)
    .execute()
}
