import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openTestDatabase, testDialects } from '../testing/databases.js'
import { read } from './database.js'
import * as rows from './rows.js'

// Every factory's defaults must be a row both databases accept (types, NOT NULL, foreign keys)
// and read back as a fresh row of the product would be.
for (const { dialect, skip } of await testDialects()) {
  describe(`row factories on ${dialect}`, { skip }, () => {
    test('a row of every table, with only the columns a caller must give, is stored and read back', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        const { db } = database
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('organisations')
            .values(rows.organisationRow({ id: 'org-r', name: 'Rows Trust' }))
            .execute()
          const user = rows.userRow({
            email: 'rows@example.invalid',
            name: 'Rosa Rows',
            organisation_id: 'org-r',
          })
          await trx.insertInto('users').values(user).execute()
          await trx
            .insertInto('role_grants')
            .values(rows.roleGrantRow({ user_id: user.id, role: 'member' }))
            .execute()
          const project = rows.projectRow({ title: 'Rows project', created_by: user.id })
          await trx.insertInto('projects').values(project).execute()
          await trx
            .insertInto('project_members')
            .values(rows.projectMemberRow({ project_id: project.id, user_id: user.id, role: 'lead' }))
            .execute()
          await trx
            .insertInto('project_aims')
            .values(
              rows.projectAimRow({
                project_id: project.id,
                what: 'Reduce',
                for_whom: 'patients',
                by_when: '2027',
                statement: 'Reduce waits',
              }),
            )
            .execute()
          await trx
            .insertInto('project_activity')
            .values(rows.projectActivityRow({ project_id: project.id, kind: 'test', summary: 'Made' }))
            .execute()
          await trx
            .insertInto('comments')
            .values(rows.commentRow({ project_id: project.id, target_id: project.id, body: 'Hello' }))
            .execute()
          const measure = rows.measureRow({ project_id: project.id, name: 'Waits' })
          await trx.insertInto('measures').values(measure).execute()
          await trx
            .insertInto('measure_data_points')
            .values(rows.dataPointRow({ measure_id: measure.id, period: '2026-01-01', value: 3 }))
            .execute()
          await trx
            .insertInto('faculties')
            .values(rows.facultyRow({ id: 'fac-r', name: 'Rows faculty' }))
            .execute()
          const course = rows.courseRow({ faculty_id: 'fac-r', title: 'Rows course' })
          await trx.insertInto('courses').values(course).execute()
          const cohort = rows.cohortRow({
            course_id: String(course.id),
            name: 'Rows cohort',
            enrolment_closes_at: '2027-01-01T17:00:00.000Z',
          })
          await trx.insertInto('cohorts').values(cohort).execute()
          await trx
            .insertInto('enrolments')
            .values(rows.enrolmentRow({ cohort_id: cohort.id, user_id: user.id, queue_no: 1 }))
            .execute()
          await trx
            .insertInto('support_requests')
            .values(
              rows.supportRequestRow({
                title: 'Help',
                need: 'A need',
                start_date: '2027-01-01',
                end_date: '2027-02-01',
              }),
            )
            .execute()
        })
        const stored = await db
          .selectFrom('users')
          .selectAll()
          .where('email', '=', 'rows@example.invalid')
          .executeTakeFirstOrThrow()
        assert.equal(stored.affiliation, 'organisation')
        assert.equal(read.bool(stored.is_demo), false)
        assert.equal(stored.email_verified_at, null)
        const project = await db.selectFrom('projects').selectAll().executeTakeFirstOrThrow()
        assert.deepEqual(
          [project.status, project.visibility, read.bool(project.is_demo)],
          ['active', 'team', false],
        )
        const grant = await db.selectFrom('role_grants').selectAll().executeTakeFirstOrThrow()
        assert.deepEqual([grant.scope_type, grant.scope_id], ['platform', ''])
      } finally {
        await cleanup()
      }
    })
  })
}
