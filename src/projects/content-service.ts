import type { CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { NotFoundError, ValidationError } from '../core/errors.js'
import { loadProject, requireProjectAccess } from './access.js'
import { conflict, logChange, searchTextFor, type ProjectDeps } from './context.js'
import type { AimInput, ProgressInput, ResearchInput } from './forms.js'
import { PROGRESS_SCORES, progressScoreLabel, RESEARCH_ANSWERS } from './lifecycle.js'
import * as repo from './repository.js'
import * as aimRepo from './aim-repository.js'

/** The parts of a SMART aim, as the builder's form has them. */
type AimParts = Pick<aimRepo.Aim, 'what' | 'measure' | 'baseline' | 'target' | 'forWhom' | 'byWhen'>

/** The statement the SMART aim builder composes from its parts. */
export function composeAimStatement(a: AimParts): string {
  const clean = (s: string) => s.trim().replace(/[.\s]+$/, '')
  const what = clean(a.what)
  const parts = [what.charAt(0).toUpperCase() + what.slice(1), clean(a.measure)]
  if (a.baseline.trim()) parts.push(`from ${clean(a.baseline)}`)
  parts.push(`${a.baseline.trim() ? 'to' : 'to reach'} ${clean(a.target)}`)
  parts.push(`for ${clean(a.forWhom).replace(/^for\s+/i, '')}`)
  parts.push(`by ${clean(a.byWhen).replace(/^by\s+/i, '')}`)
  return `${parts.join(' ')}.`
}

/** A project's aim (versions from the SMART builder), its progress score and the QI-or-research check. */
export class ProjectContentService {
  constructor(private readonly deps: ProjectDeps) {}

  private get db() {
    return this.deps.db
  }

  private now(): string {
    return this.deps.clock().toISOString()
  }

  // ----- aim -----

  async aim(user: CurrentUser | null, id: string) {
    const { project, access } = await loadProject(this.db, user, id, 'view')
    return { project, access, aim: await aimRepo.findCurrentAim(this.db, id) }
  }

  async aimHistory(user: CurrentUser | null, id: string) {
    const { project, access } = await loadProject(this.db, user, id, 'view')
    return { project, access, versions: await aimRepo.listAimVersions(this.db, id) }
  }

  /** Saves a new version of the aim; `aimVersion` is the version the form was opened on (0: none yet). */
  async saveAim(user: CurrentUser, id: string, input: AimInput, ip?: string): Promise<number> {
    const now = this.now()
    const statement = composeAimStatement(input)
    return this.db.transaction().execute(async (trx) => {
      await requireProjectAccess(trx, user, id, 'edit')
      const project = await repo.findProject(trx, id)
      if (!project) throw new NotFoundError()
      const current = await aimRepo.findCurrentAim(trx, id)
      if ((current?.version ?? 0) !== input.aimVersion) throw conflict()
      const version = input.aimVersion + 1
      try {
        await aimRepo.insertAim(trx, {
          id: newId(),
          projectId: id,
          version,
          what: input.what,
          measure: input.measure,
          baseline: input.baseline,
          target: input.target,
          forWhom: input.forWhom,
          byWhen: input.byWhen,
          statement,
          createdAt: now,
          createdBy: user.id,
        })
      } catch {
        // The unique (project, version) constraint: someone saved the same version first.
        throw conflict()
      }
      await repo.setSearchText(
        trx,
        id,
        searchTextFor({ title: project.title, problem: project.problem, aim: statement }),
      )
      await logChange(trx, now, user, {
        projectId: id,
        action: 'project.aim_save',
        summary: `Wrote version ${version} of the aim: ${statement}`,
        ip,
        entityType: 'project_aim',
        before: current ? { version: current.version, statement: current.statement } : undefined,
        after: { version, statement },
      })
      return version
    })
  }

  // ----- progress score and the QI-or-research check -----

  async progress(user: CurrentUser | null, id: string) {
    const { project, access } = await loadProject(this.db, user, id, 'view')
    return { project, access, scores: await aimRepo.listProgressScores(this.db, id) }
  }

  async setProgress(user: CurrentUser, id: string, input: ProgressInput, ip?: string): Promise<void> {
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await requireProjectAccess(trx, user, id, 'manage')
      const before = await repo.findProject(trx, id)
      if (!before) throw new NotFoundError()
      if (before.version !== input.version) throw conflict()
      if (!(await repo.updateProjectRow(trx, id, input.version, { progress_score: input.score }, now)))
        throw conflict()
      await aimRepo.insertProgressScore(trx, {
        projectId: id,
        score: input.score,
        note: input.note,
        at: now,
        by: user.id,
      })
      await logChange(trx, now, user, {
        projectId: id,
        action: 'project.progress_score',
        summary: `Set the progress score to ${progressScoreLabel(input.score)}`,
        ip,
        before: { score: before.progressScore },
        after: { score: input.score, note: input.note },
      })
    })
  }

  async setResearch(user: CurrentUser, id: string, input: ResearchInput, ip?: string): Promise<void> {
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      await requireProjectAccess(trx, user, id, 'edit')
      const before = await repo.findProject(trx, id)
      if (!before) throw new NotFoundError()
      if (before.version !== input.version) throw conflict()
      if (input.answer === 'unsure' && !input.notes) {
        throw new ValidationError({ notes: 'Say what you are unsure about, so a coach can help' })
      }
      if (
        !(await repo.updateProjectRow(
          trx,
          id,
          input.version,
          { research_answer: input.answer, research_notes: input.notes },
          now,
        ))
      )
        throw conflict()
      await logChange(trx, now, user, {
        projectId: id,
        action: 'project.research_check',
        summary: `Recorded the QI-or-research check: ${RESEARCH_ANSWERS[input.answer]}`,
        ip,
        before: { answer: before.researchAnswer, notes: before.researchNotes },
        after: input,
      })
    })
  }
}

export const PROGRESS_ITEMS = PROGRESS_SCORES.map((s) => ({
  value: s.value.toFixed(1),
  text: `${s.value.toFixed(1)}: ${s.text}`,
}))
