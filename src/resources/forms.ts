import { z } from 'zod'
import { dateField, dateParts } from '../core/dates.js'
import { optionalPlainText, optionalText, requiredText } from '../web/forms.js'
import { QSIR_STAGES } from '../projects/lifecycle.js'
import { AUDIENCES, RESOURCE_KINDS } from './policy.js'

const stageKeys = Object.keys(QSIR_STAGES) as [keyof typeof QSIR_STAGES]
const audienceKeys = Object.keys(AUDIENCES) as [keyof typeof AUDIENCES]

/** The library's filters: each one an id from a list; anything else is dropped, never echoed. */
export const resourceQuery = z.object({
  q: optionalPlainText('search', 200).catch(''),
  tag: optionalPlainText('tag', 40).catch(''),
  audience: z.enum(audienceKeys).or(z.literal('')).catch(''),
  stage: z.enum(stageKeys).or(z.literal('')).catch(''),
  kind: z.enum(['guide', 'link']).or(z.literal('')).catch(''),
})

/** A same-site path into the app ("/projects?mine=1"), never another site or a scheme. */
const appPath = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : ''),
  z
    .string()
    .max(200, { error: 'The link into the app must be 200 characters or fewer' })
    .regex(/^(\/(?![/\\])[A-Za-z0-9\-._~/?=&%]*)?$/, {
      error: 'Enter a link into the app that starts with /, like /projects?mine=1',
    }),
)

const webAddress = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : ''),
  z
    .string()
    .max(500, { error: 'The web address must be 500 characters or fewer' })
    .regex(/^(https?:\/\/[^\s<>"]+)?$/, {
      error: 'Enter a web address that starts with https:// or http://',
    }),
)

/** A guide or a curated link, as the Steering Group writes it. */
export const resourceForm = z
  .object({
    kind: z.enum(Object.keys(RESOURCE_KINDS) as [keyof typeof RESOURCE_KINDS], {
      error: 'Select whether this is a guide or a link',
    }),
    title: requiredText('a title', 150),
    summary: optionalText('summary', 300),
    body: optionalText('the guide', 20000),
    url: webAddress,
    publisher: optionalText('publisher', 150),
    checkedOn: z.union([dateField('date the link was last checked'), z.null()]),
    appHref: appPath,
    appText: optionalText('the link’s words', 120),
    stage: z.enum(stageKeys).or(z.literal('')).catch(''),
    audience: z.enum(audienceKeys, { error: 'Select who this is for' }),
    tags: optionalText('tags', 300),
    version: z.coerce.number({ error: 'The version is missing: reload the page' }).int().min(0),
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'guide' && !f.body)
      ctx.addIssue({ code: 'custom', message: 'Enter the guide', path: ['body'] })
    if (f.kind === 'link' && !f.publisher)
      ctx.addIssue({ code: 'custom', message: 'Enter who publishes it', path: ['publisher'] })
    if (f.appHref && !f.appText)
      ctx.addIssue({ code: 'custom', message: 'Enter the words of the link into the app', path: ['appText'] })
  })
export type ResourceInput = z.infer<typeof resourceForm>

/** The form's body with its date boxes gathered into one field. */
export function resourceBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>
  const p = dateParts(b, 'checkedOn')
  return { ...b, checkedOn: p.day || p.month || p.year ? p : null }
}

/** Tags typed with commas: trimmed, lower case, no repeats, at most 10. */
export function tagList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim().toLowerCase().replace(/\s+/g, ' '))
        .filter(Boolean),
    ),
  ].slice(0, 10)
}
