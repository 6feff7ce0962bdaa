import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { NotFoundError } from '../core/errors.js'
import { handleForm } from '../web/form-page.js'
import { guard, signedIn } from '../web/guard.js'
import { requireUser } from '../web/plugin.js'
import { acceptAnyBody } from '../web/one-click.js'
import { idParam, slugParam, type ZodApp } from '../web/route-schemas.js'
import { editForm, replyForm, reportDecisionForm, reportForm, threadForm } from './forms.js'
import { EDIT_WINDOW_MS, MAX_POST_CHARS, REPORT_REASONS } from './policy.js'
import type { NetworkService } from './service.js'

const threadParams = z.object({ slug: slugParam, threadId: idParam })
const postParams = z.object({ slug: slugParam, postId: idParam })
const reportParams = z.object({ slug: slugParam, reportId: idParam })
const slugParams = z.object({ slug: slugParam })
/** The token as sent: a tampered one reaches the handler and gets a clear page, not a 400. */
const tokenParams = z.object({ token: z.string().max(300) })

const ip = (request: FastifyRequest) => request.ip
const textOf = (value: unknown) => (typeof value === 'string' ? value : '')
const slugOf = (request: FastifyRequest) => (request.params as { slug: string }).slug
/** A 1 MB post reaches the form's own length check (an error summary), not the 256 KB body limit. */
export const POST_BODY_LIMIT = 4 * 1024 * 1024
const limits = { maxChars: MAX_POST_CHARS.toLocaleString('en-GB'), editMinutes: EDIT_WINDOW_MS / 60_000 }

const reasonItems = (selected = '') =>
  Object.entries(REPORT_REASONS).map(([value, text]) => ({ value, text, checked: value === selected }))

/** Threads, replies, editing, deleting, reporting and the moderators' and IG lead's queues; unsubscribe. */
export async function discussionRoutes(app: ZodApp, networks: NetworkService) {
  const poster = guard((user, r) => networks.requirePoster(user, slugOf(r)))
  const reader = guard((user, r) => networks.readable(user, slugOf(r)))
  const moderator = guard((user, r) => networks.requireModerator(user, slugOf(r)))
  const reportHandler = guard((user, r) =>
    networks.reportFor(user, (r.params as { reportId: string }).reportId),
  )

  // ----- threads -----

  const newThreadTemplate = 'networks/views/thread-new.njk'
  app.get(
    '/networks/:slug/threads/new',
    { schema: { params: slugParams }, preHandler: poster },
    async (request, reply) => {
      const { network } = await networks.requirePoster(requireUser(request), request.params.slug)
      return reply.page(newThreadTemplate, { title: 'Start a discussion', network, values: {}, ...limits })
    },
  )

  app.post(
    '/networks/:slug/threads',
    {
      schema: { params: slugParams },
      preHandler: poster,
      bodyLimit: POST_BODY_LIMIT,
      config: { once: 'content' },
    },
    async (request, reply) => {
      const user = requireUser(request)
      const { network } = await networks.requirePoster(user, request.params.slug)
      return handleForm(
        reply,
        {
          schema: threadForm,
          body: request.body,
          template: newThreadTemplate,
          context: () => ({ title: 'Start a discussion', network, ...limits }),
          order: ['title', 'body'],
        },
        async (data) => {
          const id = await networks.startThread(user, network.slug, data, ip(request))
          return reply
            .flash('Your discussion has started.')
            .redirect(`/networks/${network.slug}/threads/${id}`, 303)
        },
      )
    },
  )

  const threadContext = async (request: FastifyRequest, slug: string, threadId: string) => {
    const page = await networks.threadPage(requireUser(request), slug, threadId)
    return {
      title: page.thread.status === 'open' ? page.thread.title : 'This discussion was removed',
      ...page,
      values: {},
      ...limits,
    }
  }

  app.get(
    '/networks/:slug/threads/:threadId',
    { schema: { params: threadParams }, preHandler: reader },
    async (request, reply) =>
      reply.page(
        'networks/views/thread.njk',
        await threadContext(request, request.params.slug, request.params.threadId),
      ),
  )

  app.post(
    '/networks/:slug/threads/:threadId/replies',
    {
      schema: { params: threadParams },
      preHandler: poster,
      bodyLimit: POST_BODY_LIMIT,
      config: { once: 'content' },
    },
    async (request, reply) => {
      const user = requireUser(request)
      const { slug, threadId } = request.params
      // A reply to a thread that does not exist (or was never in this network) is a 404 before the form.
      await networks.threadPage(user, slug, threadId)
      return handleForm(
        reply,
        {
          schema: replyForm,
          body: request.body,
          template: 'networks/views/thread.njk',
          context: () => threadContext(request, slug, threadId),
          order: ['body'],
        },
        async (data) => {
          const id = await networks.reply(user, slug, threadId, data.body, ip(request))
          return reply
            .flash('Your reply has been posted.')
            .redirect(`/networks/${slug}/threads/${threadId}#post-${id}`, 303)
        },
      )
    },
  )

  // ----- a post: edit, delete, report -----

  const editTemplate = 'networks/views/post-edit.njk'
  const editContext = async (request: FastifyRequest, slug: string, postId: string) => {
    const page = await networks.editable(requireUser(request), slug, postId)
    return { title: 'Edit your post', ...page, ...limits }
  }
  const author = guard((user, r) => {
    const { slug, postId } = r.params as { slug: string; postId: string }
    return networks.editable(user, slug, postId)
  })

  app.get(
    '/networks/:slug/posts/:postId/edit',
    { schema: { params: postParams }, preHandler: author },
    async (request, reply) => {
      const context = await editContext(request, request.params.slug, request.params.postId)
      return reply.page(editTemplate, { ...context, values: { body: context.post.body } })
    },
  )

  app.post(
    '/networks/:slug/posts/:postId/edit',
    { schema: { params: postParams }, preHandler: author, bodyLimit: POST_BODY_LIMIT },
    async (request, reply) => {
      const user = requireUser(request)
      const { slug, postId } = request.params
      return handleForm(
        reply,
        {
          schema: editForm,
          body: request.body,
          template: editTemplate,
          context: () => editContext(request, slug, postId),
        },
        async (data) => {
          const post = await networks.editPost(user, slug, postId, data.body, ip(request))
          return reply
            .flash('Your post has been changed.')
            .redirect(`/networks/${slug}/threads/${post.threadId}#post-${postId}`, 303)
        },
      )
    },
  )

  app.post(
    '/networks/:slug/posts/:postId/delete',
    { schema: { params: postParams }, preHandler: reader },
    async (request, reply) => {
      const user = requireUser(request)
      const { slug, postId } = request.params
      const { post, already } = await networks.deletePost(user, slug, postId, ip(request))
      return reply
        .flash(
          already ? 'This post had already been removed.' : 'The post has been removed.',
          already ? 'info' : 'success',
        )
        .redirect(`/networks/${slug}/threads/${post.threadId}`, 303)
    },
  )

  const reportTemplate = 'networks/views/report.njk'
  const reportContext = async (request: FastifyRequest, slug: string, postId: string) => {
    const page = await networks.reportable(requireUser(request), slug, postId)
    return {
      title: 'Report a post',
      ...page,
      reasonItems: reasonItems(textOf((request.body as { reason?: unknown } | undefined)?.reason)),
    }
  }
  const alreadyRemoved = (reply: FastifyReply, slug: string, threadId: string) =>
    reply
      .flash(
        'This post has already been removed, so there is nothing to report. Thank you for looking out for the community.',
        'info',
      )
      .redirect(`/networks/${slug}/threads/${threadId}`, 303)

  app.get(
    '/networks/:slug/posts/:postId/report',
    { schema: { params: postParams }, preHandler: reader },
    async (request, reply) => {
      const context = await reportContext(request, request.params.slug, request.params.postId)
      if (context.post.status === 'removed')
        return alreadyRemoved(reply, request.params.slug, context.post.threadId)
      return reply.page(reportTemplate, { ...context, values: {} })
    },
  )

  app.post(
    '/networks/:slug/posts/:postId/report',
    { schema: { params: postParams }, preHandler: reader },
    async (request, reply) => {
      const user = requireUser(request)
      const { slug, postId } = request.params
      return handleForm(
        reply,
        {
          schema: reportForm,
          body: request.body,
          template: reportTemplate,
          context: () => reportContext(request, slug, postId),
        },
        async (data) => {
          const { post } = await networks.reportable(user, slug, postId)
          const outcome = await networks.report(user, slug, postId, data.reason, ip(request))
          if (outcome === 'removed') return alreadyRemoved(reply, slug, post.threadId)
          return reply
            .flash(
              outcome === 'hidden'
                ? 'Thank you. The post is hidden now, and the information governance lead will check it.'
                : 'Thank you. The network’s moderators will look at the post.',
            )
            .redirect(`/networks/${slug}/threads/${post.threadId}`, 303)
        },
      )
    },
  )

  // ----- the queues -----

  const decisionItems = (ig: boolean) =>
    ig
      ? [
          { value: 'remove', text: 'It is patient data: remove the post' },
          { value: 'restore', text: 'It is not patient data: show the post again' },
        ]
      : [
          { value: 'remove', text: 'Remove the post' },
          { value: 'dismiss', text: 'Keep the post: it breaks no guidelines' },
        ]

  app.get(
    '/networks/:slug/reports',
    { schema: { params: slugParams }, preHandler: moderator },
    async (request, reply) => {
      const page = await networks.reportQueue(requireUser(request), request.params.slug)
      return reply.page('networks/views/reports.njk', {
        title: `Reported posts in ${page.network.name}`,
        ...page,
        reasons: REPORT_REASONS,
        decisionItems: decisionItems(false),
        back: `/networks/${page.network.slug}`,
      })
    },
  )

  app.get('/networks/ig-reports', { preHandler: signedIn }, async (request, reply) => {
    const reports = await networks.igQueue(requireUser(request))
    return reply.page('networks/views/reports.njk', {
      title: 'Posts reported as patient data',
      reports,
      reasons: REPORT_REASONS,
      decisionItems: decisionItems(true),
      ig: true,
      back: '/networks',
    })
  })

  app.post(
    '/networks/:slug/reports/:reportId',
    { schema: { params: reportParams }, preHandler: reportHandler },
    async (request, reply) => {
      const user = requireUser(request)
      const report = await networks.reportFor(user, request.params.reportId)
      if (report.networkSlug !== request.params.slug) throw new NotFoundError()
      const ig = report.routedTo === 'ig_lead'
      const back = ig ? '/networks/ig-reports' : `/networks/${report.networkSlug}/reports`
      const parsed = reportDecisionForm.safeParse(request.body ?? {})
      if (!parsed.success || (ig ? parsed.data.decision === 'dismiss' : parsed.data.decision === 'restore'))
        return reply.flash('Choose what to do with the post, then send again.', 'info').redirect(back, 303)
      const { outcome } = await networks.decideReport(user, report.id, parsed.data.decision, ip(request))
      const messages = {
        already: 'This report had already been handled.',
        removed: 'The post has been removed.',
        restored: 'The post is shown again.',
        dismissed: 'The report is closed and the post stays.',
      }
      return reply.flash(messages[outcome], outcome === 'already' ? 'info' : 'success').redirect(back, 303)
    },
  )

  // ----- one-click unsubscribe (RFC 8058): no sign-in, no CSRF; the token is the proof -----

  await app.register(async (open: ZodApp) => {
    acceptAnyBody(open)
    const notifier = networks.notifier
    const invalid = (reply: FastifyReply, used: boolean, name?: string, slug?: string) =>
      reply.page(
        'networks/views/unsubscribe.njk',
        {
          title: used ? 'This link has been used' : 'This link does not work',
          state: used ? 'used' : 'invalid',
          networkName: name,
          slug,
        },
        used ? 410 : 404,
      )

    open.get('/unsubscribe/:token', { schema: { params: tokenParams } }, async (request, reply) => {
      try {
        const found = await notifier.unsubscribeState(request.params.token)
        if (found.usedAt) return invalid(reply, true, found.networkName, found.slug)
        return reply.page('networks/views/unsubscribe.njk', {
          title: `Stop e-mails from ${found.networkName}`,
          state: 'confirm',
          networkName: found.networkName,
          token: request.params.token,
        })
      } catch (error) {
        if (error instanceof NotFoundError) return invalid(reply, false)
        throw error
      }
    })

    open.post(
      '/unsubscribe/:token',
      { schema: { params: tokenParams }, config: { csrf: false, once: false } },
      async (request, reply) => {
        try {
          const done = await notifier.unsubscribe(request.params.token, ip(request))
          if (done.used) return invalid(reply, true, done.networkName, done.slug)
          return reply.page('networks/views/unsubscribe.njk', {
            title: 'You are unsubscribed',
            state: 'done',
            networkName: done.networkName,
            slug: done.slug,
          })
        } catch (error) {
          if (error instanceof NotFoundError) return invalid(reply, false)
          throw error
        }
      },
    )
  })
}
