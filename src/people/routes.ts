import type { PeopleService } from './service.js'
import type { CommunityService } from '../community/service.js'
import { handleForm } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { pagination } from '../web/pagination.js'
import { formBody, idParams, type ZodApp } from '../web/route-schemas.js'
import { directoryQuery, profileForm } from './forms.js'
import { QI_LEVELS } from './profile-options.js'
import { ROLES } from '../core/identity.js'

const PAGE_SIZE = 20
const qiLevels = Object.entries(QI_LEVELS).map(([value, text]) => ({ value, text }))

/** The services these routes use: app.ts passes only these. */
export interface PeopleRouteServices {
  people: PeopleService
  community: CommunityService
}

export async function peopleRoutes(app: ZodApp, { services }: { services: PeopleRouteServices }) {
  const { people, community } = services

  app.get('/profile', async (request, reply) => {
    const user = requireUser(request)
    const me = await people.me(user)
    const roles = me.roles.map((g) => ROLES[g.role].label)
    return reply.page('people/views/profile.njk', {
      title: 'Your profile',
      me,
      roles,
      qiLevelLabel: QI_LEVELS[me.qiLevel as keyof typeof QI_LEVELS],
    })
  })

  const editContext = async () => ({
    title: 'Edit your profile',
    organisations: await community.listOrganisations(),
    qiLevels,
  })

  app.get('/profile/edit', async (request, reply) => {
    const user = requireUser(request)
    const me = await people.me(user)
    const share = Object.entries(me.share)
      .filter(([, v]) => v)
      .map(([k]) => k)
    return reply.page('people/views/profile-edit.njk', {
      ...(await editContext()),
      values: {
        name: me.name,
        organisationId: me.organisationId ?? '',
        jobRole: me.jobRole,
        bio: me.bio,
        skills: me.skills,
        interests: me.interests,
        qiLevel: me.qiLevel,
        inDirectory: me.inDirectory ? 'on' : '',
        share,
        version: me.version,
      },
    })
  })

  app.post('/profile/edit', { schema: { body: formBody } }, async (request, reply) => {
    const user = requireUser(request)
    const body = request.body
    const values = { ...body, share: body.share === undefined ? [] : ([] as unknown[]).concat(body.share) }
    return handleForm(
      reply,
      {
        schema: profileForm,
        body: values,
        template: 'people/views/profile-edit.njk',
        context: editContext,
        order: ['name', 'organisationId', 'jobRole', 'bio', 'skills', 'interests', 'qiLevel'],
      },
      async (data) => {
        await people.updateProfile(user, data, requestMeta(request).ip)
        return reply.flash('Your profile has been saved.').redirect('/profile', 303)
      },
    )
  })

  app.get('/people', { schema: { querystring: directoryQuery } }, async (request, reply) => {
    const query = request.query
    const [result, organisations] = await Promise.all([
      people.directory(
        request.user,
        {
          q: query.q,
          organisationId: query.organisation,
          skill: query.skill,
          page: query.page,
          pageSize: PAGE_SIZE,
        },
        request.readFrom,
      ),
      community.listOrganisations(),
    ])
    const params = new URLSearchParams()
    if (query.q) params.set('q', query.q)
    if (query.organisation) params.set('organisation', query.organisation)
    if (query.skill) params.set('skill', query.skill)
    return reply.page('people/views/directory.njk', {
      title: 'Find colleagues',
      query,
      result,
      organisations,
      pager: pagination('/people', params, query.page, PAGE_SIZE, result.total),
    })
  })

  app.get('/people/:id', { schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params
    const card = await people.profile(request.user, id)
    return reply.page('people/views/person.njk', { title: card.name, card })
  })
}
