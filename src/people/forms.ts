import { z } from 'zod'
import { checkbox, optionalPlainText, optionalText, requiredText, stringList } from '../web/forms.js'
import { QI_LEVELS } from './profile-options.js'
import { ROLE_NAMES } from '../core/identity.js'

export const profileForm = z.object({
  name: requiredText('your full name', 120),
  organisationId: optionalText('organisation', 100),
  jobRole: optionalText('job role', 120),
  bio: optionalText('about you', 2000),
  skills: optionalText('skills', 500),
  interests: optionalText('interests', 500),
  qiLevel: z.enum(Object.keys(QI_LEVELS) as [keyof typeof QI_LEVELS], {
    error: 'Select your QI training level',
  }),
  inDirectory: checkbox,
  share: stringList.pipe(
    z.array(
      z.enum(['email', 'organisation', 'jobRole', 'bio', 'skills'], {
        error: 'Select what to share from the list',
      }),
    ),
  ),
  version: z.coerce.number({ error: 'Reload the page and try again' }).int().min(1),
})

export const directoryQuery = z.object({
  q: optionalPlainText('search', 100).catch(''),
  organisation: optionalText('organisation', 100).catch(''),
  skill: optionalText('skill', 100).catch(''),
  page: z.coerce.number().int().min(1).max(10000).catch(1),
})

export const grantForm = z.object({
  role: z.enum(ROLE_NAMES as [string, ...string[]], { error: 'Select a role' }),
  scopeId: optionalText('scope', 100),
})

export type ProfileInput = z.infer<typeof profileForm>
