import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { newId } from '../core/ids.js'
import { projectMemberRow, projectRow } from '../db/rows.js'

/**
 * A project row with its team and organisations, straight into the database, for
 * tests and demo data of features that live inside projects (measures, PDSAs, tools).
 */
export async function insertProject(
  db: Kysely<DB>,
  options: {
    id?: string
    title?: string
    createdBy: string | null
    status?: string
    visibility?: string
    publicApproved?: boolean
    organisationIds?: string[]
    members?: { userId: string; role: string }[]
    isDemo?: boolean
    now?: string
  },
): Promise<string> {
  const id = options.id ?? newId()
  const now = options.now ?? new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('projects')
      .values(
        projectRow({
          id,
          title: options.title ?? 'Test project',
          status: options.status ?? 'active',
          visibility: options.visibility ?? 'team',
          public_approved_at: options.publicApproved ? now : null,
          is_demo: options.isDemo ?? false,
          created_by: options.createdBy,
          search_text: (options.title ?? 'Test project').toLowerCase(),
          created_at: now,
        }),
      )
      .execute()
    for (const organisationId of options.organisationIds ?? []) {
      await trx
        .insertInto('project_organisations')
        .values({ project_id: id, organisation_id: organisationId })
        .execute()
    }
    const members =
      options.members ?? (options.createdBy ? [{ userId: options.createdBy, role: 'lead' }] : [])
    for (const m of members) {
      await trx
        .insertInto('project_members')
        .values(
          projectMemberRow({
            project_id: id,
            user_id: m.userId,
            role: m.role,
            added_at: now,
            added_by: options.createdBy,
          }),
        )
        .execute()
    }
  })
  return id
}
