import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { searchTextFor } from './context.js'

type Db = Kysely<DB> | Transaction<DB>

/**
 * Redaction of a project's free text by the information governance lead (issue 15): the only
 * change to history the platform allows. The queries live here because projects/ owns these
 * tables; redaction/ decides who may and audits it.
 */

const PROJECT_FIELDS = [
  'title',
  'problem',
  'research_notes',
  'returned_comment',
  'abandoned_reason',
  'lessons',
] as const
const AIM_FIELDS = ['what', 'measure', 'baseline', 'target', 'for_whom', 'statement'] as const

export interface ProjectTexts {
  title: string
  /** The fields that hold text now ("title", "problem"…). */
  fields: string[]
  aimVersions: number
  progressNotes: number
  comments: number
}

export async function projectTexts(db: Db, projectId: string): Promise<ProjectTexts | null> {
  const project = await db.selectFrom('projects').selectAll().where('id', '=', projectId).executeTakeFirst()
  if (!project) return null
  const [aims, notes, comments] = await Promise.all([
    db.selectFrom('project_aims').select('id').where('project_id', '=', projectId).execute(),
    db
      .selectFrom('project_progress_scores')
      .select('id')
      .where('project_id', '=', projectId)
      .where('note', '!=', '')
      .execute(),
    db.selectFrom('comments').select('id').where('project_id', '=', projectId).execute(),
  ])
  return {
    title: project.title,
    fields: PROJECT_FIELDS.filter((f) => (project[f] ?? '') !== ''),
    aimVersions: aims.length,
    progressNotes: notes.length,
    comments: comments.length,
  }
}

/**
 * Replaces the project's text fields, every version of its aim, its progress-score notes, its
 * comments and the timeline entries that quote its texts with the notice.
 */
export async function redactProjectTexts(
  trx: Transaction<DB>,
  projectId: string,
  notice: string,
): Promise<void> {
  const project = await trx
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', projectId)
    .executeTakeFirstOrThrow()
  const aims = await trx.selectFrom('project_aims').selectAll().where('project_id', '=', projectId).execute()
  const quoted = [
    ...PROJECT_FIELDS.map((f) => project[f] ?? ''),
    ...aims.flatMap((a) => AIM_FIELDS.map((f) => a[f])),
  ].filter((t) => t.trim().length >= 3)
  const set: Record<string, string> = {}
  for (const f of PROJECT_FIELDS) if ((project[f] ?? '') !== '') set[f] = notice
  set.title = notice
  await trx
    .updateTable('projects')
    .set({ ...set, search_text: searchTextFor({ title: notice, problem: '', aim: notice }) })
    .where('id', '=', projectId)
    .execute()
  await trx
    .updateTable('project_aims')
    .set({ what: notice, measure: notice, baseline: '', target: notice, for_whom: notice, statement: notice })
    .where('project_id', '=', projectId)
    .execute()
  await trx
    .updateTable('project_progress_scores')
    .set({ note: notice })
    .where('project_id', '=', projectId)
    .where('note', '!=', '')
    .execute()
  await trx.updateTable('comments').set({ body: notice }).where('project_id', '=', projectId).execute()
  const activity = await trx
    .selectFrom('project_activity')
    .select(['id', 'summary'])
    .where('project_id', '=', projectId)
    .execute()
  for (const a of activity) {
    if (!quoted.some((t) => a.summary.includes(t))) continue
    await trx.updateTable('project_activity').set({ summary: notice }).where('id', '=', a.id).execute()
  }
  // Reviewers' notes to the team are free text too.
  await trx
    .updateTable('project_activity')
    .set({ team_note: notice })
    .where('project_id', '=', projectId)
    .where('team_note', 'is not', null)
    .execute()
}

export interface CommentText {
  projectId: string
  projectTitle: string
  body: string
}

export async function commentText(db: Db, commentId: string): Promise<CommentText | null> {
  const row = await db
    .selectFrom('comments')
    .innerJoin('projects', 'projects.id', 'comments.project_id')
    .select(['comments.project_id', 'comments.body', 'projects.title'])
    .where('comments.id', '=', commentId)
    .executeTakeFirst()
  return row ? { projectId: row.project_id, projectTitle: row.title, body: row.body } : null
}

export async function redactComment(trx: Transaction<DB>, commentId: string, notice: string): Promise<void> {
  await trx.updateTable('comments').set({ body: notice }).where('id', '=', commentId).execute()
}
