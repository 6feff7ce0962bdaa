import type { Kysely, Transaction } from 'kysely'
import { type CurrentUser, hasRole } from '../core/identity.js'
import type { DB } from '../db/schema.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { requireProjectAccess } from './access.js'
import { isPostgres } from '../db/dialect.js'
import { conflict, logChange, projectLink, type ProjectDeps } from './context.js'
import type { PublicationInput, TransitionInput, VisibilityInput } from './forms.js'
import { refusal, STATUS_LABELS, TRANSITIONS, type ProjectAction } from './lifecycle.js'
import * as mails from './mail.js'
import { isRegistered, VISIBILITIES, type ProjectStatus } from './policy.js'
import * as repo from './repository.js'
import * as aimRepo from './aim-repository.js'
import * as teamRepo from './team-repository.js'

const FORBIDDEN = {
  manage: 'Only the project leads can do this',
  approve: 'Only a QI coach or a Steering Group member can do this',
}

/** Moving a project through its lifecycle, its visibility, and publication approval. */
export class ProjectLifecycleService {
  constructor(private readonly deps: ProjectDeps) {}

  private get db() {
    return this.deps.db
  }

  /** Coaches and the Steering Group: what waits for them. */
  async reviewQueue(user: CurrentUser) {
    if (!(hasRole(user, 'coach') || hasRole(user, 'steering_group'))) {
      throw new ForbiddenError('Only QI coaches and Steering Group members review projects')
    }
    return repo.reviewQueue(this.db)
  }

  /** What the submit page checks before a project can go for registration. */
  async readiness(
    projectId: string,
    db: Kysely<DB> | Transaction<DB> = this.db,
  ): Promise<{ problem: boolean; aim: boolean; organisations: boolean }> {
    const project = await repo.findProject(db, projectId)
    const aim = await aimRepo.findCurrentAim(db, projectId)
    const organisations = await repo.listProjectOrganisations(db, projectId)
    return {
      problem: Boolean(project?.problem.trim()),
      aim: Boolean(aim),
      organisations: organisations.length > 0,
    }
  }

  async transition(
    user: CurrentUser,
    id: string,
    action: ProjectAction,
    input: TransitionInput,
    ip?: string,
  ): Promise<ProjectStatus> {
    const t = TRANSITIONS[action]
    const now = this.deps.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const { access } = await requireProjectAccess(trx, user, id, 'view')
      if (!access[t.by]) throw new ForbiddenError(FORBIDDEN[t.by])
      const project = await repo.lockProject(trx, id, isPostgres(trx))
      if (!project) throw new NotFoundError()
      const refused = refusal(action, project.status)
      if (refused) throw new ConflictError(refused, 'status')
      if (project.version !== input.version) throw conflict()
      if (t.by === 'approve' && access.teamRole === 'lead') {
        throw new ForbiddenError(
          'You lead this project, so another coach or Steering Group member must review it',
        )
      }
      const errors: Record<string, string> = {}
      if (t.note?.required && !input.note) errors.note = t.note.error ?? 'Enter a note'
      if (t.lessons && !input.lessons)
        errors.lessons = 'Enter the lessons learnt, so others can learn from this project'
      if (action === 'submit') {
        const ready = await this.readiness(id, trx)
        if (!ready.problem) errors.problem = 'Write the problem statement before you submit the project'
        if (!ready.aim) errors.aim = 'Write the aim before you submit the project'
      }
      if (Object.keys(errors).length) throw new ValidationError(errors)

      const values: Parameters<typeof repo.updateProjectRow>[3] = { status: t.to, status_changed_at: now }
      if (action === 'submit') values.submitted_at = now
      if (action === 'approve')
        Object.assign(values, { approved_at: now, approved_by: user.id, returned_comment: null })
      if (action === 'return') values.returned_comment = input.note
      if (action === 'abandon')
        Object.assign(values, { abandoned_reason: input.note, lessons: input.lessons })
      if (action === 'complete') values.lessons = input.lessons
      if (!(await repo.updateProjectRow(trx, id, input.version, values, now))) throw conflict()

      const summaries: Record<ProjectAction, string> = {
        submit: 'Submitted the project for registration',
        approve: 'Approved and registered the project',
        return: 'Returned the project with comments',
        revise: 'Started revising the draft',
        hold: 'Put the project on hold',
        resume: 'Resumed the project',
        sustain: 'Moved the project to sustaining',
        complete: 'Completed the project and wrote the lessons learnt',
        archive: 'Archived the project',
        abandon: 'Abandoned the project',
      }
      await logChange(trx, now, user, {
        projectId: id,
        action: `project.${action}`,
        summary: summaries[action],
        teamNote: input.note || undefined,
        ip,
        before: { status: project.status },
        after: { status: t.to, note: input.note || undefined, lessons: input.lessons || undefined },
      })

      const link = projectLink(this.deps.baseUrl, id)
      const team = await teamRepo.listTeam(trx, id)
      const leads = team.filter((m) => m.role === 'lead')
      if (action === 'submit') {
        const mail = mails.submittedMail({ title: project.title, byName: user.name, note: input.note, link })
        for (const r of await teamRepo.emailsWithRoles(trx, ['coach', 'steering_group'])) {
          if (r.email !== user.email)
            await this.deps.mail.enqueue(trx, { kind: 'project_submitted', to: r.email, ...mail })
        }
      } else if (action === 'approve' || action === 'return') {
        for (const lead of leads) {
          const mail = (action === 'approve' ? mails.approvedMail : mails.returnedMail)({
            name: lead.name,
            title: project.title,
            byName: user.name,
            note: input.note,
            link,
          })
          await this.deps.mail.enqueue(trx, {
            kind: `project_${action === 'approve' ? 'approved' : 'returned'}`,
            to: lead.email,
            ...mail,
          })
        }
      } else if (action === 'abandon' || action === 'complete' || action === 'hold') {
        for (const m of team) {
          if (m.userId === user.id) continue
          const mail = mails.statusChangedMail({
            name: m.name,
            title: project.title,
            status: STATUS_LABELS[t.to],
            byName: user.name,
            link,
          })
          await this.deps.mail.enqueue(trx, { kind: 'project_status', to: m.email, ...mail })
        }
      }
      return t.to
    })
  }

  // ----- visibility -----

  async setVisibility(
    user: CurrentUser,
    id: string,
    input: VisibilityInput,
    ip?: string,
  ): Promise<{ pending: boolean }> {
    const now = this.deps.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      await requireProjectAccess(trx, user, id, 'manage')
      const project = await repo.lockProject(trx, id, isPostgres(trx))
      if (!project) throw new NotFoundError()
      if (project.version !== input.version) throw conflict()
      const to = input.visibility
      const wasPublic = project.visibility === 'public'
      let values: Parameters<typeof repo.updateProjectRow>[3] = { visibility: to }
      let pending = false
      if (to === 'public' && !wasPublic) {
        if (!isRegistered(project.status)) {
          throw new ValidationError({
            visibility: 'A project can be made public once a coach or the Steering Group has registered it',
          })
        }
        if (!input.consent) {
          throw new ValidationError({
            consent: 'Confirm that everyone quoted or shown in pictures has agreed to it being public',
          })
        }
        values = {
          ...values,
          public_requested_at: now,
          public_consent_at: now,
          public_consent_by: user.id,
          public_approved_at: null,
          public_approved_by: null,
        }
        pending = true
      } else if (to !== 'public' && wasPublic) {
        // Narrowing takes effect at once; going public again needs a new approval.
        values = { ...values, public_requested_at: null, public_approved_at: null, public_approved_by: null }
      } else if (to === 'public') {
        pending = !project.publicApprovedAt
      }
      if (!(await repo.updateProjectRow(trx, id, input.version, values, now))) throw conflict()
      const widerThan =
        VISIBILITIES.indexOf(to) > VISIBILITIES.indexOf(project.visibility as (typeof VISIBILITIES)[number])
      await logChange(trx, now, user, {
        projectId: id,
        action: 'project.visibility',
        summary:
          to === 'public' && pending
            ? 'Asked for the project to be made public (waiting for approval; community members can see it meanwhile)'
            : `Changed who can see the project from ${project.visibility} to ${to}`,
        ip,
        before: { visibility: project.visibility, publicApprovedAt: project.publicApprovedAt },
        after: { visibility: to, consent: to === 'public' ? input.consent : undefined, widened: widerThan },
      })
      if (to === 'public' && pending && !wasPublic) {
        const mail = mails.publicationRequestMail({
          title: project.title,
          byName: user.name,
          link: `${this.deps.baseUrl}/projects/review`,
        })
        for (const r of await teamRepo.emailsWithRoles(trx, ['coach', 'steering_group'])) {
          if (r.email !== user.email)
            await this.deps.mail.enqueue(trx, { kind: 'project_publication_request', to: r.email, ...mail })
        }
      }
      return { pending }
    })
  }

  async decidePublication(
    user: CurrentUser,
    id: string,
    input: PublicationInput,
    ip?: string,
  ): Promise<void> {
    const now = this.deps.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const { access } = await requireProjectAccess(trx, user, id, 'approve')
      const project = await repo.lockProject(trx, id, isPostgres(trx))
      if (!project) throw new NotFoundError()
      if (project.version !== input.version) throw conflict()
      if (project.visibility !== 'public' || project.publicApprovedAt) {
        throw new ConflictError('This project is not waiting for approval to be made public', 'visibility')
      }
      if (access.teamRole === 'lead') {
        throw new ForbiddenError(
          'You lead this project, so another coach or Steering Group member must approve its publication',
        )
      }
      const approve = input.decision === 'approve'
      const values = approve
        ? { public_approved_at: now, public_approved_by: user.id }
        : {
            visibility: 'community',
            public_requested_at: null,
            public_approved_at: null,
            public_approved_by: null,
          }
      if (!(await repo.updateProjectRow(trx, id, input.version, values, now))) throw conflict()
      await logChange(trx, now, user, {
        projectId: id,
        action: approve ? 'project.publication_approve' : 'project.publication_decline',
        summary: approve
          ? 'Approved publication: anyone can now see the project'
          : 'Declined publication; the project stays visible to community members',
        teamNote: input.note || undefined,
        ip,
        before: { visibility: project.visibility },
        after: { visibility: approve ? 'public' : 'community', note: input.note || undefined },
      })
      const link = projectLink(this.deps.baseUrl, id)
      for (const lead of (await teamRepo.listTeam(trx, id)).filter((m) => m.role === 'lead')) {
        const mail = mails.publicationDecisionMail({
          name: lead.name,
          title: project.title,
          approved: approve,
          byName: user.name,
          note: input.note,
          link,
        })
        await this.deps.mail.enqueue(trx, { kind: 'project_publication_decision', to: lead.email, ...mail })
      }
    })
  }
}
