import { z } from 'zod'
import { londonToday } from '../core/dates.js'
import type { CurrentUser } from '../core/identity.js'
import type { PdsaService } from '../improvement/pdsa/service.js'
import type { MeasureService } from '../measures/service.js'
import { COMMUNITY_NAME } from '../web/site.js'
import { sendDownload } from '../web/download.js'
import { idParam, idParams, type ZodApp } from '../web/route-schemas.js'
import {
  DEFAULT_PERIODS,
  MAX_PERIODS,
  nextPeriods,
  pdsaPaper,
  sheetPaper,
  type PdsaFacts,
} from './content.js'
import { pdsaPdf, sheetPdf } from './pdf.js'

/** The services these routes use: app.ts passes only these. */
export interface PaperRouteServices {
  pdsa: Pick<PdsaService, 'cycle' | 'list'>
  measures: Pick<MeasureService, 'sheet'>
}

const pdsaParams = z.object({ id: idParam, pdsaId: idParam })
const sheetQuery = z.object({
  periods: z.coerce
    .number({ error: 'The number of periods must be a whole number' })
    .int({ error: 'The number of periods must be a whole number' })
    .min(1, { error: 'The number of periods must be 1 or more' })
    .max(MAX_PERIODS, { error: `The number of periods must be ${MAX_PERIODS} or fewer` })
    .default(DEFAULT_PERIODS),
})

const enc = encodeURIComponent
const pdfName = (title: string) =>
  `${
    title
      .replace(/[^\w-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'form'
  }.pdf`

/**
 * Paper for wards without a computer to hand: a PDSA form (of a cycle, or blank for the
 * project) and a measure's data-collection sheet, each as a print page and a PDF. Whoever may
 * see the cycle or the measure may print it; others get "not found" (a problem for the PDFs).
 */
export async function paperRoutes(
  app: ZodApp,
  { services, baseUrl, clock }: { services: PaperRouteServices; baseUrl: string; clock: () => Date },
) {
  const { pdsa, measures } = services
  const url = (path: string) => `${baseUrl.replace(/\/$/, '')}${path}`

  const cyclePaper = async (user: CurrentUser | null, projectId: string, pdsaId: string) => {
    const view = await pdsa.cycle(user, projectId, pdsaId)
    const c = view.cycle
    const facts: PdsaFacts = {
      ...c,
      changeIdeaTitle: view.changeIdea.title,
      measures: view.measures.map((m) => m.title),
    }
    const here = `/projects/${enc(view.project.id)}/pdsa/${enc(c.id)}`
    return { view, here, paper: pdsaPaper(COMMUNITY_NAME, view.project.title, facts, url(here)) }
  }
  const blankPaper = async (user: CurrentUser | null, projectId: string) => {
    const { project } = await pdsa.list(user, projectId)
    const here = `/projects/${enc(project.id)}/pdsa`
    return { project, here, paper: pdsaPaper(COMMUNITY_NAME, project.title, null, url(`${here}/new`)) }
  }

  app.get('/projects/:id/pdsa/:pdsaId/print', { schema: { params: pdsaParams } }, async (request, reply) => {
    const { view, here, paper } = await cyclePaper(request.user, request.params.id, request.params.pdsaId)
    return reply.page('paper/views/pdsa.njk', {
      title: paper.title,
      paper,
      back: { href: here, text: 'Back to the cycle' },
      pdf: `${here}/form.pdf`,
      project: view.project,
    })
  })
  app.get(
    '/projects/:id/pdsa/:pdsaId/form.pdf',
    { schema: { params: pdsaParams } },
    async (request, reply) => {
      const { paper } = await cyclePaper(request.user, request.params.id, request.params.pdsaId)
      return sendDownload(
        reply,
        { filename: pdfName(paper.title), body: await pdsaPdf(paper) },
        'application/pdf',
      )
    },
  )
  app.get('/projects/:id/pdsa-form', { schema: { params: idParams } }, async (request, reply) => {
    const { project, here, paper } = await blankPaper(request.user, request.params.id)
    return reply.page('paper/views/pdsa.njk', {
      title: `Blank PDSA form: ${project.title}`,
      paper,
      back: { href: here, text: 'Back to the PDSA cycles' },
      pdf: `/projects/${enc(project.id)}/pdsa-form.pdf`,
      project,
    })
  })
  app.get('/projects/:id/pdsa-form.pdf', { schema: { params: idParams } }, async (request, reply) => {
    const { paper } = await blankPaper(request.user, request.params.id)
    return sendDownload(reply, { filename: 'pdsa-form.pdf', body: await pdsaPdf(paper) }, 'application/pdf')
  })

  const measureSheet = async (user: CurrentUser | null, measureId: string, periods: number) => {
    const s = await measures.sheet(user, measureId)
    const m = s.measure
    const base = `/measures/${enc(m.id)}`
    const rows = nextPeriods(m.frequency, s.latestPeriod, londonToday(clock()), periods)
    return {
      s,
      base,
      paper: sheetPaper(COMMUNITY_NAME, s.project.title, m, rows, {
        paste: url(`${base}/paste`),
        upload: url(`${base}/upload`),
        entry: url(`${base}/data/new`),
      }),
    }
  }

  app.get(
    '/measures/:id/sheet',
    { schema: { params: idParams, querystring: sheetQuery } },
    async (request, reply) => {
      const { s, base, paper } = await measureSheet(request.user, request.params.id, request.query.periods)
      return reply.page('paper/views/sheet.njk', {
        title: paper.title,
        paper,
        back: { href: base, text: 'Back to the measure' },
        pdf: `${base}/sheet.pdf?periods=${request.query.periods}`,
        periods: request.query.periods,
        maxPeriods: MAX_PERIODS,
        action: `${base}/sheet`,
        latestPeriod: s.latestPeriod,
      })
    },
  )
  app.get(
    '/measures/:id/sheet.pdf',
    { schema: { params: idParams, querystring: sheetQuery } },
    async (request, reply) => {
      const { paper } = await measureSheet(request.user, request.params.id, request.query.periods)
      return sendDownload(
        reply,
        {
          filename: pdfName(paper.title.replace('Data collection sheet: ', 'sheet-')),
          body: await sheetPdf(paper),
        },
        'application/pdf',
      )
    },
  )
}
