import type { Kysely } from 'kysely'
import { poolFor, type ReadFrom } from '../db/database.js'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import {
  actorLabel,
  canAdministerOrganisation,
  canSeePartnerContacts,
  hasRole,
  isPlatformAdmin,
  type CurrentUser,
  ROLES,
  isRole,
  type RoleGrant,
} from '../core/identity.js'
import { newId } from '../core/ids.js'
import type { MailService } from '../mail/service.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { COMMUNITY_NAME } from '../web/site.js'
import type { ProfileInput } from './forms.js'
import {
  findGrants,
  findPersonById,
  searchDirectory,
  searchPeopleForAdmin,
  searchTextFor,
  type AdminPeopleQuery,
  type DirectoryQuery,
  type Person,
} from './repository.js'
import { AFFILIATIONS, QI_LEVELS } from './profile-options.js'

/** What a viewer may see of a member: only what the member chose to share. */
export interface DirectoryCard {
  id: string
  name: string
  organisation: string | null
  /** False until the organisation's admin confirms the member works there: shown to everyone. */
  organisationConfirmed: boolean
  jobRole: string | null
  bio: string | null
  skills: string[]
  email: string | null
  qiLevel: string
  isPartner: boolean
}

const splitSkills = (s: string) =>
  s
    .split(/[,;\n]/)
    .map((x) => x.trim())
    .filter(Boolean)

export function cardFor(person: Person, viewer: CurrentUser | null): DirectoryCard {
  const self = viewer?.id === person.id
  // Improvement partners' contact details go to coaches and admins only (DOMAIN.md §5.4).
  const emailAllowed =
    self ||
    (person.isPartner ? canSeePartnerContacts(viewer) : person.share.email || canSeePartnerContacts(viewer))
  return {
    id: person.id,
    name: person.name,
    organisation: self || person.share.organisation ? person.organisationName : null,
    organisationConfirmed: person.orgVerifiedAt !== null,
    jobRole: self || person.share.jobRole ? person.jobRole || null : null,
    bio: self || person.share.bio ? person.bio || null : null,
    skills: self || person.share.skills ? splitSkills(person.skills) : [],
    email: emailAllowed ? person.email : null,
    qiLevel: QI_LEVELS[person.qiLevel as keyof typeof QI_LEVELS] ?? QI_LEVELS.none,
    isPartner: person.isPartner,
  }
}

export class PeopleService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly mail: MailService,
    private readonly baseUrl: string,
    /** The replica, for the directory (database.reader); the primary when there is none. */
    private readonly reader: Kysely<DB> = db,
  ) {}

  async me(user: CurrentUser): Promise<Person & { roles: RoleGrant[]; affiliationLabel: string }> {
    const person = await findPersonById(this.db, user.id)
    if (!person) throw new NotFoundError()
    return {
      ...person,
      roles: user.roles,
      affiliationLabel: AFFILIATIONS[person.affiliation as keyof typeof AFFILIATIONS] ?? person.affiliation,
    }
  }

  async updateProfile(user: CurrentUser, input: ProfileInput, ip?: string): Promise<void> {
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await findPersonById(trx, user.id)
      if (!before) throw new NotFoundError()
      if (before.version !== input.version) {
        throw new ConflictError(
          'Your profile was changed somewhere else after you opened this page. Reload it and make your changes again.',
        )
      }
      let organisationName: string | null = null
      const organisationId = input.organisationId || null
      if (organisationId) {
        const org = await trx
          .selectFrom('organisations')
          .select(['name'])
          .where('id', '=', organisationId)
          .executeTakeFirst()
        if (!org) throw new ValidationError({ organisationId: 'Select an organisation from the list' })
        organisationName = org.name
      }
      const share = {
        email: input.share.includes('email'),
        organisation: input.share.includes('organisation'),
        jobRole: input.share.includes('jobRole'),
        bio: input.share.includes('bio'),
        skills: input.share.includes('skills'),
      }
      const orgChanged = organisationId !== before.organisationId
      const result = await trx
        .updateTable('users')
        .set({
          name: input.name,
          organisation_id: organisationId,
          affiliation: organisationId
            ? 'organisation'
            : before.affiliation === 'organisation'
              ? 'independent'
              : before.affiliation,
          job_role: input.jobRole,
          bio: input.bio,
          skills: input.skills,
          interests: input.interests,
          qi_level: input.qiLevel,
          in_directory: input.inDirectory,
          share_email: share.email,
          share_organisation: share.organisation,
          share_job_role: share.jobRole,
          share_bio: share.bio,
          share_skills: share.skills,
          search_text: searchTextFor({
            name: input.name,
            organisationName,
            jobRole: input.jobRole,
            skills: input.skills,
            interests: input.interests,
            share,
          }),
          // A new organisation must be confirmed again by its admins.
          ...(orgChanged ? { org_verified_at: null, org_verified_by: null } : {}),
          version: before.version + 1,
          updated_at: now,
        })
        .where('id', '=', user.id)
        .where('version', '=', before.version)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1)
        throw new ConflictError('Your profile was changed somewhere else. Reload the page and try again.')
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'user.profile_update',
        entityType: 'user',
        entityId: user.id,
        ip,
        before: pickProfile(before),
        after: {
          name: input.name,
          organisationId,
          jobRole: input.jobRole,
          bio: input.bio,
          skills: input.skills,
          interests: input.interests,
          qiLevel: input.qiLevel,
          inDirectory: input.inDirectory,
          share,
        },
      })
    })
  }

  /** The directory, from the replica unless `from` is the primary (the same query either way). */
  async directory(
    viewer: CurrentUser | null,
    query: DirectoryQuery,
    from: ReadFrom = 'primary',
  ): Promise<{ items: DirectoryCard[]; total: number }> {
    const result = await searchDirectory(poolFor(this.db, this.reader, from), query)
    return { items: result.items.map((p) => cardFor(p, viewer)), total: result.total }
  }

  /** A member's public profile; hidden members are visible only to themselves and admins. */
  async profile(viewer: CurrentUser | null, id: string): Promise<DirectoryCard> {
    const person = await findPersonById(this.db, id)
    if (!person || person.disabledAt) throw new NotFoundError()
    const privileged =
      viewer?.id === id || isPlatformAdmin(viewer) || canAdministerOrganisation(viewer, person.organisationId)
    if (!privileged && (!person.inDirectory || !person.emailVerifiedAt)) throw new NotFoundError()
    return cardFor(person, viewer)
  }

  // ----- administration -----

  async adminSearch(
    viewer: CurrentUser,
    query: AdminPeopleQuery,
  ): Promise<{ items: Person[]; total: number }> {
    if (isPlatformAdmin(viewer)) return searchPeopleForAdmin(this.db, query)
    const orgs = viewer.roles.filter((g) => g.role === 'org_admin').map((g) => g.scopeId)
    if (orgs.length === 0) throw new ForbiddenError()
    const organisationId =
      query.organisationId && orgs.includes(query.organisationId) ? query.organisationId : orgs[0]
    return searchPeopleForAdmin(this.db, { ...query, organisationId })
  }

  async adminView(viewer: CurrentUser, id: string) {
    const person = await findPersonById(this.db, id)
    if (!person) throw new NotFoundError()
    if (!isPlatformAdmin(viewer) && !canAdministerOrganisation(viewer, person.organisationId))
      throw new ForbiddenError()
    return { person, grants: await findGrants(this.db, id) }
  }

  /** Org admins confirm that a member works for their organisation. */
  async verifyMembership(viewer: CurrentUser, id: string, ip?: string): Promise<void> {
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const person = await findPersonById(trx, id)
      if (!person) throw new NotFoundError()
      if (!person.organisationId || !canAdministerOrganisation(viewer, person.organisationId))
        throw new ForbiddenError('Only an admin of this member’s organisation can confirm their membership')
      await trx
        .updateTable('users')
        .set({ org_verified_at: now, org_verified_by: viewer.id, updated_at: now })
        .where('id', '=', id)
        .execute()
      await this.mail.enqueue(trx, {
        kind: 'membership_verified',
        to: person.email,
        subject: `${person.organisationName ?? 'Your organisation'} has confirmed your membership`,
        text: `Hello ${person.name},\n\n${person.organisationName} has confirmed that you work there. Your profile now shows it as verified.\n\n${this.baseUrl}/profile\n\n${COMMUNITY_NAME}\n`,
      })
      await writeAudit(trx, now, {
        actorId: viewer.id,
        actorLabel: actorLabel(viewer),
        action: 'user.org_verified',
        entityType: 'user',
        entityId: id,
        ip,
        after: { organisationId: person.organisationId },
      })
    })
  }

  /**
   * Grants a role with its scope. Platform admins grant anything; organisation
   * admins grant member-level roles and org_admin within their organisation only.
   */
  async grantRole(
    viewer: CurrentUser,
    userId: string,
    role: string,
    scopeId: string,
    ip?: string,
  ): Promise<void> {
    if (!isRole(role)) throw new ValidationError({ role: 'Select a role from the list' })
    const scopeType = ROLES[role].scope
    const scope = scopeType === 'platform' ? '' : scopeId
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const person = await findPersonById(trx, userId)
      if (!person) throw new NotFoundError()
      const orgAdminHere =
        canAdministerOrganisation(viewer, person.organisationId) && !isPlatformAdmin(viewer)
      if (!isPlatformAdmin(viewer)) {
        const allowed =
          orgAdminHere &&
          (role === 'org_admin'
            ? scope === person.organisationId
            : role === 'member' || role === 'improvement_partner')
        if (!allowed) throw new ForbiddenError('Only a platform admin can grant that role')
      }
      if (scopeType !== 'platform' && !scope)
        throw new ValidationError({ scopeId: `Select the ${scopeType} this role applies to` })
      if (
        scopeType === 'organisation' &&
        !(await trx.selectFrom('organisations').select('id').where('id', '=', scope).executeTakeFirst())
      ) {
        throw new ValidationError({ scopeId: 'Select an organisation from the list' })
      }
      if (
        scopeType === 'faculty' &&
        !(await trx.selectFrom('faculties').select('id').where('id', '=', scope).executeTakeFirst())
      ) {
        throw new ValidationError({ scopeId: 'Select a faculty from the list' })
      }
      if (
        scopeType === 'programme' &&
        !(await trx.selectFrom('programmes').select('id').where('id', '=', scope).executeTakeFirst())
      ) {
        throw new ValidationError({ scopeId: 'Select a programme from the list' })
      }
      const existing = await trx
        .selectFrom('role_grants')
        .select('id')
        .where('user_id', '=', userId)
        .where('role', '=', role)
        .where('scope_type', '=', scopeType)
        .where('scope_id', '=', scope)
        .executeTakeFirst()
      if (existing) throw new ValidationError({ role: `${person.name} already has this role` })
      await trx
        .insertInto('role_grants')
        .values({
          id: newId(),
          user_id: userId,
          role,
          scope_type: scopeType,
          scope_id: scope,
          granted_by: viewer.id,
          created_at: now,
        })
        .execute()
      if (role === 'improvement_partner')
        await trx.updateTable('users').set({ is_partner: true }).where('id', '=', userId).execute()
      await writeAudit(trx, now, {
        actorId: viewer.id,
        actorLabel: actorLabel(viewer),
        action: 'role.grant',
        entityType: 'user',
        entityId: userId,
        ip,
        after: { role, scopeType, scopeId: scope },
      })
    })
  }

  async revokeRole(viewer: CurrentUser, userId: string, grantId: string, ip?: string): Promise<void> {
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const grant = await trx
        .selectFrom('role_grants')
        .selectAll()
        .where('id', '=', grantId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      if (!grant) throw new NotFoundError()
      const person = await findPersonById(trx, userId)
      if (!isPlatformAdmin(viewer)) {
        const allowed =
          canAdministerOrganisation(viewer, person?.organisationId ?? null) &&
          ['member', 'improvement_partner', 'org_admin'].includes(grant.role) &&
          (grant.role !== 'org_admin' || grant.scope_id === person?.organisationId)
        if (!allowed) throw new ForbiddenError('Only a platform admin can remove that role')
      }
      if (grant.role === 'platform_admin') {
        const admins = await trx
          .selectFrom('role_grants')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('role', '=', 'platform_admin')
          .executeTakeFirstOrThrow()
        if (Number(admins.n) <= 1)
          throw new ValidationError({ role: 'You cannot remove the last platform admin' })
      }
      await trx.deleteFrom('role_grants').where('id', '=', grantId).execute()
      if (grant.role === 'improvement_partner')
        await trx.updateTable('users').set({ is_partner: false }).where('id', '=', userId).execute()
      await writeAudit(trx, now, {
        actorId: viewer.id,
        actorLabel: actorLabel(viewer),
        action: 'role.revoke',
        entityType: 'user',
        entityId: userId,
        ip,
        before: { role: grant.role, scopeType: grant.scope_type, scopeId: grant.scope_id },
      })
    })
  }

  canAdminister(viewer: CurrentUser | null): boolean {
    return isPlatformAdmin(viewer) || hasRole(viewer, 'org_admin')
  }
}

function pickProfile(p: Person) {
  return {
    name: p.name,
    organisationId: p.organisationId,
    jobRole: p.jobRole,
    bio: p.bio,
    skills: p.skills,
    interests: p.interests,
    qiLevel: p.qiLevel,
    inDirectory: p.inDirectory,
    share: p.share,
  }
}
