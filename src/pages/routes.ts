import { z } from 'zod'
import type { CurrentUser } from '../core/identity.js'
import type { PagesService } from './service.js'
import type { CommunityService } from '../community/service.js'
import { handleForm } from '../web/form-page.js'
import { requestMeta } from '../web/plugin.js'
import { emailQuery, queryText, type ZodApp } from '../web/route-schemas.js'
import { ENQUIRY_TOPICS, enquiryForm } from './forms.js'
import { CONTACTS } from './contact.js'

const topicQuery = z.object({ topic: queryText })
const topics = Object.entries(ENQUIRY_TOPICS).map(([value, text]) => ({ value, text }))

/** The services these routes use: app.ts passes only these. */
export interface PagesRouteServices {
  pages: PagesService
  community: CommunityService
  /** A signed-in person's "my work" home (mywork/), given structurally so pages imports nothing of it. */
  myWork?: {
    forUser(user: CurrentUser): Promise<{ template: string; context: Record<string, unknown> }>
  }
}

export async function pagesRoutes(app: ZodApp, { services }: { services: PagesRouteServices }) {
  const { pages, community, myWork } = services

  app.get('/', async (request, reply) => {
    if (request.user && myWork) {
      const { template, context } = await myWork.forUser(request.user)
      return reply.page(template, context)
    }
    const [page, aims] = await Promise.all([pages.get('home'), community.aims()])
    return reply.page('pages/views/home.njk', { title: 'Home', page, aims })
  })

  app.get('/about', async (_request, reply) => {
    const [page, aims, faculties, programmes] = await Promise.all([
      pages.get('about'),
      community.aims(),
      community.faculties(),
      community.programmes(),
    ])
    return reply.page('pages/views/about.njk', {
      title: page?.title ?? 'About us',
      page,
      aims,
      faculties,
      programmes,
    })
  })

  for (const slug of ['what-is-qi', 'privacy', 'accessibility'] as const) {
    app.get(`/${slug}`, async (_request, reply) => {
      const page = await pages.get(slug)
      return reply.page('pages/views/page.njk', { title: page?.title ?? fallbackTitle(slug), page, slug })
    })
  }

  const getInvolvedContext = async () => {
    const page = await pages.get('get-involved')
    return { title: page?.title ?? 'Get involved', page, topics }
  }
  app.get('/get-involved', { schema: { querystring: topicQuery } }, async (request, reply) => {
    const topic = request.query.topic
    return reply.page('pages/views/get-involved.njk', { ...(await getInvolvedContext()), values: { topic } })
  })
  app.post('/get-involved', { config: { once: 'content' } }, async (request, reply) =>
    handleForm(
      reply,
      {
        schema: enquiryForm,
        body: request.body,
        template: 'pages/views/get-involved.njk',
        context: getInvolvedContext,
        order: ['name', 'email', 'organisation', 'topic', 'message'],
      },
      async (data) => {
        await pages.createEnquiry(data, requestMeta(request).ip)
        return reply.redirect(`/get-involved/sent?email=${encodeURIComponent(data.email)}`, 303)
      },
    ),
  )
  app.get('/get-involved/sent', { schema: { querystring: emailQuery } }, async (request, reply) => {
    const email = (request.query.email ?? '').slice(0, 254)
    return reply.page('pages/views/enquiry-sent.njk', { title: 'We have received your enquiry', email })
  })

  app.get('/contact', async (_request, reply) => {
    const page = await pages.get('contact')
    return reply.page('pages/views/page.njk', {
      title: page?.title ?? 'Contact us',
      page,
      slug: 'contact',
      contacts: CONTACTS,
    })
  })
}

function fallbackTitle(slug: string): string {
  return (
    {
      'what-is-qi': 'What is quality improvement?',
      privacy: 'Privacy notice',
      accessibility: 'Accessibility statement',
    }[slug] ?? slug
  )
}
