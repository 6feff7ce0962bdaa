import type { CurrentUser } from '../core/identity.js'
import { NotFoundError, ValidationError } from '../core/errors.js'
import { requireProjectAccess } from './access.js'
import { isPostgres } from '../db/dialect.js'
import { conflict, logChange, projectLink, type ProjectDeps } from './context.js'
import type { TeamAddInput } from './forms.js'
import { addedToTeamMail } from './mail.js'
import type { TeamRole } from './policy.js'
import * as repo from './repository.js'
import * as teamRepo from './team-repository.js'

export const TEAM_ROLE_LABELS: Record<TeamRole, string> = {
  lead: 'Project lead',
  member: 'Team member',
  sponsor: 'Sponsor',
  coach: 'QI coach',
  partner: 'Improvement partner (reads, does not change)',
}

const LAST_LEAD = 'A project must always have at least one lead. Make someone else a lead first.'

/** The project team: adding people from any organisation (and improvement partners), roles, removing. */
export class TeamService {
  constructor(private readonly deps: ProjectDeps) {}

  private get db() {
    return this.deps.db
  }

  async team(user: CurrentUser | null, id: string) {
    const { access } = await requireProjectAccess(this.db, user, id, 'view')
    const project = await repo.findProject(this.db, id)
    if (!project) throw new NotFoundError()
    return { project, access, team: await teamRepo.listTeam(this.db, id) }
  }

  async add(user: CurrentUser, id: string, input: TeamAddInput, ip?: string): Promise<{ name: string }> {
    const now = this.deps.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      await requireProjectAccess(trx, user, id, 'manage')
      const project = await repo.lockProject(trx, id, isPostgres(trx))
      if (!project) throw new NotFoundError()
      if (project.version !== input.version) throw conflict()
      if (!input.email && !input.userId) {
        throw new ValidationError({
          email: 'Enter the e-mail address of a member, or choose someone from the directory',
        })
      }
      const person = input.email
        ? await teamRepo.findPersonRefByEmail(trx, input.email)
        : await teamRepo.findPersonRef(trx, input.userId)
      // By e-mail: anyone with an account; from the directory: only people listed in it.
      if (!person || person.disabled || (!input.email && !(person.inDirectory && person.emailVerified))) {
        throw new ValidationError({
          email: input.email
            ? 'No member has that e-mail address. Ask them to join the community first, then add them'
            : 'Choose someone from the directory',
        })
      }
      if (await teamRepo.findMember(trx, id, person.id))
        throw new ValidationError({ email: `${person.name} is already on the team` })
      // An improvement partner joins read-only unless the lead chooses another role for them later.
      const role: TeamRole = person.isPartner && input.role === 'member' ? 'partner' : input.role
      await teamRepo.insertMember(trx, {
        projectId: id,
        userId: person.id,
        role,
        at: now,
        by: user.id,
      })
      if (!(await repo.updateProjectRow(trx, id, input.version, {}, now))) throw conflict()
      await logChange(trx, now, user, {
        projectId: id,
        action: 'project.team_add',
        summary: `Added ${person.name} to the team as ${TEAM_ROLE_LABELS[role].toLowerCase()}`,
        ip,
        after: { userId: person.id, role, partner: person.isPartner },
      })
      const mail = addedToTeamMail({
        name: person.name,
        title: project.title,
        role: TEAM_ROLE_LABELS[role].toLowerCase(),
        byName: user.name,
        link: projectLink(this.deps.baseUrl, id),
      })
      await this.deps.mail.enqueue(trx, { kind: 'project_team_added', to: person.email, ...mail })
      return { name: person.name }
    })
  }

  async changeRole(
    user: CurrentUser,
    id: string,
    userId: string,
    role: TeamRole,
    version: number,
    ip?: string,
  ): Promise<void> {
    const now = this.deps.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await requireProjectAccess(trx, user, id, 'manage')
      const project = await repo.lockProject(trx, id, isPostgres(trx))
      if (!project) throw new NotFoundError()
      if (project.version !== version) throw conflict()
      const member = await teamRepo.findMember(trx, id, userId)
      if (!member) throw new NotFoundError('That person is not on the team')
      if (member.role === 'lead' && role !== 'lead' && (await teamRepo.countLeads(trx, id)) <= 1)
        throw new ValidationError({ role: LAST_LEAD })
      await teamRepo.setMemberRole(trx, id, userId, role)
      if (!(await repo.updateProjectRow(trx, id, version, {}, now))) throw conflict()
      const person = await teamRepo.findPersonRef(trx, userId)
      await logChange(trx, now, user, {
        projectId: id,
        action: 'project.team_role',
        summary: `Made ${person?.name ?? 'a team member'} ${TEAM_ROLE_LABELS[role].toLowerCase()}`,
        ip,
        before: { userId, role: member.role },
        after: { userId, role },
      })
    })
  }

  async remove(
    user: CurrentUser,
    id: string,
    userId: string,
    version: number,
    ip?: string,
  ): Promise<{ name: string }> {
    const now = this.deps.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      await requireProjectAccess(trx, user, id, 'manage')
      const project = await repo.lockProject(trx, id, isPostgres(trx))
      if (!project) throw new NotFoundError()
      if (project.version !== version) throw conflict()
      const member = await teamRepo.findMember(trx, id, userId)
      if (!member) throw new NotFoundError('That person is not on the team')
      if (member.role === 'lead' && (await teamRepo.countLeads(trx, id)) <= 1)
        throw new ValidationError({ role: LAST_LEAD })
      await teamRepo.deleteMember(trx, id, userId)
      if (!(await repo.updateProjectRow(trx, id, version, {}, now))) throw conflict()
      const person = await teamRepo.findPersonRef(trx, userId)
      const name = person?.name ?? 'A team member'
      await logChange(trx, now, user, {
        projectId: id,
        action: 'project.team_remove',
        summary: `Removed ${name} from the team`,
        ip,
        before: { userId, role: member.role },
      })
      return { name }
    })
  }
}
