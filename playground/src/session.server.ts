/** Who is asking: the playground's stand-in for a real session — a `user` cookie. */
export interface Viewer {
  name: string
}

export default function session(request: Request): Viewer | null {
  const cookie = request.headers.get('cookie') ?? ''
  const match = /(?:^|;\s*)user=([^;]+)/.exec(cookie)
  return match ? { name: decodeURIComponent(match[1]!) } : null
}
