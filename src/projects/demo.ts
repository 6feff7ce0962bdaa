import { commentRow, projectActivityRow, projectAimRow, projectMemberRow, projectRow } from '../db/rows.js'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { demoProjects } from './demo-data.js'
import { searchTextFor } from './context.js'
import { composeAimStatement } from './service.js'

/**
 * The demo projects of seed-data.ts: synthetic, flagged is_demo, programme_id null. Each
 * project is inserted with its organisations, team, aim versions, progress scores, comments
 * and activity only when its fixed id is not there yet, so loading twice adds nothing.
 * Returns how many projects were added.
 */
export async function loadProjectsDemo(trx: Transaction<DB>, nowIso: string): Promise<number> {
  const emails = [
    ...new Set(demoProjects.flatMap((p) => [...p.team.map((m) => m.who), ...p.comments.map((c) => c.who)])),
  ].map((w) => `${w}@example.invalid`)
  const users = await trx.selectFrom('users').select(['id', 'email']).where('email', 'in', emails).execute()
  const idOf = (who: string) => users.find((u) => u.email === `${who}@example.invalid`)?.id ?? null
  const now = Date.parse(nowIso)
  const ago = (days: number) => new Date(now - days * 86_400_000).toISOString()
  let added = 0
  for (const p of demoProjects) {
    const lead = idOf(p.team[0].who)
    if (!lead) continue
    const aims = p.aims.map((a) => ({ ...a, statement: composeAimStatement(a) }))
    const current = aims[aims.length - 1]
    const inserted = await trx
      .insertInto('projects')
      .values(
        projectRow({
          id: p.id,
          title: p.title,
          problem: p.problem,
          status: p.status,
          visibility: p.visibility,
          qsir_stage: p.qsirStage,
          progress_score: p.scores.length ? p.scores[p.scores.length - 1].score : null,
          research_answer: p.research.answer,
          research_notes: p.research.notes,
          submitted_at: p.submittedDays === null ? null : ago(p.submittedDays),
          approved_at: p.approvedDays === null ? null : ago(p.approvedDays),
          approved_by: p.approvedDays === null ? null : idOf('cara.cycle'),
          abandoned_reason: p.abandonedReason,
          status_changed_at: ago(p.status === 'completed' ? 20 : (p.approvedDays ?? p.submittedDays ?? 0)),
          lessons: p.lessons,
          last_activity_at: ago(1),
          is_demo: true,
          created_by: lead,
          search_text: searchTextFor({ title: p.title, problem: p.problem, aim: current?.statement }),
          created_at: ago(Math.max(...p.aims.map((a) => a.days), p.submittedDays ?? 0) + 5),
          updated_at: ago(1),
        }),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue
    added++
    for (const organisationId of p.organisations) {
      await trx
        .insertInto('project_organisations')
        .values({ project_id: p.id, organisation_id: organisationId })
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
    for (const m of p.team) {
      const userId = idOf(m.who)
      if (!userId) continue
      await trx
        .insertInto('project_members')
        .values(
          projectMemberRow({
            project_id: p.id,
            user_id: userId,
            role: m.role,
            added_at: ago(190),
            added_by: lead,
          }),
        )
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
    for (const code of p.aimCodes) {
      await trx
        .insertInto('project_aim_codes')
        .values({ project_id: p.id, aim_code: code })
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
    const activity: { at: string; actor: string | null; kind: string; summary: string }[] = [
      {
        at: ago(Math.max(...p.aims.map((a) => a.days)) + 5),
        actor: lead,
        kind: 'project.create',
        summary: 'Started the project as a private draft',
      },
    ]
    for (const [i, a] of aims.entries()) {
      await trx
        .insertInto('project_aims')
        .values(
          projectAimRow({
            id: `${p.id}-aim-${i + 1}`,
            project_id: p.id,
            version: i + 1,
            what: a.what,
            measure: a.measure,
            baseline: a.baseline,
            target: a.target,
            for_whom: a.forWhom,
            by_when: a.byWhen,
            statement: a.statement,
            created_at: ago(a.days),
            created_by: lead,
          }),
        )
        .onConflict((oc) => oc.doNothing())
        .execute()
      activity.push({
        at: ago(a.days),
        actor: lead,
        kind: 'project.aim_save',
        summary: `Wrote version ${i + 1} of the aim: ${a.statement}`,
      })
    }
    for (const s of p.scores) {
      await trx
        .insertInto('project_progress_scores')
        .values({ project_id: p.id, score: s.score, note: s.note, created_at: ago(s.days), created_by: lead })
        .execute()
      activity.push({
        at: ago(s.days),
        actor: lead,
        kind: 'project.progress_score',
        summary: `Set the progress score to ${s.score.toFixed(1)}`,
      })
    }
    if (p.submittedDays !== null)
      activity.push({
        at: ago(p.submittedDays),
        actor: lead,
        kind: 'project.submit',
        summary: 'Submitted the project for registration',
      })
    if (p.approvedDays !== null)
      activity.push({
        at: ago(p.approvedDays),
        actor: idOf('cara.cycle'),
        kind: 'project.approve',
        summary: 'Approved and registered the project',
      })
    if (p.status === 'completed')
      activity.push({
        at: ago(20),
        actor: lead,
        kind: 'project.complete',
        summary: 'Completed the project and wrote the lessons learnt',
      })
    for (const c of p.comments) {
      const author = idOf(c.who)
      await trx
        .insertInto('comments')
        .values(
          commentRow({
            id: c.id,
            project_id: p.id,
            target_id: p.id,
            author_id: author,
            body: c.body,
            created_at: ago(c.days),
          }),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
      activity.push({
        at: ago(c.days),
        actor: author,
        kind: 'comment.add',
        summary: 'Commented on the project',
      })
    }
    for (const a of activity.sort((x, y) => x.at.localeCompare(y.at))) {
      await trx
        .insertInto('project_activity')
        .values(
          projectActivityRow({
            project_id: p.id,
            at: a.at,
            actor_id: a.actor,
            kind: a.kind,
            summary: a.summary,
          }),
        )
        .execute()
    }
  }
  return added
}
