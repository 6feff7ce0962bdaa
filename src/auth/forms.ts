import { z } from 'zod'
import { AFFILIATIONS } from '../people/profile-options.js'
import { checkbox, emailField, optionalText, requiredText } from '../web/forms.js'

export const joinForm = z
  .object({
    name: requiredText('your full name', 120),
    email: emailField,
    password: z.string({ error: 'Enter a password' }).min(1, { error: 'Enter a password' }),
    affiliation: z.enum(Object.keys(AFFILIATIONS) as [keyof typeof AFFILIATIONS], {
      error: 'Select how you are connected to the community',
    }),
    organisationId: optionalText('organisation', 100),
    jobRole: optionalText('job role', 120),
    interests: optionalText('interests', 500),
    privacy: checkbox.refine((v) => v, { error: 'Confirm that you have read the privacy notice' }),
  })
  .refine((f) => f.affiliation !== 'organisation' || f.organisationId !== '', {
    path: ['organisationId'],
    error: 'Select your organisation',
  })

export const signInForm = z.object({
  email: emailField,
  password: z
    .string({ error: 'Enter your password' })
    .min(1, { error: 'Enter your password' })
    .max(200, { error: 'Enter a correct e-mail address and password' }),
  next: z.string().optional(),
})

export const forgottenPasswordForm = z.object({ email: emailField })

export const resetPasswordForm = z
  .object({
    password: z.string({ error: 'Enter a new password' }).min(1, { error: 'Enter a new password' }),
    confirm: z.string().optional(),
  })
  .refine((f) => f.password === f.confirm, { path: ['confirm'], error: 'The passwords do not match' })

export const changePasswordForm = z
  .object({
    current: z
      .string({ error: 'Enter your current password' })
      .min(1, { error: 'Enter your current password' }),
    password: z.string({ error: 'Enter a new password' }).min(1, { error: 'Enter a new password' }),
    confirm: z.string().optional(),
  })
  .refine((f) => f.password === f.confirm, { path: ['confirm'], error: 'The passwords do not match' })

export type JoinInput = z.infer<typeof joinForm>
