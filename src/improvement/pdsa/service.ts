// Over 400 lines for a reason: one class holds a PDSA cycle's use cases, one per stage (plan, do,
// study, act, close, delete), each a short transaction with its audit and activity, all sharing the
// stage rules of policy.ts; splitting by stage would scatter the lifecycle.
import type { Kysely, Transaction } from 'kysely'
import type { CurrentUser } from '../../core/identity.js'
import { newId } from '../../core/ids.js'
import type { DB } from '../../db/schema.js'
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js'
import { projectFor, quote, recordChange, type ProjectContext } from '../context.js'
import {
  findChangeIdea,
  listChangeIdeas,
  setChangeIdeaStatus,
  type ChangeIdea,
} from '../drivers/repository.js'
import { listProjectMeasures, type MeasureOption } from './measures.js'
import type { ActInput, DoInput, PlanEditInput, PlanInput, StudyInput } from './forms.js'
import {
  countCycles,
  deleteCycleRow,
  findCycle,
  findNextCycle,
  insertCycle,
  listCycles,
  listDueForStudy,
  setCycleMeasures,
  updateCycle,
  type CycleChanges,
  type PdsaCycle,
  type PdsaPlan,
} from './repository.js'
import {
  CHANGE_IDEA_STATUS_LABELS,
  DECISION_SETS_IDEA_STATUS,
  PDSA_DECISION_LABELS,
  stageRefusal,
  type ChangeIdeaStatus,
  type PdsaStage,
} from '../policy.js'
import { buildRamps, type Ramp } from './ramp.js'
import { projectAccessMany } from '../../projects/access.js'

export const MAX_CYCLES = 500
const CHANGED =
  'Someone else changed this PDSA cycle after you opened it. Reload the page to see their changes, then make yours again.'

export interface CycleView extends ProjectContext {
  cycle: PdsaCycle
  changeIdea: ChangeIdea
  measures: MeasureOption[]
  previous: PdsaCycle | null
  next: PdsaCycle | null
}

export interface DecisionResult {
  decision: ActInput['decision']
  /** The next cycle opened by "adapt". */
  nextId: string | null
  changeIdeaTitle: string
  changeIdeaStatus: ChangeIdeaStatus
}

/** PDSA cycles: plan (prediction required) → do → study → act (adopt / adapt / abandon) → closed. */
export class PdsaService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  async list(user: CurrentUser | null, projectId: string) {
    const context = await projectFor(this.db, user, projectId, 'view')
    const [cycles, changeIdeas] = await Promise.all([
      listCycles(this.db, projectId),
      listChangeIdeas(this.db, projectId),
    ])
    const ideaTitle = new Map(changeIdeas.map((i) => [i.id, i.title]))
    return {
      ...context,
      cycles: cycles.map((c) => ({ ...c, changeIdeaTitle: ideaTitle.get(c.changeIdeaId) ?? '' })),
      changeIdeas,
    }
  }

  /**
   * Across many projects at once (the "my work" home): the cycles whose Do has ended and that
   * wait for their Study, in the projects this user may see; one query for the rights, one for
   * the cycles.
   */
  async dueForStudy(user: CurrentUser, projectIds: string[], today: string) {
    const visible = await projectAccessMany(this.db, user, projectIds)
    const cycles = await listDueForStudy(this.db, [...visible.keys()], today)
    return cycles.map((c) => ({ ...c, projectTitle: visible.get(c.projectId)!.title }))
  }

  /** What the plan form offers: the project's change ideas and measures. */
  async planOptions(user: CurrentUser | null, projectId: string) {
    const context = await projectFor(this.db, user, projectId, 'edit')
    const [changeIdeas, measures] = await Promise.all([
      listChangeIdeas(this.db, projectId),
      listProjectMeasures(this.db, projectId),
    ])
    return { ...context, changeIdeas, measures }
  }

  async cycle(
    user: CurrentUser | null,
    projectId: string,
    pdsaId: string,
    need: 'view' | 'edit' = 'view',
  ): Promise<CycleView> {
    const context = await projectFor(this.db, user, projectId, need)
    const cycle = await findCycle(this.db, projectId, pdsaId)
    if (!cycle) throw new NotFoundError()
    const [changeIdea, allMeasures, previous, next] = await Promise.all([
      findChangeIdea(this.db, projectId, cycle.changeIdeaId),
      listProjectMeasures(this.db, projectId),
      cycle.previousId ? findCycle(this.db, projectId, cycle.previousId) : Promise.resolve(null),
      findNextCycle(this.db, projectId, cycle.id),
    ])
    if (!changeIdea) throw new NotFoundError()
    return {
      ...context,
      cycle,
      changeIdea,
      measures: allMeasures.filter((m) => cycle.measureIds.includes(m.id)),
      previous,
      next,
    }
  }

  async ramp(
    user: CurrentUser | null,
    projectId: string,
    changeIdeaId: string,
  ): Promise<ProjectContext & { changeIdea: ChangeIdea; ramps: Ramp[] }> {
    const context = await projectFor(this.db, user, projectId, 'view')
    const changeIdea = await findChangeIdea(this.db, projectId, changeIdeaId)
    if (!changeIdea) throw new NotFoundError()
    const cycles = await listCycles(this.db, projectId, changeIdeaId)
    return { ...context, changeIdea, ramps: buildRamps(cycles) }
  }

  async create(user: CurrentUser, projectId: string, input: PlanInput, ip?: string): Promise<string> {
    await projectFor(this.db, user, projectId, 'edit')
    const measureIds = await this.checkMeasures(projectId, input.measureIds)
    const now = this.clock().toISOString()
    const id = newId()
    await this.db.transaction().execute(async (trx) => {
      if ((await countCycles(trx, projectId)) >= MAX_CYCLES)
        throw new ValidationError({ title: `A project can have up to ${MAX_CYCLES} PDSA cycles.` })
      const idea = await findChangeIdea(trx, projectId, input.changeIdeaId)
      if (!idea) throw new ValidationError({ changeIdeaId: 'Select a change idea from the list' })
      await insertCycle(trx, {
        id,
        projectId,
        changeIdeaId: idea.id,
        previousId: null,
        plan: planOf(input),
        createdBy: user.id,
        now,
      })
      await setCycleMeasures(trx, id, measureIds)
      await recordChange(trx, now, user, {
        projectId,
        action: 'pdsa.planned',
        entityType: 'pdsa',
        entityId: id,
        summary: `Planned the PDSA cycle ${quote(input.title)} to test ${quote(idea.title)}`,
        after: { ...planOf(input), changeIdeaId: idea.id, measureIds },
        ip,
      })
    })
    return id
  }

  async editPlan(
    user: CurrentUser,
    projectId: string,
    pdsaId: string,
    input: PlanEditInput,
    ip?: string,
  ): Promise<void> {
    await projectFor(this.db, user, projectId, 'edit')
    const measureIds = await this.checkMeasures(projectId, input.measureIds)
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await this.current(trx, projectId, pdsaId, 'plan', input.version)
      const idea = await findChangeIdea(trx, projectId, input.changeIdeaId)
      if (!idea) throw new ValidationError({ changeIdeaId: 'Select a change idea from the list' })
      await this.save(trx, before, { changeIdeaId: idea.id, plan: planOf(input) }, now)
      await setCycleMeasures(trx, pdsaId, measureIds)
      await recordChange(trx, now, user, {
        projectId,
        action: 'pdsa.plan_updated',
        entityType: 'pdsa',
        entityId: pdsaId,
        summary: `Updated the plan of the PDSA cycle ${quote(input.title)}`,
        before: { ...planFields(before), changeIdeaId: before.changeIdeaId, measureIds: before.measureIds },
        after: { ...planOf(input), changeIdeaId: idea.id, measureIds },
        ip,
      })
    })
  }

  /** Starts the test (planned → doing) or updates its Do record. The change idea moves from idea to testing. */
  async recordDo(
    user: CurrentUser,
    projectId: string,
    pdsaId: string,
    input: DoInput,
    ip?: string,
  ): Promise<void> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await this.current(trx, projectId, pdsaId, 'do', input.version)
      const changes = {
        status: 'doing' as const,
        doNotes: input.doNotes,
        doStart: input.doStart,
        doEnd: input.doEnd,
      }
      await this.save(trx, before, changes, now)
      const starting = before.status === 'planned'
      if (starting) {
        const idea = await findChangeIdea(trx, projectId, before.changeIdeaId)
        if (idea?.status === 'idea') await setChangeIdeaStatus(trx, idea.id, 'testing', now)
      }
      await recordChange(trx, now, user, {
        projectId,
        action: starting ? 'pdsa.started' : 'pdsa.do_updated',
        entityType: 'pdsa',
        entityId: pdsaId,
        summary: starting
          ? `Started the PDSA cycle ${quote(before.title)}`
          : `Updated what happened in the PDSA cycle ${quote(before.title)}`,
        before: {
          status: before.status,
          doNotes: before.doNotes,
          doStart: before.doStart,
          doEnd: before.doEnd,
        },
        after: changes,
        ip,
      })
    })
  }

  /** Records the findings against the prediction (doing → studying), or updates them. */
  async recordStudy(
    user: CurrentUser,
    projectId: string,
    pdsaId: string,
    input: StudyInput,
    ip?: string,
  ): Promise<void> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await this.current(trx, projectId, pdsaId, 'study', input.version)
      if (!before.doNotes.trim()) {
        throw new ValidationError({
          findings:
            'Record what happened in the Do stage before studying it: go back to "Do" and add your notes.',
        })
      }
      const changes = {
        status: 'studying' as const,
        findings: input.findings,
        predictionMet: input.predictionMet,
      }
      await this.save(trx, before, changes, now)
      await recordChange(trx, now, user, {
        projectId,
        action: before.status === 'doing' ? 'pdsa.studied' : 'pdsa.study_updated',
        entityType: 'pdsa',
        entityId: pdsaId,
        summary: `Recorded the findings of the PDSA cycle ${quote(before.title)} (prediction met: ${input.predictionMet})`,
        before: { status: before.status, findings: before.findings, predictionMet: before.predictionMet },
        after: changes,
        ip,
      })
    })
  }

  /**
   * Act: adopt, adapt or abandon (studying → decided). The change idea follows
   * automatically (adopted / testing / abandoned), and "adapt" opens the next linked
   * cycle with this cycle's plan copied, for the team to revise.
   */
  async decide(
    user: CurrentUser,
    projectId: string,
    pdsaId: string,
    input: ActInput,
    ip?: string,
  ): Promise<DecisionResult> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const before = await this.current(trx, projectId, pdsaId, 'act', input.version)
      if (!before.findings.trim() || !before.predictionMet) {
        throw new ValidationError({
          decision: 'Study cannot be skipped: record the findings and whether the prediction was met first.',
        })
      }
      const changes = {
        status: 'decided' as const,
        decision: input.decision,
        decisionReason: input.decisionReason,
        decidedAt: now,
      }
      await this.save(trx, before, changes, now)
      const idea = await findChangeIdea(trx, projectId, before.changeIdeaId)
      if (!idea) throw new NotFoundError()
      const ideaStatus = DECISION_SETS_IDEA_STATUS[input.decision]
      if (idea.status !== ideaStatus) await setChangeIdeaStatus(trx, idea.id, ideaStatus, now)
      await recordChange(trx, now, user, {
        projectId,
        action: 'pdsa.decided',
        entityType: 'pdsa',
        entityId: pdsaId,
        summary: `Decided to ${input.decision} after the PDSA cycle ${quote(before.title)}; the change idea ${quote(idea.title)} is ${CHANGE_IDEA_STATUS_LABELS[ideaStatus].toLowerCase()}`,
        before: { status: before.status, changeIdeaStatus: idea.status },
        after: { ...changes, changeIdeaStatus: ideaStatus },
        ip,
      })
      let nextId: string | null = null
      if (input.decision === 'adapt') {
        nextId = newId()
        const plan = { ...planFields(before), title: nextTitle(before.title), plannedDate: null }
        await insertCycle(trx, {
          id: nextId,
          projectId,
          changeIdeaId: before.changeIdeaId,
          previousId: before.id,
          plan,
          createdBy: user.id,
          now,
        })
        await setCycleMeasures(trx, nextId, before.measureIds)
        await recordChange(trx, now, user, {
          projectId,
          action: 'pdsa.planned',
          entityType: 'pdsa',
          entityId: nextId,
          summary: `Opened the next PDSA cycle ${quote(plan.title)}, adapting ${quote(before.title)}`,
          after: { ...plan, previousId: before.id, measureIds: before.measureIds },
          ip,
        })
      }
      return { decision: input.decision, nextId, changeIdeaTitle: idea.title, changeIdeaStatus: ideaStatus }
    })
  }

  async close(
    user: CurrentUser,
    projectId: string,
    pdsaId: string,
    version: number,
    ip?: string,
  ): Promise<void> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await this.current(trx, projectId, pdsaId, 'close', version)
      await this.save(trx, before, { status: 'closed', closedAt: now }, now)
      await recordChange(trx, now, user, {
        projectId,
        action: 'pdsa.closed',
        entityType: 'pdsa',
        entityId: pdsaId,
        summary: `Closed the PDSA cycle ${quote(before.title)} (${PDSA_DECISION_LABELS[before.decision ?? 'adopt'].toLowerCase()})`,
        before: { status: before.status },
        after: { status: 'closed' },
        ip,
      })
    })
  }

  /** Only a cycle that has not started may be deleted: nothing learnt is lost. */
  async delete(
    user: CurrentUser,
    projectId: string,
    pdsaId: string,
    version: number,
    ip?: string,
  ): Promise<PdsaCycle> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const before = await findCycle(trx, projectId, pdsaId)
      if (!before) throw new NotFoundError()
      if (before.version !== version) throw new ConflictError(CHANGED)
      if (before.status !== 'planned') {
        throw new ValidationError({
          delete:
            'Only a planned cycle that has not started can be deleted. A started cycle is part of the project’s learning: decide to abandon it instead.',
        })
      }
      if (!(await deleteCycleRow(trx, pdsaId, version))) throw new ConflictError(CHANGED)
      await recordChange(trx, now, user, {
        projectId,
        action: 'pdsa.deleted',
        entityType: 'pdsa',
        entityId: pdsaId,
        summary: `Deleted the planned PDSA cycle ${quote(before.title)}`,
        before: { ...planFields(before), changeIdeaId: before.changeIdeaId, measureIds: before.measureIds },
        ip,
      })
      return before
    })
  }

  /** The cycle as it is now, refusing stale forms and stages that do not fit its status. */
  private async current(
    trx: Transaction<DB>,
    projectId: string,
    pdsaId: string,
    stage: PdsaStage,
    version: number,
  ): Promise<PdsaCycle> {
    const cycle = await findCycle(trx, projectId, pdsaId)
    if (!cycle) throw new NotFoundError()
    if (cycle.version !== version) throw new ConflictError(CHANGED)
    const refusal = stageRefusal(cycle.status, stage)
    if (refusal) throw new ValidationError({ status: refusal })
    return cycle
  }

  private async save(
    trx: Transaction<DB>,
    before: PdsaCycle,
    changes: CycleChanges,
    now: string,
  ): Promise<void> {
    if (
      !(await updateCycle(trx, before.id, { version: before.version, status: before.status }, changes, now))
    )
      throw new ConflictError(CHANGED)
  }

  /** Measures must be the project's own (read outside any transaction: the table may not exist yet). */
  private async checkMeasures(projectId: string, measureIds: string[]): Promise<string[]> {
    const unique = [...new Set(measureIds)]
    if (unique.length === 0) return []
    const measures = await listProjectMeasures(this.db, projectId)
    if (!unique.every((id) => measures.some((m) => m.id === id)))
      throw new ValidationError({ measureIds: 'Select measures from the list' })
    return unique
  }
}

function planOf(input: PlanInput): PdsaPlan {
  return {
    title: input.title,
    objective: input.objective,
    prediction: input.prediction,
    planWho: input.planWho,
    planWhat: input.planWhat,
    planWhen: input.planWhen,
    planWhere: input.planWhere,
    plannedDate: input.plannedDate,
    dataToCollect: input.dataToCollect,
  }
}

function planFields(cycle: PdsaCycle): PdsaPlan {
  return {
    title: cycle.title,
    objective: cycle.objective,
    prediction: cycle.prediction,
    planWho: cycle.planWho,
    planWhat: cycle.planWhat,
    planWhen: cycle.planWhen,
    planWhere: cycle.planWhere,
    plannedDate: cycle.plannedDate,
    dataToCollect: cycle.dataToCollect,
  }
}

/**
 * The title of the cycle that adapts this one.
 * @example nextTitle('Discharge checklist') // 'Discharge checklist (cycle 2)'
 * @example nextTitle('Discharge checklist (cycle 2)') // 'Discharge checklist (cycle 3)'
 */
export function nextTitle(title: string): string {
  const m = /^(.*) \(cycle (\d+)\)$/.exec(title)
  const base = m ? m[1] : title
  const n = m ? Number(m[2]) + 1 : 2
  const suffix = ` (cycle ${n})`
  return `${base.slice(0, 120 - suffix.length)}${suffix}`
}
