/**
 * Who is asking: the playground's stand-in for a real session — a `user` cookie set by the
 * "Sign in as …" buttons (no passwords: this is a demo). `ctx.session()` returns it.
 * @module
 */

/** The signed-in reader. */
export interface Viewer {
  name: string
}

export default function session(request: Request): Viewer | null {
  const cookie = request.headers.get('cookie') ?? ''
  const match = /(?:^|;\s*)user=([^;]+)/.exec(cookie)
  if (!match) return null
  const name = decodeURIComponent(match[1]!).trim().slice(0, 80)
  return name === '' ? null : { name }
}
