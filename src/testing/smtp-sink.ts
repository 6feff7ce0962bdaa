import net from 'node:net'
import type { AddressInfo } from 'node:net'

export interface ReceivedMail {
  from: string
  to: string[]
  data: string
}

export interface SmtpSink {
  url: string
  messages: ReceivedMail[]
  close(): Promise<void>
}

/**
 * A minimal SMTP server on 127.0.0.1 that keeps what it receives: enough of RFC 5321
 * for nodemailer (no STARTTLS, no AUTH), so delivery is tested over a real socket.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    socket.setEncoding('utf8')
    const reply = (...lines: string[]) => socket.write(lines.map((l) => `${l}\r\n`).join(''))
    let buffer = ''
    let inData = false
    let current: ReceivedMail = { from: '', to: [], data: '' }
    reply('220 127.0.0.1 ESMTP test sink')
    socket.on('data', (chunk: string) => {
      buffer += chunk
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n')
          if (end < 0) return
          messages.push({ ...current, data: buffer.slice(0, end).replace(/^\.\./gm, '.') })
          current = { from: '', to: [], data: '' }
          buffer = buffer.slice(end + 5)
          inData = false
          reply('250 2.0.0 Queued')
          continue
        }
        const eol = buffer.indexOf('\r\n')
        if (eol < 0) return
        const line = buffer.slice(0, eol)
        buffer = buffer.slice(eol + 2)
        const address = /<([^>]*)>/.exec(line)?.[1] ?? ''
        switch (line.slice(0, 4).toUpperCase()) {
          case 'EHLO':
            reply('250-127.0.0.1', '250 8BITMIME')
            break
          case 'HELO':
            reply('250 127.0.0.1')
            break
          case 'MAIL':
            current = { from: address, to: [], data: '' }
            reply('250 2.1.0 OK')
            break
          case 'RCPT':
            current.to.push(address)
            reply('250 2.1.5 OK')
            break
          case 'DATA':
            inData = true
            reply('354 End data with <CR><LF>.<CR><LF>')
            break
          case 'RSET':
            current = { from: '', to: [], data: '' }
            reply('250 2.0.0 OK')
            break
          case 'NOOP':
            reply('250 2.0.0 OK')
            break
          case 'QUIT':
            reply('221 2.0.0 Bye')
            socket.end()
            return
          default:
            reply('502 5.5.2 Command not recognised')
        }
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    // Plain SMTP on loopback: the sink offers no STARTTLS, and nodemailer sends without it when not offered.
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Decodes a quoted-printable or base64 body to text. */
function decodeBody(body: string, encoding: string | undefined): string {
  const e = (encoding ?? '').toLowerCase()
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (e === 'quoted-printable') {
    const soft = body.replace(/=\r\n/g, '')
    const bytes: number[] = []
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16))
        i += 2
      } else bytes.push(soft.charCodeAt(i))
    }
    return Buffer.from(bytes).toString('utf8')
  }
  return body
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= or ?B?) in a header, decoded. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'),
    )
}

export interface MailPart {
  headers: string
  type: string
  body: string
}

/** A received message's unfolded headers and its leaf parts (multipart is opened), decoded. */
export function parseMail(raw: string): { headers: string; parts: MailPart[] } {
  const split = raw.indexOf('\r\n\r\n')
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const body = raw.slice(split + 4)
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]
  const type = header('Content-Type') ?? 'text/plain'
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .flatMap((p) => parseMail(p.replace(/^\r\n/, '').replace(/\r\n$/, '')).parts)
    return { headers, parts }
  }
  return { headers, parts: [{ headers, type, body: decodeBody(body, header('Content-Transfer-Encoding')) }] }
}

/** Headers unfolded and every text part decoded: the message as its reader sees it. */
export function readable(mail: ReceivedMail): string {
  const { headers, parts } = parseMail(mail.data)
  return `${headers}\r\n\r\n${parts.map((p) => p.body).join('\r\n')}`
}
