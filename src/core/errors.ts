/** Named errors services throw; one handler in web/ turns them into pages or JSON problems. */
export class AppError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Page not found') {
    super(message, 'not_found', 404)
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do that') {
    super(message, 'forbidden', 403)
  }
}

/** Not signed in: pages redirect to /sign-in, the API answers 401. */
export class UnauthenticatedError extends AppError {
  constructor(message = 'You need to sign in') {
    super(message, 'unauthenticated', 401)
  }
}

/** The thing changed since the user loaded it (version check), or a uniqueness clash. */
export class ConflictError extends AppError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message, 'conflict', 409)
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 'too_many_requests', 429)
  }
}

export type FieldErrors = Record<string, string>

/** Bad input found by a service (after the form schema passed): re-render the form with these. */
export class ValidationError extends AppError {
  constructor(readonly fields: FieldErrors) {
    super(Object.values(fields)[0] ?? 'Check your answers', 'validation', 400)
  }
}
