import { z } from 'zod'
import { requiredText } from '../web/forms.js'
import { EMAIL_PREFS, JOIN_POLICIES, MAX_POST_CHARS, REPORT_REASONS } from './policy.js'

const count = (n: number) => n.toLocaleString('en-GB')

/**
 * A post's Markdown: screened like all free text, and at most 20,000 characters, with a message
 * that says how long it is (the length is checked first, so a 1 MB post is never screened).
 */
const postText = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value === 'string' && value.length > MAX_POST_CHARS)
      ctx.addIssue({
        code: 'custom',
        message: `Your post is ${count(value.length)} characters long: a post can be at most ${count(MAX_POST_CHARS)} characters. Shorten it or split it into several posts`,
      })
  })
  .pipe(requiredText('your post', MAX_POST_CHARS))

export const networkForm = z.object({
  name: requiredText('the network’s name', 100, 3),
  purpose: requiredText('what the network is for', 2000, 10),
  joinPolicy: z.enum(Object.keys(JOIN_POLICIES) as [keyof typeof JOIN_POLICIES], {
    error: 'Select whether anyone can join or members ask to join',
  }),
})
export type NetworkInput = z.infer<typeof networkForm>

export const threadForm = z.object({
  title: requiredText('a title', 150, 3),
  body: postText,
})
export type ThreadInput = z.infer<typeof threadForm>

export const replyForm = z.object({ body: postText })
export const editForm = z.object({ body: postText })

export const preferenceForm = z.object({
  emailPref: z.enum(Object.keys(EMAIL_PREFS) as [keyof typeof EMAIL_PREFS], {
    error: 'Select how often you want e-mails from this network',
  }),
})

export const reportForm = z.object({
  reason: z.enum(Object.keys(REPORT_REASONS) as [keyof typeof REPORT_REASONS], {
    error: 'Select why you are reporting this post',
  }),
})

export const requestDecisionForm = z.object({
  decision: z.enum(['approve', 'decline'], { error: 'Select whether to approve or decline' }),
})

export const roleForm = z.object({
  role: z.enum(['moderator', 'member'], { error: 'Select a role' }),
})

/** Moderators remove or dismiss; the IG lead removes or restores (not patient data after all). */
export const reportDecisionForm = z.object({
  decision: z.enum(['remove', 'dismiss', 'restore'], { error: 'Select what to do with the post' }),
})
