import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import type { Database } from './db/database.js'
import { AuditService } from './audit/service.js'
import { AuthService } from './auth/service.js'
import { RateLimiter } from './auth/rate-limit.js'
import { SessionStore } from './auth/sessions.js'
import { authRoutes } from './auth/routes.js'
import { ssoRoutes } from './auth/sso.js'
import { JobQueue } from './jobs/queue.js'
import { MailService } from './mail/service.js'
import { PeopleService } from './people/service.js'
import { findPersonByEmail } from './people/repository.js'
import { peopleRoutes } from './people/routes.js'
import { PagesService } from './pages/service.js'
import { pagesRoutes } from './pages/routes.js'
import { adminRoutes } from './admin/routes.js'
import { CommunityService } from './community/service.js'
import { LearningService } from './learning/service.js'
import { learningRoutes } from './learning/routes.js'
import { buildFacilitation, type FacilitationServices } from './facilitation/index.js'
import { facilitationRoutes } from './facilitation/routes.js'
import { buildEvents, type EventServices } from './events/index.js'
import { eventRoutes } from './events/routes.js'
import { buildProjects, type ProjectServices } from './projects/index.js'
import { projectRoutes } from './projects/routes.js'
import { buildImprovement, type ImprovementServices } from './improvement/index.js'
import { improvementRoutes } from './improvement/routes.js'
import { MeasureService } from './measures/service.js'
import { measureRoutes } from './measures/routes.js'
import { buildGovernance, type GovernanceServices } from './governance/index.js'
import { governanceRoutes } from './governance/routes.js'
import { ApiService } from './api/service.js'
import { ApiTokenService } from './api/tokens.js'
import { apiRoutes } from './api/routes.js'
import { webPlugin } from './web/plugin.js'
import { ScreeningService } from './screening/service.js'
import { screenWrites } from './screening/hook.js'
import { screeningRoutes } from './screening/routes.js'
import { RedactionService } from './redaction/service.js'
import { redactionRoutes } from './redaction/routes.js'
import { oncePlugin, pruneFormSubmissions } from './web/once.js'
import { COMMUNITY_NAME } from './web/site.js'
import { ShowcaseService } from './showcase/service.js'
import { showcaseRoutes } from './showcase/routes.js'
import { sitemapRoutes, type SitemapSource } from './web/sitemap.js'
import { buildNetworks, type NetworkService } from './networks/index.js'
import { networkRoutes } from './networks/routes.js'
import { PartnerService } from './partners/service.js'
import { partnerRoutes } from './partners/routes.js'
import { paperRoutes } from './paper/routes.js'
import { NotificationService } from './notifications/service.js'
import { notificationRoutes } from './notifications/routes.js'
import { ResourceService } from './resources/service.js'
import { resourceRoutes } from './resources/routes.js'
import { SearchService } from './search/service.js'
import { searchRoutes } from './search/routes.js'
import { CoachService } from './coach/service.js'
import { coachRoutes } from './coach/routes.js'
import { MyWorkService } from './mywork/service.js'
import { myWorkHome, myWorkRoutes } from './mywork/routes.js'

export interface AppDeps {
  config: Config
  database: Database
  clock?: () => Date
}

export interface Services {
  audit: AuditService
  auth: AuthService
  mail: MailService
  /** Background jobs in the database (jobs/queue.ts); features register their handlers on it. */
  jobs: JobQueue
  people: PeopleService
  pages: PagesService
  community: CommunityService
  sessions: SessionStore
  limiter: RateLimiter
  measures: MeasureService
  api: ApiService
  apiTokens: ApiTokenService
  learning: LearningService
  facilitation: FacilitationServices
  events: EventServices
  projects: ProjectServices
  improvement: ImprovementServices
  /** The Steering Group's portfolio and the Board's SPC summary, built on the services above. */
  governance: GovernanceServices
  screening: ScreeningService
  redaction: RedactionService
  /** Occasions, posters (upload, consent, approval), the gallery and voting. */
  showcase: ShowcaseService
  /** Networks with discussions, their e-mails and digests (networks/). */
  networks: NetworkService
  /** The resources library: guides and curated links, edited by the Steering Group. */
  resources: ResourceService
  /** One search across every kind (search/sources/), each result only for those who may see it. */
  search: SearchService
  /** The built-in QI coach: rules that give a project's team advice, never a block (coach/). */
  coach: CoachService
  /** Improvement partners: the plain-English view, "you said, we did" and the involvement log. */
  partners: PartnerService
  /** A signed-in person's home: what needs them, from each feature's service (mywork/). */
  myWork: MyWorkService
  /** Notification preferences: the mail outbox's gate, digests and one-click unsubscribe (notifications/). */
  notifications: NotificationService
  /** One-time form submission keys (web/once.ts). */
  formSubmissions: { prune(olderThan: Date): Promise<void> }
}

export function buildServices(deps: AppDeps): Services {
  const clock = deps.clock ?? (() => new Date())
  // `reader` only for the read-heavy lists (db/database.ts); everything else on the primary.
  const { db, reader } = deps.database
  const { config } = deps
  const mail = new MailService(db, {
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    guard: config.mailGuard,
    clock,
    communityName: COMMUNITY_NAME,
    recipientName: async (trx, email) => (await findPersonByEmail(trx, email))?.name ?? null,
  })
  const sessions = new SessionStore(db, clock)
  const limiter = new RateLimiter(db, clock)
  const audit = new AuditService(db)
  const measures = new MeasureService(db, clock)
  const events = buildEvents(db, clock, mail, config.baseUrl, reader)
  const projects = buildProjects(db, clock, mail, config.baseUrl, reader)
  const improvement = buildImprovement(db, clock)
  const jobs = new JobQueue(db, { clock })
  // Every e-mail passes a person's notification preferences before it reaches the outbox.
  const notifications = new NotificationService({ db, clock, mail, jobs, baseUrl: config.baseUrl })
  mail.useGate(notifications)
  notifications.registerJobs(jobs)
  const learning = new LearningService(db, clock, mail, config.baseUrl, reader)
  const community = new CommunityService(db)
  const showcase = new ShowcaseService({
    db,
    clock,
    jobs,
    projects: projects.projects,
    measures,
    community,
    improvement: improvement.reports,
  })
  showcase.registerJobs(jobs)
  const people = new PeopleService(db, clock, mail, config.baseUrl, reader)
  const networks = buildNetworks({ db, clock, mail, jobs, people, baseUrl: config.baseUrl })
  networks.registerJobs(jobs)
  const facilitation = buildFacilitation(db, clock, mail, config.baseUrl, events.events)
  return {
    audit,
    mail,
    jobs,
    sessions,
    limiter,
    auth: new AuthService({
      db,
      clock,
      mail,
      sessions,
      limiter,
      baseUrl: config.baseUrl,
      communityName: COMMUNITY_NAME,
    }),
    people,
    pages: new PagesService(db, clock, mail),
    community,
    measures,
    api: new ApiService(db, measures, showcase),
    apiTokens: new ApiTokenService(db, clock),
    learning,
    facilitation,
    events,
    projects,
    improvement,
    governance: buildGovernance(db, clock, {
      projects: projects.projects,
      measures,
      improvement: improvement.reports,
      jobs,
      posters: showcase,
      learning,
      facilitation,
      reach: { events: events.events, showcase },
      digest: {
        mail,
        baseUrl: config.baseUrl,
        review: showcase.posters,
        pipeline: facilitation.pipeline,
        learning,
      },
    }),
    screening: new ScreeningService(db, clock),
    redaction: new RedactionService(db, clock),
    showcase,
    networks,
    resources: new ResourceService(db, clock),
    partners: new PartnerService({ db, clock, projects, measures, improvement }),
    search: new SearchService(db, { projects: projects.projects, showcase, networks }),
    coach: new CoachService({
      projects: projects.projects,
      measures,
      pdsa: improvement.pdsa,
      guides: new ResourceService(db, clock),
    }),
    myWork: new MyWorkService({
      clock,
      projects: projects.projects,
      lifecycle: projects.lifecycle,
      pdsa: improvement.pdsa,
      measures,
      learning,
      support: facilitation.support,
      pipeline: facilitation.pipeline,
      posters: showcase.posters,
      networks,
    }),
    notifications,
    formSubmissions: { prune: (olderThan) => pruneFormSubmissions(db, olderThan) },
  }
}

/** Builds the whole web application without listening, so tests can `inject` requests. */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; services: Services }> {
  const services = buildServices(deps)
  const app = Fastify({
    logger: deps.config.log,
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Long params reach the route's schema (a 400 naming the field), not the router's bare 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
  })
  await app.register(webPlugin, {
    config: deps.config,
    sessions: services.sessions,
    clock: deps.clock,
    replica: deps.database.reader !== deps.database.db,
  })
  // Before any route: every write handler runs with the IG lead's hospital-number patterns.
  screenWrites(app, () => services.screening.patterns())
  await app.register(oncePlugin, { db: deps.database.db, clock: deps.clock })

  app.get('/healthz', async (_request, reply) => {
    try {
      await deps.database.db.selectFrom('settings').select('key').limit(1).execute()
      return { status: 'ok', database: deps.database.dialect }
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: deps.database.dialect })
    }
  })

  // Each feature's routes get only the services they name (their *RouteServices type).
  const only = <K extends keyof Services>(...names: K[]): Pick<Services, K> =>
    Object.fromEntries(names.map((n) => [n, services[n]])) as Pick<Services, K>
  await app.register(authRoutes, { services: only('auth', 'community'), config: deps.config })
  await app.register(ssoRoutes, { services: only('auth'), config: deps.config })
  await app.register(pagesRoutes, {
    services: { ...only('pages', 'community'), myWork: myWorkHome(services.myWork) },
  })
  await app.register(myWorkRoutes, { services: only('myWork') })
  await app.register(peopleRoutes, { services: only('people', 'community') })
  await app.register(adminRoutes, { services: only('people', 'audit', 'mail', 'pages', 'community') })
  await app.register(screeningRoutes, { services: only('screening') })
  await app.register(redactionRoutes, { services: only('redaction') })
  await app.register(measureRoutes, { services: only('measures', 'coach') })
  await app.register(apiRoutes, { services: only('api', 'apiTokens', 'limiter') })
  await app.register(learningRoutes, { services: only('learning') })
  await app.register(facilitationRoutes, { services: only('facilitation') })
  await app.register(eventRoutes, { e: services.events, programmes: services.facilitation.programmes })
  await app.register(projectRoutes, {
    services: { ...only('projects', 'people', 'resources', 'coach'), similar: services.showcase.similar },
  })
  await app.register(improvementRoutes, { services: only('improvement', 'projects', 'coach') })
  await app.register(showcaseRoutes, { services: only('showcase') })
  await app.register(sitemapRoutes, { baseUrl: deps.config.baseUrl, sources: sitemapSources(services) })
  await app.register(governanceRoutes, { services: only('governance') })
  await app.register(networkRoutes, { services: only('networks') })
  await app.register(partnerRoutes, { services: only('partners') })
  await app.register(notificationRoutes, { services: only('notifications') })
  await app.register(paperRoutes, {
    services: { pdsa: services.improvement.pdsa, measures: services.measures },
    baseUrl: deps.config.baseUrl,
    clock: deps.clock ?? (() => new Date()),
  })
  await app.register(resourceRoutes, { services: only('resources') })
  await app.register(searchRoutes, { services: only('search') })
  await app.register(coachRoutes, { services: only('coach') })
  return { app, services }
}

/** The public pages search engines may list: the fixed pages, then each feature's public records. */
function sitemapSources(services: Services): SitemapSource[] {
  const fixed = [
    '/',
    '/about',
    '/get-involved',
    '/contact',
    '/showcase',
    '/showcase/archive',
    '/learning',
    '/events',
    '/programmes',
  ]
  return [
    async () => fixed.map((path) => ({ path })),
    async () => (await services.showcase.occasions()).map((o) => ({ path: `/showcase/occasions/${o.id}` })),
    async () =>
      (await services.showcase.listPublicPosters()).map((p) => ({ path: p.url, lastModified: p.approvedAt })),
    async () =>
      (await services.projects.projects.list(null, { page: 1, pageSize: 5000 })).items.map((p) => ({
        path: `/projects/${p.id}`,
        lastModified: p.lastActivityAt,
      })),
  ]
}
