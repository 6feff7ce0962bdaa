import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, isPlatformAdmin, type CurrentUser } from '../core/identity.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { formatCode, normaliseCode } from './certificate-code.js'
import { certificatePdf } from './certificate-pdf.js'
import { findEnrolment } from './enrolment-repository.js'
import type { Mailer } from './enrolment-service.js'
import { levelLabel } from './levels.js'
import { canManageFaculty, requireFacultyManager } from './policy.js'
import { findCertificate, revokeCertificate } from './record-repository.js'
import { findCourse } from './repository.js'

export type VerifyResult =
  | {
      valid: true
      personName: string
      courseTitle: string
      facultyName: string
      levelText: string
      issuedAt: string
      expiresAt: string | null
    }
  | { valid: false }

/** Certificates: the PDF, the public check of a code, and revoking. */
export class CertificateService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly m: Mailer,
  ) {}

  async certificateFile(
    user: CurrentUser,
    certificateId: string,
  ): Promise<{ filename: string; pdf: Buffer }> {
    const cert = await findCertificate(this.db, { id: certificateId })
    if (!cert) throw new NotFoundError()
    const course = await findCourse(this.db, { id: cert.courseId })
    if (
      cert.userId !== user.id &&
      !isPlatformAdmin(user) &&
      !(course && canManageFaculty(user, course.facultyId))
    )
      throw new NotFoundError()
    if (cert.revokedAt)
      throw new ForbiddenError('This certificate has been revoked, so it cannot be downloaded')
    const pdf = await certificatePdf({
      ...cert,
      levelText: levelLabel(cert.level, cert.localLevel),
      verifyUrl: `${this.m.baseUrl}/certificates/verify/${formatCode(cert.code)}`,
    })
    return { filename: `certificate-${cert.code.slice(0, 4).toLowerCase()}.pdf`, pdf }
  }

  /** Public check of a code. Unknown, malformed, revoked and expired codes all answer the same "not valid". */
  async verify(input: string): Promise<VerifyResult> {
    const code = normaliseCode(input)
    if (!code) return { valid: false }
    const cert = await findCertificate(this.db, { code })
    if (!cert || cert.revokedAt || (cert.expiresAt && new Date(cert.expiresAt) < this.clock()))
      return { valid: false }
    return {
      valid: true,
      personName: cert.personName,
      courseTitle: cert.courseTitle,
      facultyName: cert.facultyName,
      levelText: levelLabel(cert.level, cert.localLevel),
      issuedAt: cert.issuedAt,
      expiresAt: cert.expiresAt,
    }
  }

  /** A certificate a faculty manager may revoke, for the confirmation page. */
  async forRevoke(user: CurrentUser, certificateId: string) {
    const cert = await findCertificate(this.db, { id: certificateId })
    if (!cert) throw new NotFoundError()
    const course = await findCourse(this.db, { id: cert.courseId })
    requireFacultyManager(user, course?.facultyId ?? '')
    const enrolment = await findEnrolment(this.db, { id: cert.enrolmentId })
    return { certificate: { ...cert, code: formatCode(cert.code) }, cohortId: enrolment?.cohortId ?? '' }
  }

  async revoke(user: CurrentUser, certificateId: string, reason: string, ip?: string): Promise<string> {
    const at = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const cert = await findCertificate(trx, { id: certificateId })
      if (!cert) throw new NotFoundError()
      const course = await findCourse(trx, { id: cert.courseId })
      requireFacultyManager(user, course?.facultyId ?? '')
      if (cert.revokedAt) throw new ValidationError({ reason: 'This certificate has already been revoked' })
      await revokeCertificate(trx, cert.id, at, reason)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'certificate.revoke',
        entityType: 'certificate',
        entityId: cert.id,
        ip,
        after: { reason },
      })
      const enrolment = await findEnrolment(trx, { id: cert.enrolmentId })
      return enrolment!.cohortId
    })
  }
}
